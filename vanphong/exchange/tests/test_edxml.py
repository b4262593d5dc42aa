"""The edXML reader and writer (QCVN 102:2016) against real public packages, hand-built status /
recall / update / replace packages, malformed and random input, and its own output (round trip,
attachments' exact bytes, XML signature). Samples and their sources: ``samples/SOURCES.md``."""

from __future__ import annotations

import base64
import hashlib
import io
import random
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vanphong.core.signatures.testing import make_ca, make_leaf
from vanphong.exchange import edxml
from vanphong.exchange.edxml import (
    VN_TZ,
    BusinessKind,
    EdAttachment,
    EdDocument,
    EdStatus,
    Organ,
    PackageError,
    ResponseRef,
    build_document,
    build_status,
    parse,
    sign_xml,
    verify_xml,
)

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def parse_document(data: bytes) -> EdDocument:
    result = parse(data)
    assert isinstance(result, EdDocument)
    return result


def parse_status(data: bytes) -> EdStatus:
    result = parse(data)
    assert isinstance(result, EdStatus)
    return result


def minimal_document(**changes: object) -> EdDocument:
    values: dict[str, object] = {
        "sender": Organ("000.00.00.H41", "Văn phòng Tỉnh ủy"),
        "recipients": [Organ("000.02.00.H41", "Ban Tổ chức Tỉnh ủy")],
        "document_id": "",
        "code_number": "125",
        "code_notation": "CV-VPTU",
        "place": "Nghệ An",
        "promulgation_date": date(2026, 3, 2),
        "type_code": "18",
        "type_detail": "",
        "type_name": "Công văn",
        "subject": "V/v chuẩn bị hội nghị",
    }
    values.update(changes)
    return EdDocument(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Public samples


def test_vpcp_sdk_package_signed_with_zipped_pdf() -> None:
    doc = parse_document(sample("vpcp_sdk_xml_852e179c.edxml"))
    assert doc.sender == Organ(
        organ_id="000.00.15.H51",
        name="Văn phòng Chính phủ",
        in_charge="Văn phòng Chính phủ",
        address="Số 1 Hoàng Hoa Thám, Quận Ba Đình, Hà Nội",
        email="vpcp@gov.vn",
        telephone="8043100",
        fax="04",
        website="vpcp.vn",
    )
    assert [organ.organ_id for organ in doc.recipients] == ["000.00.15.H51"]
    assert doc.document_id == "9fbfbad2-f1f8-4256-a2eb-50fb1061cddb"
    assert (doc.code_number, doc.code_notation) == ("1223412", "PRO-TEST-CASE1")
    assert doc.subject == "Văn bản liên thông chỉ đạo - 190701"
    assert doc.promulgation_date == date(2019, 1, 17)
    assert doc.due_date == date(2018, 6, 25)
    assert (doc.type_code, doc.type_detail, doc.type_name) == ("1", "", "Thông tư")
    assert (doc.signer_competence, doc.signer_position, doc.signer_name) == (
        "Quyền 1",
        "Bộ trưởng",
        "Trương Minh Tuấn",
    )
    assert doc.to_places == ["Các bộ"]
    assert (doc.priority, doc.sphere, doc.typer_notation) == (0, "Lưu hành nội bộ", "TVC")
    assert (doc.promulgation_amount, doc.page_amount, doc.steering_type) == (10, 2, 1)
    assert doc.appendixes == ["Phụ lục"]
    assert doc.response_for == []  # the sample's empty <ResponseFor />
    assert doc.trace == [
        ("01.02.G22", datetime(2018, 6, 20, 16, 35, 56, tzinfo=VN_TZ)),
        ("001.00.20.TT2", datetime(2019, 5, 17, 18, 16, 33, tzinfo=VN_TZ)),
    ]
    assert doc.business_kind is BusinessKind.NEW
    assert doc.has_xml_signature  # RSA-SHA1 by an unknown certificate: present, not required
    [attachment] = doc.attachments
    assert attachment.name == "GUIDE_INSTALL OPENVPN.SIGNED.PDF"
    assert attachment.content_id == "cid:36b8a92e-f054-11e7-842b-005056b672fc"
    # Sent as application/zip wrapping "5c7082fe-….PDF": unwrapped, typed by the manifest.
    assert attachment.zipped
    assert attachment.content_type == "application/pdf"
    assert len(attachment.data) == 17
    assert (
        hashlib.sha256(attachment.data).hexdigest()
        == hashlib.sha256(_zip_member(sample("vpcp_sdk_xml_852e179c.edxml"))).hexdigest()
    )


def _zip_member(package: bytes) -> bytes:
    text = package.decode()
    start = text.index("ContentTransferEncoded xmlns")
    encoded = text[text.index(">", start) + 1 : text.index("</edXML:ContentTransferEncoded>")]
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded))) as archive:
        return archive.read(archive.namelist()[0])


