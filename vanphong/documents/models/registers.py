"""Terms, registers and their numbering policies, and the counters numbers are taken from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.kinds import Style
from vanphong.orgs.models import Organization


class Term(models.Model):
    """A Party committee's term (nhiệm kỳ), within which its documents are numbered."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="terms", verbose_name=_("cấp ủy")
    )
    name = models.CharField(_("nhiệm kỳ"), max_length=40, help_text=_("Ví dụ: 2025 - 2030."))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "-starts_on"]
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="documents_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.short_name} {self.name}"


class RegisterKind(models.TextChoices):
    INCOMING = "den", _("Sổ văn bản đến")
    OUTGOING = "di", _("Sổ văn bản đi")
    COPY = "sao", _("Sổ văn bản sao")


class NumberReset(models.TextChoices):
    YEARLY = "year", _("Từ 01 vào ngày 01/01 mỗi năm")
    TERM = "term", _("Từ 01 trong mỗi nhiệm kỳ")
    NEVER = "never", _("Một dãy số liên tục (đại hội, sự kiện)")


class Register(models.Model):
    """A book (sổ) of an organisation, with its numbering policy."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="registers", verbose_name=_("cơ quan")
    )
    kind = models.CharField(_("loại sổ"), max_length=10, choices=RegisterKind.choices)
    name = models.CharField(_("tên sổ"), max_length=150)
    classified = models.BooleanField(
        _("sổ văn bản mật"),
        default=False,
        help_text=_("Dùng cho văn bản mật khi cơ quan đăng ký văn bản mật vào sổ riêng."),
    )
    reset = models.CharField(_("đánh số lại"), max_length=10, choices=NumberReset.choices)
    per_type = models.BooleanField(
        _("dãy số riêng cho từng loại văn bản"),
        default=False,
        help_text=_("Văn bản của cấp ủy: mỗi loại văn bản một dãy số trong nhiệm kỳ."),
    )
    secret_series = models.BooleanField(
        _("văn bản mật có dãy số riêng"),
        default=False,
        help_text=_("Văn bản hành chính nhà nước: văn bản mật được cấp hệ thống số riêng."),
    )
    style = models.CharField(_("thể thức ký hiệu"), max_length=10, choices=Style.choices, default=Style.PARTY)
    active = models.BooleanField(_("đang sử dụng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["organization", "kind", "order", "name"]
        verbose_name = _("sổ văn bản")
        verbose_name_plural = _("sổ văn bản")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="documents_register_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.organization.short_name}"


class RegisterCounter(models.Model):
    """The last number taken in one series of a register. Taken under SELECT ... FOR UPDATE
    in the transaction that writes the entry, so a number is never shared, and never skipped:
    a rolled-back registration rolls the counter back with it."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="counters")
    series = models.CharField(max_length=80)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số")
        verbose_name_plural = _("bộ đếm số")
        constraints = [
            models.UniqueConstraint(fields=["register", "series"], name="documents_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.register_id}:{self.series}={self.last_number}"
