"""Shapes of the petitions API (see /work/shared/API.md, "Citizen reception and petitions"):
input serializers only parse and check types; every rule lives in ``services`` and
``selectors``. The output masks a denouncer's identity through the selectors
(``shown_petitioners``, ``identity_protected``): it never reads ``petitioners`` directly."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.petitions import browse, selectors
from vanphong.petitions.models import (
    Action,
    Channel,
    Kind,
    Petition,
    PetitionFile,
    PetitionFileKind,
    Reception,
    Result,
    State,
)
from vanphong.tasks.api.serializers import CodeField

MAX_ID = 2**63 - 1  # a larger id is no row; the database would overflow


def _choice_help(choices: Any) -> str:
    return " | ".join(choices.values)


# --- Input -----------------------------------------------------------------------------------


class PersonInSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200, help_text="Họ và tên.")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="Số định danh cá nhân (CCCD)."
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class PetitionCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id cơ quan tiếp nhận; mặc định cơ quan của người gọi (của Văn phòng là cấp ủy).",
    )
    received_date = serializers.DateField(help_text="Ngày nhận đơn (YYYY-MM-DD).")
    channel = serializers.CharField(max_length=20, help_text=_choice_help(Channel))
    petitioners = serializers.ListField(
        child=PersonInSerializer(),
        required=False,
        default=list,
        max_length=50,
        help_text="Người gửi đơn; để trống khi đơn nặc danh.",
    )
    respondent = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Người, cơ quan bị khiếu nại, tố cáo.",
    )
    content = serializers.CharField(max_length=20_000, help_text="Nội dung tóm tắt.")
    kind = serializers.CharField(max_length=20, help_text=_choice_help(Kind))
    field = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Lĩnh vực."
    )
    locality = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Địa bàn (xã, phường…)."
    )
    complex = serializers.BooleanField(required=False, default=False, help_text="Vụ việc phức tạp.")
    remote_area = serializers.BooleanField(required=False, default=False, help_text="Vùng sâu, vùng xa.")
    against_party_member = serializers.BooleanField(
        required=False, default=False, help_text="Tố cáo đảng viên, tổ chức đảng (hạn 90 ngày làm việc)."
    )
    handler = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id cán bộ xử lý.",
    )


class ExtendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, help_text="Lý do gia hạn giải quyết.")


class PetitionAssignSerializer(serializers.Serializer):
    handler = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id cán bộ xử lý đơn.")


class DecisionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=20, help_text=_choice_help(Action))
    to_organization = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID
    )
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ResultSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=20, help_text=_choice_help(Result))
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    document = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id văn bản trả lời, kết luận.",
    )


class ReceptionCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID
    )
    date = serializers.DateField(help_text="Ngày tiếp (YYYY-MM-DD).")
    receiving_person = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id người tiếp.")
    citizens = serializers.ListField(
        child=PersonInSerializer(), max_length=50, help_text="Công dân đến (với đoàn: những người đại diện)."
    )
    citizen_count = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=10_000,
        help_text="Số người (đoàn đông người: từ 5); mặc định số công dân được ghi.",
    )
    content = serializers.CharField(max_length=20_000)
    outcome = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    documents_received = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="Tài liệu công dân cung cấp."
    )
    petition = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=MAX_ID
    )
    confidential = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Người đến tố cáo: giữ bí mật danh tính (tự động khi đơn liên quan là đơn tố cáo). "
            "Chỉ người tiếp, người ghi sổ và người xử lý đơn tố cáo liên quan được xem tên."
        ),
    )
    session = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id buổi tiếp trong lịch tiếp công dân (nếu có).",
    )


class ReceptionLinkSerializer(serializers.Serializer):
    petition = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id đơn (cùng sổ của cơ quan)."
    )


# --- Output ----------------------------------------------------------------------------------


class PersonOutSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    address = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField()


class FileOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="attachment | letter")
    action = serializers.CharField(help_text="Với văn bản xử lý: hướng xử lý đã tạo ra nó.")
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.CharField(help_text="Địa chỉ tải tệp (cần đăng nhập).")


class DeadlinesSerializer(serializers.Serializer):
    process_by = serializers.DateField()
    resolve_by = serializers.DateField(allow_null=True)


class PetitionSerializer(serializers.ModelSerializer):
    kind = CodeField(Kind, "PetitionKindEnum")
    channel = CodeField(Channel, "PetitionChannelEnum")
    state = CodeField(State, "PetitionStateEnum")
    petitioners = serializers.SerializerMethodField()
    identity_protected = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    related = serializers.SerializerMethodField()
    duplicate_count = serializers.SerializerMethodField()
    letter = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = [
            "id",
            "organization",
            "number",
            "year",
            "received_date",
            "channel",
            "kind",
            "field",
            "locality",
            "respondent",
            "content",
            "complex",
            "remote_area",
            "against_party_member",
            "petitioners",
            "identity_protected",
            "handler",
            "state",
            "action",
            "to_organization",
            "reason",
            "decided_on",
            "deadlines",
            "extensions",
            "result",
            "result_summary",
            "result_document",
            "resolved_on",
            "related",
            "duplicate_count",
            "process_task",
            "resolve_task",
            "letter",
            "files",
            "created_at",
        ]
        read_only_fields = fields

    def _files(self, obj: Petition) -> list[PetitionFile]:
        return selectors.shown_files(obj)

    @extend_schema_field(PersonOutSerializer(many=True))
    def get_petitioners(self, obj: Petition) -> list[dict[str, str]]:
        return [
            {"full_name": p.full_name, "address": p.address, "id_number": p.id_number, "phone": p.phone}
            for p in selectors.shown_petitioners(obj)
        ]

    def get_identity_protected(self, obj: Petition) -> bool:
        return selectors.identity_protected(obj)

    @extend_schema_field(DeadlinesSerializer)
    def get_deadlines(self, obj: Petition) -> dict[str, Any]:
        return {"process_by": obj.process_by, "resolve_by": obj.resolve_by}

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_related(self, obj: Petition) -> list[int]:
        """Only the links whose both sides' identity the reader sees (``selectors``)."""
        return selectors.shown_related(obj)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_duplicate_count(self, obj: Petition) -> int | None:
        """Later letters of the same person the reader may see linked; null when masked."""
        return selectors.shown_duplicate_count(obj)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_letter(self, obj: Petition) -> int | None:
        """The file id of the letter the handling decision produced (thông báo thụ lý, phiếu
        chuyển đơn, văn bản hướng dẫn, phiếu lưu đơn); null before the decision, and for a
        reader from whom the denouncer's identity is masked (the letter names them)."""
        letters = [f for f in self._files(obj) if f.kind == PetitionFileKind.LETTER]
        return max(letters, key=lambda f: (f.uploaded_at, f.pk)).pk if letters else None

    @extend_schema_field(FileOutSerializer(many=True))
    def get_files(self, obj: Petition) -> list[dict[str, Any]]:
        return [
            {
                "id": f.pk,
                "kind": f.kind,
                "action": f.action,
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "url": reverse("petitions:petition_file", args=[obj.pk, f.pk]),
            }
            for f in self._files(obj)
        ]


