"""Every change to notifications: telling a person something, marking it read, and the
e-mails — at once for the kinds configured as urgent (``VANPHONG_NOTIFY_IMMEDIATE_KINDS``:
escalations by default), otherwise in one digest a day.

E-mails are sent after the transaction that made the notification has committed, by a job
(``vanphong.notifications.jobs.email_notification``), so that a mail server that is slow or
down never holds up the request or the reminder run that notified. Each send first claims
its row with a conditional UPDATE (``emailed_at`` / ``DigestLog``): a job that runs twice,
or on two workers at once, sends once. A send that fails gives its claim back, so the
notification goes out in the next digest instead.

No e-mail carries the title or body of a notification about a classified record: it says
only the neutral line the caller gave (``neutral_title``), with the link (``email_text``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from vanphong.core.jobs import enqueue
from vanphong.notifications import digest
from vanphong.notifications.models import DigestLog, Notification
from vanphong.notifications.selectors import unread_count
from vanphong.orgs.models import Person

__all__ = [
    "DigestReport",
    "email_address",
    "email_now",
    "mark_all_read",
    "mark_read",
    "notify",
    "send_digest",
    "send_digests",
    "unread_count",
]

logger = logging.getLogger(__name__)

MAX_TITLE = 300
# What an e-mail says of a classified notification whose sender gave no neutral line.
CLASSIFIED_TITLE = "Có thông báo mật, xem trên hệ thống"
# Notifications listed in one digest; the rest are counted ("và 12 thông báo khác").
DIGEST_MAX_NOTIFICATIONS = 50
PEOPLE_PER_BATCH = 200


def email_address(person: Person) -> str:
    """Where a person's e-mail goes: their own address, or their account's."""
    if person.email:
        return person.email.strip()
    user = person.user
    if user is not None and user.is_active and user.email:
        return user.email.strip()
    return ""


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (``VANPHONG_SITE_URL``) and the path; none
    when the address is not configured (a bare path means nothing in a mail client)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.VANPHONG_SITE_URL}{path}" if settings.VANPHONG_SITE_URL else ""


def is_immediate(kind: str) -> bool:
    return kind in settings.VANPHONG_NOTIFY_IMMEDIATE_KINDS


def _clip(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notify(
    recipient: Person,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    subject: str = "",
    *,
    classification: int = 0,
    neutral_title: str = "",
) -> Notification | None:
    """Tell ``recipient`` something: a row in their notifications (the bell's counter), and
    an e-mail at once when ``kind`` is urgent and they have an address (after commit).
    Nobody is told anything once they have left (an inactive person): returns None.

    ``classification`` is that of the record it is about; above 0, e-mails say only
    ``neutral_title`` (a line naming nothing of the record), never ``title`` or ``body``."""
    if not recipient.active:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=_clip(title, MAX_TITLE),
        body=(body or "").strip(),
        url=url[:300],
        subject=subject[:80],
        classification=max(0, int(classification or 0)),
        neutral_title=_clip(neutral_title, MAX_TITLE),
    )
    if is_immediate(kind):
        pk = notification.pk
        # robust: a broker that is down must not break the run that notified; the row stays
        # un-e-mailed and goes in the next digest.
        enqueue("vanphong.notifications.jobs.email_notification", pk, robust=True)
    return notification


def email_text(notification: Notification) -> tuple[str, str]:
    """The title and body an e-mail may carry: for a classified notification the neutral
    line alone (the page behind sign-in has the rest)."""
    if notification.classification > 0:
        return notification.neutral_title or CLASSIFIED_TITLE, ""
    return notification.title, notification.body


def email_now(notification_id: int) -> bool:
    """E-mail one notification now (the job's body). Sends nothing for a notification
    already e-mailed or read, or a recipient with no address. Returns whether it sent."""
    notification = Notification.objects.select_related("recipient__user").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at or notification.read_at:
        return False
    address = email_address(notification.recipient)
    if not address:
        return False
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, read_at__isnull=True
    ).update(emailed_at=claimed_at)
    if not claimed:  # another worker has it
        return False
    title, body = email_text(notification)
    context = {
        "title": title,
        "body": body,
        "person": notification.recipient,
        "link": absolute_url(notification.url),
        "site_url": settings.VANPHONG_SITE_URL,
    }
    try:
        _send(
            address,
            render_to_string("notifications/email/notification_subject.txt", context),
            render_to_string("notifications/email/notification.txt", context),
            render_to_string("notifications/email/notification.html", context),
        )
    except Exception:
        logger.exception("could not e-mail notification %s; it goes in the next digest", notification_id)
        Notification.objects.filter(pk=notification_id, emailed_at=claimed_at).update(emailed_at=None)
        return False
    return True


def _send(address: str, subject: str, text: str, html: str) -> None:
    message = EmailMultiAlternatives(" ".join(subject.split()), text, None, [address])
    message.attach_alternative(html, "text/html")
    message.send()


def mark_read(person: Person, notification: Notification | int) -> bool:
    """Mark one of ``person``'s notifications read. Returns whether it was unread."""
    pk = notification if isinstance(notification, int) else notification.pk
    changed = Notification.objects.filter(pk=pk, recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return bool(changed)


def mark_all_read(person: Person) -> int:
    """Mark every notification of ``person`` read; returns how many were unread."""
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(read_at=timezone.now())


# --- The daily digest --------------------------------------------------------------------------


@dataclass
class DigestReport:
    day: dt.date
    sent: int = 0
    already: int = 0  # digest of the day already sent (a second run)
    no_address: int = 0
    failed: int = 0
    people: list[int] = field(default_factory=list)  # who got one

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "sent": self.sent,
            "already": self.already,
            "no_address": self.no_address,
            "failed": self.failed,
        }


def _waiting(person: Person, before: dt.datetime) -> Any:
    """The notifications of ``person`` the digest carries: unread, never e-mailed, never in
    a digest, made before the run started."""
    return Notification.objects.filter(
        recipient=person,
        read_at__isnull=True,
        emailed_at__isnull=True,
        digested_at__isnull=True,
        created_at__lte=before,
    )


def send_digests(today: dt.date | None = None) -> DigestReport:
    """One e-mail per person for ``today``: their unread notifications not yet e-mailed,
    and every registered module's sections (their tasks overdue and due soon). A person
    with nothing gets nothing. Running it again the same day sends nothing more."""
    day = today or timezone.localdate()
    started = timezone.now()
    report = DigestReport(day=day)
    sections = digest.collect(day)
    waiting = set(
        Notification.objects.filter(
            read_at__isnull=True, emailed_at__isnull=True, digested_at__isnull=True, created_at__lte=started
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    already = set(DigestLog.objects.filter(day=day).values_list("person_id", flat=True))
    person_ids = sorted((waiting | set(sections)) - already)
    report.already = len((waiting | set(sections)) & already)
    for start in range(0, len(person_ids), PEOPLE_PER_BATCH):
        batch = person_ids[start : start + PEOPLE_PER_BATCH]
        for person in Person.objects.filter(pk__in=batch, active=True).select_related("user").order_by("pk"):
            outcome = send_digest(person, day, sections.get(person.pk, []), before=started)
            if outcome == "sent":
                report.sent += 1
                report.people.append(person.pk)
            elif outcome == "already":
                report.already += 1
            elif outcome == "no_address":
                report.no_address += 1
            elif outcome == "failed":
                report.failed += 1
    return report


def send_digest(
    person: Person,
    day: dt.date,
    sections: list[digest.DigestSection],
    *,
    before: dt.datetime | None = None,
) -> str:
    """The digest of one person for ``day``: "sent", "already", "empty", "no_address" or
    "failed". The claim (a ``DigestLog`` row, unique per person and day) and the marking of
    the notifications commit together before the e-mail leaves; a failed send undoes both."""
    address = email_address(person)
    if not address:
        return "no_address"
    before = before or timezone.now()
    claimed_at = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                log = DigestLog.objects.create(person=person, day=day, sent_at=claimed_at)
        except IntegrityError:
            return "already"
        waiting = _waiting(person, before)
        total = waiting.count()
        if not total and not sections:
            transaction.set_rollback(True)
            return "empty"
        listed = list(waiting.order_by("-created_at", "-id")[:DIGEST_MAX_NOTIFICATIONS])
        waiting.update(digested_at=claimed_at)
        log.notifications = total
        log.save(update_fields=["notifications"])
    context = {
        "person": person,
        "day": day,
        "notifications": [(email_text(n)[0], n.created_at, absolute_url(n.url)) for n in listed],
        "notifications_total": total,
        "notifications_extra": total - len(listed),
        "sections": [
            (section, absolute_url(section.url), [(item, absolute_url(item.url)) for item in section.items])
            for section in sections
        ],
        "site_url": settings.VANPHONG_SITE_URL,
        "list_url": absolute_url(_list_path()),
    }
    try:
        _send(
            address,
            render_to_string("notifications/email/digest_subject.txt", context),
            render_to_string("notifications/email/digest.txt", context),
            render_to_string("notifications/email/digest.html", context),
        )
    except Exception:
        logger.exception("could not e-mail the digest of person %s; the next run tries again", person.pk)
        with transaction.atomic():
            Notification.objects.filter(recipient=person, digested_at=claimed_at).update(digested_at=None)
            DigestLog.objects.filter(pk=log.pk).delete()
        return "failed"
    return "sent"


def _list_path() -> str:
    from django.urls import reverse

    return reverse("notifications:list")
