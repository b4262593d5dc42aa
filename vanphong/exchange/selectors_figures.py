"""Reading the figures the lower instances sent up (``LowerFigures``), with access in SQL.

Who sees the figures of a lower organisation (counts only, nothing classified travels):

* whoever holds READ in an organisation hosted here that is that organisation or one above
  it in the tree — the leaders of the committee above (their reach is the subtree anyway),
  the office's leaders and its văn thư (READ on the committee through the office); a reader
  of an agency beside it (a Ban of the same committee) does not;
* whoever holds READ in the Văn phòng of such a committee: the office follows up the lower
  levels' work for its committee (as it follows up the committee's tasks);
* superusers, who also see the figures no organisation of ours is tied to yet (a key the
  peer sent that names none of the organisations configured for it).

Figures are tied to one of our rows only when that row is among the peer's organisations
(``figures.figures_receive``), so a peer cannot file figures where it has no business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from vanphong.exchange.models import LowerFigures
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization

HISTORY = 12  # days of figures shown per organisation (the last ``as_of`` received)


def _is_superuser(user: Actor | None) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_superuser", False)
    )


def _outermost(paths: set[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def figures_reach_q(user: Actor | None) -> Q:
    """A Q on LowerFigures: the rows ``user`` may see (module docstring). One query for the
    organisations of the reader's READ grants."""
    if _is_superuser(user):
        return Q()
    grants = scope_for(user).grants_for(Capability.READ)
    if not grants:
        return Q(pk__in=[])
    paths: set[str] = set()
    rows = Organization.objects.filter(
        pk__in={g.organization_id for g in grants}, hosted=True, active=True
    ).values_list("path", "is_office", "parent__path", "parent__hosted", "parent__active")
    for path, is_office, parent_path, parent_hosted, parent_active in rows:
        paths.add(path)
        if is_office and parent_path and parent_hosted and parent_active:
            paths.add(parent_path)
    q = Q(pk__in=[])
    for path in _outermost(paths):
        q |= Q(organization__path__startswith=path)
    return q & Q(organization__isnull=False)


def _latest_q() -> Q:
    newer = LowerFigures.objects.filter(
        peer=OuterRef("peer"), organization_key=OuterRef("organization_key"), as_of__gt=OuterRef("as_of")
    )
    return ~Q(Exists(newer))


def lower_figures_for(user: Actor | None) -> QuerySet[LowerFigures]:
    """The latest figures of each lower organisation ``user`` may see (one row per peer and
    organisation key), by organisation name."""
    return (
        LowerFigures.objects.filter(figures_reach_q(user))
        .filter(_latest_q())
        .select_related("peer", "organization")
        .order_by("organization_name", "peer__name", "organization_key")
    )


def figures_detail(user: Actor | None, pk: Any) -> LowerFigures:
    """One row of figures ``user`` may see, or 404 (the existence of others does not leak)."""
    try:
        return (
            LowerFigures.objects.filter(figures_reach_q(user))
            .select_related("peer", "organization")
            .get(pk=pk)
        )
    except (LowerFigures.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def figures_history(figures: LowerFigures, *, limit: int = HISTORY) -> list[LowerFigures]:
    """The last ``limit`` days the same peer sent figures of the same organisation, newest
    first (the caller has checked access on ``figures``: every row shares its reach)."""
    return list(
        LowerFigures.objects.filter(
            peer_id=figures.peer_id, organization_key=figures.organization_key
        ).order_by("-as_of")[:limit]
    )


# --- Reading the JSON of one row ----------------------------------------------------------------


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@dataclass(frozen=True)
class TaskFigures:
    total: int
    open: int
    not_due: int
    due_soon: int
    overdue: int
    in_progress: int
    done_on_time: int
    done_late: int
    cancelled: int

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def late_rate(self) -> float | None:
        """Share of the completed tasks completed late, in percent (None with none)."""
        return None if self.done == 0 else round(100 * self.done_late / self.done, 1)

    @property
    def overdue_rate(self) -> float | None:
        """Share of the open tasks that are overdue, in percent (None with none open)."""
        return None if self.open == 0 else round(100 * self.overdue / self.open, 1)


def task_figures(figures: LowerFigures) -> TaskFigures:
    data = figures.figures.get("tasks") if isinstance(figures.figures, dict) else None
    data = data if isinstance(data, dict) else {}
    return TaskFigures(**{name: _int(data.get(name)) for name in TaskFigures.__dataclass_fields__})


def month_figures(figures: LowerFigures) -> list[dict[str, Any]]:
    data = figures.figures.get("tasks_by_month") if isinstance(figures.figures, dict) else None
    rows = [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
    return sorted(rows, key=lambda r: str(r.get("month", "")))


def indicator_figures(figures: LowerFigures) -> list[dict[str, Any]]:
    data = figures.figures.get("indicators") if isinstance(figures.figures, dict) else None
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
