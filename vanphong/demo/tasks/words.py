"""What the demo tasks say: topics, progress and result texts, reasons."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vanphong.orgs.models import Classification
from vanphong.tasks.models import (
    Frequency,
)

# --- Words -------------------------------------------------------------------------------------

TOPICS = (
    "chuyển đổi số trong các cơ quan đảng",
    "công tác xây dựng Đảng và hệ thống chính trị",
    "công tác cán bộ",
    "công tác kiểm tra, giám sát và thi hành kỷ luật đảng",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "công tác dân vận",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "phát triển du lịch gắn với bảo tồn văn hóa",
    "phòng, chống thiên tai, sạt lở đất mùa mưa bão",
    "xây dựng nông thôn mới",
    "phát triển cây cà phê bền vững",
    "giảm nghèo bền vững vùng đồng bào dân tộc thiểu số",
    "cải cách hành chính",
    "sắp xếp đơn vị hành chính cấp xã",
    "kết nạp đảng viên mới",
    "công tác bảo vệ bí mật nhà nước",
    "phát triển hạ tầng giao thông",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
)

# Items a Standing Committee meeting concludes on: (title, lead, cooperating). Leads and
# cooperating are organisation keys, "unit:<org>:<abbr>", or "commune" (one picked per meeting).
CONCLUSION_ITEMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Tham mưu Ban Thường vụ Tỉnh ủy ban hành kế hoạch kiện toàn tổ chức bộ máy các cơ quan "
        "tham mưu, giúp việc Tỉnh ủy sau hợp nhất",
        "btctu",
        ("vptu",),
    ),
    (
        "Rà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý diện Ban Thường vụ Tỉnh ủy quản lý "
        "nhiệm kỳ 2025 - 2030",
        "btctu",
        ("ubkttu",),
    ),
    (
        "Xây dựng Đề án chuyển đổi số trong các cơ quan đảng của tỉnh giai đoạn 2026 - 2030",
        "unit:vptu:CY-CNTT",
        ("btctu", "bcscltu"),
    ),
    (
        "Tổ chức các hoạt động tuyên truyền kỷ niệm 97 năm Ngày thành lập Đảng Cộng sản Việt Nam",
        "btgdvtu",
        ("vptu",),
    ),
    ("Kiểm tra việc thực hiện Quy chế làm việc của Ban Chấp hành Đảng bộ", "ubkttu", ("commune",)),
    ("Giám sát chuyên đề việc kê khai tài sản, thu nhập năm 2026", "ubkttu", ("btctu",)),
    ("Tham mưu xử lý dứt điểm vụ việc khiếu nại đông người liên quan đến đất đai", "bnctu", ("commune",)),
    (
        "Đôn đốc tiến độ xử lý các vụ án, vụ việc tham nhũng, tiêu cực thuộc diện Ban Chỉ đạo tỉnh theo dõi",
        "bnctu",
        (),
    ),
    (
        "Nghiên cứu, đề xuất cơ chế, chính sách phát triển cây cà phê bền vững gắn với chế biến sâu",
        "bcscltu",
        ("commune",),
    ),
    (
        "Tham mưu sơ kết một năm thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
        "bcscltu",
        ("vptu",),
    ),
    (
        "Chuẩn bị nội dung, tài liệu Hội nghị Ban Chấp hành Đảng bộ tỉnh cuối năm",
        "unit:vptu:TH",
        ("btctu", "btgdvtu"),
    ),
    (
        "Chỉ đạo khắc phục hậu quả sạt lở đất, ổn định đời sống Nhân dân vùng bị ảnh hưởng",
        "commune",
        ("bcscltu",),
    ),
    (
        "Hoàn thành việc bố trí, sử dụng trụ sở làm việc, tài sản công dôi dư sau sắp xếp đơn vị hành chính",
        "commune",
        ("unit:vptu:TCQT",),
    ),
    ("Rà soát, hoàn thiện hồ sơ kết nạp đảng viên là người đồng bào dân tộc thiểu số", "commune", ("btctu",)),
    ("Tổ chức hội nghị đối thoại giữa người đứng đầu cấp ủy với Nhân dân", "commune", ("btgdvtu",)),
    (
        "Xây dựng kế hoạch thực hiện Chỉ thị số 45-CT/TW về đại hội đảng bộ các cấp tiến tới Đại hội XIV",
        "btctu",
        (),
    ),
    (
        "Tăng cường công tác bảo vệ bí mật nhà nước trong các cơ quan đảng",
        "unit:vptu:CY-CNTT",
        ("bnctu",),
    ),
    ("Tham mưu tổng kết công tác dân vận năm 2026, phương hướng năm 2027", "btgdvtu", ()),
    (
        "Đánh giá tình hình tư tưởng cán bộ, đảng viên sau sắp xếp tổ chức bộ máy",
        "btgdvtu",
        ("btctu",),
    ),
    (
        "Thẩm định Đề án phát triển du lịch gắn với bảo tồn văn hóa các dân tộc",
        "bcscltu",
        ("btgdvtu",),
    ),
    (
        "Rà soát các quy chế, quy định của Tỉnh ủy đã hết hiệu lực, đề xuất sửa đổi, bổ sung",
        "unit:vptu:TH",
        ("bnctu", "btctu"),
    ),
)

# Action programmes: (title, central document symbol, [(item, lead, [(subtask, lead)])]).
PROGRAMMES: tuple[tuple[str, str, tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]], ...] = (
    (
        "Chương trình hành động của Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá "
        "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        "57-NQ/TW",
        (
            (
                "Số hóa hồ sơ, tài liệu lưu trữ của các cơ quan đảng",
                "vptu",
                (
                    ("Số hóa hồ sơ lưu trữ giai đoạn 2015 - 2020", "unit:vptu:HCLT"),
                    ("Số hóa hồ sơ lưu trữ giai đoạn 2021 - 2025", "unit:vptu:HCLT"),
                    ("Xây dựng kho dữ liệu số, bảo đảm an toàn thông tin", "unit:vptu:CY-CNTT"),
                ),
            ),
            (
                "Triển khai văn phòng số dùng chung đến các đảng ủy cấp xã",
                "unit:vptu:CY-CNTT",
                (
                    ("Triển khai văn phòng số tại {commune}", "commune"),
                    ("Triển khai văn phòng số tại {commune}", "commune"),
                    ("Triển khai văn phòng số tại {commune}", "commune"),
                ),
            ),
            (
                "Bồi dưỡng kỹ năng số cho cán bộ, đảng viên",
                "btctu",
                (
                    ("Mở lớp bồi dưỡng kỹ năng số đợt 1 cho cán bộ cơ quan đảng tỉnh", "btctu"),
                    ("Mở lớp bồi dưỡng kỹ năng số đợt 2 cho cán bộ cấp xã", "btctu"),
                ),
            ),
            (
                "Tuyên truyền về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
                "btgdvtu",
                (
                    ("Xây dựng chuyên mục chuyển đổi số trên Cổng thông tin điện tử Đảng bộ tỉnh", "btgdvtu"),
                    ("Tổ chức cuộc thi tìm hiểu về chuyển đổi số trong cán bộ, đảng viên", "btgdvtu"),
                ),
            ),
        ),
    ),
    (
        "Kế hoạch của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 68-NQ/TW của Bộ Chính trị về phát "
        "triển kinh tế tư nhân",
        "68-NQ/TW",
        (
            (
                "Rà soát, đề xuất tháo gỡ khó khăn, vướng mắc cho doanh nghiệp tư nhân",
                "bcscltu",
                (
                    ("Khảo sát khó khăn của doanh nghiệp tư nhân tại {commune}", "commune"),
                    ("Khảo sát khó khăn của doanh nghiệp tư nhân tại {commune}", "commune"),
                ),
            ),
            (
                "Phát triển tổ chức đảng, đảng viên trong doanh nghiệp tư nhân",
                "btctu",
                (("Hướng dẫn thành lập chi bộ trong doanh nghiệp tư nhân", "unit:btctu:TCĐ-ĐV"),),
            ),
            (
                "Tuyên truyền, tôn vinh doanh nhân, doanh nghiệp tiêu biểu",
                "btgdvtu",
                (),
            ),
        ),
    ),
)

# Recurring report requests: (title, frequency, day, lead, cooperating).
SERIES: tuple[tuple[str, int, int, str, tuple[str, ...]], ...] = (
    (
        "Báo cáo tổng hợp tình hình thực hiện các kết luận, ý kiến chỉ đạo của Thường trực Tỉnh ủy",
        Frequency.MONTHLY,
        25,
        "unit:vptu:TH",
        (),
    ),
    ("Báo cáo tình hình thực hiện nhiệm vụ công tác tháng", Frequency.MONTHLY, 20, "commune:0", ()),
    ("Báo cáo tình hình thực hiện nhiệm vụ công tác tháng", Frequency.MONTHLY, 20, "commune:3", ()),
    ("Báo cáo tình hình thực hiện nhiệm vụ công tác tháng", Frequency.MONTHLY, 20, "commune:6", ()),
    ("Báo cáo kết quả công tác kiểm tra, giám sát quý", Frequency.QUARTERLY, 15, "ubkttu", ()),
    (
        "Báo cáo tình hình an ninh chính trị, trật tự an toàn xã hội và công tác nội chính quý",
        Frequency.QUARTERLY,
        10,
        "bnctu",
        ("btgdvtu",),
    ),
    ("Báo cáo sơ kết 6 tháng công tác xây dựng Đảng", Frequency.HALF_YEARLY, 15, "btctu", ("vptu",)),
)

PETITIONS: tuple[tuple[str, str, int], ...] = (
    (
        "Giải quyết đơn của ông Nguyễn Văn Tâm phản ánh việc cấp giấy chứng nhận quyền sử dụng đất chậm",
        "commune",
        Classification.NONE,
    ),
    (
        "Xác minh đơn tố cáo cán bộ, đảng viên vi phạm quy định về những điều đảng viên không được làm",
        "ubkttu",
        Classification.MAT,
    ),
    (
        "Giải quyết đơn kiến nghị của hộ dân về bồi thường, hỗ trợ giải phóng mặt bằng dự án giao thông",
        "bnctu",
        Classification.NONE,
    ),
    (
        "Xem xét đơn phản ánh của bà Lê Thị Hoa về việc thu các khoản đóng góp tại thôn",
        "commune",
        Classification.NONE,
    ),
    (
        "Xác minh nội dung đơn tố cáo liên quan đến công tác cán bộ",
        "ubkttu",
        Classification.MAT,
    ),
    (
        "Trả lời kiến nghị của cử tri về sạt lở bờ suối gây ảnh hưởng đến nhà ở",
        "commune",
        Classification.NONE,
    ),
    (
        "Tiếp nhận, chuyển đơn khiếu nại đông người về tranh chấp đất rẫy đến cơ quan có thẩm quyền",
        "unit:bnctu:TCD",
        Classification.NONE,
    ),
    (
        "Xác minh đơn phản ánh về việc kê khai tài sản, thu nhập không trung thực",
        "ubkttu",
        Classification.TOI_MAT,
    ),
)

# Tasks the Văn phòng gives by hand: (title, lead, days to due, fate) — one for each status.
SHOWCASE: tuple[tuple[str, str, int, int, str], ...] = (
    # (title, lead, assigned days ago, due in days from today, fate)
    ("Chuẩn bị tài liệu phục vụ hội nghị Ban Thường vụ Tỉnh ủy tháng này", "unit:vptu:TH", 12, 0, "open"),
    ("Tổng hợp ý kiến góp ý dự thảo Quy chế làm việc của Tỉnh ủy", "unit:vptu:TH", 20, 2, "open"),
    (
        "Rà soát danh mục hồ sơ nộp lưu vào Lưu trữ lịch sử năm 2026",
        "unit:vptu:HCLT",
        40,
        -9,
        "overdue",
    ),
    ("Kiểm tra an toàn thông tin mạng nội bộ các cơ quan đảng", "unit:vptu:CY-CNTT", 60, -30, "late"),
    (
        "Lập dự toán kinh phí hoạt động năm 2027 của các cơ quan đảng tỉnh",
        "unit:vptu:TCQT",
        70,
        -25,
        "on_time",
    ),
    ("Chuẩn bị chương trình làm việc với đoàn công tác của Trung ương", "unit:vptu:TH", 30, -5, "cancel"),
    ("Xây dựng Quy chế quản lý, sử dụng chữ ký số trong cơ quan", "unit:vptu:CY-CNTT", 45, -3, "extend_open"),
    ("Hoàn thiện hồ sơ thi đua, khen thưởng năm 2026 của Văn phòng", "unit:vptu:ĐV", 35, 10, "return_open"),
    ("Xây dựng kế hoạch công tác năm 2027 của Văn phòng Tỉnh ủy", "unit:vptu:TH", 6, 40, "open"),
    ("Tổng kết công tác văn thư, lưu trữ năm 2026", "unit:vptu:HCLT", 15, 55, "early"),
)

PROGRESS_TEXTS = (
    "Đã xây dựng kế hoạch triển khai, phân công cán bộ phụ trách.",
    "Đã tổ chức họp triển khai với các cơ quan phối hợp.",
    "Đang tổng hợp số liệu, xây dựng dự thảo báo cáo.",
    "Đã hoàn thành dự thảo, đang lấy ý kiến các cơ quan liên quan.",
    "Đã tiếp thu ý kiến góp ý, hoàn chỉnh dự thảo trình lãnh đạo.",
    "Đã khảo sát thực tế tại cơ sở, đang tổng hợp kết quả.",
    "Đang phối hợp với các cơ quan liên quan xác minh, làm rõ nội dung.",
)
RESULT_TEXTS = (
    "Đã hoàn thành, báo cáo kết quả bằng văn bản.",
    "Đã tham mưu ban hành văn bản triển khai; báo cáo kết quả thực hiện.",
    "Đã hoàn thành các nội dung được giao, gửi báo cáo về Văn phòng Tỉnh ủy.",
    "Đã tổ chức thực hiện xong; kết quả được tổng hợp trong báo cáo định kỳ.",
)
EXTENSION_REASONS = (
    "Nội dung phức tạp, cần thêm thời gian lấy ý kiến các cơ quan liên quan.",
    "Chờ số liệu từ các đảng ủy cấp xã để tổng hợp.",
    "Trùng thời điểm chuẩn bị hội nghị, đề nghị lùi thời hạn.",
)
RETURN_REASONS = (
    "Báo cáo chưa đủ số liệu so sánh cùng kỳ, đề nghị bổ sung.",
    "Chưa nêu rõ kết quả cụ thể, đề nghị hoàn chỉnh lại.",
)
CANCEL_REASONS = (
    "Nội dung đã được lồng ghép vào nhiệm vụ khác.",
    "Không còn phù hợp sau sắp xếp tổ chức bộ máy.",
)
FATES = (
    "on_time",
    "late",
    "overdue",
    "open",
    "early",
    "cancel",
    "extend_done",
    "extend_open",
    "return_done",
    "return_open",
)


def aware(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(min(hour, 23), minute)))