def test_truclienthong_package_three_recipients_and_zipped_edxml_kept() -> None:
    data = sample("truclienthong_dc0bdef0.edxml")
    assert b"\r\n" in data
    doc = parse_document(data)
    assert doc.sender.organ_id == "000.00.00.G22"
    assert [organ.organ_id for organ in doc.recipients] == ["000.00.00.H41", "000.00.00.H14", "000.00.00.G17"]
    assert doc.recipients[1].name == "UBND Tỉnh Cao Bằng"
    assert doc.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert (doc.code_number, doc.code_notation) == ("7816", "VPCP-TTĐT")
    assert doc.promulgation_date == date(2019, 4, 11)
    assert doc.subject == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert doc.business_reason == "Văn bản điện tử mới"
    assert doc.business_document_id == "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT"  # kept as text
    assert doc.staff == {
        "Department": "Văn thư văn phòng",
        "Staff": "Nguyễn Thị Ngọc Trâm",
        "Mobile": "84912000001",
        "Email": "vanthuvanphong@gov.vn",
    }
    assert doc.paper is False
    assert doc.has_xml_signature
    [attachment] = doc.attachments
    # Named .doc but the zip holds "7a71a0ee-….edxml": extensions differ, so the zip is kept.
    assert attachment.name == "1896_QD-TTg_m_294779.doc"
    assert not attachment.zipped
    assert attachment.content_type == "application/zip"
    assert attachment.description == "1896_QD-TTg_m_294779.doc"
    with zipfile.ZipFile(io.BytesIO(attachment.data)) as archive:
        assert archive.testzip() is None
        [member] = archive.namelist()
        inner = archive.read(member)
    # The zipped package is the repository's resources/edoc.edxml: a From nested in a From and an
    # undeclared xlink: prefix. It is refused with a reason.
    with pytest.raises(PackageError) as refused:
        parse(inner)
    assert str(refused.value)


def test_gateway_package_three_zipped_text_files() -> None:
    doc = parse_document(sample("gateway_uploads_1da394ba.edxml"))
    assert (doc.sender.organ_id, doc.sender.name) == ("vxp.saas.03", "Đơn vị test vxp 3")
    assert doc.recipients[0].organ_id == "vxp.saas.02"
    assert (doc.code_number, doc.code_notation) == ("20251020104803", "GW-AUTO")
    assert doc.promulgation_date == date(2025, 10, 20)
    assert doc.subject == "Local Aggregate Test"
    assert doc.trace == [("vxp.saas.03", datetime(2025, 10, 20, 10, 48, 3, tzinfo=VN_TZ))]
    assert not doc.has_xml_signature
    assert [(a.name, a.content_type, a.data, a.zipped) for a in doc.attachments] == [
        ("localA.txt", "text/plain", b"LOCAL AGG A", True),
        ("localB.txt", "text/plain", b"LOCAL AGG B", True),
        ("localC.txt", "text/plain", b"LOCAL AGG C", True),
    ]


