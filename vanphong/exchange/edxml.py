"""Reading and writing edXML packages (QCVN 102:2016/BTTTT, Sửa đổi 1:2022): the format in which
document-management systems of state and Party bodies exchange documents and status reports.

Pure: no models, no database, only lxml (and signxml for the optional XML signature).

* ``build_document(doc)`` / ``build_status(status)`` write a package (UTF-8, XML declaration);
* ``parse(data)`` reads either kind back and raises ``PackageError`` (a ``ValueError`` whose text
  is a Vietnamese reason for a person) for anything it cannot accept, and never anything else;
* ``sign_xml`` / ``verify_xml`` add and check an enveloped XML-DSig signature in ``edXMLHeader``.

The layout follows the packages of the VPCP exchange hub's SDK ("VXP") and the public builders:
root ``edXML`` (default namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``) holding
``edXML:edXMLEnvelope`` (``edXMLHeader`` with ``MessageHeader``, ``TraceHeaderList``, the signature;
``edXMLBody`` with the ``edXMLManifest``) and, after the envelope, ``AttachmentEncoded``. A status
package carries ``edXML:Status`` {ResponseFor, From, StatusCode, Description, Timestamp,
StaffInfo} in the header instead of ``MessageHeader``.

Reading is safe: no DTD, no entity (a DOCTYPE is refused), no network, comments and processing
instructions dropped, stray bytes before ``<?xml`` ignored, at most ``max_bytes`` (200 MB by
default). lxml runs with ``huge_tree=False``; only a package refused for a text node over
libxml2's 10 MB cap (one large attachment) is read again with ``huge_tree=True``.

Values: dates are ``yyyy/MM/dd``; timestamps ``yyyy/MM/dd HH:mm:ss`` in Vietnam's wall-clock time
(UTC+7): the builder converts aware datetimes to UTC+7 (a naive one is taken as UTC+7 already) and
the parser returns aware datetimes in UTC+7, to the second. Surrounding white space of every text
value is not significant and is stripped on reading.

Attachments (``ContentTransferEncoded``, base64): the VXP SDK sends every file as a zip archive
holding that one file under a generated name with the same extension (``<uuid>.pdf`` for
``CV.pdf``), whatever ``ContentType`` says. ``parse`` therefore unwraps an attachment when, and
only when, its decoded bytes are a zip archive holding exactly one file whose extension is the
attachment name's extension, and the attachment name does not itself end in ``.zip``; then
``EdAttachment.data`` is that file's bytes (``zipped`` says so). Anything else is kept as sent,
byte for byte. ``build_document`` writes each attachment's exact bytes; when those bytes would
themselves pass for such a wrapper, it wraps them once more, so that ``parse`` always gives back
the very bytes that were built (``zip_attachments=True`` wraps every attachment, as the SDK does).
"""

from __future__ import annotations

import base64
import binascii
import io
import mimetypes
import posixpath
import re
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import IntEnum
from pathlib import Path
from typing import Any

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
XLINK_NS = "http://www.w3.org/1999/xlink"
OLD_EDOC_NS = "http://www.go.vn/eDoc"
VN_TZ = timezone(timedelta(hours=7), "UTC+07:00")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024

STATUS_CODES: dict[str, str] = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Phân công",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Lấy lại",
    "15": "Đồng ý",
    "16": "Từ chối",
}
PRIORITIES: dict[int, str] = {0: "Thường", 1: "Khẩn", 2: "Thượng khẩn", 3: "Hỏa tốc", 4: "Hỏa tốc hẹn giờ"}
STAFF_KEYS = ("Department", "Staff", "Mobile", "Email")

_DATE_RE = re.compile(r"(\d{4})/(\d{2})/(\d{2})")
_STAMP_FORMATS = ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S")
_STAMP_FORMAT = "%Y/%m/%d %H:%M:%S"
_XML_DECLARATION = re.compile(rb"<\?xml[\s?]")


class PackageError(ValueError):
    """The package cannot be read or written; ``str(exc)`` is a Vietnamese reason."""


class BusinessKind(IntEnum):
    """``Bussiness/BussinessDocType``: what the package does."""

    NEW = 0
    RECALL = 1
    UPDATE = 2
    REPLACE = 3


@dataclass
class Organ:
    """An organisation in ``From`` / ``To``; ``organ_id`` is its mã định danh (≤ 35 characters)."""

    organ_id: str
    name: str = ""
    in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class EdAttachment:
    """One attached file: its exact bytes. ``zipped`` (not compared) tells the file came wrapped
    in a one-file zip archive on the wire and was unwrapped (see the module's docstring)."""

    name: str
    content_type: str
    data: bytes
    description: str = ""
    content_id: str = ""
    zipped: bool = field(default=False, compare=False)


@dataclass
class ResponseRef:
    """``ResponseFor``: the document a package answers (a reply, or a status report)."""

    organ_id: str = ""
    code: str = ""
    promulgation_date: date | None = None
    document_id: str = ""


