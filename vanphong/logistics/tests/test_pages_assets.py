"""The asset and spending pages: the register with its remaining values and totals, 404 outside
reach, a transfer and its handover record (with the remaining value in words), stock-taking,
an expense with its printed claim ("Số tiền bằng chữ")."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from vanphong.logistics import services_assets, services_spending
from vanphong.logistics.models import Asset, AssetState, Expense, ExpenseState, StockTake
from vanphong.logistics.money import amount_in_words
from vanphong.logistics.selectors_assets import asset_remaining

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(settings, client):
    settings.VANPHONG_TOTP_REQUIRED = "none"

    def login(person):
        client.force_login(person.user)
        return client

    return login


def docx_text(response) -> str:
    document = Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def a_car(province, organization=None, code="OTO-01"):
    return services_assets.asset_create(
        actor=province.chief.user,
        organization=organization or province.office,
        code=code,
        name="Xe Toyota Innova",
        category="xe-o-to",
        value=800_000_000,
        in_use_on=dt.date(2020, 3, 15),
    )


def test_the_register_shows_remaining_values_and_hides_other_agencies_assets(province, pages, agency):
    car = a_car(province, organization=agency["organization"], code="AP-01")
    year = timezone.localdate().year
    client = pages(agency["clerk"])
    page = client.get(reverse("logistics:asset_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "AP-01" in text and f"{asset_remaining(car, year):,}".replace(",", ".") in text
    detail = client.get(reverse("logistics:asset_detail", args=[car.pk]))
    assert detail.status_code == 200 and "Hao mòn theo năm" in detail.content.decode()
    other = pages(province.clerk_y)
    assert other.get(reverse("logistics:asset_detail", args=[car.pk])).status_code == 404
    assert other.get(reverse("logistics:asset_transfer", args=[car.pk])).status_code == 404
    assert "AP-01" not in other.get(reverse("logistics:asset_list")).content.decode()


def test_an_asset_is_registered_and_transferred_and_the_handover_record_prints(province, pages, agency):
    client = pages(province.chief)
    answer = client.post(
        reverse("logistics:asset_create"),
        {
            "organization": province.office.pk,
            "code": "OTO-01",
            "name": "Xe Toyota Innova",
            "category": "xe-o-to",
            "value": "800000000",
            "in_use_on": "15/03/2020",
        },
    )
    asset = Asset.objects.get(code="OTO-01")
    assert answer.status_code == 302
    answer = client.post(
        reverse("logistics:asset_transfer", args=[asset.pk]),
        {
            "to_organization": agency["organization"].pk,
            "on": timezone.localdate().strftime("%d/%m/%Y"),
            "decision": "Quyết định số 12-QĐ/VPTU",
        },
    )
    assert answer.status_code == 302
    asset.refresh_from_db()
    assert asset.organization == agency["organization"]
    transfer = asset.transfers.get()
    printed = client.get(reverse("logistics:transfer_print", args=[asset.pk, transfer.pk, "docx"]))
    assert printed.status_code == 200
    text = docx_text(printed)
    assert "BIÊN BẢN BÀN GIAO TÀI SẢN" in text
    assert amount_in_words(transfer.remaining_value) in text
    assert agency["organization"].name in text
    assert (
        client.get(reverse("logistics:transfer_print", args=[asset.pk, transfer.pk, "exe"])).status_code
        == 404
    )


def test_a_stock_take_through_the_pages(province, pages):
    first = a_car(province)
    second = a_car(province, code="OTO-02")
    client = pages(province.chief)
    client.post(
        reverse("logistics:stocktake_list"),
        {"organization": province.office.pk, "on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    take = StockTake.objects.get()
    lines = {line.asset_id: line for line in take.lines.all()}
    client.post(reverse("logistics:stocktake_record", args=[take.pk, lines[first.pk].pk]), {"found": "1"})
    client.post(
        reverse("logistics:stocktake_record", args=[take.pk, lines[second.pk].pk]),
        {"found": "0", "note": "Không thấy xe"},
    )
    client.post(reverse("logistics:stocktake_close", args=[take.pk]))
    second.refresh_from_db()
    assert second.state == AssetState.LOST
    page = client.get(reverse("logistics:stocktake_detail", args=[take.pk])).content.decode()
    assert "Không thấy xe" in page
    assert (
        pages(province.clerk_y).get(reverse("logistics:stocktake_detail", args=[take.pk])).status_code == 404
    )


def test_an_expense_is_asked_decided_and_its_claim_prints_the_amount_in_words(province, pages, agency):
    kind = services_spending.kind_save(
        actor=province.chief.user,
        organization=province.office,
        code="CTP",
        name="Phụ cấp lưu trú",
        limit=200_000,
        per="người/ngày",
    )
    line = services_spending.budget_line_save(
        actor=province.chief.user,
        organization=agency["organization"],
        year=timezone.localdate().year,
        code="6700",
        name="Công tác phí",
        amount=5_000_000,
    )
    clerk = pages(agency["clerk"])
    form = {
        "organization": agency["organization"].pk,
        "budget_line": line.pk,
        "kind": kind.pk,
        "description": "Công tác huyện",
        "quantity": 2,
        "amount": 400_001,
        "spent_on": timezone.localdate().strftime("%d/%m/%Y"),
    }
    refused = clerk.post(reverse("logistics:expense_create"), form)
    assert refused.status_code == 200 and "Vượt mức chi" in refused.content.decode()
    assert clerk.post(reverse("logistics:expense_create"), {**form, "amount": 350_500}).status_code == 302
    expense = Expense.objects.get()
    printed = clerk.get(reverse("logistics:expense_print", args=[expense.pk, "docx"]))
    text = docx_text(printed)
    assert "GIẤY ĐỀ NGHỊ THANH TOÁN" in text
    assert "Số tiền: 350.500 đồng" in text
    assert "Số tiền bằng chữ: Ba trăm năm mươi nghìn năm trăm đồng" in text
    pdf = clerk.get(reverse("logistics:expense_print", args=[expense.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    listing = clerk.get(reverse("logistics:expense_list")).content.decode()
    assert "Công tác huyện" in listing and "5.000.000" in listing
    chief = pages(province.chief)
    chief.post(reverse("logistics:expense_decide", args=[expense.pk]), {"decision": "approve"})
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED
    assert (
        pages(province.clerk_y).get(reverse("logistics:expense_detail", args=[expense.pk])).status_code == 404
    )
    assert chief.get(reverse("logistics:kind_list")).status_code == 200
    assert chief.get(reverse("logistics:budget_list")).status_code == 200