def test_gateway_variant_with_attachment_data_and_no_manifest() -> None:
    doc = parse_document(sample("gateway_1760427207626_b.txt.edxml"))
    assert doc.sender.organ_id == "vxp.saas.03"
    assert doc.code_number == "GW-20251014073327634-773"
    assert doc.promulgation_date == date(2025, 10, 14)
    assert doc.subject == "1760427207626_b.txt"
    assert doc.trace == []
    assert [(a.name, a.content_type, a.data) for a in doc.attachments] == [
        ("1760427207626_b.txt", "text/plain", b"b")
    ]


def test_public_package_without_promulgation_date_is_refused() -> None:
    with pytest.raises(PackageError, match="PromulgationDate"):
        parse(sample("gateway_test_edxml_with_content.edxml"))


def test_vpcp_edoc_new_with_stray_bytes_before_the_declaration() -> None:
    data = sample("vpcp_sdk_edoc_new.excerpt.edxml")
    assert data.startswith(b"1212<?xml")
    doc = parse_document(data)
    assert doc.sender.organ_id == "002.00.20.H13"
    assert doc.sender.name == "UBND xã Hòa Tiến - UBND huyện Hòa Vang - Thành phố Đà Nẵng"
    assert doc.recipients[0].organ_id == "28.22.H17"
    assert doc.recipients[0].in_charge == "UBND xã Hòa Sơn - UBND huyện Hòa Vang - Thành phố Đà Nẵng"
    assert (doc.code_number, doc.code_notation) == ("74fass22", "VPCP-TTĐT")
    assert doc.promulgation_date == date(2019, 1, 16)
    assert doc.type_name == "Công văn"
    assert doc.to_places == ["Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP"]
    assert doc.trace == [("000.00.00.G22", datetime(2018, 9, 28, tzinfo=VN_TZ))]
    assert doc.has_xml_signature
    [attachment] = doc.attachments
    # The excerpt's attachment is a truncated zip: not an archive, so kept byte for byte.
    assert not attachment.zipped
    assert attachment.data.startswith(b"PK\x03\x04") and len(attachment.data) == 750


# --------------------------------------------------------------------------------------------
# Built samples (hand-written: no public status / recall / update / replace package exists)


def test_built_status_refused_with_reason() -> None:
    status = parse_status(sample("built_status_02_refused.edxml"))
    assert status.sender.organ_id == "000.02.00.H41"
    assert status.sender.name == "Ban Tổ chức Tỉnh ủy"
    assert status.status_code == "02"
    assert status.description == "Văn bản gửi nhầm nơi nhận, không thuộc thẩm quyền."
    assert status.response_for_organ_id == "000.00.00.H41"
    assert status.response_for_code == "125/CV-VPTU"
    assert status.response_for_date == date(2026, 3, 2)
    assert status.response_for_document_id == "000.00.00.H41,2026/03/02,125/CV-VPTU"
    assert status.timestamp == datetime(2026, 3, 2, 14, 5, 9, tzinfo=VN_TZ)
    assert status.staff == {
        "Department": "Văn phòng",
        "Staff": "Trần Thị Bình",
        "Mobile": "0912000002",
        "Email": "vanthu@btc.example.vn",
    }


def test_built_status_envelope_root_and_day_first_timestamp() -> None:
    status = parse_status(sample("built_status_15_dd_mm_yyyy.edxml"))
    assert status.status_code == "15"
    assert status.timestamp == datetime(2026, 3, 5, 9, 30, tzinfo=VN_TZ)
    assert status.staff == {"Department": "Văn phòng", "Staff": "Trần Thị Bình"}


