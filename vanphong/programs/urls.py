"""The meeting pages, under /cuoc-hop/."""

from django.urls import path

from vanphong.programs.views import meetings

app_name = "programs"
urlpatterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("tao-moi/", meetings.meeting_create, name="meeting_create"),
    path("phong-hop/", meetings.room_list, name="room_list"),
    path("phong-hop/<int:room_id>/su-dung/", meetings.room_active, name="room_active"),
    path("<int:meeting_id>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/noi-dung/", meetings.agenda_add, name="agenda_add"),
    path("<int:meeting_id>/ket-luan/", meetings.conclusion_add, name="conclusion_add"),
    path("<int:meeting_id>/tham-du/", meetings.attendance, name="attendance"),
    path("<int:meeting_id>/bien-ban/", meetings.minutes, name="minutes"),
    path("<int:meeting_id>/thong-bao-ket-luan/", meetings.notice, name="notice"),
    path("<int:meeting_id>/tai-lieu/<int:document_id>/", meetings.pack_document, name="pack_document"),
]
