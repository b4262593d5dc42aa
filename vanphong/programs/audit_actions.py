"""The audit actions written by the programs app: meetings, work programmes, the weekly calendar
(see ``vanphong.audit.actions``)."""

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
        "meeting.update": _("Sửa, dời lịch cuộc họp"),
        "meeting.cancel": _("Hủy, hoãn cuộc họp"),
        "meeting.minutes_file": _("Tải lên tệp biên bản cuộc họp"),
        "program.create": _("Tạo chương trình công tác"),
        "program.update": _("Sửa chương trình công tác"),
        "program.approve": _("Duyệt chương trình công tác"),
        "program.issue_draft": _("Dự thảo văn bản ban hành chương trình công tác"),
        "program.item_add": _("Thêm nội dung chương trình công tác"),
        "program.item_update": _("Sửa nội dung chương trình công tác"),
        "program.item_carry_down": _("Chuyển nội dung xuống chương trình ngắn hạn"),
        "program.item_move": _("Chuyển nội dung chương trình sang kỳ sau"),
        "program.item_state": _("Ghi kết quả thực hiện nội dung chương trình"),
        "calendar.week_create": _("Tạo lịch công tác tuần"),
        "calendar.compose": _("Soạn lịch tuần từ chương trình và cuộc họp"),
        "calendar.event_add": _("Thêm sự kiện vào lịch tuần"),
        "calendar.event_update": _("Sửa sự kiện lịch tuần"),
        "calendar.event_cancel": _("Hủy sự kiện lịch tuần"),
        "calendar.approve": _("Duyệt lịch công tác tuần"),
        "calendar.publish": _("Công bố lịch công tác tuần"),
        "calendar.feed_create": _("Tạo đường dẫn đăng ký lịch"),
        "calendar.feed_revoke": _("Thu hồi đường dẫn đăng ký lịch"),
    }
)