@pytest.mark.parametrize(
    ("name", "kind", "reason"),
    [
        ("built_recall.edxml", BusinessKind.RECALL, "Thu hồi do gửi nhầm nơi nhận"),
        ("built_update.edxml", BusinessKind.UPDATE, "Cập nhật hạn xử lý"),
        ("built_replace.edxml", BusinessKind.REPLACE, "Thay thế văn bản có sai sót"),
    ],
)
def test_built_recall_update_replace(name: str, kind: BusinessKind, reason: str) -> None:
    doc = parse_document(sample(name))
    assert doc.business_kind is kind
    assert doc.business_reason == reason
    assert doc.replaces == ["000.00.00.H41,2026/03/02,125/CV-VPTU"]
    assert doc.priority == 1
    assert doc.staff == {"Department": "Văn phòng", "Staff": "Nguyễn Thị An"}
    if kind is BusinessKind.REPLACE:
        assert doc.code_number == "126"
        [attachment] = doc.attachments
        assert (attachment.name, attachment.data) == (
            "126-CV-VPTU.txt",
            "Nội dung văn bản thay thế.\n".encode(),
        )
        assert attachment.description == "Văn bản thay thế"


# --------------------------------------------------------------------------------------------
# Round trip

_xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")),
    max_size=40,
).map(str.strip)
_vietnamese = st.sampled_from(
    ["", "Tỉnh ủy Nghệ An", "Ban Tuyên giáo", "Đảng ủy Khối", "Văn phòng Thành ủy", "Nguyễn Thị Ngọc Trâm"]
)
_text = st.one_of(_vietnamese, _xml_text)
_organ_id = st.from_regex(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[GH][0-9]{2}", fullmatch=True)
_organs = st.builds(
    Organ,
    organ_id=_organ_id,
    name=_text,
    in_charge=_text,
    address=_text,
    email=_text,
    telephone=_text,
    fax=_text,
    website=_text,
)
_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))
_stamps = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(VN_TZ)
).map(lambda value: value.replace(microsecond=0))
_optional_int = st.one_of(st.none(), st.integers(min_value=0, max_value=9999))


@st.composite
def _attachments(draw: st.DrawFn) -> list[EdAttachment]:
    count = draw(st.integers(min_value=0, max_value=4))
    names = ["Quyết định số 12.pdf", "phu-luc.docx", "bảng kê.xlsx", "ảnh.png", "bien-ban.zip", "ghi chú.txt"]
    return [
        EdAttachment(
            name=draw(st.sampled_from(names)),
            content_type=draw(
                st.sampled_from(["application/pdf", "application/zip", "text/plain", "image/png"])
            ),
            data=draw(st.binary(max_size=300)),
            description=draw(_text),
            content_id=f"cid:{index}-{draw(st.uuids())}",
        )
        for index in range(count)
    ]


_staff = st.dictionaries(st.sampled_from(edxml.STAFF_KEYS), _text.filter(bool), max_size=4)
_responses = st.lists(
    st.builds(
        ResponseRef,
        organ_id=_organ_id,
        code=_text,
        promulgation_date=st.one_of(st.none(), _days),
        document_id=_text,
    ),
    max_size=2,
)

