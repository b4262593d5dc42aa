"""Shapes of the reporting API (see /work/shared/API.md, "Reporting regime"): input serializers
only parse and check types; every rule lives in ``services`` and ``selectors``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.reporting import selectors
from vanphong.reporting.models import Frequency, ReportRequest, ReportSubmission
from vanphong.tasks.api.serializers import CodeField

MAX_ID = 2**63 - 1  # a larger id is no row; the database would overflow


class _Choices:
    """The board statuses as ``CodeField`` reads a set of choices."""

    choices = list(selectors.BoardStatus.LABELS.items())


FREQUENCY_PATTERN = "^(" + "|".join(Frequency.values) + ")$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": FREQUENCY_PATTERN,
        "description": "once | weekly | monthly | quarterly | half_yearly | yearly | daily | hourly",
    }
)
class FrequencyField(serializers.CharField):
    """The frequency, checked by the service (a Vietnamese message for an unknown one)."""


# --- Input -----------------------------------------------------------------------------------


class IndicatorInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="Mã chỉ tiêu (chữ không dấu, số, . - _).")
    name = serializers.CharField(max_length=300, help_text="Tên chỉ tiêu.")
    unit = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="Đơn vị tính."
    )
    min = serializers.DecimalField(
        max_digits=19,
        decimal_places=4,
        required=False,
        allow_null=True,
        default=None,
        help_text="Giá trị tối thiểu.",
    )
    max = serializers.DecimalField(
        max_digits=19,
        decimal_places=4,
        required=False,
        allow_null=True,
        default=None,
        help_text="Giá trị tối đa.",
    )
    source = serializers.CharField(  # type: ignore[assignment]  # a field (the metaclass pops it), not Field.source
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "Lấy số liệu từ sổ đơn thư: mã số liệu thống kê đơn thư (ví dụ total, kind.to_cao, "
            "result.dung, overdue.total); mẫu báo cáo của nơi báo cáo được điền sẵn số liệu của kỳ. "
            "Bỏ trống: nơi báo cáo tự nhập."
        ),
    )


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True})
class NumberField(serializers.Field):
    """A number as it is posted (JSON number or text such as "1.234,5"), kept as typed: the
    service parses it (``services._decimal``, exact, Vietnamese separators) and says what is
    wrong; a JSON true/false is no number."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise serializers.ValidationError("Số liệu phải là một số.")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class RequestCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id cơ quan yêu cầu báo cáo; mặc định cơ quan của người gọi (của Văn phòng là cấp ủy).",
    )
    title = serializers.CharField(max_length=500, help_text="Tên báo cáo.")
    recipients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=1000,
        help_text="Id các cơ quan, tổ chức cấp dưới phải báo cáo.",
    )
    frequency = FrequencyField(
        help_text="Tần suất: once | weekly | monthly | quarterly | half_yearly | yearly | daily | hourly "
        "(daily, hourly: báo cáo nhanh, hạn là chính ngày, giờ đó, kể cả ngày nghỉ)."
    )
    due_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Hạn nộp của báo cáo một lần (once)."
    )
    due_day = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=31,
        help_text="Ngày hạn nộp trong tháng cuối kỳ (1–31, quá cuối tháng thì lấy ngày cuối tháng); "
        "báo cáo tuần: 1 (thứ Hai) đến 7 (Chủ nhật).",
    )
    urgent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Báo cáo nhanh khẩn (bão, lũ, dịch bệnh): once, daily hoặc hourly; daily và hourly cần "
        "ends_on (tối đa 90 ngày), once chỉ cần due_date; nhiệm vụ ở mức Khẩn; mẫu ngắn (tối đa 12 chỉ "
        "tiêu, 3 phần nội dung).",
    )
    interval_hours = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=24,
        help_text="Báo cáo theo giờ (hourly): mấy giờ một lần — 1, 2, 3, 4, 6, 8 hoặc 12 (từ 0 giờ).",
    )
    starts_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Báo cáo từ ngày (mặc định hôm nay)."
    )
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Báo cáo đến ngày (báo cáo định kỳ); bắt buộc với hourly và với daily khẩn "
        "(tối đa 90 ngày sau ngày bắt đầu). Báo cáo một lần (once) không dùng: bỏ qua.",
    )
    indicators = IndicatorInSerializer(
        many=True, required=False, default=list, help_text="Các chỉ tiêu số liệu."
    )
    sections = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        default=list,
        max_length=50,
        help_text="Các phần nội dung (đề mục) của báo cáo.",
    )


class SubmissionCreateSerializer(serializers.Serializer):
    request = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id yêu cầu báo cáo.")
    period = serializers.CharField(
        max_length=16,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="Kỳ báo cáo: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY, YYYY-Www, YYYY-MM-DD (hằng ngày), "
        "YYYY-MM-DDTHH (theo giờ: giờ bắt đầu của lần báo cáo); để trống với báo cáo một lần.",
    )
    organization = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id cơ quan gửi báo cáo; mặc định cơ quan của người gọi.",
    )
    values = serializers.DictField(
        child=NumberField(allow_null=True),
        required=False,
        default=dict,
        help_text="Số liệu theo mã chỉ tiêu: {mã: số}; null để xóa.",
    )
    text = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=50_000),
        required=False,
        default=dict,
        help_text="Nội dung theo tên phần: {phần: nội dung}.",
    )
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=10, help_text="Tệp báo cáo."
    )
    submit = serializers.BooleanField(
        required=False, default=False, help_text="true: gửi báo cáo; false: lưu nháp."
    )


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Lý do trả lại.")


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Lý do kết thúc yêu cầu báo cáo.")


