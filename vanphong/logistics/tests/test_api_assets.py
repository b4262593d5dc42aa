"""The assets and spending API: the contract's paths and fields, 404 outside reach, 201 for a
transfer with its remaining value, 400 ``over_limit`` one đồng above the rule's limit."""

from __future__ import annotations

import pytest
from django.utils import timezone

from vanphong.api.tests.helpers import bearer
from vanphong.logistics import services_spending
from vanphong.logistics.models import Asset, Expense

pytestmark = pytest.mark.django_db

ASSETS = "/api/v1/assets/"
EXPENSES = "/api/v1/expenses/"


def get(client, person, url):
    return client.get(url, **bearer(person.user))


def post(client, person, url, data):
    return client.post(url, data, content_type="application/json", **bearer(person.user))


def test_assets_are_registered_listed_and_transferred(client, province, agency):
    data = {
        "code": "OTO-01",
        "name": "Xe Toyota Innova",
        "category": "xe-o-to",
        "value": 800_000_000,
        "in_use_on": "2020-03-15",
        "organization": province.office.pk,
    }
    answer = post(client, province.chief, ASSETS, data)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    year = timezone.localdate().year
    assert body["remaining_value"] == max(0, 800_000_000 - 80_000_000 * (year - 2019))
    pk = body["id"]
    assert post(client, province.chief, ASSETS, data).json()["error"]["fields"]["code"]
    listed = get(client, province.specialist, ASSETS).json()
    assert [row["code"] for row in listed["results"]] == ["OTO-01"]
    assert get(client, province.clerk_y, f"{ASSETS}{pk}/").status_code == 404
    assert (
        post(client, province.clerk_y, f"{ASSETS}{pk}/transfer/", {"to_organization": 1}).status_code == 404
    )
    refused = post(
        client, province.specialist, f"{ASSETS}{pk}/transfer/", {"to_organization": agency["organization"].pk}
    )
    assert refused.status_code == 403
    # A commune's Đảng ủy is a committee of its own, not an agency of this Văn phòng.
    other = post(
        client, province.chief, f"{ASSETS}{pk}/transfer/", {"to_organization": province.commune_x.pk}
    )
    assert other.status_code == 400
    moved = post(
        client,
        province.chief,
        f"{ASSETS}{pk}/transfer/",
        {"to_organization": agency["organization"].pk, "to_holder": agency["clerk"].pk, "decision": "QĐ 12"},
    )
    assert moved.status_code == 201, moved.json()
    assert moved.json()["remaining_value"] == body["remaining_value"]
    assert moved.json()["from_organization"] == province.office.pk
    assert Asset.objects.get(pk=pk).organization == agency["organization"]
    assert get(client, agency["clerk"], f"{ASSETS}{pk}/").json()["holder"] == agency["clerk"].pk
    assert get(client, province.clerk_x, f"{ASSETS}{pk}/").status_code == 404


def test_an_expense_one_dong_over_the_limit_answers_over_limit(client, province, agency):
    kind = services_spending.kind_save(
        actor=province.chief.user,
        organization=province.office,
        code="CTP",
        name="Phụ cấp lưu trú",
        limit=200_000,
    )
    line = services_spending.budget_line_save(
        actor=province.chief.user,
        organization=agency["organization"],
        year=timezone.localdate().year,
        code="6700",
        name="Công tác phí",
        amount=1_000_000,
    )
    data = {
        "organization": agency["organization"].pk,
        "budget_line": line.pk,
        "kind": kind.pk,
        "description": "Công tác 2 người",
        "quantity": 2,
        "amount": 400_001,
    }
    over = post(client, agency["clerk"], EXPENSES, data)
    assert over.status_code == 400
    assert over.json()["error"]["code"] == "over_limit"
    assert "amount" in over.json()["error"]["fields"]
    assert not Expense.objects.exists()
    made = post(client, agency["clerk"], EXPENSES, {**data, "amount": 400_000})
    assert made.status_code == 201, made.json()
    assert made.json()["amount_in_words"] == "Bốn trăm nghìn đồng"
    pk = made.json()["id"]
    assert post(client, agency["clerk"], f"{EXPENSES}{pk}/decide/", {"approve": True}).status_code == 403
    assert post(client, province.clerk_y, f"{EXPENSES}{pk}/decide/", {"approve": True}).status_code == 404
    approved = post(client, province.chief, f"{EXPENSES}{pk}/decide/", {"approve": True})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    budget = post(client, agency["clerk"], EXPENSES, {**data, "quantity": 4, "amount": 600_001})
    assert budget.status_code == 400 and budget.json()["error"]["code"] == "over_budget"
    assert [row["id"] for row in get(client, agency["clerk"], EXPENSES).json()["results"]] == [pk]
    assert get(client, province.clerk_y, EXPENSES).json()["results"] == []