_documents = st.builds(
    EdDocument,
    sender=_organs,
    recipients=st.lists(_organs, min_size=1, max_size=3),
    document_id=st.one_of(st.just(""), _text.filter(bool)),
    code_number=st.from_regex(r"[0-9]{1,5}", fullmatch=True),
    code_notation=st.sampled_from(["", "CV-VPTU", "QĐ-TU", "BC/BTC", "TB-ĐU"]),
    place=_text,
    promulgation_date=_days,
    type_code=st.sampled_from(["", "1", "18", "7"]),
    type_detail=st.sampled_from(["", "0", "2"]),
    type_name=_text,
    subject=_text.filter(bool),
    content=_text,
    signer_competence=_text,
    signer_position=_text,
    signer_name=_text,
    due_date=st.one_of(st.none(), _days),
    to_places=st.lists(_text.filter(bool), max_size=3),
    priority=st.integers(min_value=0, max_value=4),
    sphere=_text,
    typer_notation=_text,
    promulgation_amount=_optional_int,
    page_amount=_optional_int,
    steering_type=st.one_of(st.none(), st.integers(min_value=0, max_value=2)),
    business_kind=st.sampled_from(BusinessKind),
    business_reason=_text,
    paper=st.booleans(),
    replaces=st.lists(_text.filter(bool), max_size=2),
    staff=_staff,
    trace=st.lists(st.tuples(_organ_id, _stamps), max_size=3),
    attachments=_attachments(),
    has_xml_signature=st.just(False),
    appendixes=st.lists(_text.filter(bool), max_size=2),
    response_for=_responses.map(lambda refs: [ref for ref in refs if ref != ResponseRef()]),
    business_document_id=st.one_of(st.just(""), _text.filter(bool)),
)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(doc=_documents)
def test_document_round_trip_is_exact(doc: EdDocument) -> None:
    if doc.business_document_id == doc.document_id:
        doc.business_document_id = ""
    parsed = parse_document(build_document(doc))
    expected_id = doc.document_id or edxml.derive_document_id(
        doc.sender.organ_id, doc.promulgation_date, doc.code_number, doc.code_notation
    )
    assert parsed.document_id == expected_id
    parsed.document_id = doc.document_id
    if parsed.business_document_id == "" and doc.business_document_id == expected_id:
        parsed.business_document_id = doc.business_document_id
    assert parsed == doc
    for built, read in zip(doc.attachments, parsed.attachments, strict=True):
        assert read.data == built.data  # every byte


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    sender=_organs,
    code=st.sampled_from(sorted(edxml.STATUS_CODES)),
    description=_text.filter(bool),
    response=st.tuples(_organ_id, _text, st.one_of(st.none(), _days), _text.filter(bool)),
    timestamp=_stamps,
    staff=_staff,
)
def test_status_round_trip_is_exact(
    sender: Organ,
    code: str,
    description: str,
    response: tuple[str, str, date | None, str],
    timestamp: datetime,
    staff: dict[str, str],
) -> None:
    status = EdStatus(
        sender=sender,
        response_for_organ_id=response[0],
        response_for_code=response[1],
        response_for_date=response[2],
        response_for_document_id=response[3],
        status_code=code,
        description=description,
        timestamp=timestamp,
        staff=staff,
    )
    assert parse(build_status(status)) == status


def test_round_trip_with_every_optional_field_empty() -> None:
    doc = minimal_document(document_id="000.00.00.H41,2026/03/02,125/CV-VPTU")
    data = build_document(doc)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert parse(data) == doc


def test_document_id_is_derived_when_empty() -> None:
    doc = parse_document(build_document(minimal_document()))
    assert doc.document_id == "000.00.00.H41,2026/03/02,125/CV-VPTU"


def test_aware_timestamps_are_written_in_vietnam_time() -> None:
    stamp = datetime(2026, 3, 2, 1, 0, 0, tzinfo=UTC)
    data = build_document(minimal_document(trace=[("000.00.00.H41", stamp)]))
    assert b"<edXML:Timestamp>2026/03/02 08:00:00</edXML:Timestamp>" in data
    [(organ_id, read)] = parse_document(data).trace
    assert read == stamp and read.utcoffset() == timedelta(hours=7)


def test_builder_writes_manifest_and_attachments_that_match() -> None:
    files = [
        EdAttachment("Tờ trình.pdf", "application/pdf", b"%PDF-1.7\n\x00\xff", "Tờ trình"),
        EdAttachment(
            "dự thảo.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"x"
        ),
    ]
    data = build_document(minimal_document(attachments=files))
    assert data.count(b"<edXML:Reference>") == 2
    assert data.count(b"<Attachment>") == 2
    parsed = parse_document(data)
    assert [(a.name, a.content_type, a.data, a.description) for a in parsed.attachments] == [
        (a.name, a.content_type, a.data, a.description) for a in files
    ]
    ids = [a.content_id for a in parsed.attachments]
    assert all(content_id.startswith("cid:") for content_id in ids) and len(set(ids)) == 2


