"""The information products' pages: templates made and edited by the office, a product made
from a template, composed by ticking and editing lines, moved into the outgoing flow; 404
outside reach."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.reporting import products
from vanphong.reporting.models import InfoProduct, ProductKind, ProductTemplate
from vanphong.reporting.tests.test_products import week_world  # noqa: F401 - a fixture


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def _login(client, who):
    client.force_login(who.user)
    return client


def test_the_office_makes_and_edits_templates_on_pages(client, province):
    c = _login(client, province.specialist)
    html = c.get(reverse("reporting:template_list")).content.decode()
    assert "Tạo mẫu thường dùng" in html and province.committee.name in html
    response = c.post(reverse("reporting:template_defaults"), {"organization": province.committee.pk})
    assert response.status_code == 302
    weekly = ProductTemplate.objects.get(organization=province.committee, kind=ProductKind.WEEKLY)
    url = reverse("reporting:template_edit", args=[weekly.pk])
    html = c.get(url).content.decode()
    assert "Lịch công tác tuần tới" in html and 'name="section-heading"' in html
    data = {
        "kind": "weekly",
        "name": weekly.name,
        "title": "Bản tin tuần {tuan} của Văn phòng",
        "doc_type": "BC",
        "intro": "",
        "closing": "",
        "active": "on",
        "recipients": [province.commune_x.pk],
        "section-heading": ["Tình hình chung", "Các cuộc họp", ""],
        "section-source": ["note", "meeting", "note"],
    }
    response = c.post(url, data)
    assert response.status_code == 302, response.content.decode()
    weekly.refresh_from_db()
    assert weekly.title == "Bản tin tuần {tuan} của Văn phòng"
    assert weekly.sections == [
        {"heading": "Tình hình chung", "source": "note"},
        {"heading": "Các cuộc họp", "source": "meeting"},
    ]
    assert list(weekly.recipients.all()) == [province.commune_x]
    data["title"] = "Bản tin {tuan_toi}"
    html = c.post(url, data).content.decode()
    assert "Không có trường {tuan_toi}" in html


def test_a_commune_does_not_reach_the_committees_templates_or_products(client, province):
    products.templates_ensure_defaults(actor=province.specialist.user, organization=province.committee)
    template = ProductTemplate.objects.filter(organization=province.committee).first()
    product = products.product_create(
        actor=province.specialist.user, template=template, day=timezone.localdate()
    )
    c = _login(client, province.clerk_x)
    assert c.get(reverse("reporting:template_edit", args=[template.pk])).status_code == 404
    assert c.get(reverse("reporting:product", args=[product.pk])).status_code == 404
    assert c.post(reverse("reporting:product_draft", args=[product.pk])).status_code == 404
    assert product.title not in c.get(reverse("reporting:product_list")).content.decode()


def test_composing_on_the_page_then_moving_into_the_outgoing_flow(client, province, week_world):  # noqa: F811
    products.templates_ensure_defaults(actor=province.specialist.user, organization=province.committee)
    weekly = ProductTemplate.objects.get(organization=province.committee, kind=ProductKind.WEEKLY)
    c = _login(client, province.chief)
    response = c.post(
        reverse("reporting:product_list"),
        {"template": weekly.pk, "day": timezone.localdate().strftime("%d/%m/%Y")},
    )
    product = InfoProduct.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:product", args=[product.pk]
    )
    html = c.get(response["Location"]).content.decode()
    urgent_key = f"2:incoming:{week_world['urgent'].pk}"
    assert f'value="{urgent_key}"' in html and "Đáng chú ý" in html
    assert "Việc mật" not in html and week_world["secret"].document.subject not in html
    meeting_key = f"3:meeting:{week_world['meeting'].pk}"
    response = c.post(
        reverse("reporting:product", args=[product.pk]),
        {
            "title": product.title,
            "intro": "Tuần qua tình hình ổn định.",
            "closing": "Văn phòng kính báo cáo.",
            "row": [urgent_key, meeting_key],
            "keep": [urgent_key],
            f"text-{urgent_key}": "Trung ương chỉ đạo khẩn về phòng chống bão.",
            f"text-{meeting_key}": "Không chọn",
            "note-0": "Đoạn một.\n\nĐoạn hai.",
            "recipients": [province.commune_x.pk, province.commune_y.pk],
        },
    )
    assert response.status_code == 302
    assert [i.text for i in product.items.all()] == [
        "Đoạn một.",
        "Đoạn hai.",
        "Trung ương chỉ đạo khẩn về phòng chống bão.",
    ]
    html = c.get(reverse("reporting:product", args=[product.pk])).content.decode()
    assert "I. TÌNH HÌNH CHUNG" in html  # the preview
    response = c.post(reverse("reporting:product_draft", args=[product.pk]))
    product.refresh_from_db()
    assert response.status_code == 302 and product.document is not None
    html = c.get(reverse("reporting:product", args=[product.pk])).content.decode()
    assert "Mở văn bản đi" in html and "Tải .docx" in html and 'name="keep"' not in html
    docx = c.get(reverse("documents:outgoing_docx", args=[product.document_id]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_a_reader_who_cannot_compose_sees_the_chosen_lines_only(
    client,
    province,
    week_world,  # noqa: F811 - the fixture imported above
):
    products.templates_ensure_defaults(actor=province.chief.user, organization=province.committee)
    weekly = ProductTemplate.objects.get(organization=province.committee, kind=ProductKind.WEEKLY)
    product = products.product_create(actor=province.chief.user, template=weekly, day=timezone.localdate())
    html = (
        _login(client, province.admin).get(reverse("reporting:product", args=[product.pk])).content.decode()
    )
    assert "Công văn số 102" not in html and 'name="keep"' not in html  # no candidate shown
    html = (
        _login(client, province.chief).get(reverse("reporting:product", args=[product.pk])).content.decode()
    )
    assert "Công văn số 102" in html
    assert 'textarea id="text-2:incoming' not in html  # a candidate is ticked, not typed into


def test_a_refused_save_shows_the_page_again_with_everything_typed(
    client,
    province,
    week_world,  # noqa: F811 - the fixture imported above
):
    products.templates_ensure_defaults(actor=province.chief.user, organization=province.committee)
    weekly = ProductTemplate.objects.get(organization=province.committee, kind=ProductKind.WEEKLY)
    product = products.product_create(actor=province.chief.user, template=weekly, day=timezone.localdate())
    secret_key = f"2:incoming:{week_world['secret'].pk}"
    urgent_key = f"2:incoming:{week_world['urgent'].pk}"
    response = _login(client, province.chief).post(
        reverse("reporting:product", args=[product.pk]),
        {
            "title": "Tiêu đề đã sửa",
            "intro": "Mở đầu đã sửa",
            "closing": "",
            "keep": [urgent_key, secret_key],
            "note-0": "Ghi chú vừa gõ",
            "recipients": [province.commune_x.pk],
            "version": products.product_version(product),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "có độ mật hoặc bạn không được xem" in html
    assert 'value="Tiêu đề đã sửa"' in html and "Mở đầu đã sửa" in html and "Ghi chú vừa gõ" in html
    assert f'value="{urgent_key}" checked' in html
    assert not product.items.exists()
