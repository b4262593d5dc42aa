"""Information products: spans and titles, the templates the office edits, candidates drawn
from what the composer may read (never a classified record), composing, and the move into the
outgoing flow with the distribution list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import DocumentState, DraftVersion, RegisterEntry
from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.documents.tests.factories import incoming_entry
from vanphong.orgs.models import Classification, Organization
from vanphong.programs.models import MeetingKind
from vanphong.programs.services import event_add, meeting_create, week_approve, week_get_or_create
from vanphong.reporting import product_sources, products, services
from vanphong.reporting.models import InfoProduct, ItemSource, ProductKind, ProductTemplate
from vanphong.reporting.tests.conftest import make_request, row
from vanphong.tasks.services import task_create


def _weekly(province) -> ProductTemplate:
    products.templates_ensure_defaults(actor=province.specialist.user, organization=province.committee)
    return ProductTemplate.objects.get(organization=province.committee, kind=ProductKind.WEEKLY)


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        ("daily", dt.date(2028, 2, 29), dt.date(2028, 2, 29), dt.date(2028, 2, 29)),
        ("weekly", dt.date(2026, 12, 31), dt.date(2026, 12, 28), dt.date(2027, 1, 3)),
        ("weekly", dt.date(2027, 1, 3), dt.date(2026, 12, 28), dt.date(2027, 1, 3)),
        ("weekly", dt.date(2026, 12, 7), dt.date(2026, 12, 7), dt.date(2026, 12, 13)),
        ("thematic", dt.date(2026, 2, 28), dt.date(2026, 2, 1), dt.date(2026, 2, 15)),
    ],
)
def test_the_span_of_a_product(kind, day, start, end):
    assert products.period_for(kind, day) == (start, end)


def test_titles_fill_their_fields():
    start, end = products.period_for("weekly", dt.date(2026, 12, 31))
    assert products.fill("Bản tin tuần {tuan} (từ {tu_ngay} đến {den_ngay})", start, end) == (
        "Bản tin tuần 53/2026 (từ 28/12/2026 đến 03/01/2027)"
    )
    assert (
        products.fill("Tháng { thang }, năm {nam}, {khac}", start, end) == "Tháng 12/2026, năm 2026, {khac}"
    )


def test_the_office_makes_the_usual_templates_once(province):
    made = products.templates_ensure_defaults(actor=province.specialist.user, organization=province.committee)
    assert sorted(t.kind for t in made) == sorted(ProductKind.values)
    weekly = next(t for t in made if t.kind == ProductKind.WEEKLY)
    assert set(weekly.recipients.all()) == {province.commune_x, province.commune_y}
    assert (
        products.templates_ensure_defaults(actor=province.specialist.user, organization=province.committee)
        == []
    )
    assert AuditEvent.objects.filter(action="report.template_save").count() == 3


def test_a_commune_cannot_edit_the_committees_templates(province):
    with pytest.raises(PermissionDenied):
        products.templates_ensure_defaults(actor=province.clerk_x.user, organization=province.committee)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Bản tin {tuan_sau}"}, "title"),
        ({"sections": []}, "sections"),
        ({"sections": [{"heading": "Tin", "source": "weather"}]}, "sections"),
        ({"sections": [{"heading": "", "source": "note"}]}, "sections"),
        ({"doc_type": "NQ"}, "doc_type"),
        ({"name": "  "}, "name"),
        ({"kind": "yearly"}, "kind"),
    ],
)
def test_a_template_is_checked(province, changes, field):
    values = {
        "actor": province.specialist.user,
        "organization": province.committee,
        "kind": "weekly",
        "name": "Bản tin tuần (mẫu mới)",
        "title": "Bản tin tuần {tuan}",
        "sections": [{"heading": "Tình hình chung", "source": "note"}],
    }
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        products.template_save(**values)
    assert field in caught.value.message_dict


def test_a_template_name_is_unique_per_kind(province):
    template = _weekly(province)
    with pytest.raises(ValidationError) as caught:
        products.template_save(
            actor=province.specialist.user,
            organization=province.committee,
            kind="weekly",
            name=template.name,
            title="x",
            sections=[{"heading": "A", "source": "note"}],
        )
    assert "name" in caught.value.message_dict


def test_a_product_copies_its_template_and_is_made_once_per_span(province):
    template = _weekly(province)
    product = products.product_create(
        actor=province.specialist.user, template=template, day=dt.date(2026, 12, 9)
    )
    assert (product.period_start, product.period_end) == (dt.date(2026, 12, 7), dt.date(2026, 12, 13))
    assert product.title == "Bản tin tuần 50/2026 (từ 07/12/2026 đến 13/12/2026)"
    assert product.sections == template.sections
    assert set(product.recipients.all()) == set(template.recipients.all())
    with pytest.raises(products.ProductConflict):
        products.product_create(actor=province.specialist.user, template=template, day=dt.date(2026, 12, 13))
    products.template_save(
        actor=province.specialist.user,
        template=template,
        organization=province.committee,
        kind="weekly",
        name=template.name,
        title="Bản tin khác {tuan}",
        sections=[{"heading": "Chỉ một mục", "source": "note"}],
    )
    product.refresh_from_db()
    assert product.title.startswith("Bản tin tuần 50/2026") and len(product.sections) == 6


@pytest.fixture
def week_world(province):
    """This week: an ordinary and an urgent incoming document and a secret one, a meeting of
    the Tỉnh ủy, an overdue task the Tỉnh ủy gave and a secret one, and a submitted report."""
    registers_provision_defaults(organization=province.committee, term_start=dt.date(2025, 10, 1))
    now = timezone.now()
    plain = incoming_entry(
        province, received_at=now, symbol="101/SNV-VP", issuer_name="Sở Nội vụ", subject="Về tuyển dụng"
    )
    urgent = incoming_entry(province, 102, received_at=now, urgency="hoa_toc")
    secret = incoming_entry(
        province, 103, received_at=now, classification=Classification.MAT, actor=province.clerk.user
    )
    meeting = meeting_create(
        actor=province.leader.user,
        organization=province.committee,
        title="Họp Ban Thường vụ thường kỳ",
        kind=MeetingKind.HOP_BAN_THUONG_VU,
        start=timezone.localtime(now).replace(hour=8, minute=0, second=0, microsecond=0),
        end=timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0),
        chair=province.leader,
        participants=[province.chief],
        place="Trụ sở Tỉnh ủy",
    ).meeting
    today = timezone.localdate()
    overdue = task_create(
        actor=province.leader.user,
        organization=province.committee,
        title="Tổng kết công tác dân vận",
        lead=province.commune_x,
        assigned_on=today - dt.timedelta(days=20),
        due_date=today - dt.timedelta(days=3),
    )
    secret_task = task_create(
        actor=province.leader.user,
        organization=province.committee,
        title="Việc mật",
        lead=province.commune_x,
        assigned_on=today - dt.timedelta(days=20),
        due_date=today - dt.timedelta(days=3),
        classification=Classification.MAT,
    )
    request = make_request(province)
    submission = row(request, province.commune_x)
    services.submission_save(
        actor=province.clerk_x.user,
        submission=submission,
        values={"dang_vien_moi": 3, "don_thu": 12},
        text={"Tình hình chung": "Tình hình ổn định, nhân dân phấn khởi."},
        submit=True,
    )
    return {
        "plain": plain,
        "urgent": urgent,
        "secret": secret,
        "meeting": meeting,
        "overdue": overdue,
        "secret_task": secret_task,
        "submission": submission,
    }


def _candidates(actor, product):
    found = {}
    for section in product.sections:
        for c in product_sources.candidates(actor, product, section):
            found.setdefault(c.source, []).append(c)
    return found


def test_candidates_come_from_what_the_composer_reads_and_never_a_secret(province, week_world):
    product = products.product_create(
        actor=province.specialist.user, template=_weekly(province), day=timezone.localdate()
    )
    found = _candidates(province.chief.user, product)
    incoming = {c.object_id: c for c in found[ItemSource.INCOMING]}
    assert set(incoming) == {week_world["plain"].pk, week_world["urgent"].pk}
    assert list(incoming)[0] == week_world["urgent"].pk and incoming[week_world["urgent"].pk].notable
    assert not incoming[week_world["plain"].pk].notable
    assert "Hỏa tốc" in incoming[week_world["urgent"].pk].text
    assert [c.object_id for c in found[ItemSource.MEETING]] == [week_world["meeting"].pk]
    assert [c.object_id for c in found[ItemSource.OVERDUE]] == [week_world["overdue"].pk]
    overdue = week_world["overdue"]
    overdue.refresh_from_db()  # due three days ago, moved to a working day when that was a day off
    late = (timezone.localdate() - overdue.effective_due).days
    assert late >= 1 and f"quá {late} ngày" in found[ItemSource.OVERDUE][0].text
    [report] = found[ItemSource.SUBMISSION]
    assert report.object_id == week_world["submission"].pk
    assert "Số đảng viên mới kết nạp: 3 người" in report.text and "nhân dân phấn khởi" in report.text
    # A commune's clerk reads none of the Tỉnh ủy's records.
    assert _candidates(province.clerk_x.user, product).get(ItemSource.INCOMING, []) == []


def _item(product, source, object_id, text="Dòng tin"):
    index = next(i for i, s in enumerate(product.sections) if s["source"] == source)
    return {"section": index, "source": source, "object_id": object_id, "text": text}


def test_composing_keeps_the_chosen_items_and_refuses_a_secret_one_by_id(province, week_world):
    product = products.product_create(
        actor=province.specialist.user, template=_weekly(province), day=timezone.localdate()
    )
    actor = province.chief.user  # reads the Tỉnh ủy's book (a specialist only what is assigned to them)
    with pytest.raises(ValidationError) as caught:
        products.product_save(
            actor=actor, product=product, items=[_item(product, "incoming", week_world["secret"].pk)]
        )
    assert "items" in caught.value.message_dict
    with pytest.raises(ValidationError):
        products.product_save(
            actor=actor, product=product, items=[_item(product, "overdue", week_world["secret_task"].pk)]
        )
    assert not product.items.exists()
    products.product_save(
        actor=actor,
        product=product,
        items=[
            {"section": 0, "source": "note", "text": "Tình hình chính trị ổn định."},
            _item(product, "incoming", week_world["urgent"].pk, "Công văn hỏa tốc về phòng chống bão"),
            _item(product, "overdue", week_world["overdue"].pk, "Xã X chưa tổng kết công tác dân vận"),
            {"section": 0, "source": "note", "text": "   "},
        ],
        intro="Mở đầu đã sửa.",
    )
    product.refresh_from_db()
    assert [i.text for i in product.items.all()] == [
        "Tình hình chính trị ổn định.",
        "Công văn hỏa tốc về phòng chống bão",
        "Xã X chưa tổng kết công tác dân vận",
    ]
    body = products.product_body(product)
    assert body.startswith("Mở đầu đã sửa.")
    assert "I. TÌNH HÌNH CHUNG" in body and "II. VĂN BẢN ĐẾN ĐÁNG CHÚ Ý TRONG TUẦN" in body
    assert "III. NHIỆM VỤ QUÁ HẠN CẦN ĐÔN ĐỐC" in body and "- Xã X chưa tổng kết" in body
    assert "CÁC CUỘC HỌP" not in body  # a section with nothing chosen has no heading


def test_an_item_of_another_section_is_refused(province, week_world):
    product = products.product_create(
        actor=province.chief.user, template=_weekly(province), day=timezone.localdate()
    )
    for items in (
        [{"section": 0, "source": "incoming", "object_id": week_world["plain"].pk, "text": "x"}],
        [{"section": 99, "text": "x"}],
        [{"section": "hai", "text": "x"}],
        [{"section": 2, "source": "incoming", "object_id": "abc", "text": "x"}],
    ):
        with pytest.raises(ValidationError):
            products.product_save(actor=province.chief.user, product=product, items=items)
    # The same record is accepted in its own section, its text taken from the candidate.
    products.product_save(
        actor=province.chief.user,
        product=product,
        items=[{"section": 2, "source": "incoming", "object_id": week_world["plain"].pk, "text": ""}],
    )
    assert product.items.get().text.startswith("101/SNV-VP")


def test_an_event_of_this_week_is_not_next_weeks_calendar(province):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    week = week_get_or_create(actor=province.chief.user, organization=province.committee, week_start=monday)
    start = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=2), dt.time(8)))
    event = event_add(actor=province.chief.user, week=week, start=start, title="Làm việc với xã An Phú")
    week_approve(actor=province.leader.user, week=week)
    template = products.template_save(
        actor=province.chief.user,
        organization=province.committee,
        kind="weekly",
        name="Hai lịch",
        title="Lịch {tuan}",
        sections=[
            {"heading": "Lịch tuần này", "source": "event"},
            {"heading": "Lịch tuần tới", "source": "event", "next": True},
        ],
    )
    product = products.product_create(actor=province.chief.user, template=template, day=today)
    item = {"source": "event", "object_id": event.pk, "text": ""}
    with pytest.raises(ValidationError) as caught:
        products.product_save(actor=province.chief.user, product=product, items=[{**item, "section": 1}])
    assert "Lịch tuần tới" in caught.value.messages[0]
    products.product_save(actor=province.chief.user, product=product, items=[{**item, "section": 0}])
    assert "Làm việc với xã An Phú" in product.items.get().text


def test_an_item_marked_secret_since_it_was_chosen_cannot_go_out(province, week_world):
    product = products.product_create(
        actor=province.chief.user, template=_weekly(province), day=timezone.localdate()
    )
    chosen = _item(product, "incoming", week_world["plain"].pk, "Tuyển dụng")
    products.product_save(actor=province.chief.user, product=product, items=[chosen])
    entry = week_world["plain"]
    RegisterEntry.objects.filter(pk=entry.pk).update(classification=Classification.MAT)
    with pytest.raises(ValidationError) as caught:
        products.product_save(actor=province.chief.user, product=product, items=[chosen])
    assert "độ mật" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        products.product_draft(actor=province.chief.user, product=product)
    product.refresh_from_db()
    assert product.document is None


def test_recipients_are_above_or_below_the_organisation(province):
    other = Organization(name="Tỉnh ủy Khác", short_name="Tỉnh ủy", abbreviation="TU")
    other.save()
    template = _weekly(province)
    product = products.product_create(actor=province.chief.user, template=template, day=timezone.localdate())
    for refused in (other, province.office, province.committee):
        with pytest.raises(ValidationError) as caught:
            products.product_save(actor=province.chief.user, product=product, items=[], recipients=[refused])
        assert "recipients" in caught.value.message_dict
    products.product_save(
        actor=province.chief.user, product=product, items=[], recipients=[province.centre, province.commune_y]
    )
    assert set(product.recipients.all()) == {province.centre, province.commune_y}
    with pytest.raises(ValidationError):
        products.template_save(
            actor=province.chief.user,
            template=template,
            organization=province.committee,
            kind="weekly",
            name=template.name,
            title=template.title,
            sections=template.sections,
            recipients=[other],
        )


def test_a_day_outside_the_years_is_refused_and_a_save_over_a_newer_one_too(province):
    template = _weekly(province)
    for day in (dt.date(9999, 12, 31), dt.date(1, 1, 1)):
        with pytest.raises(ValidationError) as caught:
            products.product_create(actor=province.chief.user, template=template, day=day)
        assert "day" in caught.value.message_dict
    product = products.product_create(actor=province.chief.user, template=template, day=timezone.localdate())
    seen = products.product_version(product)
    products.product_save(actor=province.chief.user, product=product, items=[], version=seen, intro="Một")
    with pytest.raises(products.ProductConflict):
        products.product_save(actor=province.chief.user, product=product, items=[], version=seen, intro="Hai")
    product.refresh_from_db()
    assert product.intro == "Một"


def test_a_template_used_by_a_product_keeps_its_kind(province):
    template = _weekly(province)
    products.product_create(actor=province.chief.user, template=template, day=timezone.localdate())
    with pytest.raises(ValidationError) as caught:
        products.template_save(
            actor=province.chief.user,
            template=template,
            organization=province.committee,
            kind="daily",
            name=template.name,
            title=template.title,
            sections=template.sections,
        )
    assert "kind" in caught.value.message_dict


def test_the_product_becomes_a_draft_outgoing_report_to_its_distribution_list(province, week_world):
    product = products.product_create(
        actor=province.chief.user, template=_weekly(province), day=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        products.product_draft(actor=province.chief.user, product=product)  # nothing chosen
    products.product_save(
        actor=province.chief.user,
        product=product,
        items=[_item(product, "meeting", week_world["meeting"].pk, "Thứ Hai: họp Ban Thường vụ")],
    )
    document = products.product_draft(actor=province.chief.user, product=product)
    product.refresh_from_db()
    assert product.document == document
    assert document.state == DocumentState.DRAFT and document.doc_type == "BC"
    assert document.organization == province.committee and document.subject == product.title
    assert {r.organization for r in document.recipients.all()} == {province.commune_x, province.commune_y}
    assert "họp Ban Thường vụ" in DraftVersion.objects.get(document=document).body
    assert products.product_state(product) == "in_flow"
    with pytest.raises(products.ProductConflict):
        products.product_save(actor=province.chief.user, product=product, items=[])
    with pytest.raises(products.ProductConflict):
        products.product_draft(actor=province.chief.user, product=product)
    assert AuditEvent.objects.filter(action="report.product_draft").count() == 1


def test_products_are_read_by_the_committee_side_only(province):
    product = products.product_create(
        actor=province.specialist.user, template=_weekly(province), day=timezone.localdate()
    )
    assert product_sources.products_visible_to(province.leader.user).filter(pk=product.pk).exists()
    assert product_sources.products_visible_to(province.chief.user).filter(pk=product.pk).exists()
    assert not product_sources.products_visible_to(province.clerk_x.user).filter(pk=product.pk).exists()
    assert InfoProduct.objects.filter(pk=product.pk).exists()