def test_attachment_larger_than_libxml2_text_cap() -> None:
    big = random.Random(7).randbytes(8_000_000)  # base64 > 10 MB: one text node over the cap
    doc = minimal_document(attachments=[EdAttachment("scan.pdf", "application/pdf", big, content_id="cid:1")])
    [read] = parse_document(build_document(doc)).attachments
    assert read.data == big


# --------------------------------------------------------------------------------------------
# The one-file zip wrapper


def _one_file_zip(member: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, content)
    return buffer.getvalue()


def test_data_that_looks_like_a_wrapper_still_round_trips() -> None:
    tricky = _one_file_zip("inner.pdf", b"%PDF-1.4 inner")
    doc = minimal_document(
        attachments=[EdAttachment("CV.pdf", "application/pdf", tricky, content_id="cid:1")]
    )
    [read] = parse_document(build_document(doc)).attachments
    assert read.data == tricky  # wrapped once more by the builder, unwrapped once by the parser


def test_zip_attachments_like_the_sdk() -> None:
    files = [
        EdAttachment("CV.pdf", "application/pdf", b"%PDF-1.4 a", content_id="cid:a"),
        EdAttachment("hồ sơ.zip", "application/zip", _one_file_zip("x.zip", b"y"), content_id="cid:b"),
    ]
    data = build_document(minimal_document(attachments=files), zip_attachments=True)
    parsed = parse_document(data)
    assert [(a.data, a.content_type, a.zipped) for a in parsed.attachments] == [
        (b"%PDF-1.4 a", "application/pdf", True),
        (files[1].data, "application/zip", False),  # a .zip is never unwrapped
    ]


def test_zip_with_two_files_or_another_extension_is_kept() -> None:
    two = io.BytesIO()
    with zipfile.ZipFile(two, "w") as archive:
        archive.writestr("a.pdf", b"1")
        archive.writestr("b.pdf", b"2")
    other = _one_file_zip("a.doc", b"1")
    for data in (two.getvalue(), other):
        package = build_document(
            minimal_document(attachments=[EdAttachment("x.pdf", "application/zip", data)])
        )
        [read] = parse_document(package).attachments
        assert read.data == data and not read.zipped


def test_unwrapped_file_over_the_limit_is_refused() -> None:
    bomb = _one_file_zip("a.txt", b"0" * 200_000)
    package = build_document(minimal_document(attachments=[EdAttachment("a.txt", "text/plain", b"x")]))
    package = package.replace(base64.b64encode(b"x"), base64.b64encode(bomb))
    with pytest.raises(PackageError, match="giải nén"):
        parse(package, max_bytes=100_000)


# --------------------------------------------------------------------------------------------
# Malformed input

_GOOD = build_document(
    minimal_document(
        attachments=[EdAttachment("a.pdf", "application/pdf", b"%PDF-1.4 abc", content_id="cid:a")]
    )
)

_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol3;</edXML>"""

_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Subject>&x;</Subject></edXML>"""

