"""Decompression bombs and other files whose reading would be unbounded (a .docx that
unpacks to 300 MB, a PNG declaring 2.5 billion pixels, a scan of too many pages): refused
from what they declare, before anything is unpacked or decoded, with a Vietnamese reason;
the extraction job records the refusal once and never reads the file again by itself."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from billiard.exceptions import WorkerLostError
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vanphong.accounts.services import api_token_issue
from vanphong.api.tests.helpers import assert_error
from vanphong.audit.models import AuditEvent
from vanphong.core import files, limits
from vanphong.demo import documents_files as demo_files
from vanphong.documents import capture, extraction, jobs
from vanphong.documents.models import DocumentFile, ExtractionState
from vanphong.documents.services import files as file_services
from vanphong.documents.tests.factories import registered_entry

MB = 1024 * 1024
BOMB_MB = 300
PEAK_RSS_LIMIT_MB = 300
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A valid-looking .docx of about 0.3 MB whose word/document.xml unpacks to 300 MB of
    spaces, written member by member (the test never holds the 300 MB)."""
    path = tmp_path_factory.mktemp("bomb") / "cong-van.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w") as member:
            member.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
            spaces = b" " * MB
            for _ in range(BOMB_MB):
                member.write(spaces)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert path.stat().st_size < 2 * MB
    return path


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='test', second_factor=True)}"}


def incoming(province):
    return registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        doc_type="NQ",
        symbol="15-NQ/TU",
        subject="Về chuyển đổi số",
    ).document


@pytest.fixture
def no_ocr(monkeypatch):
    """OCR as if Tesseract were installed, failing the test if it is ever started."""

    def run_ocr(*args, **kwargs):
        raise AssertionError("OCR started on a file that should have been refused")

    monkeypatch.setattr(extraction, "ocr_available", lambda: True)
    monkeypatch.setattr(extraction, "run_ocr", run_ocr)


# --- The .docx bomb -------------------------------------------------------------------------


def test_the_bomb_is_refused_from_its_zip_directory(bomb):
    with pytest.raises(limits.UnsafeFile, match="lớn hơn 20 MB"):
        limits.check_zip(bomb)
    assert files.sniff(bomb) == files.DOCX  # it is still kept as the file it claims to be


def test_capture_answers_400_with_the_reason_in_vietnamese(client, province, bomb):
    with bomb.open("rb") as fh:
        upload = SimpleUploadedFile("cong-van.docx", fh.read())
    response = client.post("/api/v1/capture/", {"file": upload}, **bearer(province.clerk.user))
    error = assert_error(response, 400, "invalid")
    reason = error["fields"]["file"][0]
    assert "lớn hơn 20 MB" in reason and "Không đọc nội dung tệp này" in reason


def test_the_extraction_job_refuses_the_bomb_once_with_the_reason(
    province, books, bomb, django_capture_on_commit_callbacks
):
    document = incoming(province)
    with django_capture_on_commit_callbacks(execute=True), bomb.open("rb") as fh:
        record = file_services.file_attach(
            actor=province.clerk.user, document=document, upload=("cong-van.docx", fh)
        )
    record.refresh_from_db()
    assert record.extraction == ExtractionState.FAILED
    assert "lớn hơn 20 MB" in record.extraction_note
    assert record.text == ""
    assert jobs.extract_text(record.pk) == "already"  # delivered again: not read again
    events = AuditEvent.objects.filter(action="document.file_extract")
    assert [e.after["state"] for e in events] == ["failed"]


