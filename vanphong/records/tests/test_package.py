"""Preservation packages: a record exported as a BagIt zip with its exact bytes and its
metadata.xml, imported elsewhere with every checksum verified; a changed byte, an escaping path,
a missing element or a second import refuses the whole package and keeps nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import bagit
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from lxml import etree

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import Document
from vanphong.documents.models.files import DocumentFile, FileKind
from vanphong.orgs.models import Classification
from vanphong.records import package, services
from vanphong.records.metadata import NS, read_metadata, split_symbol
from vanphong.records.models import ItemKind, Record, RecordFile, RecordItem, RecordState
from vanphong.records.tests.conftest import document, open_record

pytestmark = pytest.mark.django_db

DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _no_renditions(settings):
    settings.VANPHONG_PACKAGE_RENDITIONS = False


def pdf_bytes(text: str = "Nghị quyết về công tác năm 2026") -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=f"<h1>{text}</h1><p>Đảng bộ tỉnh</p>").write_pdf())


def docx_bytes(text: str = "Báo cáo tổng kết công tác năm") -> bytes:
    from docx import Document as Docx

    made = Docx()
    made.add_heading(text, level=1)
    made.add_paragraph("Văn phòng Tỉnh ủy báo cáo như sau.")
    out = io.BytesIO()
    made.save(out)
    return out.getvalue()


def attach(
    doc: Document, name: str, data: bytes, content_type: str, kind: str = FileKind.ORIGINAL
) -> DocumentFile:
    row = DocumentFile(
        document=doc,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
    )
    row.file.save(name, ContentFile(data), save=False)
    row.save()
    return row


@pytest.fixture
def filled(province, plan) -> dict[str, Any]:
    """The Tỉnh ủy's permanent record 01.TH with a resolution (a PDF) and a report (a .docx),
    closed."""
    record = open_record(province, plan, "01.TH")
    resolution = document(
        province,
        symbol="15-NQ/TU",
        subject="Nghị quyết về nhiệm vụ năm 2026",
        issued_date=dt.date(2026, 1, 5),
    )
    report = document(province, symbol="20-BC/TU", subject="Báo cáo tổng kết năm 2025", page_count=4)
    pdf = attach(resolution, "Nghị quyết 15.pdf", pdf_bytes(), "application/pdf")
    docx = attach(report, "bao-cao-20.docx", docx_bytes(), DOCX_CT)
    attach(report, "du-thao.docx", docx_bytes("Dự thảo"), DOCX_CT, kind=FileKind.DRAFT)
    for doc in (resolution, report):
        services.record_file(actor=province.clerk.user, record=record, document=doc)
    record = services.record_close(
        actor=province.specialist.user,
        record=record,
        end_date=dt.date(2026, 1, 31),
        closing_note="Đủ văn bản.",
    )
    return {"record": record, "pdf": pdf, "docx": docx}


def media_files(settings) -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return (
        {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    )


def zip_bytes(made: package.PackageFile) -> bytes:
    try:
        return made.path.read_bytes()
    finally:
        made.path.unlink()


def rewrite(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """A copy of the zip ``data`` with members replaced (or dropped, for None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in change:
                replacement = change[info.filename]
                if replacement is not None:
                    dst.writestr(info.filename, replacement)
                continue
            dst.writestr(info.filename, src.read(info.filename))
    return out.getvalue()


def import_into_x(province: Any, data: bytes) -> list[Record]:
    """Import ``data`` into the commune An Phú's archive, as its clerk."""
    return package.package_import(
        actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(data)
    )


def counts() -> tuple[int, int, int]:
    return Record.objects.count(), RecordItem.objects.count(), RecordFile.objects.count()


def test_a_record_exports_as_a_bag_with_its_exact_bytes_and_metadata(province, filled):
    record = filled["record"]
    made = package.record_package(actor=province.clerk.user, record=record)
    assert made.filename == "hoso-tinhuy.2026.01.TH.zip"
    data = zip_bytes(made)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert not any("du-thao" in name for name in names)  # drafts stay out of a closed record
        assert {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "data/metadata.xml"} <= names
        pdf_path = "data/tinhuy.2026.01.TH/001/Nghị quyết 15.pdf"
        docx_path = "data/tinhuy.2026.01.TH/002/bao-cao-20.docx"
        assert archive.read(pdf_path) == filled["pdf"].file.open("rb").read()
        assert archive.read(docx_path) == filled["docx"].file.open("rb").read()
        manifest = archive.read("manifest-sha256.txt").decode()
        assert f"{filled['pdf'].sha256}  {pdf_path}" in manifest
        assert f"{filled['docx'].sha256}  {docx_path}" in manifest
        assert "Source-Organization: Tỉnh ủy Thử nghiệm" in archive.read("bag-info.txt").decode()
        xml = archive.read("data/metadata.xml")
    root = etree.fromstring(xml)
    ns = {"v": NS}
    assert root.findtext("v:Record/v:FileCode/v:Value", namespaces=ns) == "tinhuy.2026.01.TH"
    assert root.findtext("v:Record/v:FileCode/v:FileNotation", namespaces=ns) == "01.TH"
    assert root.find("v:Record/v:Maintenance", namespaces=ns).get("code") == "01"  # vĩnh viễn
    assert root.find("v:Record/v:Rights", namespaces=ns).get("code") == "01"
    first = root.find("v:Record/v:Items/v:Item", namespaces=ns)
    assert first.findtext("v:CodeNumber", namespaces=ns) == "15"
    assert first.findtext("v:CodeNotation", namespaces=ns) == "NQ/TU"
    assert first.findtext("v:DocumentCode", namespaces=ns) == "tinhuy.2026.01.TH.0000001"
    meta = read_metadata(xml)
    (described,) = meta["records"]
    assert (described["code"], described["year"], described["title"]) == ("01.TH", 2026, record.title)
    assert described["retention_years"] is None and described["end_date"] == dt.date(2026, 1, 31)
    assert described["doc_total"] == 2 and described["state"] == RecordState.CLOSED
    assert described["items"][0]["files"][0] == {
        "path": pdf_path,
        "name": "Nghị quyết 15.pdf",
        "sha256": filled["pdf"].sha256,
        "size": filled["pdf"].size,
        "content_type": "application/pdf",
        "rendition": None,
    }
    assert described["items"][1]["page_amount"] == 4
    assert AuditEvent.objects.filter(action="record.export", target_id=str(record.pk)).exists()


def test_the_package_imports_into_another_archive_with_the_same_bytes(province, filled, settings):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    upload = SimpleUploadedFile("goi.zip", data, content_type="application/zip")
    (record,) = package.package_import(
        actor=province.clerk_x.user, organization=province.commune_x, upload=upload
    )
    record.refresh_from_db()
    assert record.organization == province.commune_x
    assert (record.code, record.year, record.state, record.imported) == (
        "01.TH",
        2026,
        RecordState.ARCHIVED,
        True,
    )
    assert record.retention_years is None and record.end_date == dt.date(2026, 1, 31)
    assert record.title == filled["record"].title
    items = list(record.items.order_by("ordinal"))
    assert [(i.ordinal, i.kind, i.symbol) for i in items] == [
        (1, ItemKind.ARCHIVED, "15-NQ/TU"),
        (2, ItemKind.ARCHIVED, "20-BC/TU"),
    ]
    assert items[0].issued_date == dt.date(2026, 1, 5) and "nghi quyet" in items[0].folded_text
    kept = {f.sha256: f for f in RecordFile.objects.filter(item__record=record)}
    assert set(kept) == {filled["pdf"].sha256, filled["docx"].sha256}
    for original in (filled["pdf"], filled["docx"]):
        copy = kept[original.sha256]
        with copy.file.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == original.sha256
        assert (copy.original_name, copy.size, copy.content_type) == (
            original.original_name,
            original.size,
            original.content_type,
        )
    assert AuditEvent.objects.filter(action="record.import", target_id=str(record.pk)).exists()
    # What was imported exports again, from the archive's own copies.
    again = zip_bytes(package.record_package(actor=province.clerk_x.user, record=record))
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert (
            archive.read("data/anphu.2026.01.TH/001/Nghị quyết 15.pdf")
            == filled["pdf"].file.open("rb").read()
        )


def test_one_changed_byte_refuses_the_whole_package(province, filled, settings):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    target = "data/tinhuy.2026.01.TH/002/bao-cao-20.docx"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = bytearray(archive.read(target))
    content[len(content) // 2] ^= 0x01
    before, files_before = counts(), media_files(settings)
    with pytest.raises(package.PackageRefused) as refused:
        package.package_import(
            actor=province.clerk_x.user,
            organization=province.commune_x,
            upload=io.BytesIO(rewrite(data, {target: bytes(content)})),
        )
    assert refused.value.code == "invalid_package"
    assert refused.value.file == target
    assert refused.value.message == f"Gói không hợp lệ: tệp {target} sai mã kiểm tra (SHA-256)."
    assert counts() == before and media_files(settings) == files_before


def test_a_changed_size_is_refused_naming_the_file(province, filled):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    target = "data/tinhuy.2026.01.TH/001/Nghị quyết 15.pdf"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read(target)
    with pytest.raises(package.PackageRefused) as refused:
        package.package_import(
            actor=province.clerk_x.user,
            organization=province.commune_x,
            upload=io.BytesIO(rewrite(data, {target: content + b"\n"})),
        )
    assert refused.value.file == target


def test_a_failure_while_storing_keeps_no_row_and_no_file(province, filled, settings, monkeypatch):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    before, files_before = counts(), media_files(settings)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(package, "audit_record", broken)
    with pytest.raises(RuntimeError):
        package.package_import(
            actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(data)
        )
    assert counts() == before and media_files(settings) == files_before


@pytest.mark.parametrize("evil", ["../evil.txt", "/tmp/evil.txt", "data/../../evil.txt"])
def test_an_entry_escaping_the_package_is_refused(province, filled, tmp_path, evil):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    forged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr(zipfile.ZipInfo(evil), b"boom")
    before = counts()
    with pytest.raises(package.PackageRefused) as refused:
        package.package_import(
            actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(forged.getvalue())
        )
    assert refused.value.file == evil
    assert "ra ngoài gói" in refused.value.message
    assert counts() == before


def test_a_package_over_the_size_limit_is_refused_before_unpacking(province, filled, settings):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    settings.VANPHONG_PACKAGE_MAX_BYTES = len(data) - 1
    with pytest.raises(package.PackageRefused, match="lớn hơn giới hạn"):
        package.package_import(
            actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(data)
        )
    # Small on the wire, large unpacked: refused from the zip's directory.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/zeros.bin", b"\0" * (4 * 1024 * 1024))
    settings.VANPHONG_PACKAGE_MAX_BYTES = 1024 * 1024
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(package.PackageRefused, match="giải nén lớn hơn"):
        package.package_import(
            actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(bomb.getvalue())
        )


def test_a_zip_that_is_not_a_bag_is_refused(province):
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", b"hello")
    with pytest.raises(package.PackageRefused) as refused:
        package.package_import(
            actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(plain.getvalue())
        )
    assert refused.value.file == "bagit.txt"
    with pytest.raises(package.PackageRefused, match="không phải gói"):
        package.package_import(
            actor=province.clerk_x.user,
            organization=province.commune_x,
            upload=io.BytesIO(b"%PDF-1.4 not a zip"),
        )


def test_a_missing_manifest_is_refused(province, filled):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    with pytest.raises(package.PackageRefused) as refused:
        package.package_import(
            actor=province.clerk_x.user,
            organization=province.commune_x,
            upload=io.BytesIO(rewrite(data, {"manifest-sha256.txt": None, "tagmanifest-sha256.txt": None})),
        )
    assert refused.value.file == "manifest-sha256.txt"


def _bag_with_metadata(tmp_path: Path, xml: bytes) -> bytes:
    """A well-formed bag (valid checksums) whose metadata.xml is ``xml``."""
    bag = tmp_path / "bag"
    bag.mkdir()
    (bag / "metadata.xml").write_bytes(xml)
    bagit.make_bag(str(bag), {"Source-Organization": "Thử"}, checksums=["sha256"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(bag.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(bag).as_posix())
    shutil.rmtree(bag)
    return out.getvalue()


def test_metadata_missing_a_required_element_is_refused(province, filled, tmp_path):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("data/metadata.xml"))
    title = root.find(f"{{{NS}}}Record/{{{NS}}}Title")
    title.getparent().remove(title)
    forged = _bag_with_metadata(tmp_path, etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    with pytest.raises(package.PackageRefused) as refused:
        package.package_import(
            actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(forged)
        )
    assert refused.value.file == "data/metadata.xml"
    assert "<Title>" in refused.value.message and "hồ sơ 1" in refused.value.message
    # A file named in metadata.xml but absent from the bag is refused too.
    with pytest.raises(package.PackageRefused) as refused:
        package.package_import(
            actor=province.clerk_x.user,
            organization=province.commune_x,
            upload=io.BytesIO(_bag_with_metadata(tmp_path, _metadata_only(data))),
        )
    assert refused.value.file == "data/tinhuy.2026.01.TH/001/Nghị quyết 15.pdf"


def _metadata_only(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("data/metadata.xml")


def test_the_same_package_twice_is_refused_cleanly(province, filled, settings):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    package.package_import(
        actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(data)
    )
    before, files_before = counts(), media_files(settings)
    with pytest.raises(ValidationError) as refused:
        package.package_import(
            actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(data)
        )
    assert refused.value.message_dict == {
        "file": ["Hồ sơ 01.TH năm 2026 đã có trong lưu trữ của ĐU An Phú; không nhập lại."]
    }
    assert counts() == before and media_files(settings) == files_before


def test_only_the_archive_keepers_import(province, filled):
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=filled["record"]))
    with pytest.raises(PermissionDenied):
        package.package_import(
            actor=province.clerk_y.user, organization=province.commune_x, upload=io.BytesIO(data)
        )
    with pytest.raises(PermissionDenied):
        package.package_import(
            actor=province.specialist.user, organization=province.committee, upload=io.BytesIO(data)
        )


def test_a_secret_record_is_not_exported_without_clearance(province, plan):
    record = open_record(province, plan, "02.TH")
    secret = document(province, symbol="3-BC/TU", classification=Classification.MAT)
    attach(secret, "mat.pdf", pdf_bytes("Báo cáo mật"), "application/pdf")
    services.record_file(actor=province.clerk.user, record=record, document=secret)
    for reader in (province.specialist, province.clerk_x):  # clearance Thường; another organisation
        with pytest.raises(Http404):
            package.record_package(actor=reader.user, record=record)
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=record))  # cleared Mật
    assert read_metadata(_metadata_only(data))["records"][0]["classification"] == Classification.MAT
    assert b'<Rights code="03">' in _metadata_only(data)
    # Nor imported by a keeper without that clearance.
    with pytest.raises(ValidationError, match="cao hơn mức bạn được tiếp cận"):
        package.package_import(
            actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(data)
        )
    assert not Record.objects.filter(organization=province.commune_x).exists()


def test_a_year_exports_every_readable_record_of_it(province, plan, filled):
    other = open_record(province, plan, "04.HC")
    services.record_file(
        actor=province.clerk.user, record=other, document=document(province, symbol="7-TB/TU")
    )
    made = package.year_package(actor=province.clerk.user, organization=province.committee, year=2026)
    assert made.filename == "hoso-tinhuy-2026.zip"
    meta = read_metadata(_metadata_only(zip_bytes(made)))
    assert [r["code"] for r in meta["records"]] == ["01.TH", "04.HC"]
    assert meta["records"][1]["retention_years"] == 2
    with pytest.raises(ValidationError):
        package.year_package(actor=province.clerk.user, organization=province.committee, year=2020)


def test_symbols_split_into_number_and_notation():
    assert split_symbol("15-NQ/TU") == ("15", "NQ/TU")
    assert split_symbol("Số 399-QĐ/TW") == ("399", "QĐ/TW")
    assert split_symbol("15/QĐ-UBND") == ("15", "QĐ-UBND")
    assert split_symbol("V/v không số") == ("", "V/v không số")


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")
def test_pdfa_renditions_are_added_and_verified(province, filled):
    made = package.record_package(actor=province.clerk.user, record=filled["record"], renditions=True)
    data = zip_bytes(made)
    meta = read_metadata(_metadata_only(data))
    pdf_file, docx_file = (item["files"][0] for item in meta["records"][0]["items"])
    assert pdf_file["rendition"]["path"] == "data/tinhuy.2026.01.TH/001/pdfa/Nghị quyết 15.pdf"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rendition = archive.read(pdf_file["rendition"]["path"])
        assert rendition.startswith(b"%PDF-") and b"pdfaid:part" in rendition
        assert hashlib.sha256(rendition).hexdigest() == pdf_file["rendition"]["sha256"]
        # The original stays as its exact bytes next to it.
        assert archive.read(pdf_file["path"]) == filled["pdf"].file.open("rb").read()
        if shutil.which("soffice"):
            assert docx_file["rendition"]["path"] == "data/tinhuy.2026.01.TH/002/pdfa/bao-cao-20.pdf"
            assert archive.read(docx_file["rendition"]["path"]).startswith(b"%PDF-")
    # Verified on import with the rest; only the originals are kept.
    (record,) = package.package_import(
        actor=province.clerk_x.user, organization=province.commune_x, upload=io.BytesIO(data)
    )
    assert sorted(RecordFile.objects.filter(item__record=record).values_list("sha256", flat=True)) == sorted(
        [filled["pdf"].sha256, filled["docx"].sha256]
    )


def test_a_masked_denunciation_keeps_its_letter_out_of_the_package(province, plan):
    from vanphong.petitions.services import petition_register
    from vanphong.petitions.tests.conftest import AN, CONTENT

    denunciation = petition_register(
        actor=province.clerk.user,
        organization=province.committee,
        received_date=dt.date(2026, 3, 2),
        channel="post",
        kind="to_cao",
        content=CONTENT,
        petitioners=[AN],
        files=[("don-to-cao.pdf", pdf_bytes("Đơn tố cáo của Nguyễn Văn An"))],
    )
    record = open_record(province, plan, "02.TH")
    item = services.record_file(actor=province.clerk.user, record=record, petition=denunciation)
    folder = "data/tinhuy.2026.02.TH/001/"

    # The clerk entered it and sees who wrote it: the letter goes in.
    with zipfile.ZipFile(
        io.BytesIO(zip_bytes(package.record_package(actor=province.clerk.user, record=record)))
    ) as z:
        assert f"{folder}don-to-cao.pdf" in z.namelist()
        assert b'<Rights code="02">' in z.read("data/metadata.xml")  # citizens' letters: conditional
    # The Chánh Văn phòng reads the record, not the denouncer's identity: description only.
    data = zip_bytes(package.record_package(actor=province.chief.user, record=record))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(name.startswith(folder) for name in z.namelist())
    described = read_metadata(_metadata_only(data))["records"][0]["items"][0]
    assert described["files"] == []
    assert described["withheld"] == "Không có tệp đơn thư mà người xuất gói được mở."
    assert described["subject"] == item.subject and "Nguyễn Văn An" not in described["subject"]


def test_a_destroyed_record_exports_its_description_only(province, filled):
    record = filled["record"]
    Record.objects.filter(pk=record.pk).update(state=RecordState.DISPOSED)
    data = zip_bytes(package.record_package(actor=province.clerk.user, record=record))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert [n for n in z.namelist() if n.startswith("data/")] == ["data/metadata.xml"]
    (described,) = read_metadata(_metadata_only(data))["records"]
    assert [i["symbol"] for i in described["items"]] == ["15-NQ/TU", "20-BC/TU"]
    assert all(i["files"] == [] and "đã hủy" in i["withheld"] for i in described["items"])
    # Nor is it in its year's package.
    with pytest.raises(ValidationError):
        package.year_package(actor=province.clerk.user, organization=province.committee, year=2026)