_OLD_NAMESPACE = b"""<?xml version="1.0" encoding="UTF-8"?>
<EdXMLEnvelope xmlns="http://www.go.vn/eDoc"><EdXMLHeader/></EdXMLEnvelope>"""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "rỗng"),
        (b"hello, not xml", "không phải XML"),
        (_GOOD[: len(_GOOD) // 2], "không phải XML"),
        (_BOMB, "DOCTYPE"),
        (_XXE, "DOCTYPE"),
        (_OLD_NAMESPACE, "http://www.go.vn/eDoc"),
        (b"<a/>", "phần tử gốc"),
        (_GOOD.replace("<edXML:Subject>V/v chuẩn bị hội nghị</edXML:Subject>".encode(), b""), "Subject"),
        (_GOOD.replace(base64.b64encode(b"%PDF-1.4 abc"), b"%%not*base64%%"), "base64"),
        (
            _GOOD.replace(b"2026/03/02</edXML:PromulgationDate>", b"02/03/2026</edXML:PromulgationDate>"),
            "yyyy/MM/dd",
        ),
        (
            _GOOD.replace(b"2026/03/02</edXML:PromulgationDate>", b"2026/02/30</edXML:PromulgationDate>"),
            "không có thật",
        ),
        (_GOOD.replace(b"<edXML:OrganId>000.00.00.H41</edXML:OrganId>", b""), "From"),
        (
            _GOOD.replace(b"<AttachmentEncoded>", b"<Other>").replace(b"</AttachmentEncoded>", b"</Other>"),
            "edXMLManifest",
        ),
        (_GOOD.replace(b"<ContentId>cid:a</ContentId>", b"<ContentId>cid:b</ContentId>"), "edXMLManifest"),
        (_GOOD.replace(b"<edXML:BussinessDocType>0", b"<edXML:BussinessDocType>7"), "BussinessDocType"),
        (_GOOD.replace(b"<edXML:Priority>0", "<edXML:Priority>khẩn".encode()), "Priority"),
    ],
)
def test_malformed_packages_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    assert data != _GOOD
    with pytest.raises(PackageError) as refused:
        parse(data)
    assert reason in str(refused.value)


def test_missing_recipient_and_code_are_refused() -> None:
    start, end = _GOOD.index(b"<edXML:To>"), _GOOD.index(b"</edXML:To>") + len(b"</edXML:To>")
    with pytest.raises(PackageError, match="To"):
        parse(_GOOD[:start] + _GOOD[end:])
    start, end = _GOOD.index(b"<edXML:Code>"), _GOOD.index(b"</edXML:Code>") + len(b"</edXML:Code>")
    with pytest.raises(PackageError, match="Code"):
        parse(_GOOD[:start] + _GOOD[end:])


def test_status_without_code_or_response_or_with_unknown_code_is_refused() -> None:
    good = sample("built_status_02_refused.edxml")
    with pytest.raises(PackageError, match="StatusCode"):
        parse(good.replace(b"<edXML:StatusCode>02</edXML:StatusCode>", b""))
    with pytest.raises(PackageError, match="StatusCode"):
        parse(good.replace(b"<edXML:StatusCode>02<", b"<edXML:StatusCode>99<"))
    start = good.index(b"<edXML:ResponseFor>")
    end = good.index(b"</edXML:ResponseFor>") + len(b"</edXML:ResponseFor>")
    with pytest.raises(PackageError, match="ResponseFor"):
        parse(good[:start] + good[end:])


def test_size_limit() -> None:
    assert isinstance(parse(_GOOD, max_bytes=len(_GOOD)), EdDocument)
    with pytest.raises(PackageError, match="giới hạn"):
        parse(_GOOD, max_bytes=len(_GOOD) - 1)


def test_random_and_mutated_input_raise_only_package_error() -> None:
    rng = random.Random(20260308)
    seeds = [_GOOD, sample("vpcp_sdk_xml_852e179c.edxml"), sample("built_status_02_refused.edxml")]
    accepted = refused = 0
    for index in range(200):
        if index % 4 == 0:
            data = rng.randbytes(rng.randrange(0, 400))
        else:
            data = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 6)):
                position = rng.randrange(len(data))
                action = rng.randrange(4)
                if action == 0:
                    data[position] = rng.randrange(256)
                elif action == 1:
                    del data[position : position + rng.randrange(1, 50)]
                elif action == 2:
                    data[position:position] = rng.choice([b"<", b">", b"&", b"]]>", b"\x00", b"<!DOCTYPE x>"])
                else:
                    data = data[:position]
                if not data:
                    break
            data = bytes(data)
        try:
            parse(data)
            accepted += 1
        except PackageError as exc:
            assert str(exc)
            refused += 1
    assert accepted + refused == 200 and refused > 100