def test_reading_the_bomb_in_a_process_stays_under_300_mb(bomb, tmp_path):
    """The job's reading and the capture endpoint's, in a child process whose peak resident
    memory (its own VmHWM, KB) is measured: today's main read the 300 MB part."""
    code = (
        "import sys, django; django.setup()\n"
        "from pathlib import Path\n"
        "from django.core.exceptions import ValidationError\n"
        "from vanphong.core.files import DOCX\n"
        "from vanphong.documents import capture, extraction\n"
        "result, _ = extraction.extract_to_temp(Path(sys.argv[1]), DOCX)\n"
        "print(result.state, result.refused)\n"
        "try:\n"
        "    capture.capture_path(Path(sys.argv[1]), DOCX)\n"
        "except ValidationError:\n"
        "    print('capture refused')\n"
        # The peak of this process's own memory map: rusage's maxrss would also count the
        # test runner's pages the child carried until it exec'd (Linux keeps that high mark).
        "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print('peak_kb', int(hwm.split()[1]))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    with (tmp_path / "out").open("w+b") as out, (tmp_path / "err").open("w+b") as err:
        proc = subprocess.Popen(  # noqa: S603 - our interpreter, fixed code
            [sys.executable, "-c", code, str(bomb)],
            stdout=out,
            stderr=err,
            env=env,
            cwd=django_settings.BASE_DIR,
        )
        _pid, status, _usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = (tmp_path / "out").read_text(), (tmp_path / "err").read_text()
    assert proc.returncode == 0, stderr[-2000:]
    *lines, peak = stdout.splitlines()
    assert lines == ["failed True", "capture refused"], stderr[-2000:]
    assert peak.startswith("peak_kb ")
    peak_mb = int(peak.split()[1]) / 1024
    print(f"peak RSS of the reading process: {peak_mb:.0f} MB")
    assert peak_mb < PEAK_RSS_LIMIT_MB


# --- Other zips -----------------------------------------------------------------------------


def _zip(tmp_path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w", method) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b"<w:document/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_member_compressed_more_than_100_to_1_is_refused(tmp_path):
    path = _zip(tmp_path, {"word/media/image1.bin": b"\0" * (3 * MB)})
    with pytest.raises(limits.UnsafeFile, match="tỉ lệ nén bất thường"):
        limits.check_zip(path)


def test_an_xml_part_over_its_limit_is_refused(tmp_path, settings):
    settings.VANPHONG_XML_MAX_MB = 1
    path = _zip(tmp_path, {"word/styles.xml": os.urandom(MB + 10)})
    with pytest.raises(limits.UnsafeFile, match="XML"):
        limits.check_zip(path)


def test_bzip2_members_are_refused(tmp_path):
    path = _zip(tmp_path, {}, method=zipfile.ZIP_BZIP2)
    with pytest.raises(limits.UnsafeFile, match="kiểu nén"):
        limits.check_zip(path)


def test_a_zip_with_too_many_members_is_refused_before_listing_them(tmp_path, settings):
    settings.VANPHONG_UNPACK_MAX_MEMBERS = 10
    path = _zip(tmp_path, {f"word/x{i}.xml": b"<x/>" for i in range(10)})
    with pytest.raises(files.UnsupportedFile, match="quá nhiều thành phần"):
        files.sniff(path)


def test_real_documents_pass_every_check(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(demo_files.render_docx(demo_files.demo_documents()[0]))
    limits.check_zip(path)
    assert extraction.extract(path, files.DOCX, workdir=tmp_path).state == ExtractionState.DONE


# --- Images and scans -----------------------------------------------------------------------


def png_declaring(tmp_path: Path, width: int, height: int) -> Path:
    """A tiny 1x1 PNG whose header (IHDR, CRC fixed) declares ``width`` x ``height``."""
    import zlib

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path = tmp_path / f"scan-{width}x{height}.png"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("width", "height"), [(50_000, 50_000), (8_000, 8_000)])
def test_an_image_declaring_too_many_pixels_is_refused_before_decoding(tmp_path, no_ocr, width, height):
    path = png_declaring(tmp_path, width, height)
    assert path.stat().st_size < 1000
    result = extraction.extract(path, files.PNG, workdir=tmp_path)
    assert result.state == ExtractionState.FAILED and result.refused
    assert "triệu điểm ảnh" in result.note
    with pytest.raises(ValidationError, match="triệu điểm ảnh"):
        capture.capture_path(path, files.PNG)


def blank_pdf(tmp_path: Path, pages: int) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    path = tmp_path / f"scan-{pages}.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_a_scan_with_more_pages_than_ocr_takes_is_refused(tmp_path, no_ocr, settings):
    path = blank_pdf(tmp_path, 51)  # no text layer: a scan, 51 pages over the 50 for OCR
    result = extraction.extract(path, files.PDF, workdir=tmp_path)
    assert result.state == ExtractionState.FAILED and result.refused
    assert "51 trang" in result.note and "OCR" in result.note


def test_capture_of_a_long_scan_reads_only_its_first_page(tmp_path, monkeypatch):
    calls = []

    def run_ocr(source, workdir, **kwargs):
        calls.append(kwargs)
        return workdir / "ocr.pdf", ["TỈNH ỦY LÂM ĐỒNG\nSố 15-NQ/TU"]

    monkeypatch.setattr(extraction, "ocr_available", lambda: True)
    monkeypatch.setattr(extraction, "run_ocr", run_ocr)
    got = capture.capture_path(blank_pdf(tmp_path, 60), files.PDF)
    assert got["symbol"] == "15-NQ/TU"
    assert [c["first_page_only"] for c in calls] == [True]


def test_a_pdf_over_the_text_page_limit_is_refused(tmp_path, settings):
    settings.VANPHONG_PDF_TEXT_MAX_PAGES = 5
    result = extraction.extract(blank_pdf(tmp_path, 6), files.PDF, workdir=tmp_path)
    assert result.refused and "6 trang" in result.note


# --- Jobs whose worker died -----------------------------------------------------------------


def pending_file(province) -> DocumentFile:
    """A file whose extraction job has not run (its on-commit callback is never executed)."""
    pdf = demo_files.render_pdf(demo_files.demo_documents()[0])
    return file_services.file_attach(
        actor=province.clerk.user, document=incoming(province), upload=("a.pdf", pdf)
    )


def claimed_by(record: DocumentFile, claim: str, *, seconds_ago: float = 0) -> None:
    """``record`` as a job ``claim`` left it when it started reading, ``seconds_ago``."""
    DocumentFile.objects.filter(pk=record.pk).update(
        extraction_claim=claim, extraction_claimed_at=timezone.now() - dt.timedelta(seconds=seconds_ago)
    )


def test_a_job_delivered_again_after_its_worker_died_refuses_the_file_once(province, books):
    record = pending_file(province)
    claimed_by(record, "job-1", seconds_ago=jobs.TIME_LIMIT + 1)  # its worker died reading it
    assert jobs.extract_text(record.pk) == "refused"
    record.refresh_from_db()
    assert record.extraction == ExtractionState.FAILED
    assert record.extraction_note.startswith("Lần đọc nội dung trước làm dừng tiến trình nền")
    assert jobs.extract_text(record.pk) == "already"
    assert AuditEvent.objects.filter(action="document.file_extract").count() == 1


def test_a_worker_lost_or_killed_at_the_hard_limit_marks_the_file_refused_once(province, books):
    from celery.exceptions import TimeLimitExceeded

    lost, timed_out, other = pending_file(province), pending_file(province), pending_file(province)
    claimed_by(lost, "job-lost")
    claimed_by(timed_out, "job-timed-out")
    claimed_by(other, "job-reading")  # read by another job than the one whose worker was lost
    for _ in range(2):
        jobs.refuse_after_a_lost_worker(
            sender=jobs.extract_text, task_id="job-lost", exception=WorkerLostError(), args=[lost.pk]
        )
        jobs.refuse_after_a_lost_worker(
            sender=jobs.extract_text,
            task_id="job-timed-out",
            exception=TimeLimitExceeded(660),
            args=[timed_out.pk],
        )
        jobs.refuse_after_a_lost_worker(
            sender=jobs.extract_text, task_id="job-lost", exception=WorkerLostError(), args=[other.pk]
        )
    for record in (lost, timed_out, other):
        record.refresh_from_db()
    assert (lost.extraction, timed_out.extraction) == (ExtractionState.FAILED, ExtractionState.FAILED)
    assert "làm dừng tiến trình nền" in lost.extraction_note
    assert "giây nên đã dừng" in timed_out.extraction_note
    assert other.extraction == ExtractionState.PENDING and other.extraction_note == ""
    assert AuditEvent.objects.filter(action="document.file_extract").count() == 2


def test_the_jobs_have_time_limits_and_are_not_delivered_again_when_their_worker_dies():
    for job in (jobs.extract_text, jobs.extract_arrival):
        assert job.soft_time_limit == django_settings.VANPHONG_EXTRACT_SOFT_TIME_LIMIT
        assert job.time_limit == django_settings.VANPHONG_EXTRACT_TIME_LIMIT > job.soft_time_limit
        assert job.acks_late and not job.reject_on_worker_lost
    assert extraction.OCR_TIME_LIMIT < jobs.SOFT_TIME_LIMIT
    assert django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST is False
    assert django_settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD == 400 * 1024


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_DATA counts mmap'd memory on Linux")
def test_a_worker_child_gets_memory_error_past_its_ceiling():
    code = (
        "from config.celery import limit_child_memory\n"
        "limit_child_memory(200)\n"
        "try:\n"
        "    block = bytearray(400 * 1024 * 1024)\n"
        "except MemoryError:\n"
        "    print('MemoryError')\n"
    )
    out = subprocess.run(  # noqa: S603 - our interpreter, fixed code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=django_settings.BASE_DIR,
        check=True,
    )
    assert out.stdout.strip() == "MemoryError"