@dataclass
class EdDocument:
    """A document package (new, recall, update or replace)."""

    sender: Organ
    recipients: list[Organ]
    document_id: str  # "<OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu>"; derived so when empty
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date | None
    type_code: str
    type_detail: str
    type_name: str
    subject: str
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = 0  # 0 Thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc, 4 Hỏa tốc hẹn giờ
    sphere: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    steering_type: int | None = None
    business_kind: BusinessKind = BusinessKind.NEW
    business_reason: str = ""
    paper: bool = False
    # DocumentIds named by ReplacementInfoList (recall/update/replace act on these; when empty,
    # they act on document_id)
    replaces: list[str] = field(default_factory=list)
    staff: dict[str, str] = field(default_factory=dict)  # Department, Staff, Mobile, Email
    trace: list[tuple[str, datetime]] = field(default_factory=list)
    attachments: list[EdAttachment] = field(default_factory=list)
    has_xml_signature: bool = False
    # Optional additions
    appendixes: list[str] = field(default_factory=list)
    response_for: list[ResponseRef] = field(default_factory=list)
    business_document_id: str = ""  # Bussiness/DocumentId when it differs from document_id


@dataclass
class EdStatus:
    """A status package: what ``sender`` did with the document named by ``response_for_*``."""

    sender: Organ
    response_for_organ_id: str
    response_for_code: str
    response_for_date: date | None
    response_for_document_id: str
    status_code: str  # "01".."06", "13", "15", "16"
    description: str = ""
    timestamp: datetime | None = None
    staff: dict[str, str] = field(default_factory=dict)
    has_xml_signature: bool = False


# --------------------------------------------------------------------------------------------
# Small helpers


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def derive_document_id(organ_id: str, promulgation_date: date | None, number: str, notation: str) -> str:
    """The document identifier ``<OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu>`` (QĐ 395/QĐ-BTTTT)."""
    day = promulgation_date.strftime("%Y/%m/%d") if promulgation_date else ""
    code = f"{number}/{notation}" if number and notation else number or notation
    return f"{organ_id},{day},{code}"


