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
sees the identity on both sides. So are the names of the citizens of a visit to denounce
(``Reception.confidential``) or of one whose petition is a masked denunciation: decided by
``browse.citizens_shown_q``, next to the register it reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.orgs.access import Capability, restrict, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.petitions.models import (
    Action,
    Channel,
    Kind,
    Petition,
    Petitioner,
    PetitionFile,
    PetitionFileKind,
    Reception,
    Result,
    State,
)


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
            Prefetch(
                "files", queryset=PetitionFile.objects.order_by("uploaded_at", "id"), to_attr="all_files"
            ),
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


def citizen_rows(reception: Reception) -> list[dict[str, str]]:
    """The citizens of a visit as stored, in the API's shape (no masking: see
    ``browse.masked_receptions``)."""
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


def _open_to_all(file: PetitionFile) -> bool:
    """A file of a masked denunciation that names no one: its transfer letter (phiếu chuyển
    đơn), written without the denouncer (``letters``), which the one who transfers signs."""
    return file.kind == PetitionFileKind.LETTER and file.action == Action.TRANSFER


def shown_files(petition: Petition) -> list[PetitionFile]:
    """The files of ``petition`` (read through these selectors) its reader may open: of a
    denunciation whose identity is masked from them, only its transfer letter — the letter and
    its attachments carry the denouncer's name and signature, and so do the letters written
    back to them."""
    prefetched = getattr(petition, "all_files", None)
    files = (
        list(prefetched)
        if prefetched is not None
        else list(PetitionFile.objects.filter(petition_id=petition.pk).order_by("uploaded_at", "id"))
    )
    if identity_protected(petition):
        return [f for f in files if _open_to_all(f)]
    return files


def latest_letter(petition: Petition) -> PetitionFile | None:
    """The letter produced by the petition's handling decision, the newest first."""
    return (
        PetitionFile.objects.filter(petition_id=petition.pk, kind=PetitionFileKind.LETTER)
        .order_by("-uploaded_at", "-id")
        .first()
    )


def readable_file(user: Actor | None, petition_id: int, file_id: int) -> PetitionFile | None:
    """The file ``file_id`` of petition ``petition_id`` if ``user`` may open it, else None
    (answer 404): the petition must be readable and, for a denunciation, its identity shown."""
    petition = petitions_visible_to(user).filter(pk=petition_id).only("pk", "kind", "organization_id").first()
    if petition is None:
        return None
    found = PetitionFile.objects.filter(pk=file_id, petition_id=petition.pk).first()
    if found is None or (identity_protected(petition) and not _open_to_all(found)):
        return None
    return found


def _fold_fields(rows: Iterable[dict[str, Any]], column: str = "field") -> dict[str, int]:
    """Counts by a free-text column (field, locality), the spellings of one value folded
    together case-insensitively under its most frequent spelling (on a tie: the one in sentence
    case, "Đất đai", then the first in alphabetical order)."""
    counts: dict[str, int] = {}
    spellings: dict[str, list[tuple[int, bool, str]]] = {}
    for row in rows:
        field = " ".join((row[column] or "").split())
        key = field.casefold()
        counts[key] = counts.get(key, 0) + row["n"]
        sentence = field[:1].upper() + field[1:].lower()
        spellings.setdefault(key, []).append((-row["n"], field != sentence, field))
    return dict(sorted((min(spellings[key])[2], n) for key, n in counts.items()))


MAX_MONTHS = 120  # the months drawn one by one; a longer span shows only those with letters


