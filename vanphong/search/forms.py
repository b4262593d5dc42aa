"""The search page's query parameters (Vietnamese names in the address bar), validated into
``Filters``. The API validates its own (English) parameters in ``api.py``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vanphong.documents.doctypes import type_choices
from vanphong.documents.models import DocumentState, EntryStatus
from vanphong.orgs.models import CLASSIFICATION_BY_CODE, CLASSIFICATION_CODES, Classification
from vanphong.search.models import ResultKind
from vanphong.search.selectors import Filters


def doc_type_choices() -> list[tuple[str, str]]:
    return type_choices(lambda entry: entry.in_symbol)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), max_length=200, required=False, strip=False)
    loai = forms.ChoiceField(label=_("Loại văn bản"), required=False)
    noi_ban_hanh = forms.TypedChoiceField(label=_("Cơ quan ban hành"), required=False, coerce=int)
    nam = forms.IntegerField(label=_("Năm"), min_value=1900, max_value=2100, required=False)
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *DocumentState.choices], required=False
    )
    xu_ly = forms.ChoiceField(
        label=_("Tình trạng xử lý"), choices=[("", _("Tất cả")), *EntryStatus.choices], required=False
    )
    do_mat = forms.ChoiceField(label=_("Độ mật"), required=False)
    nhom = forms.ChoiceField(
        label=_("Văn bản đến, đi"), choices=[("", _("Tất cả")), *ResultKind.choices], required=False
    )

    def __init__(self, *args: Any, issuers: list[tuple[int, str]], clearance: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["loai"]).choices = [("", _("Tất cả")), *doc_type_choices()]
        cast(forms.ChoiceField, self.fields["noi_ban_hanh"]).choices = [("", _("Tất cả")), *issuers]
        cast(forms.ChoiceField, self.fields["do_mat"]).choices = [("", _("Tất cả"))] + [
            (CLASSIFICATION_CODES[c], c.label) for c in Classification if c <= clearance
        ]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            doc_type=data.get("loai") or None,
            issuer=data.get("noi_ban_hanh") or None,
            year=data.get("nam"),
            state=data.get("trang_thai") or None,
            status=data.get("xu_ly") or None,
            classification=CLASSIFICATION_BY_CODE.get(data.get("do_mat") or ""),
            kind=data.get("nhom") or None,
        )
