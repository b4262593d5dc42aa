"""The programs app's pages: meetings under /cuoc-hop/, work programmes under /chuong-trinh/,
the leaders' weekly calendar under /lich-tuan/ (all names in the ``programs`` namespace)."""

from django.urls import include, path

from vanphong.programs.views import meetings

app_name = "programs"

meeting_patterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("tao-moi/", meetings.meeting_create, name="meeting_create"),
    path("phong-hop/", meetings.room_list, name="room_list"),
    path("phong-hop/<int:room_id>/su-dung/", meetings.room_active, name="room_active"),
    path("<int:meeting_id>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/noi-dung/", meetings.agenda_add, name="agenda_add"),
    path("<int:meeting_id>/ket-luan/", meetings.conclusion_add, name="conclusion_add"),
    path("<int:meeting_id>/tham-du/", meetings.attendance, name="attendance"),
    path("<int:meeting_id>/sua/", meetings.meeting_edit, name="meeting_edit"),
    path("<int:meeting_id>/huy/", meetings.cancel, name="meeting_cancel"),
    path("<int:meeting_id>/bien-ban/", meetings.minutes, name="minutes"),
    path("<int:meeting_id>/bien-ban/tep/", meetings.minutes_file, name="minutes_file"),
    path("<int:meeting_id>/thong-bao-ket-luan/", meetings.notice, name="notice"),
    path("<int:meeting_id>/tai-lieu/<int:document_id>/", meetings.pack_document, name="pack_document"),
]

urlpatterns = [
    path("cuoc-hop/", include(meeting_patterns)),
    path("chuong-trinh/", include("vanphong.programs.urls_work_programs")),
    path("lich-tuan/", include("vanphong.programs.urls_calendar")),
]
