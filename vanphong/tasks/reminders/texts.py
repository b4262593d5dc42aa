"""What a reminder says: links, the lead's name, the due date in words, and the neutral line
of a classified task (never its title in an e-mail)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from vanphong.tasks.models import ReminderKind, Task

CHUNK = 500
DIGEST_ITEMS = 10  # tasks listed per section of a digest; the rest are counted

# The notification kind of each reminder (``VANPHONG_NOTIFY_IMMEDIATE_KINDS`` names these).
NOTIFICATION_KIND: dict[str, str] = {
    ReminderKind.BEFORE: "task.remind_before",
    ReminderKind.DUE: "task.remind_due",
    ReminderKind.OVERDUE: "task.remind_overdue",
    ReminderKind.ESCALATE_HEAD: "task.escalate_head",
    ReminderKind.ESCALATE_OFFICE: "task.escalate_office",
}
# When one person is due several reminders of a task on one day, the strongest one goes.
STRENGTH: dict[str, int] = {
    ReminderKind.BEFORE: 1,
    ReminderKind.DUE: 2,
    ReminderKind.OVERDUE: 3,
    ReminderKind.ESCALATE_HEAD: 4,
    ReminderKind.ESCALATE_OFFICE: 5,
}
ESCALATIONS = (ReminderKind.ESCALATE_HEAD, ReminderKind.ESCALATE_OFFICE)


def task_url(task_id: int) -> str:
    """The task's page."""
    return reverse("tasks:detail", args=[task_id])


def _list_url(status: str) -> str:
    """The list of "Việc của tôi" in one status."""
    return f"{reverse('tasks:list')}?{urlencode({'tab': 'mine', 'status': status})}"


def lead_label(task: Task) -> str:
    if task.lead_person_id is not None:
        return f"{task.lead_person} ({task.lead_organization.short_name or task.lead_organization})"
    if task.lead_unit_id is not None:
        return f"{task.lead_unit} – {task.lead_organization.short_name or task.lead_organization}"
    return str(task.lead_organization)


def due_text(task: Task) -> str:
    if task.due_date is None:
        return "không có hạn"
    text = f"{task.due_date:%d/%m/%Y}"
    if task.effective_due and task.effective_due != task.due_date:
        text += f" (trùng ngày nghỉ, tính đến {task.effective_due:%d/%m/%Y})"
    return text


# A classified task's title is often a secret document's subject: what leaves the system by
# e-mail about one says no more than this (the notification page has the rest).
CLASSIFIED_TASK = "Có nhiệm vụ mật cần xử lý"
CLASSIFIED_SEE = "xem trên hệ thống"


def classified_line(task: Task) -> str:
    """The neutral line an e-mail about a classified task carries (only its due date)."""
    due = f" (hạn {task.due_date:%d/%m/%Y})" if task.due_date else ""
    return f"{CLASSIFIED_TASK}{due}, {CLASSIFIED_SEE}"


def reminder_text(task: Task, kind: str, *, late: int = 0, ahead: int = 0) -> tuple[str, str]:
    """The title and body of a reminder, in Vietnamese."""
    title = task.title
    if kind == ReminderKind.BEFORE:
        heading = f"Còn {ahead} ngày làm việc đến hạn: {title}"
    elif kind == ReminderKind.DUE:
        heading = f"Hôm nay đến hạn: {title}"
    elif kind == ReminderKind.OVERDUE:
        heading = f"Quá hạn {late} ngày làm việc: {title}"
    elif kind == ReminderKind.ESCALATE_HEAD:
        heading = f"Báo lãnh đạo đơn vị chủ trì — nhiệm vụ quá hạn {late} ngày làm việc: {title}"
    else:
        heading = f"Báo Văn phòng theo dõi — nhiệm vụ quá hạn {late} ngày làm việc: {title}"
    lines = [
        f"Hạn hoàn thành: {due_text(task)}.",
        f"Chủ trì: {lead_label(task)}.",
        f"Cơ quan giao: {task.organization}.",
        f"Tiến độ: {task.progress}% ({task.get_state_display().lower()}).",
    ]
    if kind in ESCALATIONS:
        lines.append("Đơn vị chủ trì chưa báo cáo hoàn thành. Đề nghị đôn đốc, nắm tình hình.")
    elif kind == ReminderKind.OVERDUE:
        lines.append("Đề nghị khẩn trương hoàn thành hoặc đề nghị gia hạn, nêu rõ lý do.")
    return heading, "\n".join(lines)
