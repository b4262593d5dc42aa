"""The home page's groups of the petitions book (registered in ``core.pending`` when the app is
ready): the letters a handler is handling, nearest deadline first, and, for the leaders who
assign them, the open letters nobody has been given yet."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.petitions.models import Petition, State
from vanphong.petitions.services import ASSIGNING

OPEN = (State.RECEIVED, State.ACCEPTED)
FIELDS = ("pk", "kind", "number", "year", "state", "process_by", "resolve_by")


def _label(petition: Petition) -> str:
    # No petitioner's name: the home page is read over shoulders; the number is enough.
    head = f"{petition.get_kind_display()} số {petition.number}/{petition.year}"
    if petition.state == State.RECEIVED:
        return f"{head} — hạn xử lý {petition.process_by:%d/%m/%Y}"
    if petition.resolve_by is not None:
        return f"{head} — hạn giải quyết {petition.resolve_by:%d/%m/%Y}"
    return f"{head} — đang xem xét, giải quyết"


def _group(key: str, title: str, petitions: list[Petition], total: int, url: str) -> pending.PendingGroup:
    items = tuple((_label(p), reverse("petitions:petition_detail", args=[p.pk])) for p in petitions)
    return pending.PendingGroup(key, title, total, url, items)


def _nearest_first(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    return qs.annotate(due=Coalesce("resolve_by", "process_by")).order_by(F("due").asc(), "id")


@pending.register("petitions.handling")
def pending_handling(user: Actor) -> pending.PendingGroup | None:
    """The open letters assigned to the reader, while they still hold a role in the book's
    organisation."""
    scope = scope_for(user)
    if scope.person_id is None or not scope.grants:
        return None
    in_organisation = scope.org_q(Capability.READ, prefix="organization__") | scope.org_q(
        Capability.WRITE, prefix="organization__"
    )
    qs = Petition.objects.filter(in_organisation, handler_id=scope.person_id, state__in=OPEN).only(*FIELDS)
    rows, total = first_with_total(_nearest_first(qs))
    return _group(
        "petitions.handling",
        "Đơn thư đồng chí đang xử lý",
        rows,
        total,
        reverse("petitions:petition_list") + "?cua_toi=1",
    )


@pending.register("petitions.unassigned")
def pending_unassigned(user: Actor) -> pending.PendingGroup | None:
    """For those who give a book's letters to officers (``services.ASSIGNING``: its
    organisation's leaders, a committee's Văn phòng leaders): its open letters with no handler."""
    scope = scope_for(user)
    if not any(set(ASSIGNING) & grant.capabilities for grant in scope.grants):
        return None  # assigns nowhere: no query at all
    where = Q()
    for capability in ASSIGNING:
        where |= scope.org_q(capability, prefix="organization__")
    qs = Petition.objects.filter(where, handler__isnull=True, state__in=OPEN).only(
        "pk", "kind", "number", "year", "state", "process_by", "resolve_by"
    )
    rows, total = first_with_total(_nearest_first(qs))
    return _group(
        "petitions.unassigned",
        "Đơn thư chưa giao cán bộ xử lý",
        rows,
        total,
        reverse("petitions:petition_list") + "?chua_giao=1",
    )
