"""The demo Văn phòng Tỉnh ủy's information products, made through the services as the office
would: the three usual templates; last week's bulletin composed from the week's records,
signed by the Phó Bí thư Thường trực and issued today (the communes find it in their incoming
book); yesterday's daily report waiting for his signature; this week's bulletin and
today's daily report being composed (the office's home shows them).

Runs after the documents, the meetings, the calendar and the reports: it draws on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from vanphong.documents.models import ReviewDecision, ReviewKind
from vanphong.documents.services.outgoing import outgoing_issue, outgoing_review_decide, outgoing_submit
from vanphong.orgs.models import Organization, Person
from vanphong.reporting import product_sources, products
from vanphong.reporting.models import InfoProduct, ItemSource, ProductKind, ProductTemplate

# How many candidates of each source a demo product takes (the notable ones first).
TAKE = {
    ItemSource.INCOMING: 4,
    ItemSource.MEETING: 5,
    ItemSource.EVENT: 8,
    ItemSource.SUBMISSION: 3,
    ItemSource.OVERDUE: 4,
}
NOTES = {
    "Tình hình chung": "Tình hình chính trị, trật tự an toàn xã hội trên địa bàn tỉnh ổn định; các cấp ủy "
    "tập trung triển khai nhiệm vụ trọng tâm cuối năm.",
    "Đề xuất, kiến nghị": "Đề nghị Thường trực Tỉnh ủy chỉ đạo các ban đảng đẩy nhanh tiến độ các nhiệm vụ "
    "quá hạn nêu trên.",
}


def _user(username: str) -> Any:
    return Person.objects.select_related("user").get(user__username=username).user


def _compose(actor: Any, product: InfoProduct) -> None:
    items: list[dict[str, Any]] = []
    for index, section in enumerate(product.sections):
        source = section.get("source")
        if source == ItemSource.NOTE:
            if text := NOTES.get(section.get("heading", "")):
                items.append({"section": index, "source": ItemSource.NOTE, "text": text})
            continue
        for candidate in product_sources.candidates(actor, product, section)[: TAKE.get(source, 3)]:
            items.append(
                {"section": index, "source": source, "object_id": candidate.object_id, "text": candidate.text}
            )
    products.product_save(actor=actor, product=product, items=items)


def _make(actor: Any, template: ProductTemplate, day: dt.date) -> InfoProduct:
    product = products.product_create(actor=actor, template=template, day=day)
    _compose(actor, product)
    return product


def seed_products(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    tinhuy = Organization.objects.get(slug="tinhuy")
    chief_user = _user("chanhvp")
    signer_user = _user("thuongtruc")  # the Phó Bí thư Thường trực signs for the Ban Thường vụ
    signer = signer_user.person
    clerk = _user("vanthu")
    products.templates_ensure_defaults(actor=chief_user, organization=tinhuy)
    templates = {t.kind: t for t in ProductTemplate.objects.filter(organization=tinhuy)}
    counts = {"templates": len(templates), "issued": 0, "in_flow": 0, "composing": 0}

    def send(product: InfoProduct, *, issue: bool) -> None:
        document = products.product_draft(actor=chief_user, product=product, signer=signer)
        [step] = outgoing_submit(
            actor=chief_user,
            document=document,
            steps=[{"stage": 1, "kind": ReviewKind.SIGN, "reviewer": signer}],
        )
        if issue:
            outgoing_review_decide(actor=signer_user, step=step, decision=ReviewDecision.APPROVED)
            outgoing_issue(actor=clerk, document=document)
            counts["issued"] += 1
        else:
            counts["in_flow"] += 1

    send(_make(chief_user, templates[ProductKind.WEEKLY], today - dt.timedelta(days=7)), issue=True)
    send(_make(chief_user, templates[ProductKind.DAILY], today - dt.timedelta(days=1)), issue=False)
    for kind, day in ((ProductKind.WEEKLY, today), (ProductKind.DAILY, today), (ProductKind.THEMATIC, today)):
        if not InfoProduct.objects.filter(
            template=templates[kind], period_start=products.period_for(kind, day)[0]
        ):
            _make(chief_user, templates[kind], day)
            counts["composing"] += 1
    return counts


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['templates']} mẫu sản phẩm thông tin, {counts['issued']} bản tin đã phát hành, "
        f"{counts['in_flow']} đang trình ký, {counts['composing']} đang biên tập"
    )
