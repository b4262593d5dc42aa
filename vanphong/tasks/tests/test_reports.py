"""The periodic report to the Standing Committee: the counts and lists of a known set of
tasks in the .docx and the .xlsx, the period and scope rules, who may make it, the page, and
the acceptance test — the .docx opened by LibreOffice (converted to PDF) holds the counts."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from vanphong.accounts.tests.helpers import sign_in
from vanphong.audit.models import AuditEvent
from vanphong.documents.tests.office import docx_to_pdf, pdf_text
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import UserFactory, make_actor
from vanphong.tasks import reports, services
from vanphong.tasks.models import ExtensionRequest, SourceKind
from vanphong.tasks.reports import ReportScope, ScopeKind
from vanphong.tasks.selectors import Today
from vanphong.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2025, 4, 15)  # a Tuesday; "sắp đến hạn" runs to Friday 18/4
PERIOD = (D(2025, 3, 1), D(2025, 4, 30))
GIVEN = D(2025, 2, 3)


def today() -> Today:
    return Today.now(day=AS_OF)


def give(province, title, lead, due, **kw):
    """Given by the Tỉnh ủy (the Chánh Văn phòng enters it) on ``GIVEN`` unless said."""
    fields = {"actor": province.chief, "title": title, "lead": lead, "due_date": due, "assigned_on": GIVEN}
    return TaskFactory(province=province, **{**fields, **kw})


@pytest.fixture
def tasks(province):
    """A known set, given by the committee unless said (x = An Phú, y = Bình Minh):

    in the period (original due date, or the day given with none, 1/3–30/4/2025):
      on_time    x  due 14/3, done 12/3          late       y  due 20/3, done 25/3 (5 days)
      overdue_a  x  due 28/3 (18 days late)      overdue_b  y  due 10/4 (5 days late)
      running    x  due 25/4                     soon       y  due 17/4 (sắp đến hạn)
      extended   x  due 10/3, extended to 15/5   undated    x  no due date, given 5/3
      cancelled  y  due 18/3
      by_commune x  due 21/3, given by Đảng ủy xã An Phú itself (25 days late)
    outside it:
      later      x  due 20/5                     earlier    y  due 20/2, done on time
    """
    p = province
    x, y = p.commune_x, p.commune_y
    t = {}
    t["on_time"] = give(p, "Ban hành kế hoạch chuyển đổi số", x, D(2025, 3, 14))
    t["late"] = give(p, "Tổng kết công tác dân vận", y, D(2025, 3, 20))
    t["overdue_a"] = give(
        p,
        "Rà soát quy hoạch cán bộ",
        x,
        D(2025, 3, 28),
        source_kind=SourceKind.CONCLUSION,
        source_label="Thông báo kết luận số 98-TB/TU",
    )
    t["overdue_b"] = give(p, "Kiểm tra việc thu hồi đất", y, D(2025, 4, 10))
    t["running"] = give(p, "Xây dựng đề án du lịch", x, D(2025, 4, 25))
    t["soon"] = give(p, "Báo cáo quý về an ninh trật tự", y, D(2025, 4, 17))
    t["extended"] = give(p, "Sơ kết nghị quyết về nông nghiệp", x, D(2025, 3, 10))
    t["undated"] = give(p, "Theo dõi việc học tập nghị quyết", x, None, assigned_on=D(2025, 3, 5))
    t["cancelled"] = give(p, "Tổ chức hội nghị đã hoãn", y, D(2025, 3, 18))
    secretary_x = make_actor("secretary_x", x, Role.LANH_DAO_CAP_UY)
    t["by_commune"] = give(p, "Chỉnh trang trụ sở xã", x, D(2025, 3, 21), actor=secretary_x, organization=x)
    t["later"] = give(p, "Chuẩn bị đại hội chi bộ", x, D(2025, 5, 20))
    t["earlier"] = give(p, "Tổng hợp ý kiến nhân dân", y, D(2025, 2, 20))

    services.task_complete(actor=p.leader.user, task=t["on_time"], text="Đã ban hành", on=D(2025, 3, 12))
    services.task_complete(actor=p.leader.user, task=t["late"], text="Đã tổng kết", on=D(2025, 3, 25))
    services.task_complete(actor=p.leader.user, task=t["earlier"], text="Đã tổng hợp", on=D(2025, 2, 19))
    services.task_cancel(actor=p.chief.user, task=t["cancelled"], reason="Hội nghị hoãn")
    request = services.extension_request(
        actor=p.clerk_x.user, task=t["extended"], new_due_date=D(2025, 5, 15), reason="Chờ số liệu"
    )
    services.extension_decide(
        actor=p.chief.user, request=ExtensionRequest.objects.get(pk=request.pk), approve=True
    )
    return t


def province_scope(province, **kw) -> ReportScope:
    return ReportScope(kind=ScopeKind.PROVINCE, organization=province.committee, **kw)


def generate(province, fmt, *, actor=None, scope=None, **kw):
    return reports.report_generate(
        actor=(actor or province.chief).user,
        scope=scope or province_scope(province),
        date_from=PERIOD[0],
        date_to=PERIOD[1],
        fmt=fmt,
        today=today(),
        **kw,
    )


def texts(document) -> list[str]:
    """Every paragraph's text in reading order, table cells included."""
    out = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            out.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            for p in child.iter():
                if p.tag.endswith("}p"):
                    out.append("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t")))
    return [t for t in out if t.strip()]


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def open_docx(content: bytes):
    return docx.Document(io.BytesIO(content))