class ReceptionSerializer(serializers.ModelSerializer):
    # Needs ``context["masked"]``: ``browse.masked_receptions(user, receptions)``, one query
    # for a page (missing: every visit masked). Masked: a confidential visit (someone came to
    # denounce) for all but who received or wrote it down and the denunciation's handlers, or
    # one whose petition is a denunciation whose identity the reader may not see.

    group = serializers.BooleanField(read_only=True)
    citizens = serializers.SerializerMethodField()
    citizens_protected = serializers.SerializerMethodField()

    def _citizens(self, obj: Reception) -> list[dict[str, str]]:
        masked = self.context.get("masked")
        return browse.reception_citizens(obj, masked) if masked is not None else []

    @extend_schema_field(PersonOutSerializer(many=True))
    def get_citizens(self, obj: Reception) -> list[dict[str, str]]:
        return self._citizens(obj)

    def get_citizens_protected(self, obj: Reception) -> bool:
        return bool(obj.citizens) and not self._citizens(obj)

    class Meta:
        model = Reception
        fields = [
            "id",
            "organization",
            "date",
            "receiving_person",
            "citizens",
            "citizens_protected",
            "citizen_count",
            "group",
            "content",
            "documents_received",
            "outcome",
            "petition",
            "session",
            "confidential",
            "created_at",
        ]
        read_only_fields = fields


class PetitionStatsSerializer(serializers.Serializer):
    from_ = serializers.DateField(allow_null=True)
    to = serializers.DateField(allow_null=True)
    total = serializers.IntegerField()
    by_kind = serializers.DictField(child=serializers.IntegerField(), help_text="Theo loại đơn (mọi loại).")
    by_field = serializers.DictField(
        child=serializers.IntegerField(), help_text="Theo lĩnh vực (không phân biệt hoa thường)."
    )
    by_result = serializers.DictField(
        child=serializers.IntegerField(), help_text='Theo kết quả ("": chưa có).'
    )
    by_locality = serializers.DictField(
        child=serializers.IntegerField(), help_text="Theo địa bàn (không phân biệt hoa thường)."
    )
    by_channel = serializers.DictField(child=serializers.IntegerField(), help_text="Theo nguồn đơn.")
    by_state = serializers.DictField(child=serializers.IntegerField(), help_text="Theo tình trạng.")
    by_action = serializers.DictField(
        child=serializers.IntegerField(), help_text='Theo hướng xử lý ("": chưa xử lý).'
    )
    by_month = serializers.DictField(
        child=serializers.IntegerField(), help_text="Theo tháng nhận (YYYY-MM), mọi tháng trong khoảng."
    )
    overdue = serializers.DictField(
        child=serializers.IntegerField(), help_text="Đơn quá hạn hôm nay: processing, resolution, total."
    )
    duplicates = serializers.IntegerField(help_text="Đơn có đơn trước cùng nội dung mà người gọi được thấy.")
    anonymous = serializers.IntegerField(help_text="Đơn nặc danh.")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # "from" is a Python keyword
        return fields
