"""``metadata.xml`` of a preservation package (gói lưu trữ): the archive's description of each
record, its items and their files, written and read with lxml.

The document is UTF-8 XML in the namespace ``urn:vanphong:records:1`` (``NS``); every element
below is in it. Field names are the official tags of NĐ 30/2020 Phụ lục VI (FACTS §1.8) where
there is one, and the archive metadata of FACTS §6 otherwise::

    <Package version="1" created="2026-12-07T21:40:00+07:00">
      <Producer><OrganId>…</OrganId><OrganName>…</OrganName></Producer>
      <Record>
        <FileCode>                              mã hồ sơ = OrganId.FileCatalog.FileNotation
          <Value>tinhuy.2026.01.TH</Value>
          <OrganId>tinhuy</OrganId>             mã định danh cơ quan (35 in edXML 2022; we allow 40)
          <FileCatalog>2026</FileCatalog>       năm hình thành hồ sơ
          <FileNotation>01.TH</FileNotation>    số và ký hiệu hồ sơ
        </FileCode>
        <Title>…</Title>
        <Maintenance code="01" years="">Vĩnh viễn</Maintenance>
            thời hạn bảo quản; code 01 vĩnh viễn, 02 70 năm, 03 50, 04 30, 05 20, 06 10, 07 khác
            (``years`` is empty for permanent, the number of years otherwise)
        <Rights code="01">Công khai</Rights>   chế độ sử dụng: 01 công khai, 02 có điều kiện, 03 mật
        <Creator>…</Creator>  <Language>…</Language>
        <StartDate>2026-01-02</StartDate>  <EndDate>2026-03-10</EndDate>   (ISO dates, EndDate optional)
        <DocTotal>2</DocTotal>  <PageTotal>5</PageTotal>  <Description>…</Description>
        <Keywords>…</Keywords>
        <State>archived</State>                 the record's state where it was made
        <RetentionUntil>2046-12-31</RetentionUntil>   (optional)
        <Confidence code="01">Gốc điện tử</Confidence>   mức độ tin cậy: 01 gốc điện tử, 02 số hóa, 03 hỗn hợp
        <Classification level="0">Thường</Classification>  độ mật (0 thường … 3 tuyệt mật)
        <Construction>false</Construction>      hồ sơ xây dựng cơ bản
        <Items>
          <Item kind="document">
            <DocumentCode>tinhuy.2026.01.TH.0000001</DocumentCode>  mã định danh văn bản
            <DocOrdinal>1</DocOrdinal>  <TypeName>Nghị quyết</TypeName>
            <Symbol>15-NQ/TU</Symbol>  <CodeNumber>15</CodeNumber>  <CodeNotation>NQ/TU</CodeNotation>
            <IssuedDate>2026-01-05</IssuedDate>  <OrganName>…</OrganName>  <Subject>…</Subject>
            <Language>…</Language>  <PageAmount>3</PageAmount>  <Description>…</Description>
            <Priority level="0">Thường</Priority>        độ mật of the item
            <Withheld>…</Withheld>   (optional) why the item's content is not in the package
            <Files>
              <File>
                <Path>data/tinhuy.2026.01.TH/001/a.pdf</Path>  <Name>a.pdf</Name>
                <Sha256>…</Sha256>  <Size>1234</Size>  <ContentType>application/pdf</ContentType>
                <Rendition made="true" format="PDF/A-2b"><Path>data/…/001/pdfa/a.pdf</Path>
                  <Sha256>…</Sha256><Size>…</Size></Rendition>
                  or <Rendition made="false">the reason none was made</Rendition>
              </File>
            </Files>
          </Item>
        </Items>
      </Record>
    </Package>

``write_metadata`` makes the bytes from ``RecordEntry`` values; ``read_metadata`` parses them
back into plain dicts, refusing (``MetadataError``, a Vietnamese reason) a document that is not
well formed, not ours, or lacks a required element."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

NS = "urn:vanphong:records:1"
VERSION = "1"
MAX_XML_BYTES = 64 * 1024 * 1024

# Thời hạn bảo quản (FACTS §6): years → code; anything else is 07 (khác).
MAINTENANCE_CODES: dict[int | None, str] = {None: "01", 70: "02", 50: "03", 30: "04", 20: "05", 10: "06"}
OTHER_MAINTENANCE = "07"
YEARS_OF_CODE = {code: years for years, code in MAINTENANCE_CODES.items()}

RIGHTS = {"01": "Công khai", "02": "Sử dụng có điều kiện", "03": "Mật"}
CONFIDENCE = {"01": "Gốc điện tử", "02": "Số hóa", "03": "Hỗn hợp"}
CLASSIFICATION_LABELS = {0: "Thường", 1: "Mật", 2: "Tối mật", 3: "Tuyệt mật"}

_SYMBOL = re.compile(r"^\s*(?:Số\s*:?\s*)?(\d+[A-Za-z]?)\s*[-/]\s*(\S.*?)\s*$")


class MetadataError(ValueError):
    """metadata.xml cannot be read; the message (Vietnamese) says why."""


def split_symbol(symbol: str) -> tuple[str, str]:
    """CodeNumber and CodeNotation of a document's number and symbol: "15-NQ/TU" → ("15",
    "NQ/TU"), "15/QĐ-UBND" → ("15", "QĐ-UBND"); a symbol without a leading number is all
    notation."""
    symbol = (symbol or "").strip()
    match = _SYMBOL.match(symbol)
    if match is None:
        return "", symbol
    return match.group(1), match.group(2)


def maintenance_code(years: int | None) -> str:
    return MAINTENANCE_CODES.get(years, OTHER_MAINTENANCE)


def document_code(file_code: str, ordinal: int) -> str:
    """Mã định danh văn bản: the file code and the item's ordinal on seven digits."""
    return f"{file_code}.{ordinal:07d}"


