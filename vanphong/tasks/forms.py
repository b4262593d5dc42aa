"""Forms of the task pages: HTML input only. The rules (who may, what is valid together,
dates against the calendar) live in ``services``; these forms read what was typed, keep it
when the page comes back with errors, and resolve picked ids to the rows the reader may see."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from vanphong.core.forms import DATE_FORMATS, MultipleFileField
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Classification
from vanphong.tasks.models import Frequency, Priority, SourceKind
from vanphong.tasks.sources import documents_visible_to, find_documents


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed (the date pickers of phones put yyyy-mm-dd, also accepted)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def date_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"invalid": "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 05/11/2025."},
    )


# --- Picking registered documents -----------------------------------------------------------


class DocumentPicker(forms.Widget):
    """Registered documents picked by id: the ones picked (checked), a search box (by number
    or symbol, answered by htmx with more to tick) and, after a search typed and submitted
    without htmx, the documents it found. ``picked`` and ``candidates`` are set by the form."""

    template_name = "tasks/widgets/document_picker.html"

    def __init__(self, *, multiple: bool = True, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.picked: list[Any] = []
        self.candidates: list[Any] = []

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, Any]:
        ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(ids, str | int):
            ids = [ids]
        return {"ids": [str(i) for i in ids if str(i).strip()], "q": str(data.get(f"{name}_q", "")).strip()}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_q" if id_ else id_

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        picked_ids = {d.pk for d in self.picked}
        context["widget"].update(
            {
                "multiple": self.multiple,
                "picked": self.picked,
                "candidates": [d for d in self.candidates if d.pk not in picked_ids],
                "q": value.get("q", "") if isinstance(value, dict) else "",
                "describedby": (attrs or {}).get("aria-describedby", ""),
            }
        )
        return context


class DocumentPickField(forms.Field):
    """Ids of documents, and the text of a search the reader typed (``{"ids", "q"}``); the
    form turns them into documents the reader may see (``BaseTaskForm.pick_documents``)."""

    def __init__(self, *, multiple: bool = True, **kwargs: Any) -> None:
        self.multiple = multiple
        kwargs.setdefault("required", False)
        super().__init__(widget=DocumentPicker(multiple=multiple), **kwargs)

    def to_python(self, value: Any) -> dict[str, Any]:
        value = value if isinstance(value, dict) else {"ids": [], "q": ""}
        ids = []
        for raw in value.get("ids", []):
            if not str(raw).isdigit():
                raise ValidationError("Văn bản đã chọn không hợp lệ.")
            ids.append(int(raw))
        if not self.multiple and len(set(ids)) > 1:
            raise ValidationError("Chỉ chọn một văn bản.")
        return {"ids": list(dict.fromkeys(ids)), "q": str(value.get("q", ""))[:100]}


class BaseTaskForm(forms.Form):
    """A form that knows its reader, so that picked documents are looked up within reach."""

    def __init__(self, *args: Any, user: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not self.is_bound:
            return
        # Show what was picked (and found) again even when the form comes back with errors.
        for name, field in self.fields.items():
            if isinstance(field, DocumentPickField):
                raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                ids = [int(i) for i in raw["ids"] if i.isdigit()]
                field.widget.picked = list(self._visible_documents().filter(pk__in=ids)) if ids else []

    def _visible_documents(self) -> Any:
        return documents_visible_to(self.user).only(
            "pk", "symbol", "subject", "issued_date", "classification"
        )

    def pick_documents(self, name: str) -> list[Any]:
        """The documents picked in field ``name``: the ids ticked, plus the one the search
        text names exactly (its id, or its symbol) when exactly one visible document does."""

        value = self.cleaned_data.get(name) or {"ids": [], "q": ""}
        field = cast(DocumentPickField, self.fields[name])
        found = list(self._visible_documents().filter(pk__in=value["ids"])) if value["ids"] else []
        if len(found) != len(value["ids"]):
            raise ValidationError("Có văn bản đã chọn không tìm thấy hoặc bạn không được xem.")
        query = value["q"]
        if query and (field.multiple or not found):
            exact = find_documents(self.user, query, exact=True, limit=10)
            exact = [d for d in exact if d.pk not in value["ids"]]
            if len(exact) == 1:
                found.append(exact[0])
            elif not found:  # the search names no one document, and none was ticked
                field.widget.candidates = exact or find_documents(self.user, query, limit=10)
                if exact:
                    raise ValidationError(
                        "Có %(n)s văn bản số, ký hiệu “%(q)s”: hãy đánh dấu văn bản cần chọn.",
                        params={"n": len(exact), "q": query},
                    )
                if field.widget.candidates:
                    raise ValidationError(
                        "Chưa chọn văn bản nào: hãy đánh dấu văn bản cần chọn trong các văn bản tìm được."
                    )
                raise ValidationError(
                    "Không tìm thấy văn bản “%(q)s” trong phạm vi bạn được xem.", params={"q": query}
                )
        if not field.multiple and len(found) > 1:
            raise ValidationError("Chỉ chọn một văn bản.")
        field.widget.picked = found
        return found


# --- Creating and editing ----------------------------------------------------------------------


class TaskCreateForm(BaseTaskForm):
    organization = forms.TypedChoiceField(label="Giao thay mặt", coerce=int)
    title = forms.CharField(
        label="Tên nhiệm vụ",
        max_length=500,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "class": "input-wide"}),
    )
    content = forms.CharField(
        label="Nội dung, yêu cầu",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # "organization:5", "unit:3" or "person:7", among those offered (``views_common.party_targets``).
    lead = forms.ChoiceField(label="Chủ trì thực hiện", help_text="Cơ quan, phòng hoặc cán bộ chủ trì.")
    cooperating = forms.MultipleChoiceField(
        label="Phối hợp",
        required=False,
        help_text="Giữ phím Ctrl (trên điện thoại: chạm) để chọn nhiều nơi.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    repeat = forms.BooleanField(
        label="Giao định kỳ (hằng tháng, hằng quý...)",
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-controls": "repeat-fields"}),
    )
    due_date = date_field(
        "Hạn hoàn thành", help_text="Hạn rơi vào ngày nghỉ được tính sang ngày làm việc kế tiếp."
    )
    frequency = forms.TypedChoiceField(
        label="Chu kỳ", choices=Frequency.choices, coerce=int, initial=Frequency.MONTHLY, required=False
    )
    day_of_month = forms.IntegerField(
        label="Hạn vào ngày",
        min_value=1,
        max_value=31,
        required=False,
        help_text="Ngày trong tháng, 1 đến 31.",
    )
    month_in_period = forms.IntegerField(
        label="Tháng thứ mấy trong kỳ",
        min_value=0,
        max_value=12,
        required=False,
        initial=0,
        help_text="0: tháng cuối kỳ; 1: tháng đầu kỳ (với chu kỳ quý, 6 tháng, năm).",
    )
    starts_on = date_field("Áp dụng từ ngày")
    ends_on = date_field("Đến ngày")
    priority = forms.TypedChoiceField(
        label="Mức độ", choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    classification = forms.TypedChoiceField(
        label="Độ mật",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Để trống: theo độ mật của văn bản nguồn, nhiệm vụ cha.",
    )
    source_kind = forms.ChoiceField(label="Nguồn giao", choices=SourceKind.choices, initial=SourceKind.MANUAL)
    source_label = forms.CharField(
        label="Văn bản, sự kiện giao",
        required=False,
        max_length=500,
        help_text="Ví dụ: Thông báo kết luận số 12-TB/TU, hội nghị Ban Thường vụ ngày 05/11/2025.",
    )
    source_document = DocumentPickField(
        multiple=False, label="Văn bản nguồn", help_text="Gõ số, ký hiệu hoặc mã văn bản đã vào sổ."
    )

    def __init__(
        self,
        *args: Any,
        organizations: Sequence[Any] = (),
        targets: Sequence[tuple[str, Any]] = (),
        clearance: int = Classification.NONE,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organization"]).choices = [(o.pk, o.name) for o in organizations]
        cast(forms.ChoiceField, self.fields["lead"]).choices = [("", "— Chọn nơi chủ trì —"), *targets]
        cast(forms.ChoiceField, self.fields["cooperating"]).choices = list(targets)
        cast(forms.ChoiceField, self.fields["classification"]).choices = [("", "Theo nguồn")] + [
            (value, label) for value, label in Classification.choices if value <= clearance
        ]
        if not self.is_bound and "starts_on" not in self.initial:
            self.initial["starts_on"] = timezone.localdate()

    def clean_source_document(self) -> Any:
        found = self.pick_documents("source_document")
        return found[0] if found else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("repeat"):
            if not data.get("day_of_month"):
                self.add_error("day_of_month", "Hãy nhập ngày đến hạn trong tháng.")
            if not data.get("frequency"):
                self.add_error("frequency", "Hãy chọn chu kỳ.")
            if not data.get("starts_on"):
                self.add_error("starts_on", "Hãy nhập ngày bắt đầu áp dụng.")
        return data


class TaskEditForm(forms.Form):
    title = forms.CharField(
        label="Tên nhiệm vụ", max_length=500, widget=forms.TextInput(attrs={"class": "input-wide"})
    )
    content = forms.CharField(
        label="Nội dung, yêu cầu", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    priority = forms.TypedChoiceField(label="Mức độ", choices=Priority.choices, coerce=int)
    due_date = date_field("Hạn hoàn thành")

    def __init__(self, *args: Any, due_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if due_locked:
            field = self.fields["due_date"]
            field.disabled = True
            field.help_text = "Nhiệm vụ đã được gia hạn: hạn chỉ thay đổi qua đề nghị gia hạn."


# --- The doer's side ------------------------------------------------------------------------------


class ProgressForm(BaseTaskForm):
    text = forms.CharField(
        label="Nội dung báo cáo", max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )
    percent = forms.IntegerField(
        label="Tiến độ (%)",
        required=False,
        min_value=0,
        max_value=99,
        help_text="0 đến 99; hoàn thành thì dùng “Báo cáo hoàn thành”.",
        error_messages={
            "invalid": "Tiến độ là một số phần trăm.",
            "min_value": "Tiến độ từ 0 đến 99%%.",
            "max_value": "Tiến độ từ 0 đến 99%%; hoàn thành thì dùng “Báo cáo hoàn thành”.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    documents = DocumentPickField(
        label="Văn bản minh chứng", help_text="Văn bản đã vào sổ: gõ số, ký hiệu để tìm."
    )
    files = MultipleFileField(  # type: ignore[assignment]  # a field (the metaclass pops it), not BaseForm.files
        label="Tệp minh chứng", required=False, help_text="Ảnh, bản quét, PDF, Word..."
    )

    def __init__(self, *args: Any, percent_from_children: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if percent_from_children:
            del self.fields["percent"]

    def clean_documents(self) -> list[Any]:
        return self.pick_documents("documents")


class CompleteForm(BaseTaskForm):
    text = forms.CharField(
        label="Kết quả thực hiện", max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )
    on = date_field("Ngày hoàn thành", required=True)
    result_document = DocumentPickField(
        multiple=False, label="Văn bản kết quả", help_text="Văn bản báo cáo kết quả đã vào sổ (nếu có)."
    )
    documents = DocumentPickField(label="Văn bản minh chứng khác")
    files = MultipleFileField(label="Tệp minh chứng", required=False)  # type: ignore[assignment]  # a field, not BaseForm.files

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "on" not in self.initial:
            self.initial["on"] = timezone.localdate()

    def clean_result_document(self) -> Any:
        found = self.pick_documents("result_document")
        return found[0] if found else None

    def clean_documents(self) -> list[Any]:
        return self.pick_documents("documents")


class ExtensionRequestForm(forms.Form):
    new_due_date = date_field("Hạn đề nghị", required=True)
    reason = forms.CharField(
        label="Lý do xin gia hạn", max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- The assigner's side ----------------------------------------------------------------------


class ConfirmForm(forms.Form):
    text = forms.CharField(label="Nhận xét", required=False, max_length=5000)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại, yêu cầu thực hiện tiếp",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class EndSeriesForm(forms.Form):
    reason = forms.CharField(label="Lý do dừng", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[("approve", "Đồng ý gia hạn"), ("refuse", "Không đồng ý")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Ý kiến",
        required=False,
        max_length=5000,
        help_text="Bắt buộc khi không đồng ý.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