def _months(start: dt.date, end: dt.date) -> list[str]:
    """The months from ``start`` to ``end`` as "YYYY-MM", both ends included."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def stats(
    user: Actor | None,
    *,
    start: dt.date | None,
    end: dt.date | None,
    organization: Organization | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Counts of the petitions ``user`` may read received between ``start`` and ``end``
    (inclusive), optionally in one organisation's book, counted by the database with GROUP BY
    in five queries whatever the number of petitions. No identities: a count of letters linked
    to earlier ones of the same person (``duplicates``) takes only the links the reader may see
    (``shown_related``: the identity visible on both sides).

    Keys: ``from``, ``to``, ``total``, ``by_kind``, ``by_field``, ``by_result`` (the API's
    contract), and ``by_locality``, ``by_channel``, ``by_state``, ``by_action`` ("" not yet
    decided), ``by_month`` ("YYYY-MM", every month of the span), ``overdue`` (open petitions
    past their deadline on ``today``: ``processing``, ``resolution``, ``total``),
    ``duplicates``, ``anonymous``."""
    today = today or timezone.localdate()
    qs = petitions_visible_to(user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if start is not None:
        qs = qs.filter(received_date__gte=start)
    if end is not None:
        qs = qs.filter(received_date__lte=end)
    qs = qs.order_by()

    def grouped(*columns: str) -> list[dict[str, Any]]:
        return list(qs.values(*columns).annotate(n=Count("pk")).order_by(*columns))

    # One GROUP BY over the closed lists, summed per list here (at most 4×5×6×5×6 rows).
    by_kind: dict[str, int] = dict.fromkeys(Kind.values, 0)
    by_channel: dict[str, int] = dict.fromkeys(Channel.values, 0)
    by_state: dict[str, int] = dict.fromkeys(State.values, 0)
    by_action: dict[str, int] = dict.fromkeys([*Action.values, ""], 0)
    by_result: dict[str, int] = {}
    for row in grouped("kind", "channel", "state", "action", "result"):
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + row["n"]
        by_state[row["state"]] = by_state.get(row["state"], 0) + row["n"]
        by_action[row["action"] or ""] = by_action.get(row["action"] or "", 0) + row["n"]
        by_result[row["result"] or ""] = by_result.get(row["result"] or "", 0) + row["n"]

    months = {
        row["month"]: row["n"]
        for row in qs.annotate(month=TruncMonth("received_date", output_field=DateField()))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    }
    by_month: dict[str, int] = {}
    first = start or min(months, default=None)
    last = end or max(months, default=None)
    if first is not None and last is not None and months:
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
            # A span longer than any report's: only the months that have letters are drawn.
            first, last = max(first, min(months)), min(last, max(months))
        by_month = dict.fromkeys(_months(first, last), 0)
    elif first is not None and last is not None and (last - first).days < 366:
        by_month = dict.fromkeys(_months(first, last), 0)  # the year's empty months
    for month, n in months.items():
        key = f"{month:%Y-%m}"
        by_month[key] = by_month.get(key, 0) + n

    linked_visible = petitions_visible_to(user).filter(identity_visible=True).values("pk")  # type: ignore[misc]
    through = Petition.related.through
    figures = qs.aggregate(
        overdue_processing=Count("pk", filter=Q(state=State.RECEIVED, process_by__lt=today)),
        overdue_resolution=Count("pk", filter=Q(state=State.ACCEPTED, resolve_by__lt=today)),
        anonymous=Count("pk", filter=~Q(Exists(Petitioner.objects.filter(petition=OuterRef("pk"))))),
        duplicates=Count(
            "pk",
            filter=Q(identity_visible=True)
            & Q(Exists(through.objects.filter(from_petition=OuterRef("pk"), to_petition__in=linked_visible))),
        ),
    )
    return {
        "from": start,
        "to": end,
        "total": sum(by_kind.values()),
        "by_kind": {kind: by_kind.get(kind, 0) for kind in Kind.values},
        "by_field": _fold_fields(grouped("field")),
        "by_result": dict(sorted(by_result.items())),
        "by_locality": _fold_fields(grouped("locality"), "locality"),
        "by_channel": by_channel,
        "by_state": by_state,
        "by_action": by_action,
        "by_month": by_month,
        "overdue": {
            "processing": figures["overdue_processing"],
            "resolution": figures["overdue_resolution"],
            "total": figures["overdue_processing"] + figures["overdue_resolution"],
        },
        "duplicates": figures["duplicates"],
        "anonymous": figures["anonymous"],
    }


def stats_figure_labels() -> dict[str, str]:
    """The codes of ``stats_figures`` with their Vietnamese names: what another module (the
    reporting regime's indicators) may ask this one for, by a stable code."""
    labels = {
        "total": "Tổng số đơn nhận",
        "anonymous": "Đơn nặc danh",
        "duplicates": "Đơn trùng",
        "overdue.processing": "Đơn quá hạn xử lý",
        "overdue.resolution": "Đơn quá hạn giải quyết",
        "overdue.total": "Đơn quá hạn",
    }
    for prefix, choices in (("kind", Kind), ("channel", Channel), ("state", State), ("action", Action)):
        labels.update({f"{prefix}.{c.value}": f"Đơn {str(c.label).lower()}" for c in choices})
    labels.update({f"result.{r.value}": f"Kết quả: {str(r.label).lower()}" for r in Result})
    return labels


def stats_figures(figures: dict[str, Any]) -> dict[str, int]:
    """A ``stats`` result flattened to the codes of ``stats_figure_labels`` (the free-text
    fields and localities and the months are left out: they have no stable code)."""
    out = {
        "total": figures["total"],
        "anonymous": figures["anonymous"],
        "duplicates": figures["duplicates"],
    }
    out.update({f"overdue.{k}": v for k, v in figures["overdue"].items()})
    for prefix, key in (("kind", "by_kind"), ("channel", "by_channel"), ("state", "by_state")):
        out.update({f"{prefix}.{k}": v for k, v in figures[key].items()})
    out.update({f"action.{k}": v for k, v in figures["by_action"].items() if k})
    out.update({f"result.{r}": figures["by_result"].get(r, 0) for r in Result.values})
    return out
