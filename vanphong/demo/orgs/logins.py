"""Reading the demo logins back, for the README's table and ``serve``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.utils.translation import gettext as _

from vanphong.demo.orgs.province import DEFAULT_PASSWORD, PEOPLE
from vanphong.orgs.models import (
    Classification,
    RoleAssignment,
)

# --- Reading the logins back -------------------------------------------------------------------

FEATURED_USERNAMES = tuple(p.username for p in PEOPLE if p.featured)


@dataclass(frozen=True)
class LoginRow:
    username: str
    who: str
    role: str
    clearance: str
    second_factor: bool
    password: str


def login_rows(password: str | None = None) -> list[LoginRow]:
    """The featured demo accounts found in the database, in the order of the demo data.

    ``password`` is what the seed just set; without it (``--if-empty``, ``serve``) each
    account is checked against the default password, so the table never shows a password
    that no longer works."""
    from vanphong.accounts.second_factor import second_factor_required

    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=FEATURED_USERNAMES, is_active=True).select_related(
            "person__position", "person__organization"
        )
    }
    verdicts: dict[str, bool] = {}  # password hash → whether the default password matches
    rows = []
    for username in FEATURED_USERNAMES:
        user = users.get(username)
        person = getattr(user, "person", None) if user else None
        if user is None or person is None:
            continue
        role = (
            RoleAssignment.objects.current()
            .filter(person=person)
            .select_related("organization")
            .order_by("pk")
            .first()
        )
        if password is not None:
            shown = password
        else:
            if user.password not in verdicts:
                verdicts[user.password] = check_password(DEFAULT_PASSWORD, user.password)
            shown = DEFAULT_PASSWORD if verdicts[user.password] else _("(đã đổi)")
        position = person.position.name if person.position else ""
        job = role.title if role and role.title else f"{position}, {person.organization.name}"
        rows.append(
            LoginRow(
                username=username,
                who=f"{person.full_name} ({job})",
                role=f"{role.get_role_display()} — {role.organization.name}" if role else "",
                clearance=str(Classification(person.clearance).label),
                second_factor=second_factor_required(user),
                password=shown,
            )
        )
    return rows


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


DEMO_SECOND_FACTOR_OFF = (
    "Bản chạy thử: đã tắt xác thực hai lớp cho các tài khoản mẫu (VANPHONG_TOTP_REQUIRED=none); "
    "khi triển khai thật, xác thực hai lớp luôn bật."
)


def format_logins(rows: list[LoginRow], *, url: str, others: int = 0) -> str:
    """The Vietnamese table of demo logins, with the address to open."""
    if not rows:
        return ""
    header = (_("Tài khoản"), _("Người dùng"), _("Vai trò"), _("Độ mật"), _("Xác thực 2 lớp"), _("Mật khẩu"))
    body = [
        (r.username, r.who, r.role, r.clearance, _("bắt buộc") if r.second_factor else _("không"), r.password)
        for r in rows
    ]
    lines = [_("Tài khoản dùng thử (mở %(url)s):") % {"url": url}, "", *_table(header, body), ""]
    if settings.VANPHONG_TOTP_REQUIRED == "none":
        lines.append(DEMO_SECOND_FACTOR_OFF)
    if any(r.second_factor for r in rows):
        lines.append(
            _(
                "Tài khoản ghi \u201cbắt buộc\u201d phải cài ứng dụng xác thực (TOTP) "
                "ở lần đăng nhập đầu tiên (chính sách VANPHONG_TOTP_REQUIRED=%(policy)s): "
                "quét mã QR bằng ứng dụng xác thực trên điện thoại."
            )
            % {"policy": settings.VANPHONG_TOTP_REQUIRED}
        )
    if others:
        lines.append(
            _(
                "Ngoài ra còn %(count)d tài khoản cán bộ khác, cùng mật khẩu "
                "(xem trong trang quản lý tài khoản)."
            )
            % {"count": others}
        )
    return "\n".join(lines)


def demo_account_count() -> int:
    usernames = {p.username for p in PEOPLE}
    return (
        get_user_model().objects.filter(username__in=usernames).count()
        + get_user_model().objects.filter(username__startswith="canbo.").count()
    )


def logins_text(*, url: str, password: str | None = None) -> str:
    """Everything ``seed-demo`` and ``serve`` print about the demo accounts ("" when the
    database holds no demo province)."""
    rows = login_rows(password)
    if not rows:
        return ""
    return format_logins(rows, url=url, others=max(demo_account_count() - len(rows), 0))


def summary(counts: dict[str, Any]) -> str:
    return (
        _(
            "%(organizations)d tổ chức, %(units)d phòng, %(people)d cán bộ, %(accounts)d tài khoản, "
            "%(role_assignments)d vai trò"
        )
        % counts
    )
