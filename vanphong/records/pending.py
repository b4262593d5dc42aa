"""The home page's groups of the records and the archive (registered in ``core.pending`` when
the app is ready):

* the records the reader is making (open, they opened or make them);
* for the archive's keepers (REGISTER): closed records owing a transfer, the overdue first,
  and loans past their return date;
* for the leaders who approve them (DIRECT, DIRECT_ROUTINE): requests to read or borrow.

A reader holding none of these capabilities costs no query."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.records.models import ArchiveRequest, Record, RecordState, RequestMode, RequestState
from vanphong.records.selectors import record_visibility_q
from vanphong.records.services import DIRECTING


def _record_item(record: Record, label: str) -> tuple[str, str]:
    return label, reverse("records:record_detail", args=[record.pk])


def _names_only_seen(user: Actor) -> Q:
    """Requests naming a record the reader does not see are not shown at all."""
    return ~Q(Exists(Record.objects.filter(requests=OuterRef("pk")).exclude(record_visibility_q(user))))


@pending.register("records.making")
def pending_making(user: Actor) -> pending.PendingGroup | None:
    scope = scope_for(user)
    if scope.person_id is None or not scope.grants_for(Capability.WRITE):
        return None
    qs = (
        Record.objects.filter(scope.org_q(Capability.WRITE, prefix="organization__"))
        .filter(Q(creator_id=scope.person_id) | Q(created_by_id=scope.person_id), state=RecordState.OPEN)
        .filter(record_visibility_q(user))
        .only("pk", "code", "year", "title")
        .order_by("start_date", "pk")
    )
    rows, total = first_with_total(qs)
    return pending.PendingGroup(
        "records.making",
        "Hồ sơ đồng chí đang lập",
        total,
        reverse("records:record_list") + "?tinh_trang=open&cua_toi=1",
        tuple(_record_item(r, f"{r.code}/{r.year} — {r.title[:80]}") for r in rows),
    )


@pending.register("records.transfer_due")
def pending_transfer_due(user: Actor) -> pending.PendingGroup | None:
    scope = scope_for(user)
    if not scope.grants_for(Capability.REGISTER):
        return None
    qs = (
        Record.objects.filter(scope.org_q(Capability.REGISTER, prefix="organization__"))
        .filter(
            state=RecordState.CLOSED,
            transfer__isnull=True,
            transfer_due__isnull=False,
        )
        .filter(record_visibility_q(user))
        .only("pk", "code", "year", "transfer_due")
        .order_by("transfer_due", "pk")
    )
    rows, total = first_with_total(qs)
    today = timezone.localdate()

    def label(record: Record) -> str:
        due = record.transfer_due
        assert due is not None
        late = " (quá hạn)" if due < today else ""
        return f"Hồ sơ {record.code}/{record.year} — hạn nộp lưu {due:%d/%m/%Y}{late}"

    return pending.PendingGroup(
        "records.transfer_due",
        "Hồ sơ đến hạn nộp lưu",
        total,
        reverse("records:transfer_list"),
        tuple(_record_item(r, label(r)) for r in rows),
    )


@pending.register("records.loans_late")
def pending_loans_late(user: Actor) -> pending.PendingGroup | None:
    scope = scope_for(user)
    if not scope.grants_for(Capability.REGISTER):
        return None
    today = timezone.localdate()
    qs = (
        ArchiveRequest.objects.filter(scope.org_q(Capability.REGISTER, prefix="organization__"))
        .filter(state=RequestState.APPROVED, mode=RequestMode.BORROW, return_due__lt=today)
        .filter(_names_only_seen(user))
        .select_related("requester")
        .only("pk", "return_due", "requester__full_name")
        .order_by("return_due", "pk")
    )
    rows, total = first_with_total(qs)
    url = reverse("records:request_list")
    return pending.PendingGroup(
        "records.loans_late",
        "Hồ sơ cho mượn quá hạn trả",
        total,
        url,
        tuple(
            (
                f"Phiếu #{r.pk} — {r.requester.full_name}, hạn trả {r.return_due:%d/%m/%Y}",
                f"{url}#phieu-{r.pk}",
            )
            for r in rows
        ),
    )


@pending.register("records.requests")
def pending_requests(user: Actor) -> pending.PendingGroup | None:
    scope = scope_for(user)
    if not any(set(DIRECTING) & grant.capabilities for grant in scope.grants):
        return None
    where = Q()
    for capability in DIRECTING:
        where |= scope.org_q(capability, prefix="organization__")
    qs = (
        ArchiveRequest.objects.filter(where, _names_only_seen(user), state=RequestState.PENDING)
        .select_related("requester")
        .only("pk", "mode", "requester__full_name")
        .order_by("created_at", "pk")
    )
    rows, total = first_with_total(qs)
    url = reverse("records:request_list")
    return pending.PendingGroup(
        "records.requests",
        "Phiếu khai thác hồ sơ chờ duyệt",
        total,
        url,
        tuple(
            (
                f"Phiếu #{r.pk} — {r.requester.full_name} ({r.get_mode_display().lower()})",
                f"{url}#phieu-{r.pk}",
            )
            for r in rows
        ),
    )
