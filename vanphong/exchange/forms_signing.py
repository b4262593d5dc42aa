"""HTML input of the signing pages. Fields only parse and check types; every rule lives in
``vanphong.exchange.signing`` (its errors are put next to the fields with
``core.forms.apply_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.core.forms import FileInput
from vanphong.exchange.models import CredentialKind, SigningCredential
from vanphong.orgs.models import Organization, Person


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "full_name", None) or getattr(obj, "name", obj))


class PassphraseInput(forms.PasswordInput):
    def __init__(self) -> None:
        super().__init__(attrs={"autocomplete": "off"})


class CredentialAddForm(forms.Form):
    kind = forms.ChoiceField(label="Loại chứng thư số", choices=CredentialKind.choices)
    organization = NamedChoice(
        label="Cơ quan",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Hãy chọn một cơ quan trong danh sách."},
    )
    person = NamedChoice(
        label="Người ký",
        queryset=Person.objects.none(),
        required=False,
        help_text="Để trống khi nạp chứng thư số của chính mình.",
    )
    file = forms.FileField(
        label="Tệp chứng thư số (.p12, .pfx)", widget=FileInput(attrs={"accept": ".p12,.pfx"})
    )
    passphrase = forms.CharField(
        label="Mật khẩu của tệp",
        widget=PassphraseInput(),
        strip=False,
        help_text="Dùng để kiểm tra tệp; không được lưu lại. Mỗi lần ký sẽ nhập lại.",
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if people.exists():
            self.fields["person"].queryset = people  # type: ignore[attr-defined]
        else:
            del self.fields["person"]


class CredentialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        kind = "Con dấu" if obj.kind == CredentialKind.SEAL else "Cá nhân"
        return f"{kind}: {obj.subject} (hiệu lực đến {obj.not_after:%d/%m/%Y})"


class FileSignForm(forms.Form):
    file = forms.IntegerField(widget=forms.HiddenInput)
    credential = CredentialChoice(
        label="Chứng thư số",
        queryset=SigningCredential.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Hãy chọn một chứng thư số trong danh sách."},
    )
    passphrase = forms.CharField(label="Mật khẩu chứng thư số", widget=PassphraseInput(), strip=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, credentials: QuerySet[SigningCredential], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["credential"].queryset = credentials  # type: ignore[attr-defined]
