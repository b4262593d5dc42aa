"""Pages of the leaders' weekly calendar, under /lich-tuan/ (names in the ``programs``
namespace)."""

from django.urls import path

from vanphong.programs.views import calendar

urlpatterns = [
    path("", calendar.calendar_week, name="calendar_week"),
    path("thang/", calendar.calendar_month, name="calendar_month"),
    path("in/", calendar.calendar_pdf, name="calendar_pdf"),
    path("lay-tu-chuong-trinh/", calendar.calendar_compose, name="calendar_compose"),
    path("them-su-kien/", calendar.calendar_event_add, name="calendar_event_add"),
    path("su-kien/<int:event_id>/sua/", calendar.calendar_event_edit, name="calendar_event_edit"),
    path("su-kien/<int:event_id>/huy/", calendar.calendar_event_cancel, name="calendar_event_cancel"),
    path("<int:week_id>/duyet/", calendar.calendar_approve, name="calendar_approve"),
    path("<int:week_id>/cong-bo/", calendar.calendar_publish, name="calendar_publish"),
    path("dang-ky/", calendar.calendar_feeds, name="calendar_feeds"),
    path("dang-ky/thu-hoi/", calendar.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("ical/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
