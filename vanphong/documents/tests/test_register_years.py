"""A register's year: numbers restart on 1 January by the date of registration, a book is
printed in number order with the entries registered in its year only, and the incoming list
reads in register order."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from vanphong.documents import printing
from vanphong.documents.models import DocumentState, RegisterEntry
from vanphong.documents.selectors.incoming import incoming_list
from vanphong.documents.services.registering import entry_register
from vanphong.documents.tests.factories import DocumentFactory, registered_entry
from vanphong.orgs.models import Classification

YEAR = timezone.localdate().year + 1  # every clock set below comes after the people's roles began


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def clock(monkeypatch):
    """Set the clock: ``clock(dt.datetime)``, an aware time."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def _incoming(province, *, classification=0, received_at=None, **fields):
    return registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        received_at=received_at or timezone.now(),
        doc_type="CV",
        issued_date=dt.date(YEAR, 12, 29),
        subject=fields.pop("subject", "về việc thử"),
        classification=classification,
        **fields,
    )


def _print_rows(actor, register, year, layout=printing.Layout.INCOMING):
    output = printing.register_print(
        actor=actor.user,
        register=register,
        layout=layout,
        fmt="xlsx",
        date_from=dt.date(year, 1, 1),
        date_to=dt.date(year, 12, 31),
    )
    ws = load_workbook(io.BytesIO(output.file.read())).active
    return ws, list(ws.iter_rows(values_only=True))[3:]


# --- 1. A yearly series restarts on 1 January of the date of registration --------------------


def test_a_yearly_series_restarts_on_the_first_of_january_by_the_date_of_registration(province, books, clock):
    clock(_at(dt.date(YEAR, 12, 31), 16))
    last = _incoming(province, subject="đến và vào sổ ngày 31/12")
    before = _incoming(province, subject="cũng ngày 31/12")
    # Arrived on 31/12 in the evening, entered in the book on 1/1: the new year's series.
    clock(_at(dt.date(YEAR + 1, 1, 1), 8, 5))
    first = _incoming(province, received_at=_at(dt.date(YEAR, 12, 31), 17), subject="đến 31/12, vào sổ 01/01")

    assert (last.series, last.number, before.series, before.number) == (str(YEAR), 1, str(YEAR), 2)
    assert (first.series, first.number) == (str(YEAR + 1), 1)
    assert timezone.localdate(before.registered_at) == dt.date(YEAR, 12, 31)
    assert timezone.localdate(first.registered_at) == dt.date(YEAR + 1, 1, 1)


def test_a_registration_dated_back_is_registered_and_numbered_on_its_date(province, books, clock):
    """An outgoing document issued on 2/1 with the date 31/12 belongs to the old year's book."""
    clock(_at(dt.date(YEAR + 1, 1, 2), 9))
    register = books["office"]["Sổ văn bản sao"]  # numbered per year
    document = DocumentFactory(organization=province.office, doc_type="CV", subject="Bản sao")
    entry = entry_register(
        actor=province.clerk.user, register=register, document=document, on=dt.date(YEAR, 12, 31)
    )
    assert entry.series == str(YEAR)
    assert timezone.localdate(entry.registered_at) == dt.date(YEAR, 12, 31)
    today = entry_register(
        actor=province.clerk.user,
        register=register,
        document=DocumentFactory(organization=province.office, doc_type="CV", subject="Bản sao 2"),
    )
    assert (today.series, today.number) == (str(YEAR + 1), 1)
    assert today.registered_at == _at(dt.date(YEAR + 1, 1, 2), 9)


# --- 2. In number order, one year per book --------------------------------------------------


def test_the_printed_book_is_in_number_order_and_holds_its_own_year_only(province, books, clock):
    register = books["committee"]["Sổ văn bản đến"]
    clock(_at(dt.date(YEAR, 12, 31), 9))
    entries = [_incoming(province, subject=f"văn bản {n}") for n in range(1, 4)]
    # Times out of step with the numbers (an imported book, a clock put right): still 1, 2, 3.
    for entry, minute in zip(entries, (50, 10, 30), strict=True):
        RegisterEntry.objects.filter(pk=entry.pk).update(registered_at=_at(dt.date(YEAR, 12, 31), 10, minute))
    clock(_at(dt.date(YEAR + 1, 1, 1), 8))
    next_year = _incoming(province, subject="văn bản năm sau")

    _ws, rows = _print_rows(province.clerk, register, YEAR)
    assert [r[1] for r in rows] == [1, 2, 3]
    assert all(r[0].date() == dt.date(YEAR, 12, 31) for r in rows)
    _ws, rows = _print_rows(province.clerk, register, YEAR + 1)
    assert [(r[1], r[5]) for r in rows] == [(next_year.number, "Công văn văn bản năm sau")]
    assert next_year.number == 1