# --- Numbers ------------------------------------------------------------------------------


def test_the_counts_follow_the_period_and_scope_rules(province, tasks):
    data = reports.report_data(province.chief.user, province_scope(province), *PERIOD, today=today())
    c = data.counts
    assert (c.total, c.done_on_time, c.done_late, c.overdue, c.in_progress, c.due_soon, c.cancelled) == (
        8,
        1,
        1,
        2,
        4,
        1,
        1,
    )
    assert c.on_time_rate == 50.0
    by_name = {row.name: row.counts for row in data.by_organization}
    assert list(by_name) == ["Đảng ủy xã An Phú", "Đảng ủy xã Bình Minh"]
    x, y = by_name["Đảng ủy xã An Phú"], by_name["Đảng ủy xã Bình Minh"]
    assert (x.total, x.done_on_time, x.overdue, x.in_progress) == (5, 1, 1, 3)
    assert (y.total, y.done_late, y.overdue, y.in_progress, y.cancelled) == (3, 1, 1, 1, 1)
    assert [t.title for t in data.overdue()] == ["Rà soát quy hoạch cán bộ", "Kiểm tra việc thu hồi đất"]
    assert [t.title for t in data.completed()] == [
        "Ban hành kế hoạch chuyển đổi số",
        "Tổng kết công tác dân vận",
    ]
    assert data.issuer == province.office
    assert data.classification == Classification.NONE


def test_a_lead_scope_counts_what_the_organisation_leads_whoever_gave_it(province, tasks):
    scope = ReportScope(kind=ScopeKind.LEAD, organization=province.commune_x)
    data = reports.report_data(province.leader.user, scope, *PERIOD, today=today())
    assert (data.counts.total, data.counts.overdue) == (6, 2)
    # Given by the commune itself, 25 days late: the most days late first.
    assert [t.title for t in data.overdue()][0] == "Chỉnh trang trụ sở xã"
    # The Văn phòng follows up the committee's tasks, not the commune's own.
    seen_by_office = reports.report_data(province.chief.user, scope, *PERIOD, today=today())
    assert (seen_by_office.counts.total, seen_by_office.counts.overdue) == (5, 1)


def test_a_source_kind_narrows_the_report(province, tasks):
    scope = province_scope(province, source_kind=SourceKind.CONCLUSION)
    data = reports.report_data(province.chief.user, scope, *PERIOD, today=today())
    assert (data.counts.total, data.counts.overdue, data.counts.done) == (1, 1, 0)


# --- The .docx ----------------------------------------------------------------------------


