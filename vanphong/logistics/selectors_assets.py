"""Reading the asset register (tài sản), with access in SQL.

Who sees an asset (and its transfers, repairs and stock-takes): the people who READ its
organisation; the people of the committee's Văn phòng who keep the assets (WRITE or DIRECT in
the office) for the assets of the office, of its committee and of the committee's agencies
(organisations whose parent is the committee); and the person holding it. Everyone else gets
404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from vanphong.logistics import depreciation
from vanphong.logistics.models import Asset, AssetState, StockTake, StockTakeLine
from vanphong.logistics.selectors import pool_for
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization, OrgKind

__all__ = [
    "AssetRow",
    "AssetTable",
    "assets_to_count",
    "asset_rows",
    "asset_remaining",
    "assets_visible_to",
    "managed_org_q",
    "office_of",
    "organizations_for_assets",
    "stocktake_differences",
    "stocktakes_visible_to",
]


def office_of(organization: Organization) -> Organization:
    """The Văn phòng that manages an organisation's assets and spending rule (itself when its
    committee has no office)."""
    return pool_for(organization)


def managed_org_q(user: Actor | None, *, prefix: str = "organization__") -> Q:
    """A Q on ``prefix`` + Organization: the organisations whose assets the user may see (READ
    there, or WRITE/DIRECT in the committee's Văn phòng that manages them)."""
    scope = scope_for(user)
    offices = Organization.objects.filter(
        scope.org_q(Capability.WRITE) | scope.org_q(Capability.DIRECT), is_office=True
    )
    committees = offices.values("parent_id")
    # The committee's agencies only: a lower committee (a commune) keeps its own register.
    return (
        scope.org_q(Capability.READ, prefix=prefix)
        | scope.org_q(Capability.WRITE, prefix=prefix)
        | Q(**{f"{prefix}pk__in": offices.values("pk")})
        | Q(**{f"{prefix}pk__in": committees})
        | (Q(**{f"{prefix}parent_id__in": committees}) & ~Q(**{f"{prefix}kind": OrgKind.COMMITTEE}))
    )


def assets_visible_to(user: Actor | None) -> QuerySet[Asset]:
    q = managed_org_q(user)
    person_id = scope_for(user).person_id
    if person_id is not None:
        q |= Q(holder_id=person_id)
    return Asset.objects.filter(q).select_related("organization", "holder")


def organizations_for_assets(user: Actor | None) -> QuerySet[Organization]:
    """The organisations whose register the user may read (the filter's choices)."""
    return Organization.objects.filter(managed_org_q(user, prefix=""), active=True).order_by("name")


def asset_remaining(asset: Asset, year: int | None = None) -> int:
    """Giá trị còn lại of an asset at the end of ``year`` (this year by default)."""
    year = year or timezone.localdate().year
    if asset.category not in depreciation.CATEGORIES:
        return int(asset.value)
    return depreciation.remaining_value(asset.value, asset.category, asset.in_use_on, year, rate=asset.rate)


@dataclass(frozen=True)
class AssetRow:
    asset: Asset
    remaining: int


@dataclass(frozen=True)
class AssetTable:
    rows: list[AssetRow]
    total_value: int
    total_remaining: int


def asset_rows(assets: QuerySet[Asset], year: int | None = None) -> AssetTable:
    """The register's rows with this year's remaining value, and the totals of the whole
    selection (the original values summed by the database)."""
    rows = [AssetRow(asset, asset_remaining(asset, year)) for asset in assets]
    total_value = assets.order_by().aggregate(total=Sum("value"))["total"] or 0
    return AssetTable(rows, int(total_value), sum(row.remaining for row in rows))


def stocktakes_visible_to(user: Actor | None) -> QuerySet[StockTake]:
    return StockTake.objects.filter(managed_org_q(user)).select_related("organization", "created_by")


def stocktake_differences(stock_take: StockTake) -> QuerySet[StockTakeLine]:
    """The lines that differ from the books: not found, or found with a difference noted."""
    return (
        stock_take.lines.filter(Q(found=False) | ~Q(note="")).select_related("asset").order_by("asset__code")
    )


COUNTED_STATES = (AssetState.IN_USE, AssetState.REPAIRING, AssetState.UNUSED)


def assets_to_count(organization: Organization) -> QuerySet[Asset]:
    """The assets a stock-take counts: every asset on the organisation's books (not liquidated
    and not already written off as lost)."""
    return Asset.objects.filter(organization=organization, state__in=COUNTED_STATES).order_by("code")
