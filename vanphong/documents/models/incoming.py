"""A leader's direction on an incoming entry and who must act on it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.documents import RegisterEntry
from vanphong.orgs.models import PartyTarget, Person


class Direction(models.Model):
    """A leader's direction (bút phê, ý kiến chỉ đạo) on an incoming document."""

    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="directions", verbose_name=_("văn bản đến")
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người chỉ đạo")
    )
    text = models.TextField(_("ý kiến chỉ đạo"))
    given_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["entry", "given_at"]
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")

    def __str__(self) -> str:
        return self.text[:80]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COOPERATE = "cooperate", _("Phối hợp")
    INFORM = "inform", _("Để biết")


class Assignment(PartyTarget):
    """Who must act on a direction: a lead, cooperating or for-information organisation,
    unit or person, with a due date. The lead and cooperating ones are followed as one task of
    the task engine, made by the direction service in the same transaction (``task``)."""

    direction = models.ForeignKey(
        Direction, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("ý kiến chỉ đạo")
    )
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("văn bản đến")
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=AssignmentRole.choices)
    due_date = models.DateField(_("hạn xử lý"), null=True, blank=True)
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("nhiệm vụ"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(PartyTarget.Meta):
        ordering = ["entry", "role", "id"]
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")
