"""The summary figures of the two-level model: what a lower instance sends up on a schedule,
and how the upper one takes them in (``LowerFigures``), so that the upper level sees the
lower levels' figures without reaching into their databases.

What travels, per organisation reported (the payload, ``FIGURES_VERSION`` 1)::

    {"version": 1, "as_of": "2026-12-07", "organizations": [{
        "key": "000.00.31.H53" | "slug:dangbo-khoi" | "id:17",
        "name": "Đảng ủy Khối các cơ quan tỉnh",
        "tasks": {"total", "open", "not_due", "due_soon", "overdue", "in_progress",
                  "done_on_time", "done_late", "cancelled"},
        "tasks_by_month": [{"month": "2026-01", "given", "due", "done", "done_on_time",
                            "done_late", "open", "overdue"}, ... 12 months, oldest first],
        "indicators": [{"code", "name", "unit", "period", "value", "reporters"}]}]}

* ``tasks``: every task led by the organisation or by an organisation under it hosted here
  (its agencies, the committees below it) — the Đảng bộ as a whole — by the task engine's
  own statuses (``tasks.selectors.status_q``) as of ``as_of``; ``total`` leaves the
  cancelled ones out, as the engine's counts do.
* ``tasks_by_month``: the last twelve months up to ``as_of``. ``given``: tasks given that
  month; the others count the tasks that month is theirs by the engine's rule
  (``tally.month_of``: the original due date, or the day given when there is none):
  ``due`` of them (cancelled left out), done on time, done late, still open, and overdue.
* ``indicators``: the reporting regime of the organisation itself (the requests it made):
  per indicator, its latest period with submitted reports, the sum of the submitted values
  and how many reports gave one.

Counts only: no title, no content, no person travels, so classified tasks are counted like
any other and nothing classified leaves. Every count is one grouped query over all the
organisations at once (a constant number of queries, whatever the number of tasks).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DateField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.audit.services import audit_record
from vanphong.exchange.models import LowerFigures, Peer
from vanphong.orgs.models import Organization, OrgKind
from vanphong.reporting.models import ReportValue, SubmissionState
from vanphong.reporting.selectors import number
from vanphong.tasks.models import Outcome, Status, Task
from vanphong.tasks.selectors import Today, period_q, status_q

# Declared here, where it is written (the app's ready() imports this module so that the audit
# pages know the label from start-up).
FIGURES_VERSION = 1
MONTHS = 12  # months of ``tasks_by_month`` sent
MAX_ORGANIZATIONS = 200  # per payload
MAX_MONTHS = 24  # accepted per organisation
MAX_INDICATORS = 300  # per organisation
MAX_COUNT = 10**9  # no count of a lower level comes near it
MAX_VALUE = Decimal(10) ** 16  # ReportValue: 20 digits, 4 decimals
MAX_PAYLOAD_CHARS = 2_000_000  # the payload as JSON
OLDEST = dt.date(2000, 1, 1)

TASK_FIELDS = (
    "total",
    "open",
    "not_due",
    "due_soon",
    "overdue",
    "in_progress",
    "done_on_time",
    "done_late",
    "cancelled",
)
MONTH_FIELDS = ("given", "due", "done", "done_on_time", "done_late", "open", "overdue")
INDICATOR_TEXTS = {"code": 40, "name": 300, "unit": 50, "period": 16}  # field → max length

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,59}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- What this instance reports ----------------------------------------------------------------


def organizations_for_peer(peer: Peer) -> QuerySet[Organization]:
    """What this instance reports up to ``peer``: nothing unless the peer is active and is
    configured as our upper level (``sends_figures``). Then the hosted, active committees
    directly under the peer's organisations (``peer.organizations``: our rows of the
    organisations hosted over there, e.g. the Tỉnh ủy above a Đảng ủy running its own server);
    with none configured, the hosted active committees at the top of what is hosted here
    (no parent, or a parent hosted elsewhere). Each one's figures cover its whole hosted
    subtree (``figures_payload``), so the committees below them are not sent again."""
    if not (peer.active and peer.sends_figures):
        return Organization.objects.none()
    committees = Organization.objects.filter(
        hosted=True, active=True, kind=OrgKind.COMMITTEE, is_office=False
    ).order_by("path")
    upper = peer.organizations.values("pk")
    if peer.organizations.exists():
        return committees.filter(parent__in=upper)
    return committees.filter(Q(parent__isnull=True) | Q(parent__hosted=False))


def organization_key(organization: Organization) -> str:
    """How the organisation is named to the other instance: its electronic identifier (mã
    định danh, the one edXML uses), else ``slug:<slug>``; ``id:<pk>`` when it has neither
    (the upper level then keeps the figures without tying them to one of its rows)."""
    if organization.electronic_id.strip():
        return organization.electronic_id.strip()
    if organization.slug:
        return f"slug:{organization.slug}"
    return f"id:{organization.pk}"


# --- Building the payload ----------------------------------------------------------------------


def _month_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_end(month: dt.date) -> dt.date:
    return _month_back(month, -1) - dt.timedelta(days=1)


def _outermost(paths: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _n(q: Q) -> Count:
    return Count("id", filter=q)


def _roots_of(path: str, roots: list[Organization]) -> list[Organization]:
    return [r for r in roots if path.startswith(r.path)]


def figures_payload(*, organizations: Iterable[Organization], as_of: dt.date) -> dict[str, Any]:
    """The summary figures of ``organizations`` as of ``as_of``, JSON-able (see the module's
    docstring): counts only. Five grouped queries (plus the calendar's), whatever the number
    of organisations and tasks."""
    roots = [o for o in organizations]
    today = Today.now(day=as_of)
    entries: dict[int, dict[str, Any]] = {}
    for org in roots:
        entries[org.pk] = {
            "key": organization_key(org),
            "name": org.name,
            "tasks": dict.fromkeys(TASK_FIELDS, 0),
            "tasks_by_month": [],
            "indicators": [],
        }
    payload: dict[str, Any] = {
        "version": FIGURES_VERSION,
        "as_of": as_of.isoformat(),
        "organizations": [entries[o.pk] for o in roots],
    }
    if not roots:
        return payload

    subtree = Q(pk__in=[])
    for path in _outermost(o.path for o in roots):
        subtree |= Q(lead_organization__path__startswith=path)
    tasks = Task.objects.filter(subtree, lead_organization__hosted=True).order_by()
    not_cancelled = ~Q(outcome=Outcome.CANCELLED)

    # Status counts, per lead organisation (its path tells which roots it falls under).
    status_fields = {
        "total": _n(not_cancelled),
        "open": _n(status_q("open", today)),
        "not_due": _n(status_q(Status.NOT_DUE, today)),
        "due_soon": _n(status_q(Status.DUE_SOON, today)),
        "overdue": _n(status_q(Status.OVERDUE, today)),
        "in_progress": _n(status_q("in_progress", today)),
        "done_on_time": _n(status_q(Status.DONE_ON_TIME, today)),
        "done_late": _n(status_q(Status.DONE_LATE, today)),
        "cancelled": _n(status_q(Status.CANCELLED, today)),
    }
    for row in tasks.values("lead_organization__path").annotate(**status_fields):
        for root in _roots_of(row["lead_organization__path"], roots):
            counts = entries[root.pk]["tasks"]
            for name in TASK_FIELDS:
                counts[name] += row[name] or 0

    # The last twelve months.
    last = as_of.replace(day=1)
    first = _month_back(last, MONTHS - 1)
    months = [_month_back(last, n) for n in range(MONTHS - 1, -1, -1)]
    for org in roots:
        entries[org.pk]["tasks_by_month"] = [
            {"month": f"{m:%Y-%m}", **dict.fromkeys(MONTH_FIELDS, 0)} for m in months
        ]
    index = {m: i for i, m in enumerate(months)}

    def add(path: str, month: Any, values: dict[str, int]) -> None:
        if isinstance(month, dt.datetime):
            month = month.date()
        i = index.get(month)
        if i is None:
            return
        for root in _roots_of(path, roots):
            cell = entries[root.pk]["tasks_by_month"][i]
            for name, value in values.items():
                cell[name] += value or 0

    month_of = TruncMonth(Coalesce("original_due_date", "assigned_on"), output_field=DateField())
    by_due = (
        tasks.filter(period_q(first, _month_end(last)))
        .annotate(m=month_of)
        .values("lead_organization__path", "m")
        .annotate(
            due=_n(not_cancelled),
            done_on_time=_n(Q(outcome=Outcome.ON_TIME)),
            done_late=_n(Q(outcome=Outcome.LATE)),
            open=_n(Q(outcome=Outcome.OPEN)),
            overdue=_n(status_q(Status.OVERDUE, today)),
        )
    )
    for row in by_due:
        path, month = row.pop("lead_organization__path"), row.pop("m")
        row["done"] = (row["done_on_time"] or 0) + (row["done_late"] or 0)
        add(path, month, row)
    given = (
        tasks.filter(not_cancelled, assigned_on__gte=first, assigned_on__lte=_month_end(last))
        .annotate(m=TruncMonth("assigned_on", output_field=DateField()))
        .values("lead_organization__path", "m")
        .annotate(given=Count("id"))
    )
    for row in given:
        add(row["lead_organization__path"], row["m"], {"given": row["given"]})

    # The latest submitted period of each indicator of the organisations' own requests.
    latest = (
        ReportValue.objects.filter(
            indicator=OuterRef("indicator"), submission__state=SubmissionState.SUBMITTED
        )
        .order_by("-submission__period")
        .values("submission__period")[:1]
    )
    indicators = (
        ReportValue.objects.filter(
            submission__request__organization_id__in=[o.pk for o in roots],
            submission__request__active=True,
            submission__state=SubmissionState.SUBMITTED,
            submission__period=Subquery(latest),
        )
        .values(
            "submission__request__organization_id",
            "indicator_id",
            "indicator__code",
            "indicator__name",
            "indicator__unit",
            "submission__period",
        )
        .annotate(value=Sum("value"), reporters=Count("id"))
        .order_by(
            "submission__request__organization_id",
            F("submission__request__created_at").desc(),
            "indicator__order",
            "indicator_id",
        )
    )
    for row in indicators:
        listed = entries[row["submission__request__organization_id"]]["indicators"]
        if len(listed) >= MAX_INDICATORS:
            continue
        listed.append(
            {
                "code": row["indicator__code"],
                "name": row["indicator__name"],
                "unit": row["indicator__unit"],
                "period": row["submission__period"],
                "value": number(row["value"]),
                "reporters": row["reporters"],
            }
        )
    return payload


# --- Receiving ----------------------------------------------------------------------------------


class _Errors:
    """The reasons a payload is refused, in Vietnamese, the first few of them."""

    LIMIT = 20

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        if len(self.messages) < self.LIMIT:
            self.messages.append(message)

    def raise_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any, where: str, errors: _Errors) -> int:
    if not _is_int(value) or not 0 <= value <= MAX_COUNT:
        errors.add(
            f"{where}: phải là số nguyên không âm (nhận được {json.dumps(value, ensure_ascii=False)[:40]})."
        )
        return 0
    return int(value)


def _text(value: Any, where: str, errors: _Errors, *, max_length: int, required: bool = True) -> str:
    if not isinstance(value, str):
        errors.add(f"{where}: phải là chuỗi ký tự.")
        return ""
    value = value.strip()
    if required and not value:
        errors.add(f"{where}: không được để trống.")
    if len(value) > max_length:
        errors.add(f"{where}: dài quá {max_length} ký tự.")
    if any(ord(c) < 32 for c in value):
        errors.add(f"{where}: có ký tự điều khiển.")
    return value[:max_length]


def _value(value: Any, where: str, errors: _Errors) -> int | float | None:
    """An indicator's value: a number (a decimal may come as a string). Negative values are
    accepted: an indicator may fall (a growth rate), as the reporting forms allow."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        errors.add(f"{where}: phải là một số.")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        errors.add(f"{where}: phải là một số hữu hạn.")
        return None
    try:
        decimal = Decimal(str(value).strip())
    except InvalidOperation:
        errors.add(f"{where}: phải là một số.")
        return None
    if not decimal.is_finite() or abs(decimal) >= MAX_VALUE:
        errors.add(f"{where}: số quá lớn.")
        return None
    return number(decimal.quantize(Decimal("0.0001")))


def _keys(item: dict[str, Any], allowed: Iterable[str], where: str, errors: _Errors) -> None:
    unknown = sorted(set(item) - set(allowed))
    if unknown:
        errors.add(f"{where}: có trường không biết: {', '.join(str(k)[:30] for k in unknown[:5])}.")


def _date(value: Any, where: str, errors: _Errors) -> dt.date | None:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        errors.add(f"{where}: phải là ngày dạng NNNN-TT-NN.")
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        errors.add(f"{where}: ngày {value} không có thật.")
        return None
    # One day of grace: the two instances' clocks and midnights need not agree to the minute.
    if not OLDEST <= day <= timezone.localdate() + dt.timedelta(days=1):
        errors.add(f"{where}: ngày {value} ở tương lai hoặc quá xa.")
        return None
    return day


def _month(value: Any, where: str, errors: _Errors) -> str:
    match = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < OLDEST.year:
        errors.add(f"{where}: tháng phải có dạng NNNN-TT.")
        return ""
    return str(value)


def _tasks(value: Any, where: str, errors: _Errors) -> dict[str, int]:
    if not isinstance(value, dict):
        errors.add(f"{where}: phải là một bảng số liệu.")
        return {}
    _keys(value, TASK_FIELDS, where, errors)
    counts = {}
    for name in TASK_FIELDS:
        if name not in value:
            errors.add(f"{where}: thiếu số liệu {name}.")
            continue
        counts[name] = _count(value[name], f"{where}.{name}", errors)
    return counts


def _months(value: Any, where: str, errors: _Errors) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > MAX_MONTHS:
        errors.add(f"{where}: phải là danh sách tối đa {MAX_MONTHS} tháng.")
        return []
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            errors.add(f"{at}: phải là một bảng số liệu.")
            continue
        _keys(item, ("month", *MONTH_FIELDS), at, errors)
        month = _month(item.get("month"), f"{at}.month", errors)
        if month and month in seen:
            errors.add(f"{at}: tháng {month} lặp lại.")
        seen.add(month)
        row: dict[str, Any] = {"month": month}
        for name in MONTH_FIELDS:
            row[name] = _count(item.get(name, 0), f"{at}.{name}", errors)
        rows.append(row)
    return sorted(rows, key=lambda r: str(r["month"]))


def _indicators(value: Any, where: str, errors: _Errors) -> list[dict[str, Any]]:
    if not isinstance(value, list) or len(value) > MAX_INDICATORS:
        errors.add(f"{where}: phải là danh sách tối đa {MAX_INDICATORS} chỉ tiêu.")
        return []
    rows: list[dict[str, Any]] = []
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            errors.add(f"{at}: phải là một bảng số liệu.")
            continue
        _keys(item, (*INDICATOR_TEXTS, "value", "reporters"), at, errors)
        row: dict[str, Any] = {
            name: _text(
                item.get(name, ""),
                f"{at}.{name}",
                errors,
                max_length=limit,
                required=name in ("code", "name"),
            )
            for name, limit in INDICATOR_TEXTS.items()
        }
        row["value"] = _value(item.get("value"), f"{at}.value", errors)
        row["reporters"] = _count(item.get("reporters", 0), f"{at}.reporters", errors)
        rows.append(row)
    return rows


def validate_payload(payload: Any) -> tuple[dt.date, list[dict[str, Any]]]:
    """The day and the organisations' figures of a valid payload, cleaned; ``ValidationError``
    with every reason (in Vietnamese, the first twenty) otherwise."""
    errors = _Errors()
    if not isinstance(payload, dict):
        raise ValidationError(_("Số liệu tổng hợp phải là một đối tượng JSON."))
    try:
        size = len(json.dumps(payload, ensure_ascii=False))
    except (TypeError, ValueError):
        raise ValidationError(_("Số liệu tổng hợp có giá trị không phải JSON.")) from None
    if size > MAX_PAYLOAD_CHARS:
        raise ValidationError(_("Số liệu tổng hợp quá lớn (tối đa %(n)s ký tự).") % {"n": MAX_PAYLOAD_CHARS})
    version = payload.get("version")
    if not _is_int(version) or version != FIGURES_VERSION:
        raise ValidationError(
            _("Phiên bản số liệu tổng hợp %(v)s không được hỗ trợ (hệ thống này đọc phiên bản %(ours)s).")
            % {"v": json.dumps(version, ensure_ascii=False)[:20], "ours": FIGURES_VERSION}
        )
    _keys(payload, ("version", "as_of", "organizations"), "Gói số liệu", errors)
    as_of = _date(payload.get("as_of"), "Ngày số liệu (as_of)", errors)
    items = payload.get("organizations")
    entries: list[dict[str, Any]] = []
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ORGANIZATIONS:
        errors.add(f"Danh sách cơ quan phải có từ 1 đến {MAX_ORGANIZATIONS} cơ quan.")
        items = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        at = f"Cơ quan thứ {i + 1}"
        if not isinstance(item, dict):
            errors.add(f"{at}: phải là một đối tượng.")
            continue
        _keys(item, ("key", "name", "tasks", "tasks_by_month", "indicators"), at, errors)
        key = item.get("key")
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            errors.add(f"{at}: mã cơ quan (key) không hợp lệ.")
            key = ""
        elif key in seen:
            errors.add(f"{at}: mã cơ quan {key} lặp lại.")
        seen.add(key)
        at = f"{at} ({key})" if key else at
        entries.append(
            {
                "key": key,
                "name": _text(item.get("name"), f"{at}, tên", errors, max_length=255),
                "tasks": _tasks(item.get("tasks"), f"{at}, tasks", errors),
                "tasks_by_month": _months(item.get("tasks_by_month", []), f"{at}, tasks_by_month", errors),
                "indicators": _indicators(item.get("indicators", []), f"{at}, indicators", errors),
            }
        )
    errors.raise_any()
    assert as_of is not None  # an invalid day is an error raised above
    return as_of, entries


def _our_rows(peer: Peer) -> dict[str, Organization]:
    """Our rows of the organisations hosted by ``peer``, by the keys it may name them by."""
    rows: dict[str, Organization] = {}
    for org in peer.organizations.all():
        if org.slug:
            rows[f"slug:{org.slug}"] = org
    for org in peer.organizations.all():  # the electronic identifier wins over a slug
        if org.electronic_id.strip():
            rows[org.electronic_id.strip()] = org
    return rows


def figures_receive(*, peer: Peer, payload: Any) -> list[LowerFigures]:
    """Take in the figures ``peer`` sent (``figures_payload`` over there): validated strictly
    (``ValidationError`` with the reasons, nothing stored), then one row per organisation and
    day, replacing what the same peer sent for that day before, in one transaction. A key
    names one of our rows only among the organisations configured as hosted by that peer
    (``peer.organizations``): a peer cannot file figures under another's organisation; an
    unknown key is kept with no row (only superusers see it until the peer is configured)."""
    if not peer.active:
        raise ValidationError(_("Hệ thống %(peer)s đang ngừng kết nối.") % {"peer": peer.name})
    as_of, entries = validate_payload(payload)
    now = timezone.now()
    saved: list[LowerFigures] = []
    with transaction.atomic():
        ours = _our_rows(peer)
        for entry in entries:
            figures = {k: entry[k] for k in ("tasks", "tasks_by_month", "indicators")}
            row, _created = LowerFigures.objects.update_or_create(
                peer=peer,
                organization_key=entry["key"],
                as_of=as_of,
                defaults={
                    "organization": ours.get(entry["key"]),
                    "organization_name": entry["name"],
                    "figures": figures,
                    "received_at": now,
                },
            )
            saved.append(row)
        audit_record(
            actor=None,
            actor_username=f"peer:{peer.code}",
            action="exchange.figures_receive",
            target=peer,
            after={
                "as_of": as_of,
                "organizations": [r.organization_key for r in saved],
                "unmatched": [r.organization_key for r in saved if r.organization_id is None],
            },
        )
    return saved
