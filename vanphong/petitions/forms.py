"""The officers' forms of the petitions book and the reception register. They read and check
the shapes of what is typed (dates as dd/mm/yyyy, choices); the rules are the services'
(whose ``ValidationError`` is put back next to these fields by ``core.forms.apply_errors``).

The petitioners (and a visit's citizens) are rows of four inputs sent as lists
(``<prefix>_name``, ``_address``, ``_id_number``, ``_phone``): ``PersonRows`` reads them back,
keeps every row typed for a refused save, and gives the specs the services take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from vanphong.core.forms import DATE_FORMATS, DateInput, MultipleFileField, label_choices
from vanphong.orgs.models import Organization, Person
from vanphong.petitions.models import Action, Channel, Kind, ReceptionSession, Result
from vanphong.petitions.services import PetitionerSpec

BLANK_ROWS = 1
MIN_ROWS = 2
MAX_ROWS = 50
COLUMNS = ("name", "address", "id_number", "phone")


@dataclass(frozen=True)
class PersonRow:
    name: str = ""
    address: str = ""
    id_number: str = ""
    phone: str = ""

    @property
    def blank(self) -> bool:
        return not (self.name or self.address or self.id_number or self.phone)


class PersonRows:
    """The rows of people typed in a form (petitioners, citizens), read from ``data``."""

    def __init__(self, data: QueryDict | None, prefix: str, *, add: bool = False) -> None:
        self.prefix = prefix
        rows: list[PersonRow] = []
        if data is not None:
            columns = [data.getlist(f"{prefix}_{c}") for c in COLUMNS]
            size = min(max((len(c) for c in columns), default=0), MAX_ROWS)
            for n in range(size):
                values = [str(c[n]).strip() if n < len(c) else "" for c in columns]
                rows.append(PersonRow(*values))
        self.typed = [r for r in rows if not r.blank]
        extra = BLANK_ROWS + (1 if add else 0)
        self.rows = self.typed + [PersonRow()] * max(extra, MIN_ROWS - len(self.typed))

    def specs(self) -> list[PetitionerSpec]:
        return [PetitionerSpec(r.name, r.address, r.id_number, r.phone) for r in self.typed]


def _person_label(person: Person) -> str:
    return person.full_name


class PetitionRegisterForm(forms.Form):
    organization = forms.TypedChoiceField(label="Sổ đơn thư của", coerce=int)
    received_date = forms.DateField(label="Ngày nhận đơn", input_formats=DATE_FORMATS, widget=DateInput())
    channel = forms.ChoiceField(label="Nguồn đơn", choices=Channel.choices, initial=Channel.POST)
    kind = forms.ChoiceField(label="Loại đơn", choices=[("", "— Chọn loại đơn —"), *Kind.choices])
    content = forms.CharField(
        label="Nội dung tóm tắt",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
    )
    respondent = forms.CharField(label="Người, cơ quan bị khiếu nại, tố cáo", required=False, max_length=500)
    field = forms.CharField(
        label="Lĩnh vực",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "petition-fields", "autocomplete": "off"}),
    )
    locality = forms.CharField(
        label="Địa bàn",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "petition-localities", "autocomplete": "off"}),
    )
    complex_case = forms.BooleanField(label="Vụ việc phức tạp", required=False)
    remote_area = forms.BooleanField(label="Vùng sâu, vùng xa, đi lại khó khăn", required=False)
    against_party_member = forms.BooleanField(label="Tố cáo đảng viên, tổ chức đảng", required=False)
    handler = forms.ModelChoiceField(
        label="Cán bộ xử lý", queryset=Person.objects.none(), required=False, empty_label="— Chưa giao —"
    )
    files = MultipleFileField(  # type: ignore[assignment]  # a field (the metaclass pops it), not BaseForm.files
        label="Tài liệu kèm đơn",
        required=False,
        help_text="Bản quét đơn và tài liệu kèm theo (PDF, Word, ảnh); chọn được nhiều tệp.",
    )

    def __init__(self, *args: Any, organizations: list[Organization], handlers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.TypedChoiceField)
        organization.choices = [(o.pk, o.name) for o in organizations]
        handler = self.fields["handler"]
        assert isinstance(handler, forms.ModelChoiceField)
        handler.queryset = handlers
        label_choices(handler, _person_label)
        self.fields["received_date"].widget.attrs["autofocus"] = True


class DecideForm(forms.Form):
    prefix = "decide"
    action = forms.ChoiceField(label="Hướng xử lý", choices=Action.choices, widget=forms.RadioSelect)
    to_organization = forms.ModelChoiceField(
        label="Chuyển đến cơ quan, tổ chức có thẩm quyền",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="— Chỉ khi chuyển đơn —",
    )
    reason = forms.CharField(
        label="Lý do, ghi chú xử lý",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bắt buộc khi lưu đơn.",
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets
        label_choices(field, lambda o: o.name)


class AssignForm(forms.Form):
    prefix = "assign"
    handler = forms.ModelChoiceField(
        label="Cán bộ xử lý", queryset=Person.objects.none(), empty_label="— Chọn cán bộ —"
    )

    def __init__(self, *args: Any, handlers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = handlers
        label_choices(field, _person_label)


class AttachForm(forms.Form):
    prefix = "attach"
    files = MultipleFileField(  # type: ignore[assignment]  # a field (the metaclass pops it), not BaseForm.files
        label="Bổ sung tài liệu",
        help_text="Tài liệu xác minh, bản bổ sung của người gửi đơn (PDF, Word, ảnh); chọn được nhiều tệp.",
    )


class ExtendForm(forms.Form):
    prefix = "extend"
    reason = forms.CharField(label="Lý do gia hạn", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ResultForm(forms.Form):
    prefix = "result"
    result = forms.ChoiceField(label="Kết quả giải quyết", choices=[("", "— Chọn —"), *Result.choices])
    summary = forms.CharField(
        label="Tóm tắt kết quả", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.CharField(
        label="Văn bản trả lời, kết luận",
        required=False,
        max_length=100,
        help_text="Số, ký hiệu của văn bản (ví dụ 125-TB/TU) hoặc mã số văn bản.",
    )


class ReceptionForm(forms.Form):
    organization = forms.TypedChoiceField(label="Sổ tiếp công dân của", coerce=int)
    date = forms.DateField(label="Ngày tiếp", input_formats=DATE_FORMATS, widget=DateInput())
    receiving_person = forms.ModelChoiceField(label="Người tiếp", queryset=Person.objects.none())
    citizen_count = forms.IntegerField(
        label="Số người đến",
        required=False,
        min_value=1,
        help_text="Để trống: bằng số công dân ghi tên. Từ 5 người trở lên là đoàn đông người.",
    )
    content = forms.CharField(label="Nội dung công dân trình bày", widget=forms.Textarea(attrs={"rows": 4}))
    documents_received = forms.CharField(
        label="Tài liệu công dân cung cấp", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(label="Kết quả tiếp", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    session = forms.ModelChoiceField(
        label="Buổi tiếp theo lịch",
        queryset=ReceptionSession.objects.none(),
        required=False,
        empty_label="— Không theo lịch —",
    )
    petition = forms.CharField(
        label="Đơn liên quan",
        required=False,
        max_length=20,
        help_text="Số đơn trong sổ, dạng số/năm (ví dụ 12/2026).",
    )
    confidential = forms.BooleanField(
        label="Người đến tố cáo (giữ bí mật danh tính)",
        required=False,
        help_text=(
            "Chỉ người tiếp, người ghi sổ và người xử lý đơn tố cáo liên quan được xem tên công dân. "
            "Gắn với một đơn tố cáo thì tự động giữ bí mật."
        ),
    )

    def __init__(
        self, *args: Any, organizations: list[Organization], people: Any, sessions: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.TypedChoiceField)
        organization.choices = [(o.pk, o.name) for o in organizations]
        receiving = self.fields["receiving_person"]
        assert isinstance(receiving, forms.ModelChoiceField)
        receiving.queryset = people
        label_choices(receiving, _person_label)
        session = self.fields["session"]
        assert isinstance(session, forms.ModelChoiceField)
        session.queryset = sessions
        label_choices(
            session, lambda s: f"{s.date:%d/%m/%Y} {s.start:%H:%M}–{s.end:%H:%M}, {s.leader.full_name}"
        )
        self.fields["date"].widget.attrs["autofocus"] = True

    def clean_petition(self) -> tuple[int, int] | None:
        return petition_key(self.cleaned_data.get("petition"))


def petition_key(value: object) -> tuple[int, int] | None:
    """(number, year) of a petition written "số/năm" (spaces ignored); None when empty."""
    raw = "".join(str(value or "").split())
    if not raw:
        return None
    number, _, year = raw.partition("/")
    if not number.isdigit() or not year.isdigit() or len(year) != 4:
        raise forms.ValidationError("Ghi số đơn dạng số/năm, ví dụ 12/2026.")
    return int(number), int(year)


class ReceptionLinkForm(forms.Form):
    """The petition a visit gave rise to, entered after the visit (``services.reception_link``)."""

    petition = forms.CharField(
        label="Đơn liên quan", max_length=20, help_text="Số đơn trong sổ, dạng số/năm (ví dụ 12/2026)."
    )

    def clean_petition(self) -> tuple[int, int]:
        key = petition_key(self.cleaned_data.get("petition"))
        if key is None:
            raise forms.ValidationError("Hãy nhập số đơn, dạng số/năm.")
        return key