@dataclass
class FileEntry:
    path: str
    name: str
    sha256: str
    size: int
    content_type: str
    rendition_path: str = ""
    rendition_sha256: str = ""
    rendition_size: int = 0
    rendition_note: str = ""


@dataclass
class ItemEntry:
    ordinal: int
    kind: str
    subject: str
    type_name: str = ""
    symbol: str = ""
    issued_date: dt.date | None = None
    organ_name: str = ""
    language: str = ""
    page_amount: int | None = None
    description: str = ""
    classification: int = 0
    withheld: str = ""
    files: list[FileEntry] = field(default_factory=list)


@dataclass
class RecordEntry:
    organ_id: str
    year: int
    code: str
    title: str
    retention_years: int | None
    start_date: dt.date
    rights: str = "01"
    creator: str = ""
    language: str = "Tiếng Việt"
    end_date: dt.date | None = None
    page_total: int | None = None
    description: str = ""
    keywords: str = ""
    state: str = ""
    retention_until: dt.date | None = None
    confidence: str = "01"
    classification: int = 0
    construction: bool = False
    items: list[ItemEntry] = field(default_factory=list)

    @property
    def file_code(self) -> str:
        return f"{self.organ_id}.{self.year}.{self.code}"


# ---------------------------------------------------------------------------- writing


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: Any, tag: str, text: Any = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, _q(tag), attrib=attrs)
    if text is not None:
        element.text = _text(text)
    return element


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    # Characters XML 1.0 cannot carry (control characters) are dropped, never the document.
    return "".join(ch for ch in str(value) if ch in "\t\n\r" or ord(ch) >= 0x20)


def _write_file(parent: Any, entry: FileEntry) -> None:
    element = _sub(parent, "File")
    _sub(element, "Path", entry.path)
    _sub(element, "Name", entry.name)
    _sub(element, "Sha256", entry.sha256)
    _sub(element, "Size", entry.size)
    _sub(element, "ContentType", entry.content_type)
    if entry.rendition_path:
        rendition = _sub(element, "Rendition", made="true", format="PDF/A-2b")
        _sub(rendition, "Path", entry.rendition_path)
        _sub(rendition, "Sha256", entry.rendition_sha256)
        _sub(rendition, "Size", entry.rendition_size)
    else:
        _sub(element, "Rendition", entry.rendition_note or "Không tạo bản PDF/A.", made="false")


