"""Every file field of the site speaks Vietnamese (issue "Hardening", item 8): "Chọn tệp" and
"Chưa chọn tệp" instead of the browser's own "Choose file" / "No file chosen". The browser
side (the chosen names, the focus) is tested in tests/e2e/test_wide_screens.py."""

from __future__ import annotations

import pytest

from vanphong.documents.forms.incoming import IncomingRegisterForm
from vanphong.documents.forms.outgoing import VersionForm
from vanphong.documents.views.files import ArrivalUploadForm, FileAttachForm
from vanphong.tasks.forms import CompleteForm


@pytest.mark.parametrize(
    ("form_class", "name", "multiple"),
    [
        (IncomingRegisterForm, "files", True),
        (VersionForm, "file", False),
        (FileAttachForm, "file", False),
        (ArrivalUploadForm, "files", True),
        (CompleteForm, "files", True),
    ],
)
def test_file_fields_have_vietnamese_words(form_class, name, multiple):
    html = str(form_class.base_fields[name].widget.render(name, None, attrs={"id": f"id_{name}"}))
    assert f'<input type="file" name="{name}"' in html and f'id="id_{name}"' in html
    assert (" multiple" in html) is multiple
    assert ">Chọn tệp</span>" in html and ">Chưa chọn tệp</span>" in html
    # The input sits in the label shown as the button: a click on it opens the chooser.
    assert (
        html.index('<label class="file-picker-label">') < html.index('type="file"') < html.index("Chọn tệp")
    )
