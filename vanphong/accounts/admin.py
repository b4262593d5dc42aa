"""Accounts in Django's admin, audited like every other change made there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from vanphong.accounts.models import ApiToken, User
from vanphong.audit.admin_mixins import AuditedModelAdmin, ReadOnlyModelAdmin
from vanphong.audit.services import audit_record

_PASSWORD_FORM = "_vanphong_admin_password_form"


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Đăng nhập"),
            {"fields": ("must_change_password", "password_changed_at", "failed_logins", "locked_until")},
        ),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "locked_until")
    list_filter = ("is_active", "is_staff", "is_superuser", "must_change_password")

    def audit_organization_id(self, obj: Any) -> int | None:
        person = getattr(obj, "person", None) if obj.pk else None
        return person.organization_id if person is not None else None

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Django saves the new password and logs it without save_model: mark the request so
        # that log_change writes the audit entry, and make both one transaction.
        with transaction.atomic(using=router.db_for_write(self.model)):
            setattr(request, _PASSWORD_FORM, True)
            return super().user_change_password(request, id, form_url)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        if getattr(request, _PASSWORD_FORM, False):
            audit_record(
                actor=request.user,
                action="admin.change",
                target=obj,
                organization_id=self.audit_organization_id(obj),
                before={"password": "(ẩn)"},
                after={
                    "password": "(đã đặt mật khẩu mới)"
                    if obj.has_usable_password()
                    else "(tắt đăng nhập bằng mật khẩu)"
                },
            )
        return entry


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    """Tokens are issued and revoked in the application; here they can only be looked at.
    The digest is never shown."""

    list_display = ("prefix", "name", "user", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "user__username")
    fields = ("user", "prefix", "name", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