def _format_date(value: date) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def _format_stamp(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(VN_TZ)
    return f"{_format_date(value.date())} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"


def _parse_date(text: str, label: str) -> date:
    match = _DATE_RE.fullmatch(text)
    if not match:
        raise PackageError(f"Ngày {label} «{text[:40]}» không đúng dạng năm/tháng/ngày (yyyy/MM/dd).")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise PackageError(f"Ngày {label} «{text}» không có thật.") from None


def _parse_stamp(text: str, label: str) -> datetime:
    for fmt in _STAMP_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    raise PackageError(f"Thời điểm {label} «{text[:40]}» không đúng dạng yyyy/MM/dd HH:mm:ss.")


def _parse_int(text: str, label: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise PackageError(f"Trường {label} «{text[:40]}» phải là một số nguyên.")
    return int(text)


# --------------------------------------------------------------------------------------------
# Attachments: the one-file zip wrapper


def _extension(name: str) -> str:
    return posixpath.splitext(name.replace("\\", "/").rsplit("/", 1)[-1])[1].lower()


def _wrapper_member(name: str, data: bytes) -> zipfile.ZipInfo | None:
    """The one file of ``data`` when ``data`` has the shape of a one-file zip wrapper of ``name``
    (not looking at the compressed content), else None."""
    if name.lower().endswith(".zip") or not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        return None
    if len(members) != 1:
        return None
    member = members[0]
    if member.is_dir() or member.flag_bits & 0x1:  # a directory, or encrypted
        return None
    return member if _extension(member.filename) == _extension(name) else None


def _unwrap(name: str, data: bytes, max_bytes: int) -> bytes | None:
    """The file inside ``data`` when ``data`` is a one-file zip wrapper of ``name``, else None."""
    member = _wrapper_member(name, data)
    if member is None:
        return None
    too_big = f"Tệp đính kèm «{name}» khi giải nén vượt quá giới hạn {max_bytes} byte."
    if member.file_size > max_bytes:
        raise PackageError(too_big)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
            content = stream.read(max_bytes + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError):
        # A damaged archive: the bytes are the file as sent.
        return None
    if len(content) > max_bytes:
        raise PackageError(too_big)
    return content


def _wrap(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{uuid.uuid4()}{_extension(name)}", data)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Building


class _Builder:
    def __init__(self) -> None:
        self.root = etree.Element(_q("edXML"), nsmap={None: NS})
        self.envelope = etree.SubElement(self.root, _q("edXMLEnvelope"), nsmap={"edXML": NS})
        self.header = etree.SubElement(self.envelope, _q("edXMLHeader"))

    @staticmethod
    def add(parent: Any, name: str, text: str | None = None) -> Any:
        element = etree.SubElement(parent, _q(name))
        if text is not None:
            try:
                element.text = text
            except ValueError:
                raise PackageError(f"Trường {name} chứa ký tự không dùng được trong XML.") from None
        return element

    def organ(self, parent: Any, tag: str, organ: Organ) -> None:
        node = self.add(parent, tag)
        self.add(node, "OrganId", organ.organ_id)
        self.add(node, "OrganizationInCharge", organ.in_charge)
        self.add(node, "OrganName", organ.name)
        self.add(node, "OrganAdd", organ.address)
        self.add(node, "Email", organ.email)
        self.add(node, "Telephone", organ.telephone)
        self.add(node, "Fax", organ.fax)
        self.add(node, "Website", organ.website)

    def staff(self, parent: Any, staff: dict[str, str]) -> None:
        unknown = set(staff) - set(STAFF_KEYS)
        if unknown:
            raise PackageError(f"StaffInfo không có trường {', '.join(sorted(unknown))}.")
        node = self.add(parent, "StaffInfo")
        for key in STAFF_KEYS:
            if staff.get(key):
                self.add(node, key, staff[key])

    def tostring(self) -> bytes:
        return _serialize(self.root, pretty=True)


def _serialize(root: Any, *, pretty: bool = False) -> bytes:
    body = bytes(etree.tostring(root, encoding="UTF-8", pretty_print=pretty))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _check_organ(organ: Organ, label: str) -> None:
    if not organ.organ_id.strip():
        raise PackageError(f"Gói tin thiếu mã định danh (OrganId) của {label}.")
    if len(organ.organ_id.strip()) > 35:
        raise PackageError(f"Mã định danh «{organ.organ_id}» của {label} dài quá 35 ký tự.")


def build_document(doc: EdDocument, *, zip_attachments: bool = False) -> bytes:
    """The edXML package of ``doc``. Raises ``PackageError`` when a mandatory field is missing or
    a value cannot be written. ``zip_attachments`` wraps every file in a one-file zip as the VXP
    SDK does (``parse`` unwraps it again)."""
    _check_organ(doc.sender, "cơ quan gửi (From)")
    if not doc.recipients:
        raise PackageError("Gói tin phải có ít nhất một cơ quan nhận (To).")
    for recipient in doc.recipients:
        _check_organ(recipient, "cơ quan nhận (To)")
    if not (doc.code_number.strip() or doc.code_notation.strip()):
        raise PackageError("Gói tin thiếu trường Code (số, ký hiệu văn bản).")
    if not doc.subject.strip():
        raise PackageError("Gói tin thiếu trường Subject (trích yếu).")
    if doc.promulgation_date is None:
        raise PackageError("Gói tin thiếu trường PromulgationDate (ngày ban hành).")
    if doc.priority not in PRIORITIES:
        raise PackageError(f"Độ khẩn (Priority) {doc.priority} không có trong QCVN 102 (0 đến 4).")
    try:
        kind = BusinessKind(doc.business_kind)
    except ValueError:
        raise PackageError(f"Loại nghiệp vụ (BussinessDocType) {doc.business_kind} không có.") from None
    names = [a.content_id for a in doc.attachments if a.content_id]
    if len(names) != len(set(names)):
        raise PackageError("Hai tệp đính kèm trùng mã ContentId.")

    b = _Builder()
    message = b.add(b.header, "MessageHeader")
    b.organ(message, "From", doc.sender)
    for recipient in doc.recipients:
        b.organ(message, "To", recipient)
    document_id = doc.document_id or derive_document_id(
        doc.sender.organ_id, doc.promulgation_date, doc.code_number, doc.code_notation
    )
    b.add(message, "DocumentId", document_id)
    code = b.add(message, "Code")
    b.add(code, "CodeNumber", doc.code_number)
    b.add(code, "CodeNotation", doc.code_notation)
    promulgation = b.add(message, "PromulgationInfo")
    b.add(promulgation, "Place", doc.place)
    b.add(promulgation, "PromulgationDate", _format_date(doc.promulgation_date))
    doctype = b.add(message, "DocumentType")
    b.add(doctype, "Type", doc.type_code)
    b.add(doctype, "TypeDetail", doc.type_detail)
    b.add(doctype, "TypeName", doc.type_name)
    b.add(message, "Subject", doc.subject)
    b.add(message, "Content", doc.content)
    signer = b.add(message, "SignerInfo")
    b.add(signer, "Competence", doc.signer_competence)
    b.add(signer, "Position", doc.signer_position)
    b.add(signer, "FullName", doc.signer_name)
    if doc.due_date is not None:
        b.add(message, "DueDate", _format_date(doc.due_date))
    if doc.to_places:
        places = b.add(message, "ToPlaces")
        for place in doc.to_places:
            b.add(places, "Place", place)
    other = b.add(message, "OtherInfo")
    b.add(other, "Priority", str(doc.priority))
    b.add(other, "SphereOfPromulgation", doc.sphere)
    b.add(other, "TyperNotation", doc.typer_notation)
    if doc.promulgation_amount is not None:
        b.add(other, "PromulgationAmount", str(doc.promulgation_amount))
    if doc.page_amount is not None:
        b.add(other, "PageAmount", str(doc.page_amount))
    if doc.appendixes:
        appendixes = b.add(other, "Appendixes")
        for appendix in doc.appendixes:
            b.add(appendixes, "Appendix", appendix)
    for ref in doc.response_for:
        node = b.add(message, "ResponseFor")
        b.add(node, "OrganId", ref.organ_id)
        b.add(node, "Code", ref.code)
        b.add(node, "PromulgationDate", _format_date(ref.promulgation_date) if ref.promulgation_date else "")
        b.add(node, "DocumentId", ref.document_id)
    if doc.steering_type is not None:
        b.add(message, "SteeringType", str(doc.steering_type))

    traces = b.add(b.header, "TraceHeaderList")
    for organ_id, stamp in doc.trace:
        trace = b.add(traces, "TraceHeader")
        b.add(trace, "OrganId", organ_id)
        b.add(trace, "Timestamp", _format_stamp(stamp))
    business = b.add(traces, "Bussiness")
    b.add(business, "DocumentId", doc.business_document_id or document_id)
    b.add(business, "BussinessDocType", str(int(kind)))
    b.add(business, "BussinessDocReason", doc.business_reason)
    b.add(business, "Paper", "1" if doc.paper else "0")
    if doc.staff:
        b.staff(business, doc.staff)
    if doc.replaces:
        replacements = b.add(business, "ReplacementInfoList")
        for replaced in doc.replaces:
            info = b.add(replacements, "ReplacementInfo")
            b.add(info, "DocumentId", replaced)
            organs = b.add(info, "OrganIdList")
            for recipient in doc.recipients:
                b.add(organs, "OrganId", recipient.organ_id)

    body = b.add(b.envelope, "edXMLBody")
    manifest = b.add(body, "edXMLManifest")
    manifest.set("version", "1.0")
    encoded = b.add(b.root, "AttachmentEncoded") if doc.attachments else None
    for attachment in doc.attachments:
        content_id = attachment.content_id or f"cid:{uuid.uuid4()}"
        reference = b.add(manifest, "Reference")
        b.add(reference, "ContentId", content_id)
        b.add(reference, "ContentType", attachment.content_type)
        b.add(reference, "Description", attachment.description)
        b.add(reference, "AttachmentName", attachment.name)
        data = attachment.data
        wrapped = False
        if not attachment.name.lower().endswith(".zip") and (
            zip_attachments or _wrapper_member(attachment.name, data) is not None
        ):
            data = _wrap(attachment.name, data)
            wrapped = True
        node = b.add(encoded, "Attachment")
        b.add(node, "ContentId", content_id)
        b.add(node, "AttachmentName", attachment.name)
        b.add(node, "Description", attachment.description)
        b.add(node, "ContentType", "application/zip" if wrapped else attachment.content_type)
        b.add(node, "ContentTransferEncoded", base64.b64encode(data).decode("ascii"))
    return b.tostring()


def build_status(status: EdStatus) -> bytes:
    """The edXML status package of ``status``. Raises ``PackageError`` for an unknown status code,
    a refusal (02) or a rejection (16) without a reason, or a missing sender or ResponseFor."""
    _check_organ(status.sender, "cơ quan báo trạng thái (From)")
    if status.status_code not in STATUS_CODES:
        raise PackageError(f"Mã trạng thái (StatusCode) «{status.status_code}» không có trong QCVN 102.")
    if status.status_code in ("02", "16") and not status.description.strip():
        raise PackageError("Từ chối phải nêu lý do (Description).")
    if not (status.response_for_document_id.strip() or status.response_for_organ_id.strip()):
        raise PackageError("Gói tin trạng thái thiếu trường ResponseFor (văn bản được phản hồi).")
    b = _Builder()
    node = b.add(b.header, "Status")
    ref = b.add(node, "ResponseFor")
    b.add(ref, "OrganId", status.response_for_organ_id)
    b.add(ref, "Code", status.response_for_code)
    b.add(ref, "PromulgationDate", _format_date(status.response_for_date) if status.response_for_date else "")
    b.add(ref, "DocumentId", status.response_for_document_id)
    b.organ(node, "From", status.sender)
    b.add(node, "StatusCode", status.status_code)
    b.add(node, "Description", status.description)
    b.add(node, "Timestamp", _format_stamp(status.timestamp or datetime.now(VN_TZ)))
    if status.staff:
        b.staff(node, status.staff)
    b.add(b.envelope, "edXMLBody")
    return b.tostring()


# --------------------------------------------------------------------------------------------
# Parsing


def _parser(*, huge_tree: bool = False) -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=huge_tree,
        remove_comments=True,
        remove_pis=True,
        load_dtd=False,
        dtd_validation=False,
    )


def _syntax_error(exc: Any) -> str:
    """The refusal of a package that is not well-formed XML, in Vietnamese, with where (the
    parser's own English message stays in the logs)."""
    line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    where = f" (dòng {line}, cột {column})" if line else ""
    return f"Gói tin không phải XML hợp lệ{where}: cấu trúc XML bị lỗi hoặc tệp không phải gói tin edXML."


def _load(data: bytes, max_bytes: int) -> Any:
    """The root element of ``data``, safely: no DTD, no entities, no network, within the limit."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise PackageError("Gói tin phải là dữ liệu nhị phân (bytes).")
    data = bytes(data)
    if len(data) > max_bytes:
        raise PackageError(f"Gói tin lớn {len(data)} byte, vượt quá giới hạn {max_bytes} byte.")
    if not data.strip():
        raise PackageError("Gói tin rỗng.")
    # Some senders put stray bytes before the XML declaration (the VPCP sample starts "1212").
    match = _XML_DECLARATION.search(data, 0, 4096)
    if match and match.start() > 0:
        data = data[match.start() :]
    head = data[:65536].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise PackageError("Gói tin có khai báo DOCTYPE/ENTITY; không nhận gói tin như vậy vì lý do an toàn.")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        if "Text node too long" not in str(exc):
            raise PackageError(_syntax_error(exc)) from None
        # libxml2 caps a text node at 10 MB unless huge_tree, and one attachment's base64 is one
        # text node. Refused only for that, the package is read again without the cap: it is
        # already bounded by max_bytes, and entities and DTDs stay off.
        try:
            root = etree.fromstring(data, _parser(huge_tree=True))
        except etree.XMLSyntaxError as again:
            raise PackageError(_syntax_error(again)) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise PackageError("Gói tin có khai báo DOCTYPE/ENTITY; không nhận gói tin như vậy vì lý do an toàn.")
    return root


def _child(parent: Any, name: str) -> Any:
    if parent is None:
        return None
    return parent.find(_q(name))


def _children(parent: Any, name: str) -> list[Any]:
    if parent is None:
        return []
    return list(parent.findall(_q(name)))


def _text(parent: Any, name: str) -> str:
    node = _child(parent, name)
    if node is None:
        return ""
    return "".join(node.itertext()).strip()


def _organ(node: Any) -> Organ:
    return Organ(
        organ_id=_text(node, "OrganId"),
        name=_text(node, "OrganName"),
        in_charge=_text(node, "OrganizationInCharge"),
        address=_text(node, "OrganAdd"),
        email=_text(node, "Email"),
        telephone=_text(node, "Telephone"),
        fax=_text(node, "Fax"),
        website=_text(node, "Website"),
    )


def _staff(node: Any) -> dict[str, str]:
    return {key: value for key in STAFF_KEYS if (value := _text(node, key))}


def _has_signature(header: Any) -> bool:
    return any(
        etree.QName(child).localname == "Signature" for child in header.iterchildren(tag=etree.Element)
    )


def _optional_date(text: str, label: str) -> date | None:
    return _parse_date(text, label) if text else None


def _envelope_parts(root: Any) -> tuple[Any, Any]:
    tag = etree.QName(root)
    if tag.namespace != NS:
        if tag.namespace == OLD_EDOC_NS:
            raise PackageError(
                f"Gói tin dùng không gian tên cũ {OLD_EDOC_NS} (phần tử gốc {tag.localname}), không phải "
                f"QCVN 102:2016 ({NS})."
            )
        raise PackageError(
            f"Gói tin không phải edXML theo QCVN 102:2016: phần tử gốc là «{tag.localname}» trong không gian "
            f"tên «{tag.namespace or '(không có)'}», cần «edXML» trong {NS}."
        )
    if tag.localname == "edXML":
        envelope = _child(root, "edXMLEnvelope")
    elif tag.localname == "edXMLEnvelope":
        envelope = root
    else:
        raise PackageError(f"Gói tin không phải edXML: phần tử gốc là «{tag.localname}», cần «edXML».")
    if envelope is None:
        raise PackageError("Gói tin thiếu phần edXMLEnvelope.")
    header = _child(envelope, "edXMLHeader")
    if header is None:
        raise PackageError("Gói tin thiếu phần edXMLHeader.")
    return envelope, header


def parse(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> EdDocument | EdStatus:
    """The document or status package in ``data``. Raises ``PackageError`` — and nothing else —
    with a Vietnamese reason when the package is not one this module can accept."""
    try:
        root = _load(data, max_bytes)
        envelope, header = _envelope_parts(root)
        status = _child(header, "Status")
        if status is not None:
            return _parse_status(status, header)
        message = _child(header, "MessageHeader")
        if message is None:
            raise PackageError("Gói tin không có MessageHeader (văn bản) cũng không có Status (trạng thái).")
        return _parse_document(root, envelope, header, message, max_bytes)
    except PackageError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: nothing but PackageError escapes
        raise PackageError(f"Không đọc được gói tin ({type(exc).__name__}).") from exc


def _parse_status(node: Any, header: Any) -> EdStatus:
    sender_node = _child(node, "From")
    if sender_node is None or not _text(sender_node, "OrganId"):
        raise PackageError("Gói tin trạng thái thiếu mã định danh (OrganId) của cơ quan gửi (From).")
    code = _text(node, "StatusCode")
    if not code:
        raise PackageError("Gói tin trạng thái thiếu trường StatusCode (mã trạng thái).")
    if code not in STATUS_CODES:
        raise PackageError(f"Mã trạng thái (StatusCode) «{code[:20]}» không có trong QCVN 102.")
    ref = _child(node, "ResponseFor")
    if ref is None or not (_text(ref, "DocumentId") or _text(ref, "OrganId")):
        raise PackageError("Gói tin trạng thái thiếu trường ResponseFor (văn bản được phản hồi).")
    stamp = _text(node, "Timestamp")
    return EdStatus(
        sender=_organ(sender_node),
        response_for_organ_id=_text(ref, "OrganId"),
        response_for_code=_text(ref, "Code"),
        response_for_date=_optional_date(
            _text(ref, "PromulgationDate"), "ban hành của văn bản được phản hồi"
        ),
        response_for_document_id=_text(ref, "DocumentId"),
        status_code=code,
        description=_text(node, "Description"),
        timestamp=_parse_stamp(stamp, "báo trạng thái") if stamp else None,
        staff=_staff(_child(node, "StaffInfo")),
        has_xml_signature=_has_signature(header),
    )


def _parse_document(root: Any, envelope: Any, header: Any, message: Any, max_bytes: int) -> EdDocument:
    sender_node = _child(message, "From")
    if sender_node is None or not _text(sender_node, "OrganId"):
        raise PackageError("Gói tin thiếu mã định danh (OrganId) của cơ quan gửi (From).")
    recipients = [_organ(node) for node in _children(message, "To")]
    if not recipients:
        raise PackageError("Gói tin thiếu cơ quan nhận (To).")
    if any(not organ.organ_id for organ in recipients):
        raise PackageError("Gói tin có cơ quan nhận (To) thiếu mã định danh (OrganId).")
    code = _child(message, "Code")
    number, notation = _text(code, "CodeNumber"), _text(code, "CodeNotation")
    if code is None or not (number or notation):
        raise PackageError("Gói tin thiếu trường Code (số, ký hiệu văn bản).")
    subject = _text(message, "Subject")
    if not subject:
        raise PackageError("Gói tin thiếu trường Subject (trích yếu).")
    promulgation = _child(message, "PromulgationInfo")
    promulgation_text = _text(promulgation, "PromulgationDate")
    if not promulgation_text:
        raise PackageError("Gói tin thiếu trường PromulgationDate (ngày ban hành).")
    promulgation_date = _parse_date(promulgation_text, "ban hành (PromulgationDate)")
    sender = _organ(sender_node)

    doctype = _child(message, "DocumentType")
    signer = _child(message, "SignerInfo")
    other = _child(message, "OtherInfo")
    priority_text = _text(other, "Priority")
    priority = _parse_int(priority_text, "Priority (độ khẩn)") if priority_text else 0
    if priority not in PRIORITIES:
        raise PackageError(f"Độ khẩn (Priority) {priority} không có trong QCVN 102 (0 đến 4).")
    amount, pages, steering = (
        _text(other, "PromulgationAmount"),
        _text(other, "PageAmount"),
        _text(message, "SteeringType"),
    )
    document_id = _text(message, "DocumentId") or derive_document_id(
        sender.organ_id, promulgation_date, number, notation
    )
    response_for = []
    for node in _children(message, "ResponseFor"):
        ref = ResponseRef(
            organ_id=_text(node, "OrganId"),
            code=_text(node, "Code"),
            promulgation_date=_optional_date(_text(node, "PromulgationDate"), "của văn bản được trả lời"),
            document_id=_text(node, "DocumentId"),
        )
        if ref != ResponseRef():  # the samples carry empty ResponseFor elements
            response_for.append(ref)

    traces = _child(header, "TraceHeaderList")
    trace = []
    for node in _children(traces, "TraceHeader"):
        stamp = _text(node, "Timestamp")
        if stamp:
            trace.append((_text(node, "OrganId"), _parse_stamp(stamp, "chuyển tiếp (TraceHeader)")))
    business = _child(traces, "Bussiness")
    kind_text = _text(business, "BussinessDocType")
    kind_number = _parse_int(kind_text, "BussinessDocType") if kind_text else 0
    try:
        kind = BusinessKind(kind_number)
    except ValueError:
        raise PackageError(
            f"Loại nghiệp vụ (BussinessDocType) {kind_number} không có (0 mới, 1 thu hồi, "
            "2 cập nhật, 3 thay thế)."
        ) from None
    paper = _text(business, "Paper").lower()
    if paper not in ("", "0", "1", "true", "false"):
        raise PackageError(f"Trường Paper «{paper[:20]}» phải là 0 hoặc 1.")
    replaces = [
        replaced
        for info in _children(_child(business, "ReplacementInfoList"), "ReplacementInfo")
        if (replaced := _text(info, "DocumentId"))
    ]
    business_document_id = _text(business, "DocumentId")

    return EdDocument(
        sender=sender,
        recipients=recipients,
        document_id=document_id,
        code_number=number,
        code_notation=notation,
        place=_text(promulgation, "Place"),
        promulgation_date=promulgation_date,
        type_code=_text(doctype, "Type"),
        type_detail=_text(doctype, "TypeDetail"),
        type_name=_text(doctype, "TypeName"),
        subject=subject,
        content=_text(message, "Content"),
        signer_competence=_text(signer, "Competence"),
        signer_position=_text(signer, "Position"),
        signer_name=_text(signer, "FullName"),
        due_date=_optional_date(_text(message, "DueDate"), "hạn xử lý (DueDate)"),
        to_places=[
            text for node in _children(_child(message, "ToPlaces"), "Place") if (text := _text_of(node))
        ],
        priority=priority,
        sphere=_text(other, "SphereOfPromulgation"),
        typer_notation=_text(other, "TyperNotation"),
        promulgation_amount=_parse_int(amount, "PromulgationAmount") if amount else None,
        page_amount=_parse_int(pages, "PageAmount") if pages else None,
        steering_type=_parse_int(steering, "SteeringType") if steering else None,
        business_kind=kind,
        business_reason=_text(business, "BussinessDocReason"),
        paper=paper in ("1", "true"),
        replaces=replaces,
        staff=_staff(_child(business, "StaffInfo")),
        trace=trace,
        attachments=_parse_attachments(root, envelope, max_bytes),
        has_xml_signature=_has_signature(header),
        appendixes=[
            text for node in _children(_child(other, "Appendixes"), "Appendix") if (text := _text_of(node))
        ],
        response_for=response_for,
        business_document_id="" if business_document_id == document_id else business_document_id,
    )


def _text_of(node: Any) -> str:
    return "".join(node.itertext()).strip()


def _decode(encoded: str, name: str) -> bytes:
    compact = re.sub(r"\s+", "", encoded)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise PackageError(f"Nội dung tệp đính kèm «{name}» không phải base64 hợp lệ.") from None


def _parse_attachments(root: Any, envelope: Any, max_bytes: int) -> list[EdAttachment]:
    references: dict[str, Any] = {}
    manifest = _child(_child(envelope, "edXMLBody"), "edXMLManifest")
    for node in _children(manifest, "Reference"):
        content_id = _text(node, "ContentId") or (node.get(f"{{{XLINK_NS}}}href") or "").strip()
        if not content_id:
            raise PackageError("Danh mục tệp (edXMLManifest) có mục thiếu ContentId.")
        if content_id in references:
            raise PackageError(f"Danh mục tệp (edXMLManifest) có hai mục cùng ContentId «{content_id}».")
        references[content_id] = node

    nodes = [n for c in _children(root, "AttachmentEncoded") for n in _children(c, "Attachment")]
    nodes += [n for c in _children(envelope, "AttachmentEncoded") for n in _children(c, "Attachment")]
    # A gateway variant (public sample): edXMLAttachments/Attachment/AttachmentData, no manifest.
    nodes += [n for c in _children(envelope, "edXMLAttachments") for n in _children(c, "Attachment")]

    attachments: list[EdAttachment] = []
    seen: set[str] = set()
    # All attachments together, unzipped, stay within ``max_bytes``: many small zips each
    # expanding to the limit must not add up to the machine's memory.
    budget = max_bytes
    for node in nodes:
        content_id = _text(node, "ContentId")
        reference = references.get(content_id) if content_id else None
        if content_id:
            if content_id in seen:
                raise PackageError(f"Hai tệp đính kèm cùng ContentId «{content_id}».")
            seen.add(content_id)
            if references and reference is None:
                raise PackageError(
                    f"Tệp đính kèm «{content_id}» không có trong danh mục tệp (edXMLManifest) của gói tin."
                )
        name = _text(node, "AttachmentName") or _text(reference, "AttachmentName")
        if not name:
            raise PackageError("Gói tin có tệp đính kèm thiếu tên (AttachmentName).")
        encoded_node = _child(node, "ContentTransferEncoded")
        if encoded_node is None:
            encoded_node = _child(node, "AttachmentData")
        if encoded_node is None:
            raise PackageError(f"Tệp đính kèm «{name}» không có nội dung (ContentTransferEncoded).")
        raw = _decode(_text_of(encoded_node), name)
        inner = _unwrap(name, raw, max(budget, 0))
        budget -= len(raw if inner is None else inner)
        if budget < 0:
            raise PackageError(f"Các tệp đính kèm của gói tin vượt quá giới hạn {max_bytes} byte.")
        sent_type = _text(node, "ContentType")
        listed_type = _text(reference, "ContentType")
        if inner is not None:
            content_type = listed_type or (sent_type if sent_type != "application/zip" else "")
        else:
            content_type = listed_type or sent_type
        content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachments.append(
            EdAttachment(
                name=name,
                content_type=content_type,
                data=raw if inner is None else inner,
                description=_text(node, "Description") or _text(reference, "Description"),
                content_id=content_id,
                zipped=inner is not None,
            )
        )
    missing = [content_id for content_id in references if content_id not in seen]
    if missing:
        raise PackageError(
            f"Danh mục tệp (edXMLManifest) nêu tệp «{missing[0]}» nhưng gói tin không kèm nội dung tệp đó."
        )
    return attachments


# --------------------------------------------------------------------------------------------
# XML signature (XML-DSig, enveloped, inside edXMLHeader, the whole document referenced)


def sign_xml(data: bytes, key_pem: bytes, cert_pem: bytes) -> bytes:
    """``data`` (a package) with an enveloped XML-DSig signature placed last in ``edXMLHeader``,
    referencing the whole document (URI=""), exclusive c14n, SHA-256, by ``key_pem`` (RSA or EC,
    PEM, unencrypted) with ``cert_pem`` (the signer's certificate, then any intermediates).
    Raises ``PackageError`` when the package cannot be read or already carries a signature."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from signxml import XMLSigner, methods

    root = _load(data, DEFAULT_MAX_BYTES)
    _envelope, header = _envelope_parts(root)
    if _has_signature(header):
        raise PackageError("Gói tin đã có chữ ký số trong edXMLHeader.")
    try:
        key = load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise PackageError(f"Không đọc được khóa ký: {exc}") from None
    algorithm = "ecdsa-sha256" if isinstance(key, ec.EllipticCurvePrivateKey) else "rsa-sha256"
    placeholder = etree.SubElement(header, f"{{{DSIG_NS}}}Signature", nsmap={"ds": DSIG_NS})
    placeholder.set("Id", "placeholder")
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm=algorithm,
        digest_algorithm="sha256",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    )
    try:
        signed = signer.sign(root, key=key_pem, cert=cert_pem.decode("ascii"))
    except Exception as exc:  # noqa: BLE001 - signxml raises many kinds; all mean "cannot sign"
        raise PackageError(f"Không ký được gói tin: {exc}") from None
    return _serialize(signed)


def verify_xml(data: bytes, trust_roots_pem: list[bytes]) -> tuple[bool, str]:
    """Check the XML-DSig signature in ``edXMLHeader`` against the trusted roots: ``(True,
    signer's subject)`` when valid, covering the whole document and chaining to a root; else
    ``(False, the Vietnamese reason)``. Never raises for a bad package or signature."""
    from cryptography import x509
    from signxml import SignatureConfiguration, XMLVerifier
    from signxml.exceptions import SignXMLException

    try:
        root = _load(data, DEFAULT_MAX_BYTES)
        _envelope, header = _envelope_parts(root)
    except PackageError as exc:
        return False, str(exc)
    signatures = root.findall(f".//{{{DSIG_NS}}}Signature")
    if not signatures:
        if _has_signature(header):
            return (
                False,
                "Chữ ký trong gói tin không theo chuẩn XML-DSig (sai không gian tên), không kiểm tra được.",
            )
        return False, "Gói tin không có chữ ký số XML."
    if len(signatures) > 1 or signatures[0].getparent() is not header:
        return False, "Gói tin phải có đúng một chữ ký số, đặt trong edXMLHeader."
    if not trust_roots_pem:
        return False, "Chưa có chứng thư gốc tin cậy để kiểm tra chữ ký."
    try:
        with tempfile.TemporaryDirectory() as folder:
            roots = Path(folder) / "roots.pem"
            roots.write_bytes(b"\n".join(trust_roots_pem))
            result = XMLVerifier().verify(
                root,
                ca_pem_file=str(roots),
                expect_config=SignatureConfiguration(location=".//", expect_references=1),
            )
    except SignXMLException as exc:
        return False, f"Chữ ký số không hợp lệ: {exc}"
    except Exception as exc:  # noqa: BLE001 - any failure of checking is a failed check
        return False, f"Không kiểm tra được chữ ký số: {exc}"
    verified = result[0] if isinstance(result, list) else result
    references = verified.signature_xml.findall(f".//{{{DSIG_NS}}}Reference")
    if len(references) != 1 or references[0].get("URI") != "" or verified.signed_xml is None:
        return False, "Chữ ký số không phủ toàn bộ gói tin."
    if etree.QName(verified.signed_xml).localname != etree.QName(root).localname:
        return False, "Chữ ký số không phủ toàn bộ gói tin."
    certificate = verified.signature_xml.find(f".//{{{DSIG_NS}}}X509Certificate")
    try:
        subject = x509.load_der_x509_certificate(base64.b64decode(certificate.text or "")).subject
        return True, subject.rfc4514_string()
    except (AttributeError, ValueError):
        return True, ""
