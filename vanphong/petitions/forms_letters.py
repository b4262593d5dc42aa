"""HTML input of the letter templates' pages. Fields only parse; the rules (known fields,
lengths, the version check) live in ``letters`` and come back through
``core.forms.apply_errors``."""

from __future__ import annotations

from django import forms

from vanphong.petitions.letters import MAX_BODY, MAX_TITLE


class LetterTemplateForm(forms.Form):
    title = forms.CharField(
        label="Tên văn bản",
        max_length=MAX_TITLE,
        help_text="In đậm, chữ in hoa dưới phần đầu văn bản; dùng được các trường như trong nội dung.",
    )
    body = forms.CharField(
        label="Nội dung",
        max_length=MAX_BODY,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true"}),
        help_text="Mỗi dòng là một đoạn văn. Dòng mà mọi trường trong đó đều trống thì được bỏ đi.",
    )
    # The version the editor started from (0: the default); see letters.letter_template_save.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