def test_the_docx_has_the_party_layout_the_counts_and_the_lists(province, tasks):
    output = generate(
        province,
        "docx",
        proposals="Đề nghị Thường trực Tỉnh ủy nhắc các đơn vị chậm.\nBổ sung biên chế theo dõi.",
        signer_name="Nguyễn Văn Chánh",
    )
    assert output.filename.endswith(".docx") and output.content_type == reports.DOCX_TYPE
    result = open_docx(output.content)
    section = result.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm), round(section.top_margin.mm)) == (
        30,
        15,
        20,
    )
    blocks = texts(result)
    in_order = [
        "TỈNH ỦY THỬ NGHIỆM",
        "VĂN PHÒNG",
        "*",
        "Số      -BC/VPTU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BÁO CÁO",
        "Tình hình thực hiện các kết luận, ý kiến chỉ đạo của Thường trực, Ban Thường vụ Tỉnh ủy",
        "I. TÌNH HÌNH CHUNG",
        "1. Tổng số nhiệm vụ trong kỳ: 8 (không tính 1 nhiệm vụ đã hủy), trong đó:",
        "- Đã hoàn thành đúng hạn: 1;",
        "- Đã hoàn thành nhưng quá hạn: 1;",
        "- Quá hạn, chưa hoàn thành: 2;",
        "- Đang thực hiện, còn trong hạn: 4 (trong đó sắp đến hạn: 1).",
        "2. Tỷ lệ hoàn thành đúng hạn (trên số nhiệm vụ đã hoàn thành): 50,0%.",
        "II. DANH SÁCH NHIỆM VỤ QUÁ HẠN",
        "III. NHIỆM VỤ ĐÃ HOÀN THÀNH TRONG KỲ",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "Đề nghị Thường trực Tỉnh ủy nhắc các đơn vị chậm.",
        "Nơi nhận:",
        "- Thường trực Tỉnh ủy (để báo cáo),",
        "- Lưu Văn phòng Tỉnh ủy.",
        "CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Chánh",
    ]
    positions = [blocks.index(piece) for piece in in_order]
    assert positions == sorted(positions), blocks
    assert any("Số liệu tính đến ngày 15/04/2025" in b for b in blocks)
    assert "MẬT" not in blocks

    _header, by_org, overdue, completed, _closing = result.tables
    assert rows(by_org)[1:] == [
        ["1", "Đảng ủy xã An Phú", "5", "1", "0", "1", "3", "100,0%"],
        ["2", "Đảng ủy xã Bình Minh", "3", "0", "1", "1", "1", "0,0%"],
        ["", "Tổng cộng", "8", "1", "1", "2", "4", "50,0%"],
    ]
    assert rows(overdue)[0] == ["STT", "Nhiệm vụ", "Nguồn", "Cơ quan chủ trì", "Hạn", "Số ngày quá hạn"]
    assert rows(overdue)[1:] == [
        [
            "1",
            "Rà soát quy hoạch cán bộ",
            "Thông báo kết luận số 98-TB/TU",
            "Đảng ủy xã An Phú",
            "28/03/2025",
            "18",
        ],
        ["2", "Kiểm tra việc thu hồi đất", "Giao trực tiếp", "Đảng ủy xã Bình Minh", "10/04/2025", "5"],
    ]
    assert rows(completed)[1:] == [
        [
            "1",
            "Ban hành kế hoạch chuyển đổi số",
            "Giao trực tiếp",
            "Đảng ủy xã An Phú",
            "14/03/2025",
            "12/03/2025",
            "Đúng hạn",
        ],
        [
            "2",
            "Tổng kết công tác dân vận",
            "Giao trực tiếp",
            "Đảng ủy xã Bình Minh",
            "20/03/2025",
            "25/03/2025",
            "Quá hạn 5 ngày",
        ],
    ]
    header_run = next(
        p for p in result.tables[0].rows[0].cells[1].paragraphs if p.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    )
    assert header_run.runs[0].bold and header_run.runs[0].underline
    assert header_run.runs[0].font.name == "Times New Roman"


def test_a_listed_classified_task_marks_the_report_and_long_lists_point_to_the_workbook(province, tasks):
    give(
        province,
        "Nhiệm vụ mật quá hạn",
        province.commune_x,
        D(2025, 3, 31),
        classification=Classification.MAT,
    )
    data = reports.report_data(province.chief.user, province_scope(province), *PERIOD, today=today())
    assert data.classification == Classification.MAT
    result = open_docx(reports.build_docx(data, max_rows=1))
    assert "MẬT" in [p.text for p in result.tables[0].rows[0].cells[0].paragraphs]
    overdue = result.tables[2]
    assert len(overdue.rows) == 2  # the header and one row
    assert any("gồm 1 trong tổng số 3 nhiệm vụ" in b for b in texts(result))


def test_an_empty_period_says_so(province, tasks):
    data = reports.report_data(
        province.chief.user, province_scope(province), D(2024, 1, 1), D(2024, 12, 31), today=today()
    )
    blocks = texts(open_docx(reports.build_docx(data)))
    assert "1. Tổng số nhiệm vụ trong kỳ: 0, trong đó:" in blocks
    assert "2. Tỷ lệ hoàn thành đúng hạn: chưa có nhiệm vụ hoàn thành trong kỳ." in blocks
    assert "Không có nhiệm vụ quá hạn." in blocks
    assert "IV. ĐỀ XUẤT, KIẾN NGHỊ" not in blocks


