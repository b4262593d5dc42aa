"""Signals the documents app sends for the apps above it (documents imports none of them).

``document_changed``: a document was registered, issued, edited, withdrawn or its files'
text changed (``document``, ``text``: whether it was the text). The search index listens
(``search.receivers``).

``document_issued``: an outgoing document was issued (``document``, ``entry``: its outgoing
entry, ``external``: the recipients not hosted here, to be sent through the exchange).

``arrival_settled``: an arrival left the queue (``arrival``, ``entry``: the entry it became, or
None when it was discarded; ``reason``: the clerk's reason for discarding it).

``entry_progressed``: an incoming entry moved on (``entry``, ``stage``: ``"directed"`` when a
leader gave a direction with assignments, ``"done"`` when it was marked processed).

All are sent inside the changing transaction, so whatever a receiver writes commits or rolls
back with the change.
"""

from django.dispatch import Signal

document_changed = Signal()
document_issued = Signal()
arrival_settled = Signal()
entry_progressed = Signal()
