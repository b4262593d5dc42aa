"""HTML input for the organisation pages. Forms only parse and check the shape of input;
the rules (who may, what is consistent) live in ``services`` and come back as
``ValidationError``s that ``add_service_errors`` puts next to the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from vanphong.core.forms import apply_errors, choice_field, label_choices, model_field
from vanphong.orgs.access import Capability, organizations_with, restrict, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Classification, Organization, Person, Position, Role, RoleAssignment, Unit

DATE_HELP = "Ghi theo dạng dd/mm/yyyy, ví dụ 21/11/2026."
DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": 12}
DATETIME_ATTRS = {"placeholder": "dd/mm/yyyy hoặc HH:MM dd/mm/yyyy", "autocomplete": "off"}


class BaseForm(forms.Form):
    """Vietnamese messages that read well (Django's own translations are uneven), errors
    linked to their inputs for screen readers, and our field markup (``.field``)."""

    template_name = "core/_form_fields.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "").lower()
            chooses = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            messages = {
                "required": f"Vui lòng {'chọn' if chooses else 'nhập'} {label}.",
                "invalid_choice": "Lựa chọn không hợp lệ, vui lòng chọn lại.",
                "max_length": "Nội dung dài quá %(limit_value)d ký tự (hiện có %(show_value)d).",
                "min_value": "Giá trị không được nhỏ hơn %(limit_value)s.",
                "max_value": "Giá trị không được lớn hơn %(limit_value)s.",
            }
            if isinstance(field, forms.DateTimeField):
                messages["invalid"] = "Thời điểm không hợp lệ; ghi dd/mm/yyyy hoặc HH:MM dd/mm/yyyy."
            elif isinstance(field, forms.DateField):
                messages["invalid"] = "Ngày không hợp lệ; ghi theo dạng dd/mm/yyyy (ví dụ 21/11/2026)."
            elif isinstance(field, forms.IntegerField):
                messages["invalid"] = "Vui lòng nhập một số nguyên."
            elif isinstance(field, forms.EmailField):
                messages["invalid"] = "Địa chỉ thư điện tử không hợp lệ."
            field.error_messages.update(messages)
            for validator in getattr(field, "validators", []):
                # MaxLength/MinValue validators carry their own (poorly translated) message.
                if getattr(validator, "code", None) in messages:
                    validator.message = messages[validator.code]

    def full_clean(self) -> None:
        super().full_clean()
        self._link_errors()

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's ``ValidationError`` next to the fields it names."""
        apply_errors(self, exc)
        self._link_errors()

    def _link_errors(self) -> None:
        """Point each invalid input at its error text (and its help) for screen readers."""
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                ids = [f"{bound.auto_id}_error"]
                if self.fields[name].help_text:
                    ids.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def _unit_label(unit: Unit) -> str:
    return f"{unit.name} — {unit.organization.short_name}"


def manageable_organizations(user: Actor) -> QuerySet[Organization]:
    return organizations_with(user, Capability.MANAGE_PEOPLE).filter(hosted=True, active=True)


def clearance_choices(actor: Actor, current: int | None = None) -> list[tuple[int, str]]:
    """The clearances this actor may grant (never above their own), plus the one kept."""
    ceiling = scope_for(actor).clearance
    return [(v, str(label)) for v, label in Classification.choices if v <= ceiling or v == current]


class PersonForm(BaseForm):
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    organization = forms.ModelChoiceField(
        label="Cơ quan công tác", queryset=Organization.objects.none(), empty_label=None
    )
    unit = forms.ModelChoiceField(
        label="Phòng", queryset=Unit.objects.none(), required=False, empty_label="— Không thuộc phòng nào —"
    )
    position = forms.ModelChoiceField(
        label="Chức vụ", queryset=Position.objects.all(), required=False, empty_label="— Chưa ghi —"
    )
    clearance = forms.TypedChoiceField(
        label="Được tiếp cận bí mật",
        coerce=int,
        help_text="Mức cao nhất người này được đọc. Bạn chỉ cấp được đến mức của chính mình.",
    )
    email = forms.EmailField(label="Thư điện tử", required=False)
    phone = forms.CharField(label="Điện thoại", max_length=30, required=False)

    def __init__(
        self, *args: Any, actor: Actor, organization: Organization | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        orgs = manageable_organizations(actor)
        model_field(self, "organization").queryset = orgs
        model_field(self, "unit").queryset = Unit.objects.filter(
            organization__in=orgs, active=True
        ).select_related("organization")
        label_choices(self.fields["unit"], _unit_label)
        current = self.initial.get("clearance")
        choice_field(self, "clearance").choices = clearance_choices(actor, current)
        if organization is not None:
            # Adding someone to a given organisation: the organisation is fixed by the page.
            del self.fields["organization"]
            model_field(self, "unit").queryset = Unit.objects.filter(organization=organization, active=True)
            label_choices(self.fields["unit"], str)


class PersonCreateForm(PersonForm):
    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        required=False,
        help_text="Để trống nếu người này chưa cần dùng hệ thống.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label="Mật khẩu tạm thời",
        required=False,
        strip=False,
        help_text="Người dùng phải đổi mật khẩu này ở lần đăng nhập đầu. Để trống thì quản trị "
        "cấp mật khẩu sau.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class PersonEditForm(PersonForm):
    counts_toward_quota = forms.BooleanField(label="Tính vào biên chế", required=False)


class RoleAssignForm(BaseForm):
    person = forms.ModelChoiceField(
        label="Cán bộ", queryset=Person.objects.none(), empty_label="— Chọn cán bộ —"
    )
    role = forms.ChoiceField(label="Vai trò", choices=[("", "— Chọn vai trò —"), *Role.choices])
    unit = forms.ModelChoiceField(
        label="Phòng phụ trách",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— Không —",
        help_text="Với lãnh đạo phòng: phòng mình phụ trách.",
    )
    title = forms.CharField(
        label="Chức danh", max_length=120, required=False, help_text="Ví dụ: Phó Chánh Văn phòng."
    )
    starts_on = forms.DateField(
        label="Từ ngày",
        widget=forms.DateInput(attrs=DATE_ATTRS),
        help_text=DATE_HELP,
        initial=timezone.localdate,
    )
    ends_on = forms.DateField(
        label="Đến ngày",
        required=False,
        widget=forms.DateInput(attrs=DATE_ATTRS),
        help_text="Để trống nếu chưa xác định. " + DATE_HELP,
    )

    def __init__(self, *args: Any, actor: Actor, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = restrict(
            Person.objects.active(), actor, capability=Capability.MANAGE_PEOPLE, classification_field=None
        ).select_related("organization")
        model_field(self, "person").queryset = people.order_by("organization__path", "full_name")
        label_choices(
            self.fields["person"],
            lambda p: f"{p.full_name} — {p.organization.short_name}",
        )
        model_field(self, "unit").queryset = Unit.objects.filter(organization=organization, active=True)


class RoleEndForm(BaseForm):
    on = forms.DateField(
        label="Kết thúc vào ngày",
        widget=forms.DateInput(attrs=DATE_ATTRS),
        initial=timezone.localdate,
        help_text="Vai trò vẫn còn hiệu lực hết ngày này. " + DATE_HELP,
    )


class DelegationForm(BaseForm):
    role_assignment = forms.ModelChoiceField(
        label="Vai trò ủy quyền", queryset=RoleAssignment.objects.none(), empty_label="— Chọn vai trò —"
    )
    delegate = forms.ModelChoiceField(
        label="Người được ủy quyền", queryset=Person.objects.none(), empty_label="— Chọn người —"
    )
    starts_at = forms.DateTimeField(
        label="Từ",
        widget=forms.DateTimeInput(attrs=DATETIME_ATTRS),
        help_text="Chỉ ghi ngày thì tính từ đầu ngày đó.",
    )
    ends_at = forms.DateTimeField(
        label="Đến",
        widget=forms.DateTimeInput(attrs=DATETIME_ATTRS),
        help_text="Chỉ ghi ngày thì ủy quyền có hiệu lực đến hết ngày đó.",
    )
    reason = forms.CharField(label="Lý do", max_length=255, help_text="Ví dụ: đi công tác, nghỉ phép.")

    def __init__(self, *args: Any, roles: QuerySet[RoleAssignment], holder: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = roles.select_related("organization", "unit")
        model_field(self, "role_assignment").queryset = roles
        only = list(roles[:2])
        if len(only) == 1:
            self.fields["role_assignment"].initial = only[0].pk
        label_choices(
            self.fields["role_assignment"],
            lambda ra: (
                f"{ra.get_role_display()} — {ra.organization.short_name}"
                + (f" ({ra.title})" if ra.title else "")
            ),
        )
        subtree = Q(pk__in=[])
        for path in {ra.organization.path for ra in roles}:
            subtree |= Q(organization__path__startswith=path)
        model_field(self, "delegate").queryset = (
            Person.objects.active()
            .filter(subtree)
            .exclude(pk=holder.pk)
            .select_related("organization")
            .order_by("organization__path", "full_name")
        )
        label_choices(
            self.fields["delegate"],
            lambda p: f"{p.full_name} — {p.organization.short_name}",
        )

    def clean_ends_at(self) -> dt.datetime | None:
        ends_at = self.cleaned_data.get("ends_at")
        raw = str(self.data.get(self.add_prefix("ends_at"), ""))
        if ends_at is not None and ":" not in raw:
            # A date alone means "until the end of that day".
            ends_at = timezone.make_aware(
                dt.datetime.combine(timezone.localtime(ends_at).date() + dt.timedelta(days=1), dt.time())
            )
        return ends_at


class QuotaForm(BaseForm):
    unit = forms.ModelChoiceField(
        label="Áp dụng cho",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="Toàn cơ quan",
        help_text="Chọn một phòng để giao biên chế riêng cho phòng đó.",
    )
    approved = forms.IntegerField(label="Biên chế được giao", min_value=0, max_value=100_000)
    decision = forms.CharField(
        label="Theo văn bản",
        max_length=255,
        required=False,
        help_text="Số, ký hiệu và ngày của quyết định giao biên chế, ví dụ: 125-QĐ/TU ngày 10/01/2026.",
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "unit").queryset = Unit.objects.filter(organization=organization, active=True)