# --- The .xlsx ----------------------------------------------------------------------------


def test_the_workbook_has_the_summary_and_the_lists_with_real_dates(province, tasks):
    output = generate(province, "xlsx")
    assert output.filename.endswith(".xlsx") and output.content_type == reports.XLSX_TYPE
    wb = load_workbook(io.BytesIO(output.content))
    assert wb.sheetnames == ["Tổng hợp", "Quá hạn", "Hoàn thành"]

    summary = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Tổng số nhiệm vụ trong kỳ"] == 8
    assert summary["Đã hoàn thành đúng hạn"] == 1
    assert summary["Đã hoàn thành nhưng quá hạn"] == 1
    assert summary["Quá hạn, chưa hoàn thành"] == 2
    assert summary["Đang thực hiện, còn trong hạn"] == 4
    assert summary["Trong đó sắp đến hạn"] == 1
    assert summary["Đã hủy (không tính vào tổng số)"] == 1
    assert summary["Tỷ lệ hoàn thành đúng hạn"] == pytest.approx(0.5)
    assert summary["Số liệu tính đến ngày 15/04/2025"] is None
    breakdown = [
        row
        for row in wb["Tổng hợp"].iter_rows(values_only=True)
        if row and row[1] and "Đảng ủy" in str(row[1])
    ]
    assert [r[:9] for r in breakdown] == [
        (1, "Đảng ủy xã An Phú", 5, 1, 0, 1, 3, 0, 0),
        (2, "Đảng ủy xã Bình Minh", 3, 0, 1, 1, 1, 1, 1),
    ]

    overdue = wb["Quá hạn"]
    assert overdue.freeze_panes == "A2"
    lines = list(overdue.iter_rows(values_only=True))
    assert lines[0][:5] == ("STT", "Nhiệm vụ", "Nguồn", "Cơ quan giao", "Cơ quan chủ trì")
    assert [line[1] for line in lines[1:]] == ["Rà soát quy hoạch cán bộ", "Kiểm tra việc thu hồi đất"]
    first = lines[1]
    assert first[7] == dt.datetime(2025, 3, 28) and first[8] == 18
    assert overdue.cell(row=2, column=8).number_format == "DD/MM/YYYY"
    assert overdue.column_dimensions["B"].width == 60

    completed = list(wb["Hoàn thành"].iter_rows(values_only=True))
    assert [(r[1], r[8], r[9], r[10]) for r in completed[1:]] == [
        ("Ban hành kế hoạch chuyển đổi số", dt.datetime(2025, 3, 12), "Hoàn thành đúng hạn", 0),
        ("Tổng kết công tác dân vận", dt.datetime(2025, 3, 25), "Hoàn thành quá hạn", 5),
    ]
    extended = [
        r for r in wb["Hoàn thành"].iter_rows(values_only=True) if r[1] == "Sơ kết nghị quyết về nông nghiệp"
    ]
    assert extended == []  # still running: in neither list


# --- Who may, and the record --------------------------------------------------------------


def test_making_the_report_is_audited(province, tasks):
    before = AuditEvent.objects.filter(action="task.report").count()
    generate(province, "xlsx")
    event = AuditEvent.objects.filter(action="task.report").latest("seq")
    assert AuditEvent.objects.filter(action="task.report").count() == before + 1
    assert event.after["scope"] == "province" and event.after["format"] == "xlsx"
    assert event.after["counts"]["total"] == 8
    assert event.organization_id == province.committee.pk


def test_who_may_make_the_report(province, tasks):
    p = province
    # The commune's clerk reads the commune: its own report, not the province's nor another's.
    own = ReportScope(kind=ScopeKind.LEAD, organization=p.commune_x)
    data = reports.report_data(p.clerk_x.user, own, *PERIOD, today=today())
    assert data.issuer == p.commune_x
    generate(p, "docx", actor=p.clerk_x, scope=own)
    with pytest.raises(PermissionDenied):
        generate(p, "docx", actor=p.clerk_x, scope=province_scope(p))
    with pytest.raises(PermissionDenied):
        generate(p, "docx", actor=p.clerk_y, scope=own)
    # The office's specialist may give tasks for the committee: any organisation.
    generate(p, "xlsx", actor=p.specialist, scope=ReportScope(kind=ScopeKind.LEAD, organization=p.commune_y))
    assert reports.may_report(p.leader.user, p.committee)


