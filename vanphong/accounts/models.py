from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.core.names import vietnamese_full_name


class User(AbstractUser):
    """A sign-in account. The person behind it (name, organisation, clearance, roles) is
    ``orgs.Person``; this model holds only what sign-in needs."""

    failed_logins = models.PositiveSmallIntegerField(_("số lần đăng nhập sai liên tiếp"), default=0)
    locked_until = models.DateTimeField(_("khóa đến"), null=True, blank=True)
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)
    password_changed_at = models.DateTimeField(_("đổi mật khẩu lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def get_full_name(self) -> str:
        """Family name first ("Lê Thị Thanh Xuân"): ``first_name`` holds the given name."""
        return vietnamese_full_name(self.last_name, self.first_name)

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("tài khoản")
    )
    digest = models.CharField(_("mã băm"), max_length=64, unique=True)
    prefix = models.CharField(_("tiền tố"), max_length=8)
    name = models.CharField(_("tên"), max_length=100, blank=True)
    second_factor = models.BooleanField(_("cấp sau khi xác thực hai lớp"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def is_usable(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