# --------------------------------------------------------------------------------------------
# Builder refusals


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"subject": " "}, "Subject"),
        ({"recipients": []}, "To"),
        ({"code_number": "", "code_notation": ""}, "Code"),
        ({"promulgation_date": None}, "PromulgationDate"),
        ({"sender": Organ("")}, "OrganId"),
        ({"sender": Organ("x" * 36)}, "35"),
        ({"priority": 9}, "Priority"),
        ({"subject": "bad \x01 char"}, "ký tự"),
        ({"staff": {"Phone": "1"}}, "StaffInfo"),
    ],
)
def test_builder_refuses_what_cannot_be_sent(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(PackageError, match=reason):
        build_document(minimal_document(**changes))


def test_status_builder_refusals() -> None:
    status = EdStatus(Organ("000.02.00.H41"), "000.00.00.H41", "125/CV-VPTU", date(2026, 3, 2), "x", "02")
    with pytest.raises(PackageError, match="lý do"):
        build_status(status)
    status.status_code = "07"
    with pytest.raises(PackageError, match="StatusCode"):
        build_status(status)


# --------------------------------------------------------------------------------------------
# XML signature


@pytest.fixture(scope="module")
def signer() -> tuple[bytes, bytes, bytes]:
    ca = make_ca("CA Thử nghiệm edXML")
    key, certificate, _ = pkcs12.load_key_and_certificates(
        make_leaf(ca, "Văn phòng Tỉnh ủy", seal=True), b"1234"
    )
    assert key is not None and certificate is not None
    key_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    return key_pem, certificate.public_bytes(Encoding.PEM), ca.pem


def test_sign_and_verify(signer: tuple[bytes, bytes, bytes]) -> None:
    key_pem, cert_pem, root_pem = signer
    signed = sign_xml(_GOOD, key_pem, cert_pem)
    doc = parse_document(signed)
    assert doc.has_xml_signature
    assert doc.subject == "V/v chuẩn bị hội nghị"
    assert doc.attachments[0].data == b"%PDF-1.4 abc"
    valid, subject = verify_xml(signed, [root_pem])
    assert valid, subject
    assert "Văn phòng Tỉnh ủy" in subject
    # The signature sits in edXMLHeader and references the whole document.
    header_end = signed.index(b"</edXML:edXMLHeader>")
    assert signed.index(b"<ds:Signature") < header_end
    assert b'URI=""' in signed


def test_verify_refuses_tampering_unknown_roots_and_missing_signatures(
    signer: tuple[bytes, bytes, bytes],
) -> None:
    key_pem, cert_pem, root_pem = signer
    signed = sign_xml(_GOOD, key_pem, cert_pem)
    tampered = signed.replace(base64.b64encode(b"%PDF-1.4 abc"), base64.b64encode(b"%PDF-1.4 abd"))
    assert tampered != signed
    assert verify_xml(tampered, [root_pem])[0] is False
    assert verify_xml(signed, [make_ca("CA khác").pem])[0] is False
    assert verify_xml(signed, []) == (False, "Chưa có chứng thư gốc tin cậy để kiểm tra chữ ký.")
    assert verify_xml(_GOOD, [root_pem]) == (False, "Gói tin không có chữ ký số XML.")
    # The public samples' <Signature> is in the edXML namespace (no xmldsig xmlns): not checkable.
    valid, reason = verify_xml(sample("vpcp_sdk_xml_852e179c.edxml"), [root_pem])
    assert not valid and "XML-DSig" in reason
    assert verify_xml(b"not xml", [root_pem])[0] is False
    with pytest.raises(PackageError, match="đã có chữ ký"):
        sign_xml(signed, key_pem, cert_pem)