def _write_item(parent: Any, record: RecordEntry, item: ItemEntry) -> None:
    element = _sub(parent, "Item", kind=item.kind)
    number, notation = split_symbol(item.symbol)
    _sub(element, "DocumentCode", document_code(record.file_code, item.ordinal))
    _sub(element, "DocOrdinal", item.ordinal)
    _sub(element, "TypeName", item.type_name)
    _sub(element, "Symbol", item.symbol)
    _sub(element, "CodeNumber", number)
    _sub(element, "CodeNotation", notation)
    if item.issued_date is not None:
        _sub(element, "IssuedDate", item.issued_date)
    _sub(element, "OrganName", item.organ_name)
    _sub(element, "Subject", item.subject)
    _sub(element, "Language", item.language or record.language)
    if item.page_amount is not None:
        _sub(element, "PageAmount", item.page_amount)
    _sub(element, "Description", item.description)
    _sub(
        element,
        "Priority",
        CLASSIFICATION_LABELS.get(item.classification, ""),
        level=str(item.classification),
    )
    if item.withheld:
        _sub(element, "Withheld", item.withheld)
    files = _sub(element, "Files")
    for entry in item.files:
        _write_file(files, entry)


def write_metadata(
    records: list[RecordEntry], *, producer_id: str, producer_name: str, created: dt.datetime
) -> bytes:
    """The metadata.xml of a package holding ``records``, as UTF-8 bytes."""
    root = etree.Element(_q("Package"), nsmap={None: NS}, version=VERSION, created=created.isoformat())
    producer = _sub(root, "Producer")
    _sub(producer, "OrganId", producer_id)
    _sub(producer, "OrganName", producer_name)
    for record in records:
        element = _sub(root, "Record")
        code = _sub(element, "FileCode")
        _sub(code, "Value", record.file_code)
        _sub(code, "OrganId", record.organ_id)
        _sub(code, "FileCatalog", record.year)
        _sub(code, "FileNotation", record.code)
        _sub(element, "Title", record.title)
        years = "" if record.retention_years is None else str(record.retention_years)
        label = "Vĩnh viễn" if record.retention_years is None else f"{record.retention_years} năm"
        _sub(element, "Maintenance", label, code=maintenance_code(record.retention_years), years=years)
        _sub(element, "Rights", RIGHTS[record.rights], code=record.rights)
        _sub(element, "Creator", record.creator)
        _sub(element, "Language", record.language)
        _sub(element, "StartDate", record.start_date)
        if record.end_date is not None:
            _sub(element, "EndDate", record.end_date)
        _sub(element, "DocTotal", len(record.items))
        if record.page_total is not None:
            _sub(element, "PageTotal", record.page_total)
        _sub(element, "Description", record.description)
        _sub(element, "Keywords", record.keywords)
        _sub(element, "State", record.state)
        if record.retention_until is not None:
            _sub(element, "RetentionUntil", record.retention_until)
        _sub(element, "Confidence", CONFIDENCE[record.confidence], code=record.confidence)
        _sub(
            element,
            "Classification",
            CLASSIFICATION_LABELS.get(record.classification, ""),
            level=str(record.classification),
        )
        _sub(element, "Construction", record.construction)
        items = _sub(element, "Items")
        for item in record.items:
            _write_item(items, record, item)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


# ---------------------------------------------------------------------------- reading


def _where(element: Any) -> str:
    """Where an element sits, for a message: "hồ sơ 2", "hồ sơ 2, văn bản 3"."""
    parts = []
    node = element
    while node is not None:
        parent = node.getparent()
        if node.tag in (_q("Record"), _q("Item")) and parent is not None:
            n = parent.findall(node.tag).index(node) + 1
            parts.append(f"hồ sơ {n}" if node.tag == _q("Record") else f"văn bản {n}")
        node = parent
    return ", ".join(reversed(parts))