# --- Output ----------------------------------------------------------------------------------


class IndicatorOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    min = serializers.FloatField(source="min_value", allow_null=True)
    max = serializers.FloatField(source="max_value", allow_null=True)
    source = serializers.CharField(  # type: ignore[assignment]  # a field (the metaclass pops it), not Field.source
        help_text="Mã số liệu của sổ đơn thư điền sẵn chỉ tiêu; rỗng: nhập tay."
    )


class RequestSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    frequency = CodeField(Frequency, "ReportFrequencyEnum")
    recipients = serializers.SerializerMethodField()
    indicators = IndicatorOutSerializer(many=True, read_only=True)
    sections = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ReportRequest
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "frequency",
            "due_day",
            "due_date",
            "recipients",
            "indicators",
            "sections",
            "active",
            "urgent",
            "interval_hours",
            "starts_on",
            "ends_on",
            "closed_at",
            "closed_reason",
            "created_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_recipients(self, obj: ReportRequest) -> list[int]:
        return [o.pk for o in obj.recipients.all()]


class SubmissionFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    content_type = serializers.CharField()


class SubmissionSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id", read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    period = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    contents_visible = serializers.SerializerMethodField()
    values = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = ReportSubmission
        fields = [
            "id",
            "request",
            "organization",
            "organization_name",
            "period",
            "due_date",
            "status",
            "submitted_at",
            "late",
            "contents_visible",
            "values",
            "text",
            "files",
            "returned_at",
            "returned_reason",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_period(self, obj: ReportSubmission) -> str | None:
        return obj.period or None

    @extend_schema_field(CodeField(_Choices, "ReportSubmissionStatusEnum"))
    def get_status(self, obj: ReportSubmission) -> str:
        return selectors.board_status(obj, now=timezone.now())

    def _visible(self, obj: ReportSubmission) -> bool:
        request = self.context.get("request")
        return selectors.contents_visible(getattr(request, "user", None), obj)

    @extend_schema_field(
        serializers.BooleanField(
            help_text="false: báo cáo chưa gửi, nơi yêu cầu chỉ thấy tình trạng "
            "(values, text, files để trống)."
        )
    )
    def get_contents_visible(self, obj: ReportSubmission) -> bool:
        return self._visible(obj)

    @extend_schema_field(serializers.DictField(child=serializers.FloatField()))
    def get_values(self, obj: ReportSubmission) -> dict[str, Any]:
        if not self._visible(obj):
            return {}
        return {v.indicator.code: selectors.number(v.value) for v in obj.values.all()}

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_text(self, obj: ReportSubmission) -> dict[str, str]:
        return dict(obj.text) if self._visible(obj) else {}

    @extend_schema_field(SubmissionFileSerializer(many=True))
    def get_files(self, obj: ReportSubmission) -> list[dict[str, Any]]:
        if not self._visible(obj):
            return []
        return list(SubmissionFileSerializer(obj.files.all(), many=True).data)


class BoardRowSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="submission.organization_id")
    organization_name = serializers.CharField(source="submission.organization.name")
    submission = serializers.IntegerField(source="submission.pk")
    status = CodeField(_Choices, "ReportSubmissionStatusEnum")
    submitted_at = serializers.DateTimeField(source="submission.submitted_at", allow_null=True)
    due_date = serializers.DateField(help_text="Hạn nộp đang áp dụng (kể cả gia hạn).")
    due_at = serializers.DateTimeField(
        source="deadline", allow_null=True, help_text="Quá thời điểm này chưa gửi là quá hạn."
    )


class BoardSerializer(serializers.Serializer):
    period = serializers.CharField(allow_null=True)
    period_label = serializers.CharField(source="label")
    due_date = serializers.DateField(allow_null=True)
    due_at = serializers.DateTimeField(
        allow_null=True, help_text="Hạn của kỳ (báo cáo theo giờ: giờ kết thúc của lần báo cáo)."
    )
    rows = BoardRowSerializer(many=True)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["period"] = data["period"] or None
        return data


class IndicatorTotalsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    total = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    same_period_last_year = serializers.FloatField(allow_null=True)
    by_organization = serializers.DictField(child=serializers.FloatField(), help_text="{id cơ quan: số liệu}")


class AggregateSerializer(serializers.Serializer):
    period = serializers.CharField(allow_null=True)
    period_label = serializers.CharField()
    previous_period = serializers.CharField(allow_null=True)
    same_period_last_year = serializers.CharField(allow_null=True)
    submitted = serializers.IntegerField()
    expected = serializers.IntegerField()
    indicators = IndicatorTotalsSerializer(many=True)
