"""The home page's group of the information products (registered in ``core.pending`` when the
app is ready): for the Văn phòng's people, the products of their committee still being
composed, the nearest span first."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.reporting.models import InfoProduct


@pending.register("reporting.products")
def pending_products(user: Actor) -> pending.PendingGroup | None:
    """Products not yet moved into the outgoing flow, of the organisations the reader writes
    for — asked only of people of an office (a Văn phòng composes for its committee)."""
    scope = scope_for(user)
    if not any(grant.via_office for grant in scope.grants):
        return None  # not an office's: no query at all (the scope is the request's)
    products = (
        InfoProduct.objects.filter(
            scope.org_q(Capability.WRITE, prefix="organization__"), document__isnull=True
        )
        .only("pk", "title")
        .order_by("-period_end", "-id")
    )
    first, total = first_with_total(products)
    items = tuple((Truncator(p.title).chars(90), reverse("reporting:product", args=[p.pk])) for p in first)
    return pending.PendingGroup(
        "reporting.products",
        "Sản phẩm thông tin đang biên tập",
        total,
        reverse("reporting:product_list"),
        items,
    )
