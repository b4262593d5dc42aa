"""Information products for the leaders: the daily report, the weekly bulletin (bản tin tuần)
and the mid-month thematic report, composed by the Văn phòng from chosen items and issued
through the outgoing flow.

A template (``ProductTemplate``, edited by the office: ``template_save``) says how one kind is
composed: its title, opening and closing text, its sections — each a heading and the source
its candidates come from (``product_sources``) — the document type and the usual distribution
list. ``product_create`` starts a product for a span of days from a template (copying what it
needs, so that editing the template never changes it); ``product_save`` keeps the chosen
items and the editor's text; ``product_draft`` turns it into a draft outgoing document of the
committee (``outgoing_draft_create``) addressed to the distribution list, which the outgoing
flow then reviews, approves, numbers, signs and issues like any other — its .docx is the
official layout's (``documents.docx_render``). From then on the product is read-only: the
draft's versions carry any further edit."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.template.loader import render_to_string

from vanphong.audit.services import audit_record
from vanphong.core.vndate import format_vn_date
from vanphong.documents.models import Document, DocumentState
from vanphong.documents.services.outgoing import outgoing_draft_create
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Organization, Person
from vanphong.reporting import product_sources
from vanphong.reporting.models import InfoProduct, ItemSource, ProductItem, ProductKind, ProductTemplate

MAX_NAME = 200
MAX_TITLE = 500
MAX_HEADING = 300
MAX_SECTIONS = 20
MAX_TEXT = 20_000
MAX_ITEM_TEXT = 5_000
MAX_ITEMS = 300
MAX_RECIPIENTS = 200
DOC_TYPES = {"BC": "Báo cáo", "TB": "Thông báo"}
ROMAN: tuple[str, ...] = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
ROMAN += ("XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")

# The words a template's title may use; anything else in braces is refused.
TITLE_FIELDS = {
    "ngay": "the day (the last day of the span): 07/12/2026",
    "tu_ngay": "the first day: 30/11/2026",
    "den_ngay": "the last day: 06/12/2026",
    "tuan": "the ISO week and year: 49/2026",
    "thang": "the month and year: 12/2026",
    "nam": "the year: 2026",
}
_FIELD = re.compile(r"\{([^{}]*)\}")

DEFAULTS: dict[str, dict[str, Any]] = {
    ProductKind.DAILY: {
        "name": "Báo cáo nhanh hằng ngày",
        "title": "Báo cáo tình hình ngày {ngay}",
        "intro": "Văn phòng báo cáo Thường trực tình hình nổi bật trong ngày {ngay} như sau:",
        "sections": [
            {"heading": "Văn bản đến đáng chú ý", "source": ItemSource.INCOMING},
            {"heading": "Hoạt động, cuộc họp trong ngày", "source": ItemSource.MEETING},
            {"heading": "Báo cáo của các cấp ủy trực thuộc", "source": ItemSource.SUBMISSION},
            {"heading": "Nhiệm vụ quá hạn cần đôn đốc", "source": ItemSource.OVERDUE},
            {"heading": "Đề xuất, kiến nghị", "source": ItemSource.NOTE},
        ],
        "closing": "Văn phòng kính báo cáo.",
    },
    ProductKind.WEEKLY: {
        "name": "Bản tin tuần",
        "title": "Bản tin tuần {tuan} (từ {tu_ngay} đến {den_ngay})",
        "intro": "Văn phòng tổng hợp tình hình nổi bật trong tuần từ {tu_ngay} đến {den_ngay}:",
        "sections": [
            {"heading": "Tình hình chung", "source": ItemSource.NOTE},
            {"heading": "Báo cáo của các cấp ủy trực thuộc", "source": ItemSource.SUBMISSION},
            {"heading": "Văn bản đến đáng chú ý trong tuần", "source": ItemSource.INCOMING},
            {"heading": "Các cuộc họp trong tuần", "source": ItemSource.MEETING},
            {"heading": "Nhiệm vụ quá hạn cần đôn đốc", "source": ItemSource.OVERDUE},
            {"heading": "Lịch công tác tuần tới", "source": ItemSource.EVENT, "next": True},
        ],
        "closing": "Văn phòng kính báo cáo.",
    },
    ProductKind.THEMATIC: {
        "name": "Báo cáo chuyên đề giữa tháng",
        "title": "Báo cáo chuyên đề nửa đầu tháng {thang}",
        "intro": "Văn phòng báo cáo chuyên đề tình hình nửa đầu tháng {thang} như sau:",
        "sections": [
            {"heading": "Tình hình chung", "source": ItemSource.NOTE},
            {"heading": "Báo cáo của các cấp ủy trực thuộc", "source": ItemSource.SUBMISSION},
            {"heading": "Văn bản đến liên quan", "source": ItemSource.INCOMING},
            {"heading": "Nhiệm vụ quá hạn", "source": ItemSource.OVERDUE},
            {"heading": "Đề xuất, kiến nghị", "source": ItemSource.NOTE},
        ],
        "closing": "Văn phòng kính báo cáo.",
    },
}


class ProductConflict(ValidationError):
    """The product exists already, or has moved on to the outgoing flow (the API's 409)."""


# --- Spans and titles -------------------------------------------------------------------------


FIRST_YEAR, LAST_YEAR = 2000, 2100


def period_for(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The days a product of ``kind`` made for ``day`` covers: that day; the ISO week
    (Monday–Sunday) holding it; the first half (1st–15th) of its month."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError({"day": [f"Ngày phải trong khoảng năm {FIRST_YEAR}–{LAST_YEAR}."]})
    if kind == ProductKind.DAILY:
        return day, day
    if kind == ProductKind.WEEKLY:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if kind == ProductKind.THEMATIC:
        return day.replace(day=1), day.replace(day=15)
    raise ValidationError({"kind": ["Loại sản phẩm thông tin không hợp lệ."]})


def fill(text: str, start: dt.date, end: dt.date) -> str:
    """``text`` with its fields ({ngay}, {tuan}, …) replaced by the span's values. The month
    and year are those of the span's middle day: for a week, its Thursday, whose year is the
    ISO week's (28/12/2026–03/01/2027 is week 53 of 2026, in December 2026)."""
    iso = start.isocalendar()
    middle = start + (end - start) / 2
    values = {
        "ngay": format_vn_date(end),
        "tu_ngay": format_vn_date(start),
        "den_ngay": format_vn_date(end),
        "tuan": f"{iso.week:02d}/{iso.year}",
        "thang": f"{middle.month:02d}/{middle.year}",
        "nam": str(middle.year),
    }
    return _FIELD.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


def _bad_fields(text: str) -> list[str]:
    return sorted({m.group(1) for m in _FIELD.finditer(text) if m.group(1).strip() not in TITLE_FIELDS})


# --- Templates --------------------------------------------------------------------------------


def may_compose(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.WRITE, organization)


def _require_office(actor: Actor, organization: Organization) -> None:
    if not may_compose(actor, organization):
        raise PermissionDenied("Chỉ Văn phòng của cấp ủy mới soạn được sản phẩm thông tin của cấp ủy.")


def _clean(text: Any, limit: int, field: str, label: str, errors: dict[str, list[str]]) -> str:
    value = unicodedata.normalize("NFC", str(text or "")).replace("\r\n", "\n").strip()
    if len(value) > limit:
        errors.setdefault(field, []).append(f"{label} dài quá {limit} ký tự (hiện có {len(value)}).")
    return value


def _clean_sections(raw: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        errors.setdefault("sections", []).append("Mẫu cần ít nhất một mục.")
        return []
    if len(raw) > MAX_SECTIONS:
        errors.setdefault("sections", []).append(f"Mẫu có nhiều nhất {MAX_SECTIONS} mục.")
        return []
    sections = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            errors.setdefault("sections", []).append(f"Mục {n} không hợp lệ.")
            continue
        heading = " ".join(str(item.get("heading") or "").split())
        source = str(item.get("source") or "")
        if not heading:
            errors.setdefault("sections", []).append(f"Mục {n} cần có tiêu đề.")
        elif len(heading) > MAX_HEADING:
            errors.setdefault("sections", []).append(f"Tiêu đề mục {n} dài quá {MAX_HEADING} ký tự.")
        if source not in ItemSource.values:
            errors.setdefault("sections", []).append(
                f"Nguồn tin của mục {n} phải là một trong: "
                + ", ".join(str(label) for label in ItemSource.labels)
                + "."
            )
        section: dict[str, Any] = {"heading": heading, "source": source}
        if item.get("next") and source == ItemSource.EVENT:
            section["next"] = True
        sections.append(section)
    return sections


def _clean_recipients(
    organization: Organization, recipients: Iterable[Organization], errors: dict[str, list[str]]
) -> list[Organization]:
    """The distribution list: organisations above or below ``organization``
    (``product_sources.distribution_choices``), each once."""
    found: list[Organization] = []
    recipients = list(recipients)
    allowed = set(
        product_sources.distribution_choices(organization)
        .filter(pk__in=[o.pk for o in recipients])
        .values_list("pk", flat=True)
    )
    for org in recipients:
        if org.pk == organization.pk:
            errors.setdefault("recipients", []).append("Nơi nhận không thể là chính cơ quan ban hành.")
        elif not org.active:
            errors.setdefault("recipients", []).append(f"{org.name} không còn hoạt động.")
        elif org.pk not in allowed:
            errors.setdefault("recipients", []).append(
                f"{org.name} không phải cơ quan cấp trên hay cấp dưới của {organization.name}."
            )
        elif org not in found:
            found.append(org)
    if len(found) > MAX_RECIPIENTS:
        errors.setdefault("recipients", []).append(f"Danh sách nơi nhận có nhiều nhất {MAX_RECIPIENTS} nơi.")
    return found


def template_save(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    name: str,
    title: str,
    sections: Any,
    intro: str = "",
    closing: str = "",
    doc_type: str = "BC",
    recipients: Iterable[Organization] = (),
    active: bool = True,
    template: ProductTemplate | None = None,
) -> ProductTemplate:
    """Create a template of ``organization`` (``template`` None) or change one. A product
    already made keeps what it copied."""
    if template is not None:
        organization = template.organization
    _require_office(actor, organization)
    errors: dict[str, list[str]] = {}
    if kind not in ProductKind.values:
        errors.setdefault("kind", []).append("Loại sản phẩm thông tin không hợp lệ.")
    name = _clean(name, MAX_NAME, "name", "Tên mẫu", errors)
    if not name:
        errors.setdefault("name", []).append("Cần đặt tên mẫu.")
    title = _clean(title, MAX_TITLE, "title", "Tiêu đề", errors)
    if not title:
        errors.setdefault("title", []).append("Cần ghi tiêu đề.")
    intro = _clean(intro, MAX_TEXT, "intro", "Phần mở đầu", errors)
    closing = _clean(closing, MAX_TEXT, "closing", "Phần kết", errors)
    for field, text in (("title", title), ("intro", intro), ("closing", closing)):
        if bad := _bad_fields(text):
            errors.setdefault(field, []).append(
                f"Không có trường {', '.join('{' + b + '}' for b in bad)}; dùng được: "
                + ", ".join("{" + f + "}" for f in TITLE_FIELDS)
                + "."
            )
    if doc_type not in DOC_TYPES:
        errors.setdefault("doc_type", []).append(
            "Loại văn bản của sản phẩm thông tin là Báo cáo hoặc Thông báo."
        )
    clean_sections = _clean_sections(sections, errors)
    people = _clean_recipients(organization, recipients, errors)
    duplicate = ProductTemplate.objects.filter(organization=organization, kind=kind, name=name)
    if template is not None:
        duplicate = duplicate.exclude(pk=template.pk)
    if name and duplicate.exists():
        errors.setdefault("name", []).append("Đã có mẫu cùng tên cho loại sản phẩm này.")
    if template is not None and kind != template.kind and template.products.exists():
        errors.setdefault("kind", []).append(
            "Mẫu đã dùng để tạo sản phẩm thì không đổi loại được; hãy thêm mẫu mới."
        )
    if errors:
        raise ValidationError(errors)
    person = acting_person(actor)
    try:
        return _template_write(
            actor,
            person,
            organization,
            template,
            kind,
            name,
            title,
            intro,
            closing,
            doc_type,
            clean_sections,
            people,
            active,
        )
    except IntegrityError:
        raise ValidationError({"name": ["Đã có mẫu cùng tên cho loại sản phẩm này."]}) from None


def _template_write(
    actor: Actor,
    person: Person,
    organization: Organization,
    template: ProductTemplate | None,
    kind: str,
    name: str,
    title: str,
    intro: str,
    closing: str,
    doc_type: str,
    clean_sections: list[dict[str, Any]],
    people: list[Organization],
    active: bool,
) -> ProductTemplate:
    with transaction.atomic():
        before = None
        if template is None:
            template = ProductTemplate(organization=organization)
        else:
            template = ProductTemplate.objects.select_for_update().get(pk=template.pk)
            before = {"name": template.name, "title": template.title, "sections": template.sections}
        template.kind = kind
        template.name = name
        template.title = title
        template.intro = intro
        template.closing = closing
        template.doc_type = doc_type
        template.sections = clean_sections
        template.active = bool(active)
        template.updated_by = person
        template.save()
        template.recipients.set(people)
        audit_record(
            actor=actor,
            action="report.template_save",
            target=template,
            organization_id=organization.pk,
            before=before,
            after={
                "name": name,
                "title": title,
                "sections": clean_sections,
                "recipients": [o.pk for o in people],
            },
        )
    return template


def templates_ensure_defaults(*, actor: Actor, organization: Organization) -> list[ProductTemplate]:
    """The three usual templates of ``organization`` (daily, weekly, thematic), made if it
    has none of that kind yet, sent to the organisations directly below it."""
    _require_office(actor, organization)
    below = list(organization.children.filter(active=True, is_office=False).order_by("path"))
    made = []
    for kind, spec in DEFAULTS.items():
        if ProductTemplate.objects.filter(organization=organization, kind=kind).exists():
            continue
        made.append(
            template_save(actor=actor, organization=organization, kind=kind, recipients=below, **spec)
        )
    return made


# --- Products ---------------------------------------------------------------------------------


def product_state(product: InfoProduct) -> str:
    """``composing`` (no draft yet), ``in_flow`` (its outgoing draft is being reviewed,
    approved or signed) or ``issued``."""
    if product.document_id is None:
        return "composing"
    assert product.document is not None
    return "issued" if product.document.state == DocumentState.ISSUED else "in_flow"


class ProductState(TextChoices):
    COMPOSING = "composing", "Đang biên tập"
    IN_FLOW = "in_flow", "Đang trình duyệt, phát hành"
    ISSUED = "issued", "Đã phát hành"


STATE_LABELS = dict(ProductState.choices)


def product_create(*, actor: Actor, template: ProductTemplate, day: dt.date) -> InfoProduct:
    """A product from ``template`` for the span holding ``day`` (one per template and span)."""
    _require_office(actor, template.organization)
    if not template.active:
        raise ValidationError({"template": ["Mẫu này đã ngừng dùng."]})
    start, end = period_for(template.kind, day)
    exists = ProductConflict({"day": [f"Đã có “{fill(template.title, start, end)}”."]})
    with transaction.atomic():
        ProductTemplate.objects.select_for_update().filter(pk=template.pk).first()
        if InfoProduct.objects.filter(template=template, period_start=start).exists():
            raise exists
        try:
            with transaction.atomic():
                product = _product_row(actor, template, start, end)
        except IntegrityError:
            raise exists from None
        product.recipients.set(template.recipients.all())
        audit_record(
            actor=actor,
            action="report.product_create",
            target=product,
            organization_id=product.organization_id,
            after={"template": template.pk, "from": start.isoformat(), "to": end.isoformat()},
        )
    return product


def _product_row(actor: Actor, template: ProductTemplate, start: dt.date, end: dt.date) -> InfoProduct:
    return InfoProduct.objects.create(
        organization=template.organization,
        template=template,
        kind=template.kind,
        period_start=start,
        period_end=end,
        title=fill(template.title, start, end)[:MAX_TITLE],
        doc_type=template.doc_type,
        intro=fill(template.intro, start, end),
        closing=fill(template.closing, start, end),
        sections=template.sections,
        created_by=acting_person(actor),
    )


def _clean_items(
    actor: Actor, product: InfoProduct, raw: Iterable[Mapping[str, Any]], errors: dict[str, list[str]]
) -> list[ProductItem]:
    """The items as rows. An item drawn from a record must be a candidate of its own section
    for ``actor`` (its text, when none is given, is the candidate's); one kept from before (the
    same source, record and section) stays even if it no longer is — a task completed since —
    unless it has been marked secret since."""
    items: list[ProductItem] = []
    kept = set(product.items.exclude(object_id=None).values_list("section", "source", "object_id"))
    wanted: dict[int, set[int]] = {}  # section -> ids to check
    seen: set[tuple[str, int]] = set()
    for n, item in enumerate(raw, start=1):
        try:
            section = int(item.get("section"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            section = -1
        if not 0 <= section < len(product.sections):
            errors.setdefault("items", []).append(f"Mục tin {n}: không có mục này trong sản phẩm.")
            continue
        source = str(item.get("source") or ItemSource.NOTE)
        allowed = {product.sections[section].get("source"), ItemSource.NOTE}
        if source not in allowed:
            errors.setdefault("items", []).append(f"Mục tin {n}: nguồn tin không thuộc mục này.")
            continue
        object_id: int | None = None
        if source != ItemSource.NOTE:
            try:
                object_id = int(item.get("object_id"))  # type: ignore[arg-type]
                if object_id <= 0:
                    raise ValueError(object_id)
            except (TypeError, ValueError):
                errors.setdefault("items", []).append(f"Mục tin {n}: thiếu hoặc sai mã của tin được chọn.")
                continue
            if (source, object_id) in seen:
                continue
            seen.add((source, object_id))
            if (section, source, object_id) not in kept:
                wanted.setdefault(section, set()).add(object_id)
        text = _clean(item.get("text"), MAX_ITEM_TEXT, "items", f"Mục tin {n}", errors)
        if not text and object_id is None:
            continue  # an empty note is no line
        items.append(ProductItem(section=section, order=n, source=source, object_id=object_id, text=text))
    texts: dict[tuple[int, int], str] = {}
    for section, ids in wanted.items():
        found = product_sources.section_candidates(actor, product, section, ids)
        texts.update({(section, i): t for i, t in found.items()})
        if refused := ids - set(found):
            label = product.sections[section].get("heading", "")
            errors.setdefault("items", []).append(
                f"Không đưa được {len(refused)} tin vào mục “{label}”: không có trong khoảng thời gian của "
                "mục, có độ mật hoặc bạn không được xem."
            )
    for row in items:
        if not row.text and row.object_id is not None:
            row.text = texts.get((row.section, row.object_id), "")
            if not row.text:
                errors.setdefault("items", []).append("Một mục tin đã chọn không có nội dung.")
    _refuse_classified(items, errors)
    if len(items) > MAX_ITEMS:
        errors.setdefault("items", []).append(f"Một sản phẩm có nhiều nhất {MAX_ITEMS} mục tin.")
    return items


def _refuse_classified(items: Iterable[ProductItem], errors: dict[str, list[str]]) -> None:
    by_source: dict[str, set[int]] = {}
    for row in items:
        if row.object_id is not None:
            by_source.setdefault(row.source, set()).add(row.object_id)
    secret = sum(len(product_sources.classified_ids(source, ids)) for source, ids in by_source.items())
    if secret:
        errors.setdefault("items", []).append(
            f"{secret} tin đã chọn nay có độ mật: bỏ ra khỏi sản phẩm trước khi lưu hoặc chuyển dự thảo."
        )


def product_version(product: InfoProduct) -> str:
    return product.updated_at.isoformat()


def _locked_composing(product: InfoProduct) -> InfoProduct:
    locked = InfoProduct.objects.select_for_update().get(pk=product.pk)
    if locked.document_id is not None:
        raise ProductConflict(
            {"product": ["Sản phẩm đã chuyển thành dự thảo văn bản đi; sửa tiếp trong dự thảo đó."]}
        )
    return locked


def product_save(
    *,
    actor: Actor,
    product: InfoProduct,
    items: Iterable[Mapping[str, Any]],
    title: str | None = None,
    intro: str | None = None,
    closing: str | None = None,
    recipients: Iterable[Organization] | None = None,
    version: str | None = None,
) -> InfoProduct:
    """Keep the chosen items (in the order given) and the editor's text (``_clean_items``).
    ``version`` — the ``updated_at`` the editor's page was drawn from — refuses a save over
    another editor's newer one instead of silently overwriting it."""
    _require_office(actor, product.organization)
    errors: dict[str, list[str]] = {}
    if title is not None:
        title = _clean(title, MAX_TITLE, "title", "Tiêu đề", errors)
        if not title:
            errors.setdefault("title", []).append("Cần ghi tiêu đề.")
    if intro is not None:
        intro = _clean(intro, MAX_TEXT, "intro", "Phần mở đầu", errors)
    if closing is not None:
        closing = _clean(closing, MAX_TEXT, "closing", "Phần kết", errors)
    people = _clean_recipients(product.organization, recipients, errors) if recipients is not None else None
    rows = _clean_items(actor, product, list(items), errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_composing(product)
        if version is not None and version != product_version(locked):
            raise ProductConflict(
                {
                    "product": [
                        "Người khác vừa lưu sản phẩm này: mở lại trang để xem bản mới nhất rồi sửa tiếp."
                    ]
                }
            )
        if title is not None:
            locked.title = title
        if intro is not None:
            locked.intro = intro
        if closing is not None:
            locked.closing = closing
        locked.save()
        if people is not None:
            locked.recipients.set(people)
        locked.items.all().delete()
        for row in rows:
            row.product = locked
        ProductItem.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="report.product_save",
            target=locked,
            organization_id=locked.organization_id,
            after={"items": len(rows), "title": locked.title},
        )
    return locked


def product_body(product: InfoProduct) -> str:
    """The text of the product as its outgoing document's body: the opening, then each
    section with a Roman numeral and its items, then the closing."""
    items = list(product.items.all())
    sections: list[dict[str, Any]] = []
    for index, section in enumerate(product.sections):
        lines = [" ".join(item.text.split()) for item in items if item.section == index]
        if lines:  # a section with nothing chosen has no heading either
            numeral = ROMAN[len(sections)] if len(sections) < len(ROMAN) else str(len(sections) + 1)
            sections.append({"numeral": numeral, "heading": section.get("heading", ""), "lines": lines})
    return render_to_string("reporting/product_body.txt", {"product": product, "sections": sections}).strip()


def product_draft(*, actor: Actor, product: InfoProduct, signer: Person | None = None) -> Document:
    """The product as a draft outgoing document of its organisation addressed to its
    distribution list; the outgoing flow takes it from there."""
    _require_office(actor, product.organization)
    with transaction.atomic():
        locked = _locked_composing(product)
        items = list(locked.items.all())
        errors: dict[str, list[str]] = {}
        if not items:
            errors["items"] = ["Chọn ít nhất một mục tin trước khi chuyển thành dự thảo."]
        if not locked.recipients.exists():
            errors["recipients"] = ["Chọn nơi nhận sản phẩm thông tin."]
        _refuse_classified(items, errors)
        if errors:
            raise ValidationError(errors)
        document = outgoing_draft_create(
            actor=actor,
            organization=locked.organization,
            doc_type=locked.doc_type,
            subject=locked.title,
            signer=signer,
            body=product_body(locked),
            recipients=[(org, "để biết") for org in locked.recipients.order_by("path")],
        )
        locked.document = document
        locked.save(update_fields=["document", "updated_at"])
        audit_record(
            actor=actor,
            action="report.product_draft",
            target=locked,
            organization_id=locked.organization_id,
            after={"document": document.pk},
        )
    return document


__all__ = [
    "DEFAULTS",
    "ProductConflict",
    "STATE_LABELS",
    "fill",
    "may_compose",
    "period_for",
    "product_body",
    "product_create",
    "product_draft",
    "product_save",
    "product_state",
    "product_version",
    "template_save",
    "templates_ensure_defaults",
]
