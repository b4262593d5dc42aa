"""The demo's information products on the demo province: last week's bulletin, composed from
the demo's documents, meetings, calendar and reports, issued through the outgoing flow into the
communes' books; its .docx opens in LibreOffice (converted to PDF here) with every section.
The first page is kept as test-results/bulletin-page1.png to be looked at."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from docx import Document as DocxFile

from vanphong.core.pending import pending_for
from vanphong.demo import orgs as orgs_demo
from vanphong.demo.calendar import seed_calendar
from vanphong.demo.documents import seed_documents
from vanphong.demo.meetings import seed_meetings
from vanphong.demo.products import seed_products, summary
from vanphong.demo.reporting import seed_reporting
from vanphong.demo.work_programs import seed_work_programs
from vanphong.documents.docx_render import render_outgoing_docx
from vanphong.documents.models import DocumentState, RegisterEntry, RegisterKind
from vanphong.documents.tests.office import docx_to_pdf, pdf_text
from vanphong.reporting import products
from vanphong.reporting.models import InfoProduct, ProductKind


def test_the_demo_weekly_bulletin_is_issued_and_opens_in_libreoffice(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    orgs_demo.seed_demo(scale=1)
    seed_documents(scale=1, files=False, today=today)
    seed_work_programs()
    # The bulletin draws on last week and the next: a month of meetings and calendars is enough
    # (the whole demo year of them is seeded by vanphong/demo/tests/test_seed_demo.py).
    seed_meetings(weeks_back=4)
    seed_calendar(past_weeks=4)
    seed_reporting(today=today)
    counts = seed_products(today=today)
    assert counts == {"templates": 3, "issued": 1, "in_flow": 1, "composing": 3}
    assert "1 bản tin đã phát hành" in summary(counts)

    bulletin = InfoProduct.objects.get(kind=ProductKind.WEEKLY, document__state=DocumentState.ISSUED)
    document = bulletin.document
    assert document.symbol.endswith("-BC/TU") and document.issued_date == today
    sources = {item.source for item in bulletin.items.all()}
    assert {"note", "incoming", "meeting", "event", "overdue"} <= sources
    # Delivered into the incoming book of every hosted commune it was sent to.
    delivered = RegisterEntry.objects.filter(document=document, register__kind=RegisterKind.INCOMING)
    assert delivered.count() == bulletin.recipients.filter(hosted=True).count() > 5

    data = render_outgoing_docx(document)
    paragraphs = {p.text: p for p in DocxFile(io.BytesIO(data)).paragraphs}
    assert all(run.bold for run in paragraphs["I. TÌNH HÌNH CHUNG"].runs)  # a part's heading
    first_line = next(text for text in paragraphs if text.startswith("- "))
    assert not any(run.bold for run in paragraphs[first_line].runs)
    pdf = docx_to_pdf(data, tmp_path / "office", stem="ban-tin-tuan")
    text = " ".join(pdf_text(pdf).split())
    assert "ĐẢNG BỘ TỈNH LÂM ĐỒNG TỈNH ỦY" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert document.symbol in text and "BÁO CÁO" in text
    assert " ".join(bulletin.title.split()) in text
    for heading in ("I. TÌNH HÌNH CHUNG", "VĂN BẢN ĐẾN ĐÁNG CHÚ Ý TRONG TUẦN", "LỊCH CÔNG TÁC TUẦN TỚI"):
        assert heading in text, heading
    first_meeting = next(i for i in bulletin.items.all() if i.source == "meeting")
    assert " ".join(first_meeting.text.split())[:40] in text
    assert "Nơi nhận" in text
    out = Path(django_settings.BASE_DIR) / "test-results"
    out.mkdir(exist_ok=True)
    (tmp_path / "bulletin.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603 - poppler, fixed arguments
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "bulletin.pdf"),
            str(out / "bulletin-page"),
        ],
        check=True,
    )

    # The office's home shows what is still being composed; the signer's, what waits for him.
    users = get_user_model().objects
    groups = {g.key: g.count for g in pending_for(users.get(username="chanhvp"))}
    assert groups.get("reporting.products") == 3
    waiting = InfoProduct.objects.get(kind=ProductKind.DAILY, document__state=DocumentState.IN_REVIEW)
    assert products.product_state(waiting) == "in_flow"
