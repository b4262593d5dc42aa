from __future__ import annotations

from django.contrib import admin

from vanphong.audit.admin_mixins import ReadOnlyModelAdmin
from vanphong.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """The trail, read-only: the database refuses changes anyway, and the admin does not
    offer them. Counting millions of rows on every page is skipped."""

    list_display = ("seq", "at", "actor_username", "action", "target_type", "target_repr", "organization_id")
    list_display_links = ("seq",)
    search_fields = ("=actor_username", "=action", "target_repr")
    ordering = ("-seq",)
    show_full_result_count = False
    list_per_page = 50
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
