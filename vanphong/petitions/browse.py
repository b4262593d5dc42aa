"""Reading the petitions book and the reception register for the officers' pages: the list's
filters and its accent-insensitive search, the receptions a reader may see and whose citizens
they may see by name (``citizens_shown_q``), and the choices the forms offer (organisations,
handlers, fields, sessions).

Everything starts from ``selectors.petitions_visible_to``, so the identity rules hold here as
everywhere: the search looks into the petitioners' names only on petitions whose identity the
reader sees (``identity_visible``), so a denouncer's name never finds their denunciation for
someone who does not handle it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from vanphong.core.textfold import fold, fold_query
from vanphong.orgs.access import Capability, organizations_with, restrict, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Organization, Person
from vanphong.petitions.models import Kind, Petition, Petitioner, Reception, ReceptionSession, State
from vanphong.petitions.selectors import citizen_rows, handler_q, petitions_visible_to

OVERDUE = "qua_han"
MINE = "cua_toi"
UNASSIGNED = "chua_giao"


@dataclass(frozen=True)
class PetitionFilters:
    q: str = ""
    kind: str = ""
    state: str = ""
    year: int | None = None
    overdue: bool = False
    mine: bool = False
    unassigned: bool = False  # open letters with no handler yet (the leaders' home links here)


def overdue_q(today: dt.date) -> Q:
    """Petitions past their current deadline: processing (received, not decided by
    ``process_by``) or resolution (accepted, no result by ``resolve_by``)."""
    return Q(state=State.RECEIVED, process_by__lt=today) | Q(state=State.ACCEPTED, resolve_by__lt=today)


def petition_list(user: Actor, filters: PetitionFilters, *, today: dt.date) -> QuerySet[Petition]:
    """The rows of the book for ``user``, filtered, newest first, with what a row shows (the
    petitioners prefetched: the query count does not grow with the rows)."""
    qs = petitions_visible_to(user)
    if filters.kind in Kind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.state in State.values:
        qs = qs.filter(state=filters.state)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.overdue:
        qs = qs.filter(overdue_q(today))
    if filters.mine:
        me = scope_for(user).person_id
        qs = qs.filter(handler_id=me) if me is not None else qs.none()
    if filters.unassigned:
        qs = qs.filter(handler__isnull=True, state__in=(State.RECEIVED, State.ACCEPTED))
    if (found := search_q(filters.q)) is not None:
        qs = qs.filter(found)
    return (
        qs.select_related("organization", "handler")
        .prefetch_related(Prefetch("petitioners", queryset=Petitioner.objects.order_by("order", "id")))
        .order_by("-received_date", "-id")
    )


def search_q(query: str) -> Q | None:
    """A Q on petitions read through ``petitions_visible_to``: every term of ``query``
    (accents ignored, ``fold_query``) in the petition's folded number, content, respondent,
    field or locality (``Petition.folded_text``) — or in a petitioner's folded name, only on
    petitions whose identity the reader sees (``identity_visible``). None for an empty query.
    Evaluated by the database, over the whole book."""
    terms = fold_query(query).split()
    if not terms:
        return None
    where = Q()
    for term in terms:
        named = Exists(Petitioner.objects.filter(petition_id=OuterRef("pk"), folded_name__contains=term))
        where &= Q(folded_text__contains=term) | Q(named, identity_visible=True)
    return where


def years_of(user: Actor) -> list[int]:
    """The years of the books ``user`` reads, newest first (for the year filter)."""
    return sorted(
        set(petitions_visible_to(user).order_by().values_list("year", flat=True).distinct()), reverse=True
    )


def fields_used(user: Actor, *, limit: int = 200) -> list[str]:
    """The fields (lĩnh vực) already written in the books ``user`` reads, for the form's
    suggestions: the same field spelled the same way makes the statistics count it once."""
    values = (
        petitions_visible_to(user)
        .exclude(field="")
        .order_by()
        .values_list("field", flat=True)
        .distinct()[:limit]
    )
    return sorted(set(values), key=lambda v: fold(v))


def localities_used(user: Actor, *, limit: int = 200) -> list[str]:
    values = (
        petitions_visible_to(user)
        .exclude(locality="")
        .order_by()
        .values_list("locality", flat=True)
        .distinct()[:limit]
    )
    return sorted(set(values), key=lambda v: fold(v))


# --- Organisations, people ------------------------------------------------------------------


def writing_organizations(user: Actor) -> list[Organization]:
    """The organisations whose books ``user`` writes in (WRITE or REGISTER): the committee its
    office serves, not the office itself."""
    q = Q(pk__in=organizations_with(user, Capability.WRITE).values("pk")) | Q(
        pk__in=organizations_with(user, Capability.REGISTER).values("pk")
    )
    return list(
        Organization.objects.filter(q, active=True, hosted=True, is_office=False).order_by("depth", "path")[
            :200
        ]
    )


def default_organization(user: Actor, choices: list[Organization]) -> Organization | None:
    """The organisation a form starts with: the user's own, or the committee its office
    serves (as the API's default)."""
    person = person_of(user)
    if person is not None:
        home = person.organization
        wanted = home.parent_id if home.is_office and home.parent_id is not None else home.pk
        for org in choices:
            if org.pk == wanted:
                return org
    return choices[0] if choices else None


def staff_of(organization: Organization) -> QuerySet[Person]:
    """The active people working in ``organization`` or in the office serving it: the
    candidates for handler or receiving officer (the service checks each choice)."""
    return (
        Person.objects.filter(active=True)
        .filter(
            Q(organization=organization)
            | Q(organization__parent=organization, organization__is_office=True)
            | Q(roles__organization=organization)
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def transfer_targets(organization: Organization) -> QuerySet[Organization]:
    """The organisations a petition may be transferred to: any active one but its own book's."""
    return Organization.objects.filter(active=True).exclude(pk=organization.pk).order_by("depth", "path")


def sessions_around(organization: Organization, day: dt.date | None) -> QuerySet[ReceptionSession]:
    """The reception sessions of ``organization`` near ``day`` (a visit is linked to the
    session it came to)."""
    qs = ReceptionSession.objects.filter(organization=organization, cancelled=False).select_related("leader")
    if day is not None:
        qs = qs.filter(date__gte=day - dt.timedelta(days=31), date__lte=day + dt.timedelta(days=31))
    return qs.order_by("-date", "start")


# --- Receptions ------------------------------------------------------------------------------


def receptions_visible_to(user: Actor) -> QuerySet[Reception]:
    """The visits ``user`` may read: READ in the organisation, or the visits they received or
    wrote down."""
    me = scope_for(user).person_id
    mine = Q(receiving_person_id=me) | Q(created_by_id=me) if me is not None else None
    return restrict(
        Reception.objects.all(),
        user,
        capability=Capability.READ,
        classification_field=None,
        extra=mine,
    )


def reception_list(user: Actor, *, start: dt.date | None, end: dt.date | None) -> QuerySet[Reception]:
    qs = receptions_visible_to(user)
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    return qs.select_related("receiving_person", "organization", "petition", "session").order_by(
        "-date", "-id"
    )


def masked_petition_ids(user: Actor, receptions: list[Reception]) -> set[int]:
    """Of the petitions linked to ``receptions``, those whose identity is masked from ``user``
    or which ``user`` may not read: the list does not link them. One query."""
    ids = {r.petition_id for r in receptions if r.petition_id is not None}
    if not ids:
        return set()
    shown = set(
        petitions_visible_to(user).filter(Q(identity_visible=True), pk__in=ids).values_list("pk", flat=True)
    )
    return ids - shown


def citizens_shown_q(user: Actor | None) -> Q:
    """A Q on Reception: the visits whose citizens ``user`` may see by name.

    A confidential visit (someone came to denounce: ``Reception.confidential``) shows them only
    to the person who received it and the one who wrote it down, while they hold a current
    role in its organisation (as ``selectors.handler_q``), and to the handlers of the
    denunciation it is linked to. Any other visit shows them unless it is linked to a petition
    ``user`` may not read or whose identity is masked from them (the names next to the
    petition would name the denouncer)."""
    readable = petitions_visible_to(user).filter(identity_visible=True).values("pk")  # type: ignore[misc]
    open_visit = Q(confidential=False) & (Q(petition__isnull=True) | Q(petition_id__in=readable))
    scope = scope_for(user)
    if scope.person_id is None:
        return open_visit
    in_organisation = scope.org_q(Capability.READ, prefix="organization__") | scope.org_q(
        Capability.WRITE, prefix="organization__"
    )
    present = (Q(receiving_person_id=scope.person_id) | Q(created_by_id=scope.person_id)) & in_organisation
    handled = Petition.objects.filter(handler_q(user), kind=Kind.TO_CAO).values("pk")
    return open_visit | (Q(confidential=True) & (present | Q(petition_id__in=handled)))


def masked_receptions(user: Actor | None, receptions: Iterable[Reception]) -> set[int]:
    """The ids of those of ``receptions`` whose citizens are masked from ``user``
    (``citizens_shown_q``): one query whatever their number, none for visits naming nobody."""
    ids = {r.pk for r in receptions if r.citizens}
    if not ids:
        return set()
    shown = set(Reception.objects.filter(citizens_shown_q(user), pk__in=ids).values_list("pk", flat=True))
    return ids - shown


def reception_citizens(reception: Reception, masked: set[int]) -> list[dict[str, str]]:
    """The citizens of a visit as a reader sees them, ``masked`` being
    ``masked_receptions(reader, …)`` of the page: none when masked, no query."""
    return [] if reception.pk in masked else citizen_rows(reception)


def shown_citizens(user: Actor | None, reception: Reception) -> list[dict[str, str]]:
    """The citizens of one visit as ``user`` may see them (one query)."""
    return reception_citizens(reception, masked_receptions(user, [reception]))


def citizens_protected(user: Actor | None, reception: Reception) -> bool:
    return reception.pk in masked_receptions(user, [reception])


def reception_rows(user: Actor, receptions: list[Reception]) -> list[dict[str, Any]]:
    """The rows of the reception register's page: each visit with the citizens ``user`` sees,
    whether they are masked, and whether its petition is linked (readable, its identity shown
    to ``user``, and the visit not masked), or whether ``user`` may link it to its petition
    (``may_link``: none linked yet, and ``user`` writes in its organisation's book). Three
    queries whatever the number of rows."""
    masked = masked_receptions(user, receptions)
    hidden = masked_petition_ids(user, receptions)
    writes = {o.pk for o in writing_organizations(user)} if receptions else set()
    rows = []
    for v in receptions:
        linked = v.petition_id is not None and v.petition_id not in hidden
        rows.append(
            {
                "visit": v,
                "citizens": reception_citizens(v, masked),
                "masked": v.pk in masked,
                "petition_shown": linked and v.pk not in masked,
                "may_link": v.petition_id is None and v.organization_id in writes,
            }
        )
    return rows
