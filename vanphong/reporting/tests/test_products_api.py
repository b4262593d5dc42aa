"""The information products' API: templates, a product from a template, its candidates, the
chosen items, the draft outgoing document; 404 outside reach, 409 once drafted or made."""

from __future__ import annotations

from django.utils import timezone

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.reporting.models import InfoProduct, ProductTemplate
from vanphong.reporting.tests.test_products import week_world  # noqa: F401 - a fixture

TEMPLATES = "/api/v1/product-templates/"
PRODUCTS = "/api/v1/info-products/"


def get(client, person, url, **params):
    return client.get(url, params, **bearer(person.user))


def post(client, person, url, data=None):
    return client.post(url, data or {}, content_type="application/json", **bearer(person.user))


def template_payload(province, **changes):
    data = {
        "organization": province.committee.pk,
        "kind": "weekly",
        "name": "Bản tin tuần",
        "title": "Bản tin tuần {tuan}",
        "sections": [
            {"heading": "Tình hình chung", "source": "note"},
            {"heading": "Văn bản đến", "source": "incoming"},
            {"heading": "Lịch tuần tới", "source": "event", "next": True},
        ],
        "recipients": [province.commune_x.pk, province.commune_y.pk],
    }
    data.update(changes)
    return data


def test_templates_are_made_read_and_changed_by_the_office(client, province):
    response = post(client, province.specialist, TEMPLATES, template_payload(province))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sections"][2] == {"heading": "Lịch tuần tới", "source": "event", "next": True}
    assert body["recipients"] == sorted([province.commune_x.pk, province.commune_y.pk])
    url = f"{TEMPLATES}{body['id']}/"
    changed = client.patch(
        url,
        template_payload(province, title="Bản tin {tuan}"),
        content_type="application/json",
        **bearer(province.specialist.user),
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Bản tin {tuan}"
    bad = post(client, province.specialist, TEMPLATES, template_payload(province, name="Khác", title="{sai}"))
    assert "title" in assert_error(bad, 400, "invalid")["fields"]
    assert get(client, province.clerk_x, url).status_code == 404
    denied = post(client, province.clerk_x, TEMPLATES, template_payload(province, name="Của xã"))
    assert denied.status_code == 403


def test_a_product_from_the_api_to_the_outgoing_flow(client, province, week_world):  # noqa: F811
    template = post(client, province.chief, TEMPLATES, template_payload(province)).json()
    made = post(
        client,
        province.chief,
        PRODUCTS,
        {"template": template["id"], "day": timezone.localdate().isoformat()},
    )
    assert made.status_code == 201, made.content
    product = made.json()
    assert product["state"] == "composing" and product["items"] == []
    again = post(client, province.chief, PRODUCTS, {"template": template["id"], "day": product["period_end"]})
    assert_error(again, 409, "conflict")
    url = f"{PRODUCTS}{product['id']}/"
    candidates = get(client, province.chief, url + "candidates/").json()
    ids = {c["object_id"] for c in candidates if c["source"] == "incoming"}
    assert ids == {week_world["plain"].pk, week_world["urgent"].pk}
    refused = post(
        client,
        province.chief,
        url + "items/",
        {"items": [{"section": 1, "source": "incoming", "object_id": week_world["secret"].pk, "text": "x"}]},
    )
    assert_error(refused, 400, "invalid")
    saved = post(
        client,
        province.chief,
        url + "items/",
        {
            "items": [
                {"section": 0, "text": "Tình hình ổn định."},
                {
                    "section": 1,
                    "source": "incoming",
                    "object_id": week_world["urgent"].pk,
                    "text": "Công văn hỏa tốc",
                },
            ],
            "intro": "Mở đầu",
        },
    )
    assert saved.status_code == 200, saved.content
    assert [i["text"] for i in saved.json()["items"]] == ["Tình hình ổn định.", "Công văn hỏa tốc"]
    drafted = post(client, province.chief, url + "draft/")
    assert drafted.status_code == 201 and drafted.json()["state"] == "in_flow"
    assert drafted.json()["document"] == InfoProduct.objects.get().document_id
    assert_error(post(client, province.chief, url + "items/", {"items": []}), 409, "conflict")
    assert get(client, province.clerk_x, url).status_code == 404
    assert get(client, province.clerk_x, PRODUCTS).json()["results"] == []
    assert ProductTemplate.objects.count() == 1