def _child(element: Any, tag: str, *, required: bool = True) -> Any:
    found = element.find(_q(tag))
    if found is None and required:
        where = _where(element)
        raise MetadataError(f"metadata.xml thiếu phần tử <{tag}>" + (f" ({where})." if where else "."))
    return found


def _str(element: Any, tag: str, *, required: bool = True, max_length: int | None = None) -> str:
    found = _child(element, tag, required=required)
    value = "" if found is None else (found.text or "").strip()
    if required and not value and tag not in _MAY_BE_EMPTY:
        raise MetadataError(f"metadata.xml: <{tag}> để trống ({_where(element)}).")
    if max_length is not None and len(value) > max_length:
        raise MetadataError(f"metadata.xml: <{tag}> dài quá {max_length} ký tự ({_where(element)}).")
    return value


_MAY_BE_EMPTY = frozenset({"Name"})


def _int(element: Any, tag: str, *, required: bool = True, low: int = 0, high: int = 10**12) -> int | None:
    value = _str(element, tag, required=required)
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise MetadataError(f"metadata.xml: <{tag}> không phải số ({_where(element)}).") from None
    if not low <= number <= high:
        raise MetadataError(f"metadata.xml: <{tag}> ngoài giới hạn ({_where(element)}).")
    return number


def _date(element: Any, tag: str, *, required: bool = True) -> dt.date | None:
    value = _str(element, tag, required=required)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise MetadataError(
            f"metadata.xml: <{tag}> không phải ngày dạng YYYY-MM-DD ({_where(element)})."
        ) from None


def _level(element: Any, tag: str) -> int:
    found = _child(element, tag, required=False)
    if found is None:
        return 0
    try:
        level = int(found.get("level", "0"))
    except ValueError:
        level = -1
    if level not in CLASSIFICATION_LABELS:
        raise MetadataError(f"metadata.xml: độ mật trong <{tag}> không hợp lệ ({_where(element)}).")
    return level


def _retention(element: Any) -> int | None:
    found = _child(element, "Maintenance")
    years = (found.get("years") or "").strip()
    code = (found.get("code") or "").strip()
    if years:
        try:
            value = int(years)
        except ValueError:
            value = 0
        if not 1 <= value <= 200:
            raise MetadataError(f"metadata.xml: thời hạn bảo quản không hợp lệ ({_where(element)}).")
        return value
    if code in YEARS_OF_CODE:
        return YEARS_OF_CODE[code]
    raise MetadataError(f"metadata.xml: thời hạn bảo quản không rõ ({_where(element)}).")


def _read_file(element: Any) -> dict[str, Any]:
    sha = _str(element, "Sha256").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise MetadataError(f"metadata.xml: mã SHA-256 của tệp không hợp lệ ({_where(element)}).")
    rendition: dict[str, Any] | None = None
    found = _child(element, "Rendition", required=False)
    if found is not None and found.get("made") == "true":
        rendition = {
            "path": _str(found, "Path"),
            "sha256": _str(found, "Sha256").lower(),
            "size": _int(found, "Size"),
        }
    return {
        "path": _str(element, "Path", max_length=1000),
        "name": _str(element, "Name", max_length=255),
        "sha256": sha,
        "size": _int(element, "Size"),
        "content_type": _str(element, "ContentType", required=False, max_length=100),
        "rendition": rendition,
    }


def _read_item(element: Any) -> dict[str, Any]:
    files = _child(element, "Files", required=False)
    return {
        "kind": element.get("kind", ""),
        "document_code": _str(element, "DocumentCode", required=False),
        "ordinal": _int(element, "DocOrdinal", low=1, high=32767),
        "type_name": _str(element, "TypeName", required=False, max_length=100),
        "symbol": _str(element, "Symbol", required=False, max_length=100),
        "code_number": _str(element, "CodeNumber", required=False, max_length=30),
        "code_notation": _str(element, "CodeNotation", required=False, max_length=100),
        "issued_date": _date(element, "IssuedDate", required=False),
        "organ_name": _str(element, "OrganName", required=False, max_length=255),
        "subject": _str(element, "Subject"),
        "language": _str(element, "Language", required=False),
        "page_amount": _int(element, "PageAmount", required=False, high=32767),
        "description": _str(element, "Description", required=False, max_length=500),
        "classification": _level(element, "Priority"),
        "withheld": _str(element, "Withheld", required=False),
        "files": [] if files is None else [_read_file(f) for f in files.findall(_q("File"))],
    }


