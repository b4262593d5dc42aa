"""In-app notifications: what a person must know (a task given, a reminder, an overdue
escalation), with a counter in the header, and by e-mail alone or in a daily digest.

A notification about a classified record (``classification`` > 0) keeps its title and body
for the notifications page, which is behind sign-in and shown only to its recipient (who is
cleared for it); an e-mail, which leaves the system, says only ``neutral_title``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.orgs.models import Person


class Notification(models.Model):
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=40)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    # The record it is about, as "app_label.model:pk" (a task, a document), for grouping.
    subject = models.CharField(max_length=80, blank=True)
    # The classification of the record it is about: above 0, no e-mail carries the title or
    # the body, only the neutral line (e.g. "Có nhiệm vụ mật cần xử lý (hạn …)").
    classification = models.PositiveSmallIntegerField(_("độ mật"), default=0)
    neutral_title = models.CharField(_("tiêu đề gửi thư (tin mật)"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(fields=["recipient"], name="notif_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title


class DigestLog(models.Model):
    """One daily digest e-mailed to a person: the unique key makes a job that runs twice (or
    on two workers at once) send one digest a day."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("ngày"))
    sent_at = models.DateTimeField(default=timezone.now)
    notifications = models.PositiveIntegerField(_("số thông báo"), default=0)

    class Meta:
        verbose_name = _("thư tổng hợp hằng ngày")
        verbose_name_plural = _("thư tổng hợp hằng ngày")
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day:%d/%m/%Y}"
