"""The organisation tree in Django's admin, for IT staff. Every change made here is audited
(``AuditedModelAdmin``); day-to-day work goes through the application's own pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vanphong.audit.admin_mixins import AuditedModelAdmin, ReadOnlyModelAdmin
from vanphong.orgs.models import (
    Delegation,
    Organization,
    OrgLevel,
    Person,
    Position,
    RoleAssignment,
    StaffQuota,
    Unit,
)


@admin.register(OrgLevel)
class OrgLevelAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "rank", "in_use")
    list_filter = ("in_use",)
    search_fields = ("name", "code")
    ordering = ("rank", "name")


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = (
            "name",
            "short_name",
            "abbreviation",
            "kind",
            "level",
            "parent",
            "hosted",
            "slug",
            "place_name",
            "electronic_id",
            "order",
            "active",
            "dissolved_on",
        )

    def clean_parent(self) -> Organization | None:
        parent = self.cleaned_data.get("parent")
        org = self.instance
        if parent is not None and org.pk is not None and parent.path.startswith(org.path):
            raise forms.ValidationError(_("Không thể chuyển một tổ chức vào bên trong chính nó."))
        return parent


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    form = OrganizationForm
    list_display = ("name", "short_name", "abbreviation", "kind", "level", "parent", "hosted", "active")
    list_filter = ("kind", "level", "hosted", "active")
    search_fields = ("name", "short_name", "abbreviation", "slug")
    autocomplete_fields = ("level", "parent")
    readonly_fields = ("path", "depth")
    list_select_related = ("level", "parent")

    def audit_organization_id(self, obj: Any) -> int | None:
        return obj.pk


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("name", "organization", "short_name", "abbreviation", "order", "active")
    list_filter = ("active",)
    search_fields = ("name", "short_name", "organization__name", "organization__short_name")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        # A unit stays in the organisation it was made in: the reach of the tasks and
        # documents shared with it was written for that organisation (tasks.TaskAccess).
        # A reorganisation closes the unit and opens one in the new organisation.
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "organization") if obj is not None else readonly


@admin.register(Position)
class PositionAdmin(AuditedModelAdmin):
    list_display = ("name", "is_leadership", "rank")
    list_filter = ("is_leadership",)
    search_fields = ("name",)


@admin.register(StaffQuota)
class StaffQuotaAdmin(AuditedModelAdmin):
    list_display = ("__str__", "organization", "unit", "approved", "decision")
    search_fields = ("organization__name", "unit__name", "decision")
    autocomplete_fields = ("organization", "unit")
    list_select_related = ("organization", "unit")


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ("full_name", "organization", "unit", "position", "user", "clearance", "active")
    list_filter = ("active", "clearance", "counts_toward_quota")
    search_fields = ("full_name", "email", "phone", "user__username")
    autocomplete_fields = ("organization", "unit", "position", "user")
    list_select_related = ("organization", "unit", "position", "user")
    # A clearance is granted only through the app's service, which caps it at the granter's own.
    readonly_fields = ("clearance",)


# Roles and delegations change only through the app's pages (services check who may give
# what, periods and overlaps); the admin shows them.
@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyModelAdmin):
    list_display = ("person", "role", "organization", "unit", "title", "starts_on", "ends_on")
    list_filter = ("role",)
    search_fields = ("person__full_name", "person__user__username", "organization__name", "title")
    autocomplete_fields = ("person", "organization", "unit")
    list_select_related = ("person", "organization", "unit")


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyModelAdmin):
    list_display = ("role_assignment", "delegate", "starts_at", "ends_at", "revoked_at", "created_by")
    search_fields = ("delegate__full_name", "role_assignment__person__full_name", "reason")
    autocomplete_fields = ("role_assignment", "delegate", "created_by")
    list_select_related = (
        "role_assignment__person",
        "role_assignment__organization",
        "delegate",
        "created_by",
    )
