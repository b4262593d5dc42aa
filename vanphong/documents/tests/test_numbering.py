import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from vanphong.documents.models import Document, DocumentState, Register, RegisterEntry
from vanphong.documents.numbering import series_for, take_number
from vanphong.documents.services.registering import entry_register, register_for
from vanphong.orgs.models import Classification


def outgoing(books, org="committee"):
    return books[org]["Sổ văn bản đi"]


def doc(province, doc_type="NQ", classification=0):
    return Document.objects.create(
        organization=province.committee,
        state=DocumentState.ISSUED,
        doc_type=doc_type,
        subject="Nghị quyết về chuyển đổi số",
        classification=classification,
    )


def test_party_outgoing_numbers_run_per_type_within_the_term(province, books):
    register = outgoing(books)
    day = dt.date(2026, 3, 2)
    with transaction.atomic():
        assert take_number(register=register, doc_type="NQ", on=day)[1] == 1
        assert take_number(register=register, doc_type="NQ", on=day)[1] == 2
        assert take_number(register=register, doc_type="CTr", on=day)[1] == 1
        # No reset on 1 January within the term, and secret documents share the series.
        assert take_number(register=register, doc_type="NQ", classification=2, on=dt.date(2027, 1, 5))[1] == 3


def test_party_numbering_needs_a_term(province, books):
    with pytest.raises(ValidationError, match="nhiệm kỳ"), transaction.atomic():
        take_number(register=outgoing(books), doc_type="NQ", on=dt.date(2024, 5, 1))


def test_a_new_term_starts_from_one(province, books):
    from vanphong.documents.models import Term

    register = outgoing(books)
    with transaction.atomic():
        take_number(register=register, doc_type="NQ", on=dt.date(2026, 3, 2))
        Term.objects.filter(organization=province.committee).update(ends_on=dt.date(2030, 9, 30))
        Term.objects.create(
            organization=province.committee, name="2030 - 2035", starts_on=dt.date(2030, 10, 1)
        )
        assert take_number(register=register, doc_type="NQ", on=dt.date(2030, 10, 2))[1] == 1


def test_agencies_number_within_their_committees_term(province, books):
    register = outgoing(books, "office")
    assert series_for(register, doc_type="TB", classification=0, on=dt.date(2026, 1, 1)).startswith("t")


def test_state_numbering_resets_yearly_with_a_separate_secret_series(province):
    register = Register.objects.create(
        organization=province.committee,
        kind="di",
        name="Sổ đi (nhà nước)",
        reset="year",
        secret_series=True,
        style="state",
    )
    with transaction.atomic():
        assert take_number(register=register, doc_type="QĐ", on=dt.date(2026, 12, 31))[1] == 1
        assert take_number(register=register, doc_type="CV", on=dt.date(2026, 12, 31))[1] == 2
        assert (
            take_number(register=register, doc_type="QĐ", classification=1, on=dt.date(2026, 12, 31))[1] == 1
        )
        assert take_number(register=register, doc_type="QĐ", on=dt.date(2027, 1, 1))[1] == 1


@pytest.mark.django_db(transaction=True)
def test_taking_a_number_outside_a_transaction_is_refused(province, books):
    with pytest.raises(RuntimeError):
        take_number(register=outgoing(books), doc_type="NQ", on=dt.date(2026, 1, 1))


def test_a_rolled_back_registration_gives_its_number_back(province, books):
    register = books["committee"]["Sổ văn bản đến"]
    document = doc(province)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        entry_register(actor=province.clerk.user, register=register, document=document)
        1 / 0  # noqa: B018
    entry = entry_register(actor=province.clerk.user, register=register, document=document)
    assert entry.number == 1
    assert RegisterEntry.objects.count() == 1


def test_classified_documents_go_to_the_classified_book_when_there_is_one(province, books):
    assert register_for(
        organization=province.committee, kind="den", classification=Classification.MAT
    ).classified
    assert not register_for(organization=province.committee, kind="den").classified
    assert not register_for(
        organization=province.committee, kind="di", classification=Classification.MAT
    ).classified


def test_an_organisation_without_books_gets_a_clear_message(province):
    with pytest.raises(ValidationError, match="chưa có sổ văn bản đến"):
        register_for(organization=province.commune_y, kind="den")
