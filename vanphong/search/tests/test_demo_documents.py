"""The demo year of documents: numbered like the registers would, linked, searchable."""

from __future__ import annotations

from django.db.models import Count, Max

from vanphong.documents.demo import seed_documents
from vanphong.documents.models import Document, DocumentLink, RegisterCounter, RegisterEntry
from vanphong.orgs import demo
from vanphong.orgs.models import Classification
from vanphong.search.models import SearchEntry
from vanphong.search.selectors import search


def test_demo_year_numbers_never_repeat_or_skip_and_everything_is_indexed(db):
    demo.seed_demo(scale=1)
    counts = seed_documents(scale=1)
    assert counts["documents"] == Document.objects.count() > 1000
    assert SearchEntry.objects.count() == counts["documents"]

    series = RegisterEntry.objects.values("register_id", "series").annotate(n=Count("id"), last=Max("number"))
    counters = {(c.register_id, c.series): c.last_number for c in RegisterCounter.objects.all()}
    assert len(series) == len(counters) > 10
    for row in series:
        assert row["n"] == row["last"] == counters[(row["register_id"], row["series"])]

    # The central resolutions are registered, so every citation of one is linked to it.
    assert DocumentLink.objects.count() == counts["links"] > 0
    assert not DocumentLink.objects.filter(target__isnull=True).exists()
    assert Document.objects.filter(classification__gt=Classification.NONE).exists()

    from django.contrib.auth import get_user_model

    secretary = get_user_model().objects.get(username="bithu")
    page = search(secretary, "nghi quyet 57-NQ/TW")
    assert page.count > 1 and page.results[0].symbol == "57-NQ/TW"
    commune_clerk = get_user_model().objects.get(username="vanthu.phuquy")
    assert 0 < search(commune_clerk, "ke hoach").count < search(secretary, "ke hoach").count
