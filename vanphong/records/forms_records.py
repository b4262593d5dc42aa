"""The forms of the file plans' and the records' pages. They read and check the shapes of what
is typed (dates as dd/mm/yyyy, numbers, choices among what the reader may use); the rules are
the services' (whose ``ValidationError`` is put back next to these fields by
``core.forms.apply_errors``).

A retention is chosen among "Vĩnh viễn" and the usual numbers of years
(``models.RETENTION_CHOICES``), or typed as another number of years ("Số năm khác")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from vanphong.core.forms import DATE_FORMATS, DateInput, label_choices, model_field
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.records.models import RETENTION_CHOICES, FilePlan, PlanItem, PlanState, retention_label
from vanphong.records.services import ItemSpec

PERMANENT = "vinh_vien"
OTHER = "khac"
UNCHANGED = "giu_nguyen"
RETENTION_FORM_CHOICES = [
    *((PERMANENT if years is None else str(years), retention_label(years)) for years in RETENTION_CHOICES),
    (OTHER, "Số năm khác…"),
]


# ---------------------------------------------------------------------------- who and what


def writing_organizations(user: Actor) -> list[Organization]:
    """The organisations whose files ``user`` makes (WRITE): the committee its office serves,
    not the office itself."""
    return list(
        Organization.objects.filter(
            pk__in=organizations_with(user, Capability.WRITE).values("pk"),
            active=True,
            hosted=True,
            is_office=False,
        ).order_by("depth", "path")[:200]
    )


def default_organization(user: Actor, choices: list[Organization]) -> Organization | None:
    """The user's own organisation, or the committee its office serves; else the first."""
    person = person_of(user)
    if person is not None:
        home = person.organization
        wanted = home.parent_id if home.is_office and home.parent_id is not None else home.pk
        for org in choices:
            if org.pk == wanted:
                return org
    return choices[0] if choices else None


def units_of(organization: Organization) -> QuerySet[Unit]:
    """The units that make files for ``organization``: its own and its office's."""
    return (
        Unit.objects.filter(active=True)
        .filter(
            Q(organization=organization) | Q(organization__parent=organization, organization__is_office=True)
        )
        .select_related("organization")
        .order_by("organization__depth", "order", "name")
    )


def staff_of(organization: Organization) -> QuerySet[Person]:
    """The active people working in ``organization`` or in the office serving it."""
    return (
        Person.objects.filter(active=True)
        .filter(
            Q(organization=organization) | Q(organization__parent=organization, organization__is_office=True)
        )
        .order_by("full_name", "pk")
    )


def open_plan_items(user: Actor) -> QuerySet[PlanItem]:
    """The lines of the approved plans of the organisations ``user`` makes files for, newest
    plan first."""
    orgs = [o.pk for o in writing_organizations(user)]
    return (
        PlanItem.objects.filter(plan__organization_id__in=orgs, plan__state=PlanState.APPROVED)
        .select_related("plan", "plan__organization")
        .order_by("-plan__year", "plan__organization__path", "order", "pk")
    )


def retention_value(choice: str, other: int | None) -> Any:
    """What the services take: ``"vinh_vien"`` or a number of years (``None`` when "other" has
    no number: the service then says what is missing)."""
    if choice == PERMANENT:
        return PERMANENT
    if choice == OTHER:
        return other if other is not None else "?"
    return int(choice)


def retention_initial(years: int | None) -> tuple[str, int | None]:
    if years is None:
        return PERMANENT, None
    if years in RETENTION_CHOICES:
        return str(years), None
    return OTHER, years


