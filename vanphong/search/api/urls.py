"""Search and reference API routes, mounted under /api/v1/ by vanphong/api/urls.py."""

from django.urls import re_path

from vanphong.search.api.views import ReferencesParseView, SearchView

urlpatterns = [
    re_path(r"^search/$", SearchView.as_view(), name="search"),
    # API.md writes this path without the final slash; both spellings answer.
    re_path(r"^references/parse/?$", ReferencesParseView.as_view(), name="references_parse"),
]
