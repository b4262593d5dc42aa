"""The citizens' forms (/cong-dan/): the letter and the tracking lookup.

The captcha is django-simple-captcha's, drawn locally with Pillow (no outside service: the
Party networks are isolated). Its image is served under /cong-dan/captcha/ inside this
app's "citizens" namespace, so the widget names its URLs there (the library's own widget
looks for un-namespaced names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.urls import reverse
from django.utils import timezone

from vanphong.core.forms import MultipleFileField, MultipleFileInput
from vanphong.petitions.models import Kind
from vanphong.petitions.submissions import KIND_HELP, MAX_CONTENT, MAX_FILES, accepting_organizations

CAPTCHA_MINUTES = 60


class PublicCaptchaInput(CaptchaTextInput):
    """The captcha widget with its image under this app's namespace, its answer box labelled
    in Vietnamese."""

    template_name = "petitions/public_captcha.html"

    def fetch_captcha_store(self, name: str, value: Any, attrs: Any = None, generator: Any = None) -> None:
        key = CaptchaStore.generate_key(generator)
        # The library's five minutes are too short for a letter written on a phone: the
        # challenge of this form stays valid for CAPTCHA_MINUTES (still used once only).
        CaptchaStore.objects.filter(hashkey=key).update(
            expiration=timezone.now() + dt.timedelta(minutes=CAPTCHA_MINUTES)
        )
        self._value = [key, ""]
        self._key = key
        self.id_ = self.build_attrs(attrs or {}).get("id", None)

    def image_url(self) -> str:
        # Drawn at twice the size and shown at the height the template gives: sharp on phones.
        return reverse("citizens:captcha_image_2x", kwargs={"key": self._key})

    def audio_url(self) -> None:  # no offline speech engine installed
        return None

    def refresh_url(self) -> str:
        return reverse("citizens:submit")


class SubmissionForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Cơ quan nhận đơn",
        queryset=accepting_organizations(),
        empty_label="— Chọn cơ quan —",
        error_messages={
            "required": "Hãy chọn cơ quan nhận đơn.",
            "invalid_choice": "Hãy chọn cơ quan trong danh sách.",
        },
    )
    kind = forms.ChoiceField(
        label="Loại đơn",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Hãy chọn loại đơn."},
    )
    full_name = forms.CharField(
        label="Họ và tên người gửi",
        max_length=200,
        error_messages={"required": "Hãy nhập họ và tên (đơn không ghi tên không được xem xét)."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    address = forms.CharField(
        label="Địa chỉ liên hệ",
        max_length=500,
        help_text="Nơi cơ quan gửi văn bản trả lời.",
        error_messages={"required": "Hãy nhập địa chỉ liên hệ."},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    id_number = forms.CharField(
        label="Số định danh cá nhân (CCCD)",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label="Thư điện tử",
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    respondent = forms.CharField(
        label="Người, cơ quan bị khiếu nại, tố cáo",
        max_length=500,
        required=False,
        help_text="Bắt buộc với đơn khiếu nại, tố cáo.",
    )
    locality = forms.CharField(label="Nơi xảy ra sự việc (xã, phường)", max_length=200, required=False)
    content = forms.CharField(
        label="Nội dung đơn",
        max_length=MAX_CONTENT,
        help_text="Trình bày sự việc, thời gian, địa điểm và đề nghị của ông (bà).",
        error_messages={"required": "Hãy trình bày nội dung đơn."},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    files = MultipleFileField(  # type: ignore[assignment]  # a field (the metaclass pops it), not BaseForm.files
        label=f"Tài liệu kèm theo (tối đa {MAX_FILES} tệp PDF, JPEG, PNG)",
        help_text="Nếu trang báo có điều cần sửa, hãy chọn lại tệp trước khi gửi lại.",
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )
    captcha = CaptchaField(
        label="Mã kiểm tra",
        help_text="Nhập các ký tự trong hình (không phân biệt chữ hoa, chữ thường).",
        widget=PublicCaptchaInput(),
        error_messages={
            "invalid": "Mã kiểm tra chưa đúng; hãy nhập lại các ký tự trong hình mới.",
            "required": "Hãy nhập mã kiểm tra trong hình.",
            "incomplete": "Hãy nhập mã kiểm tra trong hình.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        organization.queryset = accepting_organizations()  # type: ignore[attr-defined]  # a ModelChoiceField
        organization.label_from_instance = lambda org: org.name  # type: ignore[attr-defined]

    @property
    def kind_choices(self) -> list[tuple[str, str, str]]:
        """Each kind with its one-line explanation (the template draws the radio buttons)."""
        return [(value, str(label), KIND_HELP[Kind(value)]) for value, label in Kind.choices]


class LookupForm(forms.Form):
    code = forms.CharField(
        label="Mã tra cứu",
        max_length=30,
        help_text="Mã được cấp khi gửi đơn, dạng DT-XXXX-XXXX.",
        error_messages={"required": "Hãy nhập mã tra cứu."},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