def _read_record(element: Any) -> dict[str, Any]:
    code = _child(element, "FileCode")
    items = _child(element, "Items")
    confidence = _child(element, "Confidence", required=False)
    rights = _child(element, "Rights", required=False)
    record: dict[str, Any] = {
        "organ_id": _str(code, "OrganId", max_length=40),
        "year": _int(code, "FileCatalog", low=1000, high=9999),
        "code": _str(code, "FileNotation", max_length=20),
        "title": _str(element, "Title", max_length=500),
        "retention_years": _retention(element),
        "rights": "" if rights is None else rights.get("code", ""),
        "creator": _str(element, "Creator", required=False),
        "language": _str(element, "Language", required=False, max_length=50),
        "start_date": _date(element, "StartDate"),
        "end_date": _date(element, "EndDate", required=False),
        "doc_total": _int(element, "DocTotal", required=False),
        "page_total": _int(element, "PageTotal", required=False, high=999_999),
        "description": _str(element, "Description", required=False, max_length=500),
        "keywords": _str(element, "Keywords", required=False, max_length=500),
        "state": _str(element, "State", required=False),
        "retention_until": _date(element, "RetentionUntil", required=False),
        "confidence": "" if confidence is None else confidence.get("code", ""),
        "classification": _level(element, "Classification"),
        "construction": _str(element, "Construction", required=False) == "true",
        "items": [_read_item(item) for item in items.findall(_q("Item"))],
    }
    if record["end_date"] is not None and record["end_date"] < record["start_date"]:
        raise MetadataError(f"metadata.xml: ngày kết thúc trước ngày bắt đầu ({_where(element)}).")
    if record["doc_total"] is not None and record["doc_total"] != len(record["items"]):
        raise MetadataError(
            f"metadata.xml: <DocTotal> là {record['doc_total']} nhưng có {len(record['items'])} "
            f"văn bản ({_where(element)})."
        )
    ordinals = [item["ordinal"] for item in record["items"]]
    if len(set(ordinals)) != len(ordinals):
        raise MetadataError(f"metadata.xml: số thứ tự văn bản bị trùng ({_where(element)}).")
    return record


def read_metadata(data: bytes) -> dict[str, Any]:
    """The content of a package's metadata.xml as plain values::

        {"version", "created", "producer": {"organ_id", "organ_name"},
         "records": [{"organ_id", "year", "code", "title", "retention_years", …,
                      "items": [{"ordinal", "symbol", …, "files": [{"path", "sha256", …}]}]}]}

    Raises ``MetadataError`` (Vietnamese) for anything malformed or missing."""
    if len(data) > MAX_XML_BYTES:
        raise MetadataError("metadata.xml quá lớn.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise MetadataError(f"metadata.xml không đúng cú pháp XML: {exc.msg}") from None
    if root.tag != _q("Package"):
        raise MetadataError(f"metadata.xml không phải mô tả gói lưu trữ (cần phần tử <Package> trong {NS}).")
    if root.get("version") != VERSION:
        raise MetadataError(f"metadata.xml phiên bản {root.get('version')!r} chưa được hỗ trợ.")
    producer = _child(root, "Producer", required=False)
    records = [_read_record(element) for element in root.findall(_q("Record"))]
    if not records:
        raise MetadataError("metadata.xml không có hồ sơ nào (<Record>).")
    return {
        "version": VERSION,
        "created": root.get("created", ""),
        "producer": {
            "organ_id": "" if producer is None else _str(producer, "OrganId", required=False),
            "organ_name": "" if producer is None else _str(producer, "OrganName", required=False),
        },
        "records": records,
    }
