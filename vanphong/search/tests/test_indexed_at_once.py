"""Every document the services create or change is found by search at once, through the one
hook they call (``documents.services.indexing``): outgoing drafts, documents under review and
issued, documents delivered into hosted recipients' books, and copies. No ``reindex``."""

from __future__ import annotations

from vanphong.documents.models import DocumentLink, DocumentState, ReviewKind
from vanphong.documents.services.copies import document_copy
from vanphong.documents.services.outgoing import outgoing_issue, outgoing_submit
from vanphong.documents.tests.factories import incoming_entry
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401
from vanphong.search.models import SearchEntry
from vanphong.search.selectors import search

SUBJECT = "Nghị quyết về chuyển đổi số trong các cơ quan đảng tỉnh Lâm Đồng"


def found(user, q: str) -> list[int]:
    return [r.id for r in search(user, q, snippets=False).results]


def test_a_draft_is_found_by_its_drafter_the_moment_it_is_saved(people):
    draft = make_draft(people, subject=SUBJECT)
    assert SearchEntry.objects.filter(document=draft, state=DocumentState.DRAFT).exists()
    assert draft.pk in found(people.drafter.user, "chuyen doi so co quan dang")


def test_submitting_and_approving_keep_the_index_in_step(people):
    draft = make_draft(people, subject=SUBJECT)
    outgoing_submit(
        actor=people.drafter.user,
        document=draft,
        steps=[
            {"stage": 1, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": people.chief},
            {"stage": 2, "kind": ReviewKind.SIGN, "reviewer": draft.signer},
        ],
    )
    assert SearchEntry.objects.get(document=draft).state == DocumentState.IN_REVIEW


def test_an_issued_document_is_found_by_its_symbol_and_by_the_hosted_recipient(people):
    document = approve(people, make_draft(people, subject=SUBJECT))
    entry = outgoing_issue(actor=people.clerk.user, document=document)
    document.refresh_from_db()
    assert SearchEntry.objects.get(document=document).state == DocumentState.ISSUED
    assert document.pk in found(people.leader.user, document.symbol)
    # Delivered into the commune's incoming book: its clerk finds it by subject at once.
    assert entry.number >= 1
    assert document.pk in found(people.clerk_x.user, "chuyen doi so")


def test_a_copy_is_found_by_its_own_symbol(people):
    document = approve(people, make_draft(people, subject=SUBJECT))
    outgoing_issue(actor=people.clerk.user, document=document)
    copy_entry = document_copy(
        actor=people.clerk.user, original=document, form="SY", organization=people.committee
    )
    copy = copy_entry.document
    assert SearchEntry.objects.filter(document=copy).exists()
    assert copy.pk in found(people.leader.user, copy.symbol)


def test_an_issued_document_citing_another_shows_as_referenced_by(people):
    cited = incoming_entry(people.province)  # 15-NQ/TW of 03/11/2025
    document = approve(
        people,
        make_draft(
            people, subject="Kế hoạch thực hiện Nghị quyết số 15-NQ/TW ngày 03/11/2025 của Bộ Chính trị"
        ),
    )
    outgoing_issue(actor=people.clerk.user, document=document)
    assert DocumentLink.objects.filter(source=document, target=cited.document).exists()
