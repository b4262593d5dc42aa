"""Reading the audit trail, with access applied in SQL.

Someone holding VIEW_AUDIT sees the entries of the organisations where they hold it (the
subtree, for an administrator of a committee) and the entries that belong to no
organisation (sign-ins, checks of the chain); nobody else sees any entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.orgs.access import Capability, can, organizations_with
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization

CHOICES_CACHE_SECONDS = 300


def audit_events_for(user: Actor) -> QuerySet[AuditEvent]:
    """Entries of the organisations where ``user`` holds VIEW_AUDIT; entries that belong to
    no organisation (failed sign-ins of unknown names, chain checks) only for auditors of a
    top-level hosted organisation (one with no hosted parent), who answer for the instance."""
    if not can(user, Capability.VIEW_AUDIT):
        return AuditEvent.objects.none()
    reach = organizations_with(user, Capability.VIEW_AUDIT)
    instance_wide = reach.filter(Q(parent__isnull=True) | Q(parent__hosted=False), hosted=True).exists()
    q = Q(organization_id__in=reach.values("pk"))
    if instance_wide:
        q |= Q(organization_id__isnull=True)
    return AuditEvent.objects.filter(q)


def audit_event_get(user: Actor, seq: int) -> AuditEvent:
    """One entry the user may read, or 404."""
    try:
        return audit_events_for(user).get(seq=seq)
    except (AuditEvent.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    target_type: str = ""
    organization_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events_filter(queryset: QuerySet[AuditEvent], filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Narrow ``queryset``, newest first. Days are local days (Asia/Ho_Chi_Minh), compared
    as a time range so that the index on ``at`` is used."""
    qs = queryset
    if filters.actor:
        qs = qs.filter(actor_username__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type)
    if filters.organization_id is not None:
        qs = qs.filter(organization_id=filters.organization_id)
    if filters.date_from:
        qs = qs.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    if filters.q:
        qs = qs.filter(target_repr__icontains=filters.q)
    return qs.order_by("-seq")


def known_actions() -> list[str]:
    """Every action name in the trail, for the filter (cached: a DISTINCT over the whole
    trail is not something to run on each page view)."""
    return cast(
        list[str],
        cache.get_or_set(
            "audit:known_actions",
            lambda: list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()),
            CHOICES_CACHE_SECONDS,
        ),
    )


def known_target_types() -> list[str]:
    return cast(
        list[str],
        cache.get_or_set(
            "audit:known_target_types",
            lambda: list(
                AuditEvent.objects.exclude(target_type="")
                .order_by("target_type")
                .values_list("target_type", flat=True)
                .distinct()
            ),
            CHOICES_CACHE_SECONDS,
        ),
    )


def organization_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "short_name"))
