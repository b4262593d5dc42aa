"""A leader's direction on an incoming entry, who must act on it, and what a committee lets
its office direct."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.documents import Document, RegisterEntry
from vanphong.documents.models.kinds import Urgency
from vanphong.orgs.models import Organization, PartyTarget, Person


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


class OfficeDirectionRule(models.Model):
    """What a committee lets the leaders of its Văn phòng direct in its name: its routine
    incoming documents, by type and/or urgency (both, when both are given). Without a rule,
    or with an empty one, the office's leaders are presented the committee's documents and
    present them on, but direct none (``services.incoming.may_direct``)."""

    committee = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        related_name="office_direction_rule",
        verbose_name=_("cấp ủy"),
    )
    doc_types = models.JSONField(
        _("loại văn bản"),
        default=list,
        blank=True,
        help_text=_(
            "Mã loại văn bản Văn phòng được cho ý kiến chỉ đạo, ví dụ: CV, GM, TB, BC. Để trống: mọi loại."
        ),
    )
    urgencies = models.JSONField(
        _("độ khẩn"),
        default=list,
        blank=True,
        help_text=_("Độ khẩn Văn phòng được cho ý kiến chỉ đạo. Để trống: mọi độ khẩn."),
    )
    note = models.CharField(_("căn cứ"), max_length=255, blank=True, help_text=_("Ví dụ: Quy chế làm việc."))

    class Meta:
        verbose_name = _("quy định Văn phòng cho ý kiến chỉ đạo")
        verbose_name_plural = _("quy định Văn phòng cho ý kiến chỉ đạo")

    def __str__(self) -> str:
        return str(self.committee)

    def allows(self, document: Document) -> bool:
        """Whether ``document`` is routine under this rule: an empty rule allows nothing."""
        if not self.doc_types and not self.urgencies:
            return False
        if self.doc_types and document.doc_type not in self.doc_types:
            return False
        return not self.urgencies or document.urgency in self.urgencies

    def clean(self) -> None:
        errors = {}
        if not isinstance(self.doc_types, list) or not all(isinstance(c, str) for c in self.doc_types):
            errors["doc_types"] = _("Danh sách mã loại văn bản không hợp lệ.")
        if not isinstance(self.urgencies, list) or not set(self.urgencies) <= set(Urgency.values):
            errors["urgencies"] = _("Độ khẩn không hợp lệ.")
        if not errors and not self.doc_types and not self.urgencies:
            errors["doc_types"] = _("Cần chọn ít nhất một loại văn bản hoặc một độ khẩn.")
        if errors:
            raise ValidationError(errors)


class IssuerChoice(models.Model):
    """The issuer a clerk chose for a symbol suffix and a document type: "NQ" with "/TW" is
    the Bộ Chính trị's for this office. The symbol reader proposes it next time (one indexed
    lookup, by the unique key); registering records it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="issuer_choices", verbose_name=_("cơ quan nhận")
    )
    suffix = models.CharField(_("cơ quan ban hành viết tắt trong ký hiệu"), max_length=30)
    doc_type = models.CharField(_("loại văn bản"), max_length=10, blank=True)
    issuer = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan ban hành")
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("cơ quan ban hành đã chọn")
        verbose_name_plural = _("cơ quan ban hành đã chọn")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "suffix", "doc_type"], name="documents_issuerchoice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suffix} {self.doc_type} → {self.issuer_id}"
