"""HTML input of the information products' pages. Fields only parse; the rules live in
``products`` (their errors are put next to the fields with ``core.forms.apply_errors``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict

from vanphong.core.forms import DATE_FORMATS, DateInput
from vanphong.orgs.models import Organization
from vanphong.reporting import product_sources
from vanphong.reporting.models import ProductKind, ProductTemplate
from vanphong.reporting.products import DOC_TYPES

EMPTY_SECTION_ROWS = 3  # blank rows under a template's sections, to add one without script


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()} – {obj.name} ({obj.organization.name})"


class NewProductForm(forms.Form):
    template = TemplateChoiceField(label="Mẫu", queryset=ProductTemplate.objects.none(), empty_label=None)
    day = forms.DateField(
        label="Ngày",
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=(
            "Báo cáo ngày: ngày đó; bản tin tuần: tuần có ngày đó; chuyên đề: nửa đầu tháng có ngày đó."
        ),
    )

    def __init__(self, *args: Any, templates: QuerySet[ProductTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = templates


class TemplateForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Cơ quan", queryset=Organization.objects.none(), empty_label=None, required=False
    )
    kind = forms.ChoiceField(label="Loại", choices=ProductKind.choices)
    name = forms.CharField(label="Tên mẫu", max_length=200)
    title = forms.CharField(label="Tiêu đề", max_length=500)
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=list(DOC_TYPES.items()))
    intro = forms.CharField(label="Phần mở đầu", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closing = forms.CharField(label="Phần kết", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    recipients = forms.ModelMultipleChoiceField(
        label="Nơi nhận thường xuyên",
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    active = forms.BooleanField(label="Đang dùng", required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        template: ProductTemplate | None,
        organizations: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        if template is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "kind": template.kind,
                    "name": template.name,
                    "title": template.title,
                    "doc_type": template.doc_type,
                    "intro": template.intro,
                    "closing": template.closing,
                    "recipients": list(template.recipients.all()),
                    "active": template.active,
                },
            )
        super().__init__(*args, **kwargs)
        self.template = template
        org_field = self.fields["organization"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organizations
        if template is None:
            org_field.required = True
        else:
            del self.fields["organization"]
        # Where the organisations may send: above or below the template's (any of the
        # reader's for a new one) — the service checks the one chosen.
        owners = [template.organization] if template is not None else list(organizations)
        allowed = Q(pk__in=[])
        for owner in owners:
            allowed |= Q(pk__in=product_sources.distribution_choices(owner).values("pk"))
        if template is not None:
            allowed |= Q(pk__in=template.recipients.values("pk"))
        recipients = self.fields["recipients"]
        assert isinstance(recipients, forms.ModelMultipleChoiceField)
        recipients.queryset = Organization.objects.filter(allowed).order_by("path")
        self.section_rows = self._section_rows()

    def _section_rows(self) -> list[dict[str, Any]]:
        """The sections as rows of the form: posted, or the template's, plus blank ones."""
        if self.is_bound:
            data = cast(QueryDict, self.data)
            headings = data.getlist("section-heading")
            sources = data.getlist("section-source")
            nexts = set(data.getlist("section-next"))
            rows = [
                {"heading": h, "source": s, "next": str(i) in nexts}
                for i, (h, s) in enumerate(zip(headings, sources, strict=False))
            ]
        else:
            rows = [dict(s) for s in (self.template.sections if self.template else [])]
        return rows + [{"heading": "", "source": "", "next": False} for _ in range(EMPTY_SECTION_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sections = []
        for row in self.section_rows:
            heading = " ".join(str(row.get("heading") or "").split())
            if not heading:
                continue
            section: dict[str, Any] = {"heading": heading, "source": row.get("source") or ""}
            if row.get("next"):
                section["next"] = True
            sections.append(section)
        data["sections"] = sections
        return data
