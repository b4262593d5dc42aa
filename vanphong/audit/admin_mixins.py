"""Django's admin writes models directly, outside our services; this base class makes every
save and delete it performs leave an audit entry in the same transaction."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, router, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from vanphong.audit.services import audit_record, changed, snapshot

_BEFORE_ATTR = "_vanphong_audit_before"


def full_snapshot(instance: models.Model) -> dict[str, Any]:
    """Concrete fields (secrets left out, see ``snapshot``) plus many-to-many fields as
    sorted id lists: an account's groups and permissions matter as much as its name."""
    data = snapshot(instance)
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose changes are audited as ``admin.create``, ``admin.change`` (the
    changed fields only) and ``admin.delete``.

    The entry for a save is written in ``save_related``, after the many-to-many fields are
    set, within the transaction Django's change form and list editing already open; the
    entry for a delete is written before the row goes, so that it still has its id.
    """

    def audit_organization_id(self, obj: models.Model) -> int | None:
        """The organisation whose auditors should see entries about ``obj``."""
        return getattr(obj, "organization_id", None)

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            stored = type(obj)._base_manager.filter(pk=obj.pk).first()
            before = full_snapshot(stored) if stored is not None else None
        setattr(obj, _BEFORE_ATTR, before)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, _BEFORE_ATTR, None)
        after = full_snapshot(obj)
        if change and before is not None:
            before, after = changed(before, after)
            if not after:
                return  # saved with nothing changed: nothing happened
            action = "admin.change"
        else:
            before, action = None, "admin.create"
        audit_record(
            actor=request.user,
            action=action,
            target=obj,
            organization_id=self.audit_organization_id(obj),
            before=before,
            after=after,
        )

    def _audit_delete(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user,
            action="admin.delete",
            target=obj,
            organization_id=self.audit_organization_id(obj),
            before=full_snapshot(obj),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic(using=router.db_for_write(type(obj))):
            self._audit_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        # The "delete selected" action is not wrapped in a transaction by Django.
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            for obj in queryset:
                self._audit_delete(request, obj)
            super().delete_queryset(request, queryset)


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """For records only our own code writes: visible in the admin, never editable there."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
