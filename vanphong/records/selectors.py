"""Reading records and the archive: who sees which, in SQL.

A record belongs to an organisation: it is read by those holding READ there (``org_q``) and by
the people who make it (its creator, who opened it, and the staff of its unit), always capped by
clearance — a record is as classified as its most classified item, and outside the reader's
reach it does not exist (404). An item's content is read through its own module's rules (the
document, meeting or petition page); the index shows its description.

The archive's search is the same accent-insensitive search as the rest (``fold_query``),
evaluated by the database over the records' and items' folded text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from vanphong.core.textfold import fold_query
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.records.models import (
    ArchiveRequest,
    FilePlan,
    Record,
    RecordItem,
    RecordState,
    RequestState,
    Transfer,
)


def _reach_q(user: Actor | None, *, catalogue: bool, granted: bool) -> Q:
    """Who reaches a record, as a Q on Record, always capped by clearance:

    * its makers (who opened it, the person named as its maker) — whatever its classification;
    * an unclassified record: READ in its organisation, the staff of its unit, and with
      ``catalogue`` the archived records of an organisation one makes records for (WRITE);
    * a classified record (as classified as its most classified item): only those who keep or
      oversee the organisation's classified books (``classified_keeper_q``: its leaders, its
      classified clerk, the văn thư where none is appointed) — the need-to-know rule of the
      documents themselves;
    * with ``granted``, whoever holds an approved request for it (the leaders granted it)."""
    scope = scope_for(user)
    person = person_of(user)
    if scope.person_id is None or person is None:
        return Q(pk__in=[])
    me = scope.person_id
    makers = Q(creator_id=me) | Q(created_by_id=me)
    open_reach = scope.org_q(Capability.READ, prefix="organization__")
    if person.unit_id is not None:
        open_reach |= Q(unit_id=person.unit_id)
    if catalogue:
        open_reach |= Q(state=RecordState.ARCHIVED) & scope.org_q(Capability.WRITE, prefix="organization__")
    classified_reach = scope.classified_keeper_q(prefix="organization__")
    q = makers | (Q(classification=0) & open_reach) | (Q(classification__gt=0) & classified_reach)
    if granted:
        q |= Q(
            Exists(
                ArchiveRequest.records.through.objects.filter(
                    record_id=OuterRef("pk"),
                    archiverequest__requester_id=me,
                    archiverequest__state=RequestState.APPROVED,
                )
            )
        )
    return q & Q(classification__lte=scope.clearance)


def record_visibility_q(user: Actor | None) -> Q:
    """``records_visible_to`` as a Q (for the home page's groups and other lists)."""
    return _reach_q(user, catalogue=True, granted=False)


def records_visible_to(user: Actor | None) -> QuerySet[Record]:
    """The records ``user`` sees (their description and index): ``_reach_q`` with the archive's
    catalogue — the archived records of an organisation whose records one makes (WRITE: a
    committee's Văn phòng staff), to find what to ask for."""
    return Record.objects.filter(record_visibility_q(user))


def contents_readable_to(user: Actor | None) -> QuerySet[Record]:
    """The records whose contents (the archive's own files of their items) ``user`` may open:
    ``_reach_q`` without the catalogue, and whoever holds an approved request for them (to read,
    copy or borrow; until a loan is returned)."""
    return Record.objects.filter(_reach_q(user, catalogue=False, granted=True))


def records_writable_by(user: Actor | None) -> QuerySet[Record]:
    """Records the user may fill and close: WRITE in their organisation, among those they see."""
    scope = scope_for(user)
    return Record.objects.filter(record_visibility_q(user)).filter(
        scope.org_q(Capability.WRITE, prefix="organization__")
    )


def _names_unseen(user: Actor | None, link: str) -> Exists:
    """A list (transfer, request, disposal) naming a record the user does not see: such a list
    is not shown to them at all (it names the record)."""
    return Exists(Record.objects.filter(**{link: OuterRef("pk")}).exclude(record_visibility_q(user)))


def plans_visible_to(user: Actor | None) -> QuerySet[FilePlan]:
    scope = scope_for(user)
    q = scope.org_q(Capability.READ, prefix="organization__") | scope.org_q(
        Capability.WRITE, prefix="organization__"
    )
    return FilePlan.objects.filter(q)


def transfers_visible_to(user: Actor | None) -> QuerySet[Transfer]:
    """Transfers of the organisations one reads or keeps the archive of, and the lists one made;
    never one naming a record the reader does not see."""
    scope = scope_for(user)
    q = scope.org_q(Capability.READ, prefix="organization__") | scope.org_q(
        Capability.REGISTER, prefix="organization__"
    )
    if scope.person_id is not None:
        q |= Q(created_by_id=scope.person_id)
    return Transfer.objects.filter(q).exclude(_names_unseen(user, "transfer_id"))


def requests_visible_to(user: Actor | None) -> QuerySet[ArchiveRequest]:
    scope = scope_for(user)
    q = scope.org_q(Capability.REGISTER, prefix="organization__")
    for capability in (Capability.DIRECT, Capability.DIRECT_ROUTINE):
        q |= scope.org_q(capability, prefix="organization__")
    if scope.person_id is not None:
        q |= Q(requester_id=scope.person_id)
    return ArchiveRequest.objects.filter(q).exclude(_names_unseen(user, "requests"))


def due_for_transfer(user: Actor | None) -> QuerySet[Record]:
    """Closed records owing a transfer and not yet on a list, soonest due first (the overdue
    ones, whose ``transfer_due`` has passed, come first)."""
    return (
        records_visible_to(user)
        .filter(state=RecordState.CLOSED, transfer__isnull=True, transfer_due__isnull=False)
        .order_by("transfer_due", "code")
    )


def due_for_review(user: Actor | None, *, today: dt.date | None = None) -> QuerySet[Record]:
    """Records whose retention has run out: proposed to the council for review. Permanent
    records never appear (their ``retention_until`` is empty); held ones are shown but marked."""
    today = today or timezone.localdate()
    return (
        records_visible_to(user)
        .filter(state__in=(RecordState.CLOSED, RecordState.ARCHIVED), retention_until__lt=today)
        .exclude(retention_years__isnull=True)
        .order_by("retention_until", "code")
    )


@dataclass(frozen=True)
class ArchiveFilters:
    q: str = ""
    organization: int | None = None
    year: int | None = None
    state: str = ""
    archived_only: bool = False
    maker: int | None = None  # the records this person opened or makes ("của tôi")


def search_q(query: str) -> Q | None:
    """Every term of ``query`` (accents ignored) in the record's folded code, title, keywords
    and description, or in one of its items' folded symbol, type, author and subject."""
    terms = fold_query(query).split()
    if not terms:
        return None
    where = Q()
    for term in terms:
        in_items = Exists(RecordItem.objects.filter(record_id=OuterRef("pk"), folded_text__contains=term))
        where &= Q(folded_text__contains=term) | Q(in_items)
    return where


def record_list(user: Actor | None, filters: ArchiveFilters) -> QuerySet[Record]:
    qs = records_visible_to(user).select_related("organization", "unit")
    if filters.archived_only:
        qs = qs.filter(state=RecordState.ARCHIVED)
    elif filters.state in RecordState.values:
        qs = qs.filter(state=filters.state)
    if filters.organization:
        qs = qs.filter(organization_id=filters.organization)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.maker:
        qs = qs.filter(Q(creator_id=filters.maker) | Q(created_by_id=filters.maker))
    where = search_q(filters.q)
    if where is not None:
        qs = qs.filter(where)
    return qs.order_by("-year", "code", "pk")


def matching_items(record: Record, query: str) -> QuerySet[RecordItem]:
    """The items of ``record`` that match every term of ``query`` (to show why it was found)."""
    qs = record.items.all()
    for term in fold_query(query).split():
        qs = qs.filter(folded_text__contains=term)
    return qs


def loans_out(user: Actor | None) -> QuerySet[ArchiveRequest]:
    return requests_visible_to(user).filter(state=RequestState.APPROVED, mode="borrow").order_by("return_due")
