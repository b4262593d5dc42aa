"""Forms of the outgoing pages: they parse and validate input; the rules are the services'."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q

from vanphong.core.forms import FileInput, label_choices
from vanphong.documents import doctypes
from vanphong.documents.models import ReviewDecision, Urgency
from vanphong.documents.services.copies import COPY_FORMS
from vanphong.documents.services.outgoing import AUTHORITY_CHOICES
from vanphong.orgs.access import Capability, organizations_with, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.forms import BaseForm
from vanphong.orgs.models import Classification, Organization, Person, Role, RoleAssignment

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
LEADER_ROLES = (Role.LANH_DAO_CAP_UY, Role.LANH_DAO_VAN_PHONG, Role.LANH_DAO_PHONG)


def outgoing_type_choices() -> list[tuple[str, str]]:
    """Types an office issues (no copies, no legal normative documents)."""
    return doctypes.type_choices(lambda entry: not entry.normative)


class MultipleFileInput(FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _people_choice(user: Actor) -> Any:
    """Colleagues who may take part in a circuit: people of the organisations where the user
    holds a role, of the bodies under them (the Văn phòng under the Tỉnh ủy) and above them
    (the committee's leaders, for someone in an agency)."""
    reach = Q(pk__in=[])
    for org in organizations_with(user, Capability.READ):
        reach |= Q(organization__path__startswith=org.path) | Q(organization__in=org.ancestors())
    return Person.objects.active().filter(reach).select_related("organization").order_by("full_name")


class DraftForm(BaseForm):
    organization = forms.ModelChoiceField(
        label="Cơ quan ban hành", queryset=Organization.objects.none(), empty_label=None
    )
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=[])
    subject = forms.CharField(
        label="Trích yếu nội dung", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    urgency = forms.ChoiceField(label="Độ khẩn", choices=Urgency.choices, initial=Urgency.NORMAL)
    classification = forms.TypedChoiceField(
        label="Độ mật", coerce=int, choices=[], initial=Classification.NONE
    )
    signer = forms.ModelChoiceField(
        label="Người ký", queryset=Person.objects.none(), required=False, empty_label="— Chọn sau —"
    )
    signing_authority = forms.ChoiceField(
        label="Thẩm quyền ký",
        choices=[("auto", "Theo vai trò của người ký"), *AUTHORITY_CHOICES],
        initial="auto",
        required=False,
    )
    recipients = forms.ModelMultipleChoiceField(
        label="Nơi nhận",
        queryset=Organization.objects.filter(active=True).order_by("path"),
        required=False,
        help_text="Cơ quan dùng hệ thống nhận văn bản ngay khi phát hành; cơ quan khác chờ gửi liên thông.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    body = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 12}))
    files = MultipleFileField(label="Tệp dự thảo", required=False)  # type: ignore[assignment]  # a field, not BaseForm.files
    # "Tùy chọn khi in": the optional boxes the document prints when given (NĐ 30 boxes 11, 12).
    circulation = forms.CharField(
        label="Phạm vi lưu hành",
        max_length=200,
        required=False,
        help_text="In trong khung dưới ngày tháng, ví dụ: Lưu hành nội bộ; Xem xong trả lại.",
    )
    typist_initials = forms.CharField(
        label="Ký hiệu người đánh máy",
        max_length=10,
        required=False,
        help_text="Chữ cái đầu tên người đánh máy, ví dụ TH; in dưới nơi nhận cùng số lượng bản (TH.(20)).",
    )
    copies_count = forms.IntegerField(label="Số lượng bản", min_value=1, max_value=1000, required=False)

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = organizations_with(user, Capability.WRITE).filter(hosted=True, active=True).order_by("path")
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = orgs
        cast(forms.ChoiceField, self.fields["doc_type"]).choices = [
            ("", "— Chọn loại —"),
            *outgoing_type_choices(),
        ]
        clearance = scope_for(user).clearance
        cast(forms.ChoiceField, self.fields["classification"]).choices = [
            (v, label) for v, label in Classification.choices if v <= clearance
        ]
        leaders = RoleAssignment.objects.current().filter(role__in=LEADER_ROLES, organization__in=orgs)
        cast(forms.ModelChoiceField, self.fields["signer"]).queryset = (
            Person.objects.active().filter(pk__in=leaders.values("person")).select_related("organization")
        ).order_by("full_name")
        label_choices(self.fields["signer"], lambda p: f"{p.full_name} — {p.organization.short_name}")
        label_choices(self.fields["recipients"], lambda o: o.name)

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        authority = data.pop("signing_authority")
        data["signing_authority"] = None if authority in ("auto", None) else authority
        data["recipients"] = list(data["recipients"])
        return data


class VersionForm(BaseForm):
    body = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 10}))
    file = forms.FileField(label="Tệp dự thảo", required=False, widget=FileInput)
    note = forms.CharField(label="Sửa đổi gì", max_length=255, required=False)


class CommentForm(BaseForm):
    text = forms.CharField(label="Góp ý", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class SubmitForm(BaseForm):
    """The usual circuit in one form: the department's opinion, then the Văn phòng's
    appraisal of content and of format in parallel, then the signer."""

    department = forms.ModelChoiceField(
        label="Lãnh đạo phòng cho ý kiến",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— Không qua bước này —",
    )
    appraisal_content = forms.ModelChoiceField(
        label="Thẩm định nội dung",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— Không qua bước này —",
    )
    appraisal_format = forms.ModelChoiceField(
        label="Kiểm tra thể thức, kỹ thuật trình bày",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— Không qua bước này —",
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _people_choice(user).exclude(user__isnull=True)
        for name in ("department", "appraisal_content", "appraisal_format"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = people
            label_choices(self.fields[name], lambda p: f"{p.full_name} — {p.organization.short_name}")

    def steps(self, signer: Person | None) -> list[dict[str, Any]]:
        data = self.cleaned_data
        steps: list[dict[str, Any]] = []
        if data.get("department"):
            steps.append({"stage": 1, "kind": "department", "reviewer": data["department"]})
        for kind in ("appraisal_content", "appraisal_format"):
            if data.get(kind):
                steps.append({"stage": 2, "kind": kind, "reviewer": data[kind]})
        if signer is not None:
            steps.append({"stage": 3, "kind": "sign", "reviewer": signer})
        return steps


class DecideForm(BaseForm):
    decision = forms.ChoiceField(
        label="Ý kiến",
        choices=[(ReviewDecision.APPROVED, "Đồng ý"), (ReviewDecision.RETURNED, "Trả lại để sửa")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Ghi chú", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IssueForm(BaseForm):
    issued_date = forms.DateField(
        label="Ngày ban hành",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="dd/mm/yyyy; để trống là hôm nay.",
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )


class CopyForm(BaseForm):
    form = forms.ChoiceField(label="Hình thức sao", choices=list(COPY_FORMS.items()))
    organization = forms.ModelChoiceField(
        label="Cơ quan sao", queryset=Organization.objects.none(), empty_label=None
    )
    excerpt = forms.CharField(
        label="Phần trích sao",
        max_length=2000,
        required=False,
        help_text="Chỉ với bản trích sao, ví dụ: Điều 2.",
    )
    copies_count = forms.IntegerField(label="Số lượng bản", min_value=1, max_value=500, initial=1)

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = (
            organizations_with(user, Capability.REGISTER).filter(hosted=True, active=True).order_by("path")
        )