class RetentionMixin:
    """Checks that "Số năm khác" comes with its number."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        if data.get("retention") == OTHER and not data.get("retention_other"):
            self.add_error("retention_other", "Nhập số năm bảo quản.")  # type: ignore[attr-defined]
        return data


def _retention_fields(label: str = "Thời hạn bảo quản") -> tuple[forms.ChoiceField, forms.IntegerField]:
    return (
        forms.ChoiceField(label=label, choices=RETENTION_FORM_CHOICES, initial=PERMANENT),
        forms.IntegerField(
            label="Số năm khác",
            required=False,
            min_value=1,
            max_value=200,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "Số năm khác"}),
        ),
    )


# ---------------------------------------------------------------------------- file plans


class PlanCreateForm(forms.Form):
    organization = forms.TypedChoiceField(label="Cơ quan", coerce=int)
    year = forms.IntegerField(label="Năm", min_value=1945, max_value=2100)

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {o.pk: o for o in organizations}
        self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year

    def chosen(self) -> Organization:
        return self.organizations[self.cleaned_data["organization"]]


class PlanItemForm(RetentionMixin, forms.Form):
    heading = forms.CharField(label="Đề mục lớn", required=False, max_length=200)
    code = forms.CharField(label="Số và ký hiệu hồ sơ", required=False, max_length=20)
    title = forms.CharField(
        label="Tên đề mục và tiêu đề hồ sơ",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    retention, retention_other = _retention_fields()
    unit = forms.ModelChoiceField(label="Đơn vị lập hồ sơ", queryset=Unit.objects.none(), required=False)
    person = forms.ModelChoiceField(label="Người lập hồ sơ", queryset=Person.objects.none(), required=False)
    construction = forms.BooleanField(label="Hồ sơ xây dựng cơ bản", required=False)
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "unit").queryset = units_of(organization)
        model_field(self, "person").queryset = staff_of(organization)
        label_choices(self.fields["unit"], lambda u: u.name)
        label_choices(self.fields["person"], lambda p: p.full_name)
        model_field(self, "unit").empty_label = "— Đơn vị lập —"
        model_field(self, "person").empty_label = "— Người lập —"
        # The lines are rows of a table without a label per input: each says its row.
        row = (self.prefix or "").rsplit("-", 1)[-1]
        number = int(row) + 1 if row.isdigit() else None
        for field in self.fields.values():
            if number is not None:
                field.widget.attrs.setdefault("aria-label", f"{field.label}, dòng {number}")

    @property
    def blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("code") or data.get("title") or data.get("heading"))

    def spec(self) -> ItemSpec:
        data = self.cleaned_data
        return ItemSpec(
            code=data["code"],
            title=data["title"],
            retention_years=retention_value(data["retention"], data.get("retention_other")),
            heading=data["heading"],
            unit=data["unit"],
            person=data["person"],
            construction=data["construction"],
            note=data["note"],
        )


class BasePlanItemFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        self.organization = organization
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "organization": self.organization}

    def specs(self) -> list[ItemSpec]:
        return [f.spec() for f in self.forms if f.has_changed() and not f.blank and not self._deleted(f)]

    def _deleted(self, form: forms.Form) -> bool:
        return bool(self.can_delete and form.cleaned_data.get("DELETE"))


# Built by Django (typed ``Any``: its class takes the organisation, see ``BasePlanItemFormSet``).
PlanItemFormSet: Any = forms.formset_factory(
    PlanItemForm, formset=BasePlanItemFormSet, extra=3, can_delete=True, max_num=2000, absolute_max=2000
)


def plan_item_initial(plan: FilePlan) -> list[dict[str, Any]]:
    rows = []
    for item in plan.items.all():
        choice, other = retention_initial(item.retention_years)
        rows.append(
            {
                "heading": item.heading,
                "code": item.code,
                "title": item.title,
                "retention": choice,
                "retention_other": other,
                "unit": item.unit_id,
                "person": item.person_id,
                "construction": item.construction,
                "note": item.note,
            }
        )
    return rows


# ---------------------------------------------------------------------------- records


class RecordOpenForm(RetentionMixin, forms.Form):
    """From a line of an approved plan, or outside the plan with its own organisation, code,
    retention and year."""

    plan_item = forms.TypedChoiceField(
        label="Theo danh mục hồ sơ", coerce=int, required=False, empty_value=None
    )
    organization = forms.TypedChoiceField(
        label="Cơ quan (hồ sơ ngoài danh mục)", coerce=int, required=False, empty_value=None
    )
    code = forms.CharField(label="Số và ký hiệu hồ sơ (ngoài danh mục)", required=False, max_length=20)
    retention, retention_other = _retention_fields("Thời hạn bảo quản (ngoài danh mục)")
    year = forms.IntegerField(
        label="Năm hình thành (ngoài danh mục)", required=False, min_value=1945, max_value=2100
    )
    title = forms.CharField(
        label="Tiêu đề hồ sơ",
        required=False,
        max_length=500,
        help_text="Theo danh mục: để trống thì lấy tiêu đề trong danh mục; có thể ghi cụ thể hơn.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    unit = forms.ModelChoiceField(label="Đơn vị lập hồ sơ", queryset=Unit.objects.none(), required=False)
    start_date = forms.DateField(label="Ngày bắt đầu", input_formats=DATE_FORMATS, widget=DateInput())
    keywords = forms.CharField(label="Từ khóa", required=False, max_length=500)
    construction = forms.BooleanField(label="Hồ sơ xây dựng cơ bản (ngoài danh mục)", required=False)

    def __init__(
        self,
        *args: Any,
        items: list[PlanItem],
        organizations: list[Organization],
        units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = {i.pk: i for i in items}
        self.organizations = {o.pk: o for o in organizations}
        groups: dict[str, list[tuple[int, str]]] = {}
        for item in items:
            plan = item.plan
            group = f"Danh mục năm {plan.year} — {plan.organization.short_name or plan.organization.name}"
            groups.setdefault(group, []).append((item.pk, f"{item.code} — {item.title[:120]}"))
        self.fields["plan_item"].choices = [  # type: ignore[attr-defined]
            ("", "— Hồ sơ ngoài danh mục —"),
            *groups.items(),
        ]
        self.fields["organization"].choices = [  # type: ignore[attr-defined]
            ("", "— Chọn cơ quan —"),
            *((o.pk, o.name) for o in organizations),
        ]
        model_field(self, "unit").queryset = units
        label_choices(self.fields["unit"], lambda u: u.name)
        self.fields["start_date"].initial = timezone.localdate().strftime("%d/%m/%Y")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("plan_item") is None:
            if data.get("organization") is None:
                self.add_error(
                    "organization", "Chọn hồ sơ trong danh mục, hoặc cơ quan của hồ sơ ngoài danh mục."
                )
            if not data.get("code"):
                self.add_error("code", "Hồ sơ ngoài danh mục phải có số và ký hiệu.")
            if not data.get("title"):
                self.add_error("title", "Hồ sơ ngoài danh mục phải có tiêu đề.")
        elif data["plan_item"] not in self.items:
            self.add_error("plan_item", "Chọn một hồ sơ trong danh mục đã ban hành.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        common = {
            "title": data["title"],
            "unit": data["unit"],
            "start_date": data["start_date"],
            "keywords": data["keywords"],
        }
        if data["plan_item"] is not None:
            return {"plan_item": self.items[data["plan_item"]], **common}
        return {
            "organization": self.organizations.get(data["organization"]),
            "code": data["code"],
            "retention_years": retention_value(data["retention"], data.get("retention_other")),
            "year": data["year"],
            "construction": data["construction"],
            **common,
        }


class FileSearchForm(forms.Form):
    """The search among documents the filer may read (by số ký hiệu or trích yếu)."""

    tim = forms.CharField(label="Tìm văn bản theo số, ký hiệu hoặc trích yếu", required=False, max_length=200)


class FileForm(forms.Form):
    """What to file: one document (chosen from the search), or a meeting by its number, or a
    petition by its "số/năm"."""

    document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    meeting = forms.IntegerField(label="Hoặc mã số cuộc họp", required=False, min_value=1)
    petition = forms.CharField(
        label="Hoặc đơn thư số/năm", required=False, max_length=20, help_text="Ví dụ: 12/2026"
    )
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def clean_petition(self) -> tuple[int, int] | None:
        value = (self.cleaned_data.get("petition") or "").strip()
        if not value:
            return None
        number, _slash, year = value.partition("/")
        if not (number.strip().isdigit() and year.strip().isdigit() and len(year.strip()) == 4):
            raise forms.ValidationError("Ghi số đơn theo dạng số/năm, ví dụ 12/2026.")
        return int(number), int(year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [k for k in ("document", "meeting", "petition") if data.get(k)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError("Chọn một văn bản, một cuộc họp hoặc một đơn thư để đưa vào hồ sơ.")
        return data


class CloseForm(RetentionMixin, forms.Form):
    """Kết thúc hồ sơ: the end date, the retention checked again, the pages, the closing note
    (chứng từ kết thúc)."""

    end_date = forms.DateField(label="Ngày kết thúc", input_formats=DATE_FORMATS, widget=DateInput())
    retention = forms.ChoiceField(
        label="Thời hạn bảo quản",
        choices=[(UNCHANGED, "Giữ nguyên"), *RETENTION_FORM_CHOICES],
        initial=UNCHANGED,
    )
    retention_other = forms.IntegerField(label="Số năm khác", required=False, min_value=1, max_value=200)
    page_total = forms.IntegerField(
        label="Tổng số tờ, trang",
        required=False,
        min_value=1,
        help_text="Để trống: cộng số trang của các văn bản.",
    )
    closing_note = forms.CharField(
        label="Chứng từ kết thúc",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Tình trạng vật lý, văn bản thiếu, đặc điểm của hồ sơ… (nếu có).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate().strftime("%d/%m/%Y")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        retention: Any = (
            "unchanged"
            if data["retention"] == UNCHANGED
            else retention_value(data["retention"], data.get("retention_other"))
        )
        return {
            "end_date": data["end_date"],
            "retention_years": retention,
            "page_total": data["page_total"],
            "closing_note": data["closing_note"],
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def year_choices(today: dt.date | None = None) -> list[int]:
    year = (today or timezone.localdate()).year
    return list(range(year + 1, year - 15, -1))
