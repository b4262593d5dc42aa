"""Reading petitions: who sees which, and whose identity is shown to whom.

A petition belongs to an organisation: it is read by those holding READ there (``org_q``),
and by the person who entered it or is assigned to handle it. Outside that reach it does not
exist (404).

The identity of a denouncer (the petitioners of a ``to_cao``) is shown only to the people
handling the case (``handler_q``): the person who entered it and the assigned handler, while
they still hold a role in the organisation. The organisation's leaders (DIRECT) are not
handlers by their office: they assign the case (``services.petition_assign``), and see the
identity only when they assign it to themselves. Everyone else gets no petitioners and
``identity_protected`` — decided here, in the queryset (``identity_visible``), so that every
list, detail or export built on these selectors masks alike. Each disclosure of a protected
identity to a handler is audited (``disclose``).

What would point to the denouncer is masked alike: a petition's links to the letters of the
same person (``shown_related``, ``shown_duplicate_count``) are shown only when the reader
sees the identity on both sides, and the names of the citizens of a reception whose petition
is a masked denunciation (``shown_citizens``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When

from vanphong.audit.services import audit_record
from vanphong.orgs.access import Capability, restrict, scope_for
from vanphong.orgs.actors import Actor
from vanphong.petitions.models import Kind, Petition, Petitioner, Reception


def handler_q(user: Actor | None) -> Q:
    """A Q on Petition: the petitions ``user`` handles — those they entered or are assigned to,
    in an organisation where they still hold a current role (``scope_for``: an active person
    with an active account, by the roles held today). Holding DIRECT there is not enough: the
    organisation's leaders see a denouncer's identity only once assigned the case
    (``services.petition_assign``)."""
    scope = scope_for(user)
    if scope.person_id is None:
        return Q(pk__in=[])
    # A role there today: reading its records, or working in its name (the office's
    # specialists write for the committee without reading all its records).
    in_organisation = scope.org_q(Capability.READ, prefix="organization__") | scope.org_q(
        Capability.WRITE, prefix="organization__"
    )
    return (Q(registered_by_id=scope.person_id) | Q(handler_id=scope.person_id)) & in_organisation


def petitions_visible_to(user: Actor | None) -> QuerySet[Petition]:
    """The petitions ``user`` may read, each with ``identity_visible``."""
    scope = scope_for(user)
    mine = Q(registered_by_id=scope.person_id) | Q(handler_id=scope.person_id) if scope.person_id else None
    qs = restrict(
        Petition.objects.all(),
        user,  # type: ignore[arg-type]  # None reaches nothing
        capability=Capability.READ,
        classification_field=None,
        extra=mine,
    )
    return qs.annotate(
        identity_visible=Case(
            When(~Q(kind=Kind.TO_CAO), then=Value(True)),
            When(handler_q(user), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def petition_detail(user: Actor | None) -> QuerySet[Petition]:
    linked = petitions_visible_to(user).only("pk", "kind").order_by()
    return (
        petitions_visible_to(user)
        .select_related("organization", "to_organization")
        .prefetch_related(
            Prefetch("petitioners", queryset=Petitioner.objects.order_by("order", "id")),
            Prefetch("related", queryset=linked, to_attr="readable_related"),
            Prefetch("later", queryset=linked, to_attr="readable_later"),
        )
    )


def _linked(petition: Petition, attr: str) -> list[Petition]:
    """The petitions linked to ``petition`` (read through ``petition_detail``) whose link the
    reader may see: the identity of both sides visible to them. For a pair with a
    denunciation, only a handler of the denunciation sees it."""
    if not getattr(petition, "identity_visible", False):
        return []
    return [p for p in getattr(petition, attr, []) if getattr(p, "identity_visible", False)]


def shown_related(petition: Petition) -> list[int]:
    """The ids of the earlier letters of the same person the reader may see linked."""
    return sorted(p.pk for p in _linked(petition, "readable_related"))


def shown_duplicate_count(petition: Petition) -> int | None:
    """How many later letters of the same person the reader may see linked; None when the
    petition's identity is masked from the reader."""
    if not getattr(petition, "identity_visible", False):
        return None
    return len(_linked(petition, "readable_later"))


def shown_petitioners(petition: Petition) -> list[Petitioner]:
    """The petitioners to show for a petition read through these selectors: none when the
    identity is protected from the reader."""
    if not getattr(petition, "identity_visible", False):
        return []
    return list(petition.petitioners.all())


def identity_protected(petition: Petition) -> bool:
    return petition.protects_identity and not getattr(petition, "identity_visible", False)


def disclose(user: Actor | None, petitions: Iterable[Petition]) -> None:
    """Audit each protected identity about to be shown to ``user`` (a handler)."""
    for petition in petitions:
        shown = shown_petitioners(petition)
        if petition.protects_identity and shown:
            audit_record(
                actor=user,
                action="petition.identity_read",
                target=petition,
                organization_id=petition.organization_id,
                after={"petitioners": len(shown)},
            )


def shown_citizens(user: Actor | None, reception: Reception) -> list[dict[str, str]]:
    """The citizens of a reception as ``user`` may see them: none when the reception gave rise
    to a denunciation whose identity is masked from ``user`` (the names next to the petition
    would name the denouncer)."""
    if reception.petition_id is not None:
        petition = petitions_visible_to(user).filter(pk=reception.petition_id).only("pk", "kind").first()
        if petition is None or identity_protected(petition):
            return []
    return [
        {
            "full_name": str(c.get("full_name", "")),
            "address": str(c.get("address", "")),
            "id_number": str(c.get("id_number", "")),
            "phone": str(c.get("phone", "")),
        }
        for c in reception.citizens or []
        if isinstance(c, dict)
    ]


def citizens_protected(user: Actor | None, reception: Reception) -> bool:
    return bool(reception.citizens) and not shown_citizens(user, reception)


def _fold_fields(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Counts by field, the spellings of one field folded together case-insensitively under
    its most frequent spelling (on a tie: the one in sentence case, "Đất đai", then the first
    in alphabetical order)."""
    counts: dict[str, int] = {}
    spellings: dict[str, list[tuple[int, bool, str]]] = {}
    for row in rows:
        field = " ".join((row["field"] or "").split())
        key = field.casefold()
        counts[key] = counts.get(key, 0) + row["n"]
        sentence = field[:1].upper() + field[1:].lower()
        spellings.setdefault(key, []).append((-row["n"], field != sentence, field))
    return dict(sorted((min(spellings[key])[2], n) for key, n in counts.items()))


def stats(user: Actor | None, *, start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    """Counts of the petitions ``user`` may read received between ``start`` and ``end``
    (inclusive), by kind, field and result, counted by the database. No identities."""
    qs = petitions_visible_to(user)
    if start is not None:
        qs = qs.filter(received_date__gte=start)
    if end is not None:
        qs = qs.filter(received_date__lte=end)

    def grouped(column: str) -> list[dict[str, Any]]:
        return list(qs.order_by().values(column).annotate(n=Count("pk")).order_by(column))

    by_kind = {row["kind"]: row["n"] for row in grouped("kind")}
    by_result = {row["result"] or "": row["n"] for row in grouped("result")}
    return {
        "from": start,
        "to": end,
        "total": sum(by_kind.values()),
        "by_kind": {kind: by_kind.get(kind, 0) for kind in Kind.values},
        "by_field": _fold_fields(grouped("field")),
        "by_result": dict(sorted(by_result.items())),
    }
