"""Background jobs of the audit trail (Celery). The nightly check is scheduled in
``vanphong.core.schedule`` from VANPHONG_SCHEDULE_VERIFY_AUDIT."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from vanphong.audit.models import AuditChainHead, AuditEvent
from vanphong.audit.services import audit_verification_record
from vanphong.audit.verify import ChainReport, verify_chain
from vanphong.orgs.models import Person, Role, RoleAssignment

logger = logging.getLogger(__name__)

# A full check of a few million entries takes minutes; two hours leaves a wide margin and
# still ends well before the next night's run (beat entries expire after six hours).
TIME_LIMIT = 2 * 3600


def administrator_emails() -> list[str]:
    """Addresses of the people holding the quan_tri role today (their own address, or
    their account's)."""
    admins = (
        Person.objects.active()
        .filter(roles__in=RoleAssignment.objects.current().filter(role=Role.QUAN_TRI))
        .select_related("user")
        .distinct()
    )
    emails: set[str] = set()
    for person in admins:
        email = person.email or (person.user.email if person.user and person.user.is_active else "")
        if email:
            emails.add(email.strip())
    return sorted(emails)


def _start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def _already_alerted_today(report: ChainReport) -> bool:
    """Whether administrators were already told today about this same break (a redelivered
    or repeated run must not send the alarm twice)."""
    return AuditEvent.objects.filter(
        action="audit.verify",
        at__gte=_start_of_today(),
        after__first_broken=report.first_broken,
        after__alerted=True,
    ).exists()


def _alert_administrators(report: ChainReport) -> bool:
    recipients = administrator_emails()
    if not recipients:
        logger.error("audit chain broken and no administrator has an e-mail address to alert")
        return False
    context = {"report": report, "checked_at": timezone.localtime()}
    subject = render_to_string("audit/email_chain_broken_subject.txt", context).strip()
    body = render_to_string("audit/email_chain_broken.txt", context)
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # a mail server failure must not hide the break: it is logged and recorded
        logger.exception("could not e-mail administrators about the broken audit chain")
        return False
    return True


@shared_task(
    name="vanphong.audit.jobs.verify_audit_chain",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
    ignore_result=True,
)
def verify_audit_chain() -> dict[str, Any]:
    """Check the whole chain, record the outcome (``audit.verify``) and, when the chain is
    broken, log an error and e-mail the administrators once per day and break.

    Safe to run twice: the check only reads, and a repeated alarm is not sent again."""
    report = verify_chain()
    alerted: bool | None = None
    if not report.ok:
        logger.error(
            "audit chain broken at entry #%s: %s (%s entries checked)",
            report.first_broken,
            report.reason,
            report.checked,
        )
        alerted = True if _already_alerted_today(report) else _alert_administrators(report)
    audit_verification_record(actor=None, report=report, alerted=alerted)
    return report.as_dict()


def anchor_recipients() -> list[str]:
    """The administrators (quan_tri role) and the active superusers with an address."""
    emails = set(administrator_emails())
    superusers = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
    emails.update(email.strip() for email in superusers.values_list("email", flat=True) if email.strip())
    return sorted(emails)


@shared_task(
    name="vanphong.audit.jobs.send_audit_anchor", time_limit=300, soft_time_limit=240, ignore_result=True
)
def send_audit_anchor() -> dict[str, Any]:
    """Send the chain head (``SEQ:HASH``) out of the database: a log line and an e-mail to
    the administrators. Whoever keeps it can later run ``vanphong verify-audit --expect
    SEQ:HASH`` and prove that no entry up to it has been deleted since, even by someone
    who rewrote the database and its head consistently."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        from django.contrib.auth import get_user_model

        # A trail can only be empty before anyone has used the install: with accounts in
        # the database, an empty trail means it was wiped (triggers dropped by the tables'
        # owner): said loudly, and the last anchor kept outside proves it.
        if get_user_model().objects.exists():
            logger.error("audit chain anchor: the trail is EMPTY although accounts exist (wiped?)")
        else:
            logger.info("audit chain anchor: the trail is empty")
        return {"anchor": None, "mailed": 0}
    mac_ok = hmac.compare_digest(head.mac, head.compute_mac())
    anchor = head.anchor
    if mac_ok:
        logger.info("audit chain anchor %s", anchor)
    else:
        logger.error("audit chain anchor %s: the head's MAC is invalid (head rewritten)", anchor)
    recipients = anchor_recipients()
    if not recipients:
        logger.warning("audit chain anchor: no administrator has an e-mail address")
        return {"anchor": anchor, "mailed": 0}
    now = timezone.localtime()
    subject = f"[Văn phòng số] Mốc chuỗi nhật ký #{head.last_seq} ngày {now:%d/%m/%Y}"
    lines = [
        "Kính gửi quản trị hệ thống,",
        "",
        f"Mốc chuỗi nhật ký lúc {now:%H:%M %d/%m/%Y}:",
        "",
        f"Đầu chuỗi: {anchor}",
        "",
        "Vui lòng lưu thư này ngoài máy chủ. Để chứng minh không mục nào đến mốc này bị xóa, chạy:",
        f"    vanphong verify-audit --expect {anchor}",
    ]
    if not mac_ok:
        lines += ["", "CẢNH BÁO: mã xác thực của đầu chuỗi không hợp lệ; đầu chuỗi có thể đã bị ghi lại."]
    try:
        send_mail(subject, "\n".join(lines) + "\n", None, recipients)
    except Exception:  # the log line above still carries the anchor
        logger.exception("could not e-mail the audit chain anchor")
        return {"anchor": anchor, "mailed": 0}
    return {"anchor": anchor, "mailed": len(recipients)}
