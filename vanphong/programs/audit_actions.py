"""The audit actions written by the meetings module (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "room.create": _("Thêm phòng họp"),
        "room.update": _("Ngừng hoặc dùng lại phòng họp"),
        "meeting.create": _("Tạo cuộc họp"),
        "meeting.agenda_add": _("Thêm nội dung vào chương trình cuộc họp"),
        "meeting.attendance": _("Ghi nhận tham dự cuộc họp"),
        "meeting.minutes": _("Ghi biên bản cuộc họp"),
        "meeting.conclusion_add": _("Ghi kết luận cuộc họp"),
        "meeting.notice_draft": _("Dự thảo thông báo kết luận cuộc họp"),
    }
)
