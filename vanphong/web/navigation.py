"""The navigation shown to each user, by what the access layer says they may do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanphong.orgs.access import Capability, can


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def navigation_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = [NavItem(str(_("Việc của tôi")), reverse("web:home"), "home")]
    if can(user, Capability.READ):
        items.append(NavItem(str(_("Văn bản đến")), reverse("documents:incoming_list"), "incoming"))
        items.append(NavItem(str(_("Văn bản đi")), reverse("documents:outgoing_list"), "outgoing"))
        items.append(NavItem(str(_("Nhiệm vụ")), reverse("tasks:list"), "tasks"))
        items.append(NavItem(str(_("Bảng điều hành")), reverse("tasks:dashboard"), "task_dashboard"))
        items.append(NavItem(str(_("Lịch họp")), reverse("programs:meeting_list"), "meetings"))
        items.append(NavItem(str(_("Lịch công tác tuần")), reverse("programs:calendar_week"), "calendar"))
        items.append(
            NavItem(str(_("Chương trình công tác")), reverse("programs:program_list"), "work_programs")
        )
        items.append(NavItem(str(_("Chế độ báo cáo")), reverse("reporting:request_list"), "reporting"))
    if can(user, Capability.READ) or can(user, Capability.REGISTER):
        # Whoever reads or keeps an organisation's books reads its petitions book (the
        # identities stay masked there); no query: the access scope is the request's.
        items.append(NavItem(str(_("Đơn thư")), reverse("petitions:petition_list"), "petitions"))
    if can(user, Capability.READ) or can(user, Capability.WRITE):
        items.append(NavItem(str(_("Hồ sơ")), reverse("records:record_list"), "records"))
    if can(user, Capability.READ) or can(user, Capability.WRITE):
        # The shared services (cars, rooms, assets, spending) every agency of a committee uses.
        items.append(NavItem(str(_("Hậu cần")), reverse("logistics:trip_list"), "logistics"))
    if can(user, Capability.READ):
        items.append(NavItem(str(_("Tra cứu")), reverse("search:search"), "search"))
    if can(user, Capability.REGISTER):
        items.append(NavItem(str(_("Chờ vào sổ")), reverse("documents:arrival_list"), "arrivals"))
    if can(user, Capability.REGISTER) or getattr(user, "is_superuser", False):
        # The exchange with other offices' systems: what was sent, received, refused.
        items.append(NavItem(str(_("Liên thông")), reverse("exchange:status"), "exchange"))
    if can(user, Capability.REGISTER) or can(user, Capability.DIRECT) or can(user, Capability.MANAGE_PEOPLE):
        items.append(NavItem(str(_("Sổ văn bản")), reverse("documents:register_list"), "registers"))
    if can(user, Capability.READ):
        items.append(NavItem(str(_("Tổ chức, cán bộ")), reverse("orgs:directory"), "orgs"))
        items.append(NavItem(str(_("Biên chế")), reverse("orgs:staffing"), "staffing"))
    if can(user, Capability.MANAGE_PEOPLE):
        items.append(NavItem(str(_("Tài khoản")), reverse("accounts:user_list"), "accounts"))
    if can(user, Capability.VIEW_AUDIT):
        items.append(NavItem(str(_("Nhật ký hệ thống")), reverse("audit:list"), "audit"))
    return items
