"""Signals the documents app sends for the apps above it.

``document_changed``: a document was registered, issued, edited, withdrawn or its files'
text changed (``document``, ``text``: whether it was the text). Sent inside the changing
transaction, so whatever a receiver writes commits or rolls back with the change. The search
index listens (``search.receivers``): documents imports no app above it."""

from django.dispatch import Signal

document_changed = Signal()