def test_a_secret_series_is_printed_after_the_ordinary_one(province, books, clock):
    """A state-style book numbers secret documents in their own series: each from 01, in turn."""
    from vanphong.documents.models import NumberReset, Register, RegisterKind

    clock(_at(dt.date(YEAR, 12, 30), 9))
    register = Register.objects.create(
        organization=province.committee,
        kind=RegisterKind.OUTGOING,
        name="Sổ văn bản đi (hành chính)",
        reset=NumberReset.YEARLY,
        secret_series=True,
        style="state",
    )
    made = []
    for classification in (0, Classification.MAT, 0, Classification.MAT, 0):
        document = DocumentFactory(
            organization=province.committee,
            state=DocumentState.ISSUED,
            doc_type="CV",
            subject="thử",
            classification=classification,
        )
        made.append(entry_register(actor=province.clerk.user, register=register, document=document))
    entries = list(
        printing.register_rows(
            user=province.clerk.user,
            register=register,
            layout=printing.Layout.OUTGOING,
            date_from=dt.date(YEAR, 1, 1),
            date_to=dt.date(YEAR, 12, 31),
        )
    )
    assert [(e.series, e.number) for e in entries] == [
        (str(YEAR), 1),
        (str(YEAR), 2),
        (str(YEAR), 3),
        (f"{YEAR}|M", 1),
        (f"{YEAR}|M", 2),
    ]


def test_the_incoming_list_reads_in_register_order_newest_first(province, books, clock):
    clock(_at(dt.date(YEAR, 12, 30), 9))
    old = [_incoming(province, subject=f"hôm trước {n}") for n in range(2)]
    clock(_at(dt.date(YEAR, 12, 31), 9))
    ordinary = [_incoming(province, subject=f"thường {n}") for n in range(3)]
    secret = _incoming(province, subject="mật", classification=Classification.MAT)
    # The registration times within the day drift from the numbers: the list keeps the numbers.
    for entry, minute in zip(ordinary, (40, 5, 20), strict=True):
        RegisterEntry.objects.filter(pk=entry.pk).update(registered_at=_at(dt.date(YEAR, 12, 31), 9, minute))
    clock(_at(dt.date(YEAR + 1, 1, 2), 9))
    new_year = _incoming(province, subject="năm mới")

    listed = [(e.register.classified, e.number) for e in incoming_list(user=province.clerk.user)]
    assert listed == [
        (False, 1),  # YEAR + 1
        (False, 5),
        (False, 4),
        (False, 3),
        (True, 1),  # the secret book's entry after the ordinary ones of its day
        (False, 2),
        (False, 1),
    ]
    assert new_year.series == str(YEAR + 1) and secret.register.classified
    assert [e.number for e in old] == [1, 2]


# --- 3. Printed so that a date never wraps --------------------------------------------------


def test_the_excel_book_prints_landscape_on_the_page_width_with_the_headings_on_every_page(province, books):
    _incoming(province)
    ws, _rows = _print_rows(province.clerk, books["committee"]["Sổ văn bản đến"], timezone.localdate().year)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows in ("3:3", "$3:$3")
    assert ws.freeze_panes == "A4"
    date_cell = ws.cell(row=4, column=1)
    assert date_cell.number_format == "DD/MM/YYYY" and not date_cell.alignment.wrap_text
    assert ws.cell(row=4, column=6).alignment.wrap_text  # the subject wraps
    assert ws.column_dimensions["A"].width >= 11


@pytest.mark.parametrize("layout", list(printing.Layout))
def test_pdf_columns_keep_a_date_on_one_line(layout):
    columns = printing.COLUMNS[layout]
    widths = printing.pdf_column_widths(columns)
    assert 99.0 <= sum(widths) <= 101.0
    for (_header, _width, kind), percent in zip(columns, widths, strict=True):
        millimetres = percent * printing.PDF_PAGE_WIDTH_MM / 100
        if kind == "date":
            assert millimetres >= 21  # "31/12/2026" at 10.5 pt with the cell's padding
        elif kind == "text":
            assert millimetres >= 14


def test_the_pdf_template_repeats_its_headings_and_never_breaks_a_date(province, books):
    from django.template.loader import render_to_string

    columns = printing.COLUMNS[printing.Layout.INCOMING]
    html = render_to_string(
        "documents/registers/print.html",
        {
            "register": books["committee"]["Sổ văn bản đến"],
            "organization": province.committee,
            "columns": columns,
            "col_widths": printing.pdf_column_widths(columns),
            "numeric_columns": [0, 1, 4, 7],
            "date_columns": [0, 4, 7],
            "rows": [["31/12/2026", 330, "", "", "29/12/2026", "", "", "", "", ""]],
            "printed_at": timezone.localtime(),
        },
    )
    assert "size: A4 landscape" in html
    assert "thead { display: table-header-group; }" in html
    assert "td.date { white-space: nowrap; }" in html
    assert '<td class="num date">31/12/2026</td><td class="num">330</td>' in html
