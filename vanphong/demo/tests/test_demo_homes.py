"""The demo tells the truth: after the seed, every demo role's home shows today's work, the
documents it lists carry their PDF, and what was done through the services has its history."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from vanphong.audit.verify import verify_chain
from vanphong.core.pending import pending_for
from vanphong.demo import orgs as orgs_demo
from vanphong.demo.documents import PAGE_DAYS, Year, seed_documents
from vanphong.demo.documents.scenes import seed_scenes
from vanphong.documents.models import Document, DocumentFile, EntryStatus, RegisterEntry, RegisterKind
from vanphong.documents.selectors.incoming import document_history

HOMES = {
    "bithu": {"documents.to_direct", "documents.reviews"},
    "thuongtruc": {"documents.to_direct"},
    "chanhvp": {"documents.to_direct", "documents.reviews"},
    "vanthu": {"documents.to_present", "documents.to_issue"},
    "chuyenvien": {"documents.assigned"},
    "truongphong.th": {"documents.reviews"},
    "vanthu.phuquy": {"documents.to_present"},
}


def _pdf(record: DocumentFile) -> bytes:
    with record.file.open("rb") as fh:
        return fh.read()


def test_every_demo_home_shows_todays_work_on_documents_with_files_and_history(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    orgs_demo.seed_demo(scale=1)
    today = timezone.localdate()
    seed_documents(scale=1, files=True, today=today)
    started = timezone.now()
    counts = seed_scenes(today=today)
    assert counts["incoming"] >= 8 and counts["drafts"] >= 5 and counts["issued"] == 1

    users = get_user_model().objects
    for username, keys in HOMES.items():
        groups = {g.key: g.count for g in pending_for(users.get(username=username))}
        assert all(groups.get(key, 0) > 0 for key in keys), (username, groups)
    # Only the last days' arrivals still wait to be presented: a handful, not the whole year.
    waiting = {g.key: g.count for g in pending_for(users.get(username="vanthu"))}["documents.to_present"]
    assert waiting < 20
    recent = Year(today).recent
    bulk_waiting = RegisterEntry.objects.filter(
        status=EntryStatus.REGISTERED, register__kind=RegisterKind.INCOMING, registered_at__lt=started
    )
    assert bulk_waiting.exists()
    assert {timezone.localdate(e.registered_at) for e in bulk_waiting} <= set(recent)

    # Every document of today's scenes has its PDF and a history written by the services.
    scene = Document.objects.filter(created_at__gte=started)
    assert scene.count() == counts["incoming"] + counts["drafts"]
    for document in scene:
        files = list(document.files.all())
        assert files and all(_pdf(f).startswith(b"%PDF") for f in files), document
        entry_ids = list(document.entries.values_list("pk", flat=True))
        history = document_history(document=document, entry_ids=entry_ids, file_ids=[f.pk for f in files])
        assert history.count() >= 2, document  # created or received, then a file, a step …
    # The bulk year's last days have their first page too, its text read.
    printed = Document.objects.filter(
        created_at__lt=started, issued_date__gte=today - dt.timedelta(days=PAGE_DAYS)
    )
    assert printed.count() > 30
    for document in printed[:10]:
        record = document.files.get()
        assert _pdf(record).startswith(b"%PDF") and document.symbol in record.text

    report = verify_chain()
    assert report.ok, report.reason

    # The Tỉnh ủy's classified books are vanthumat's: vanthu keeps, and sees, none of them.
    from vanphong.documents.access import documents_visible_to

    assert not documents_visible_to(users.get(username="vanthu")).filter(classification__gt=0).exists()
    assert documents_visible_to(users.get(username="vanthumat")).filter(classification__gt=0).exists()
