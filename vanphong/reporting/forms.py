"""HTML input of the reporting pages. Fields only parse and check types; every rule lives in
``services`` (their errors are put next to the fields with ``core.forms.apply_errors``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.core.forms import DATE_FORMATS, DateInput, MultipleFileField, MultipleFileInput
from vanphong.orgs.models import Organization
from vanphong.petitions.selectors import stats_figure_labels
from vanphong.reporting.models import Frequency, ReportRequest, ReportSubmission
from vanphong.reporting.periods import INTERVALS
from vanphong.reporting.services import MAX_INDICATORS, IndicatorSpec, Suggestion

INDICATOR_HELP = (
    "Mỗi dòng một chỉ tiêu: mã | tên chỉ tiêu | đơn vị tính | tối thiểu | tối đa "
    "(hai cột cuối có thể bỏ trống). Ví dụ: dang_vien_moi | Số đảng viên mới kết nạp | người | 0 |"
)


def _bound(raw: str, line: int, what: str) -> Decimal | None:
    raw = raw.strip().replace(" ", "")
    if not raw:
        return None
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise forms.ValidationError(f"Dòng {line}: giá trị {what} “{raw}” không phải là số.") from None
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise forms.ValidationError(f"Dòng {line}: giá trị {what} quá lớn.")
    return value


def _org_label(org: Organization) -> str:
    return org.name


SOURCE_ROWS = 10  # source selects offered on a blank form (one more than the lines typed, after a post)
SOURCE_GROUPS = {
    "kind": "Theo loại đơn",
    "channel": "Theo hình thức tiếp nhận",
    "state": "Theo tình trạng xử lý",
    "action": "Theo hướng xử lý",
    "result": "Theo kết quả giải quyết",
    "overdue": "Đơn quá hạn",
}
SUGGESTED_NOTE = "Số liệu gợi ý từ sổ đơn thư, kiểm tra trước khi gửi"


def source_choices() -> list[tuple[str, Any]]:
    """The figures of the petitions book an indicator may take, grouped as the select shows
    them ("" first: the reporter types the number)."""
    general: list[tuple[str, str]] = []
    groups: dict[str, list[tuple[str, str]]] = {key: [] for key in SOURCE_GROUPS}
    for code, label in stats_figure_labels().items():
        prefix = code.split(".", 1)[0]
        groups.get(prefix, general).append((code, label))
    return [
        ("", "Không — nơi báo cáo tự nhập"),
        ("Chung", general),
        *[(SOURCE_GROUPS[key], rows) for key, rows in groups.items() if rows],
    ]


def _lines(raw: Any) -> int:
    return sum(1 for line in str(raw or "").splitlines() if line.strip())


class RequestForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Cơ quan yêu cầu", queryset=Organization.objects.none(), empty_label=None
    )
    title = forms.CharField(label="Tên báo cáo", max_length=500)
    frequency = forms.ChoiceField(label="Tần suất", choices=Frequency.choices, initial=Frequency.MONTHLY)
    due_day = forms.IntegerField(
        label="Ngày hạn nộp trong kỳ",
        required=False,
        min_value=1,
        max_value=31,
        help_text=(
            "Báo cáo định kỳ: ngày của tháng cuối kỳ (31 là ngày cuối tháng); báo cáo tuần: "
            "1 (thứ Hai) đến 7 (Chủ nhật). Hạn rơi vào ngày nghỉ được lùi sang ngày làm việc kế tiếp. "
            "Báo cáo hằng ngày, theo giờ không cần: hạn là chính ngày, giờ đó, kể cả ngày nghỉ."
        ),
        error_messages={"invalid": "Hãy nhập một số ngày."},
    )
    due_date = forms.DateField(
        label="Hạn nộp (báo cáo một lần)",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": "Ngày viết theo dạng ngày/tháng/năm, ví dụ 20/12/2026."},
    )
    urgent = forms.BooleanField(
        label="Báo cáo nhanh khẩn (bão, lũ, dịch bệnh…)",
        required=False,
        help_text=(
            "Nhiệm vụ của nơi báo cáo ở mức Khẩn, hiện nổi bật trên trang chủ; báo cáo một lần, hằng ngày "
            "hoặc theo giờ, mẫu ngắn (tối đa 12 chỉ tiêu, 3 phần nội dung), có ngày kết thúc."
        ),
    )
    interval_hours = forms.TypedChoiceField(
        label="Báo cáo theo giờ: mấy giờ một lần",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(h, f"{h} giờ một lần") for h in INTERVALS]],
        help_text="Các lần báo cáo trong ngày bắt đầu từ 0 giờ; hạn của mỗi lần là giờ kết thúc lần đó.",
    )
    starts_on = forms.DateField(
        label="Báo cáo từ ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text="Báo cáo hằng ngày, theo giờ: mặc định hôm nay.",
        error_messages={"invalid": "Ngày viết theo dạng ngày/tháng/năm, ví dụ 20/12/2026."},
    )
    ends_on = forms.DateField(
        label="Báo cáo đến ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=(
            "Bắt buộc với báo cáo theo giờ và báo cáo nhanh khẩn hằng ngày (nhiều nhất 90 ngày); "
            "báo cáo một lần chỉ cần hạn nộp."
        ),
        error_messages={"invalid": "Ngày viết theo dạng ngày/tháng/năm, ví dụ 20/12/2026."},
    )
    recipients = forms.ModelMultipleChoiceField(
        label="Nơi phải báo cáo",
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Hãy chọn ít nhất một nơi phải báo cáo."},
    )
    indicators = forms.CharField(
        label="Chỉ tiêu số liệu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=INDICATOR_HELP,
    )
    sections = forms.CharField(
        label="Các phần nội dung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một đề mục, ví dụ: Tình hình chung; Kết quả "
        "thực hiện nhiệm vụ; Kiến nghị, đề xuất.",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        recipients: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["recipients"].queryset = recipients  # type: ignore[attr-defined]
        self.fields["recipients"].label_from_instance = _org_label  # type: ignore[attr-defined]
        # A select per indicator (the n-th line of the list), as many as the lines typed and one more.
        typed = _lines(self.data.get("indicators")) if self.is_bound else 0
        rows = min(max(SOURCE_ROWS, typed + 1), MAX_INDICATORS)
        choices = source_choices()
        self.source_fields: list[str] = []
        for n in range(1, rows + 1):
            name = f"source_{n}"
            self.fields[name] = forms.ChoiceField(
                label=f"Chỉ tiêu thứ {n}: lấy số liệu từ sổ đơn thư",
                required=False,
                choices=choices,
                error_messages={"invalid_choice": "Số liệu này không có trong sổ đơn thư."},
            )
            self.source_fields.append(name)

    @property
    def source_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.source_fields]

    @property
    def sources_chosen(self) -> bool:
        """Whether the "Lấy số liệu từ sổ đơn thư" list opens: a source chosen or refused."""
        return any(self.data.get(name) or self.errors.get(name) for name in self.source_fields)

    def clean(self) -> dict[str, Any]:
        """Give each indicator the source chosen on its row (the n-th non-blank line)."""
        data = super().clean() or {}
        specs = data.get("indicators")
        if not isinstance(specs, list):
            return data
        specs = list(specs)
        for n, name in enumerate(self.source_fields, start=1):
            source = data.get(name) or ""
            if not source:
                continue
            if n > len(specs):
                self.add_error(name, f"Danh sách chỉ tiêu chưa có chỉ tiêu thứ {n}.")
                continue
            specs[n - 1] = dataclasses.replace(specs[n - 1], source=source)
        data["indicators"] = specs
        return data

    def clean_indicators(self) -> list[IndicatorSpec]:
        specs: list[IndicatorSpec] = []
        for n, line in enumerate((self.cleaned_data.get("indicators") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or len(parts) > 5:
                raise forms.ValidationError(
                    f"Dòng {n}: viết theo dạng mã | tên chỉ tiêu | đơn vị tính | tối thiểu | tối đa."
                )
            parts += [""] * (5 - len(parts))
            code, name, unit, low, high = parts
            specs.append(
                IndicatorSpec(code, name, unit, _bound(low, n, "tối thiểu"), _bound(high, n, "tối đa"))
            )
        return specs

    def clean_sections(self) -> list[str]:
        return [
            line.strip() for line in (self.cleaned_data.get("sections") or "").splitlines() if line.strip()
        ]


class SubmissionForm(forms.Form):
    """One input per indicator (``v_<order>``) and per section (``t_<order>``), and files."""

    files = MultipleFileField(  # type: ignore[assignment]  # a field (the metaclass pops it), not BaseForm.files
        label="Tệp báo cáo (PDF, DOCX, ảnh quét)", required=False, widget=MultipleFileInput()
    )

    def __init__(
        self,
        *args: Any,
        submission: ReportSubmission,
        suggested: Mapping[int, Suggestion] | None = None,
        **kwargs: Any,
    ) -> None:
        """``suggested``: figures of the petitions book (``services.petition_suggestions``)
        shown as the initial value of an indicator with no saved value, with a note; only the
        reporter's sending saves them."""
        super().__init__(*args, **kwargs)
        request: ReportRequest = submission.request
        saved = {v.indicator_id: v.value for v in submission.values.all()}
        suggested = suggested or {}
        self.indicator_fields: list[tuple[str, Any]] = []
        self.section_fields: list[tuple[str, str]] = []
        self.suggested: set[str] = set()
        for n, indicator in enumerate(request.indicators.all(), start=1):
            name = f"v_{n}"
            value = saved.get(indicator.pk)
            offer = suggested.get(indicator.pk) if value is None else None
            self.fields[name] = forms.CharField(
                label=f"{indicator.name}" + (f" ({indicator.unit})" if indicator.unit else ""),
                required=False,
                max_length=40,
                initial=_plain(value) if offer is None else str(offer.value),
                help_text="" if offer is None else _suggested_note(offer),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            if offer is not None:
                self.suggested.add(name)
            self.indicator_fields.append((name, indicator))
        for n, heading in enumerate(request.sections, start=1):
            name = f"t_{n}"
            self.fields[name] = forms.CharField(
                label=heading,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=submission.text.get(heading, ""),
            )
            self.section_fields.append((name, heading))
        self.order_fields(
            [*[n for n, _ in self.indicator_fields], *[n for n, _ in self.section_fields], "files"]
        )

    def values(self) -> dict[str, str]:
        return {indicator.code: self.cleaned_data.get(name, "") for name, indicator in self.indicator_fields}

    def texts(self) -> dict[str, str]:
        return {heading: self.cleaned_data.get(name, "") for name, heading in self.section_fields}

    @property
    def aliases(self) -> dict[str, str]:
        return {}


def _suggested_note(offer: Suggestion) -> str:
    span = ""
    if offer.start is not None and offer.end is not None:
        span = f" ({offer.label}, từ {offer.start:%d/%m/%Y} đến {offer.end:%d/%m/%Y})"
    return f"{SUGGESTED_NOTE}{span}."


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Hãy nêu lý do trả lại."},
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Lý do kết thúc",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ví dụ: Bão đã tan, tình hình trở lại bình thường. Các báo cáo chưa đến hạn được rút lại.",
        error_messages={"required": "Hãy nêu lý do kết thúc yêu cầu báo cáo."},
    )