def test_what_a_reader_may_not_see_is_not_counted(province, tasks):
    # clerk_x reads An Phú only: the committee's tasks led by Bình Minh are not theirs.
    scope = ReportScope(kind=ScopeKind.GIVER, organization=province.commune_x)
    data = reports.report_data(province.clerk_x.user, scope, *PERIOD, today=today())
    assert data.counts.total == 1  # only the commune's own task
    assert [row.name for row in data.by_organization] == ["Đảng ủy xã An Phú"]


def test_invalid_input_is_refused_in_vietnamese(province, tasks):
    with pytest.raises(ValidationError) as exc:
        reports.report_generate(
            actor=province.chief.user,
            scope=province_scope(province),
            date_from=D(2025, 4, 30),
            date_to=D(2025, 3, 1),
            fmt="docx",
        )
    assert "Ngày kết thúc" in exc.value.message_dict["date_to"][0]
    with pytest.raises(ValidationError) as exc:
        generate(province, "pdf")
    assert "fmt" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        generate(province, "docx", scope=province_scope(province, source_kind="nope"))
    assert "source_kind" in exc.value.message_dict


# --- The page -----------------------------------------------------------------------------


def test_the_form_and_the_download(client, province, tasks):
    sign_in(client, province.chief.user)
    page = client.get(reverse("tasks:report"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Toàn tỉnh" in html and "Đảng ủy xã Bình Minh" in html
    response = client.post(
        reverse("tasks:report_download"),
        {
            "scope": "province",
            "date_from": "01/03/2025",
            "date_to": "30/04/2025",
            "fmt": "docx",
            "signer_title": "K/T CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG",
            "signer_name": "Trần Thị Phó",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == reports.DOCX_TYPE
    assert "attachment" in response["Content-Disposition"]
    blocks = texts(open_docx(b"".join(response.streaming_content)))
    assert (
        blocks.index("K/T CHÁNH VĂN PHÒNG")
        < blocks.index("PHÓ CHÁNH VĂN PHÒNG")
        < blocks.index("Trần Thị Phó")
    )


def test_the_form_shows_errors_and_offers_only_what_the_reader_may_report_on(client, province, tasks):
    sign_in(client, province.clerk_x.user)
    html = client.get(reverse("tasks:report")).content.decode()
    assert 'value="province"' not in html
    assert "Đảng ủy xã An Phú" in html and "Đảng ủy xã Bình Minh" not in html
    response = client.post(
        reverse("tasks:report_download"),
        {"scope": "lead", "organization": province.commune_y.pk, "date_from": "01/03/2025", "date_to": "x"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cơ quan: Lựa chọn không hợp lệ" in html
    assert "Đến ngày: Ngày không hợp lệ" in html
    response = client.post(
        reverse("tasks:report_download"),
        {
            "scope": "lead",
            "date_from": "01/03/2025",
            "date_to": "30/04/2025",
            "fmt": "xlsx",
            "signer_title": "X",
        },
    )
    assert "Cơ quan: Vui lòng chọn cơ quan." in response.content.decode()


def test_someone_who_reads_nothing_gets_403(client, province):
    sign_in(client, UserFactory(username="nobody"))
    assert client.get(reverse("tasks:report")).status_code == 403


# --- Acceptance: LibreOffice opens it ---------------------------------------------------------


def test_the_report_opens_in_libreoffice_with_the_right_counts(province, tasks, tmp_path):
    output = generate(province, "docx")
    pdf = docx_to_pdf(output.content, tmp_path, "bao-cao")
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pdf_text(pdf).split())
    for piece in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BÁO CÁO",
        "Số liệu tính đến ngày 15/04/2025",
        "Tổng số nhiệm vụ trong kỳ: 8",
        "Đã hoàn thành đúng hạn: 1;",
        "Đã hoàn thành nhưng quá hạn: 1;",
        "Quá hạn, chưa hoàn thành: 2;",
        "Đang thực hiện, còn trong hạn: 4",
        "50,0%",
        "Rà soát quy hoạch cán bộ",
        "Kiểm tra việc thu hồi đất",
        "CHÁNH VĂN PHÒNG",
    ):
        assert piece in text, (piece, text)
