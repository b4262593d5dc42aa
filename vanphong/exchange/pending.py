"""The home page's group of the exchange (registered in ``core.pending`` when the app is
ready): for the văn thư, the deliveries to other systems that failed (a package waiting to be
registered is already in the arrivals queue). A reader keeping no books costs no query."""

from __future__ import annotations

from django.urls import reverse

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.exchange.models import Delivery, DeliveryState
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor


def _label(delivery: Delivery) -> str:
    package = delivery.package
    what = package.document.symbol if package.document is not None and package.document.symbol else ""
    what = what or package.get_kind_display()
    where = (
        delivery.recipient.short_name or delivery.recipient.name if delivery.recipient else delivery.peer.name
    )
    return f"{what} → {where}: {delivery.last_error[:80] or 'không gửi được'}"


@pending.register("exchange.failed")
def pending_failed(user: Actor) -> pending.PendingGroup | None:
    scope = scope_for(user)
    if not scope.grants_for(Capability.REGISTER):
        return None
    qs = (
        Delivery.objects.filter(scope.org_q(Capability.REGISTER, prefix="package__organization__"))
        .filter(state=DeliveryState.FAILED)
        .select_related("package", "package__document", "recipient", "peer")
        .order_by("-created_at", "-pk")
    )
    rows, total = first_with_total(qs)
    return pending.PendingGroup(
        "exchange.failed",
        "Gửi liên thông không thành công",
        total,
        reverse("exchange:status") + "?tinh_trang=failed",
        tuple((_label(d), reverse("exchange:package_detail", args=[d.package_id])) for d in rows),
    )
