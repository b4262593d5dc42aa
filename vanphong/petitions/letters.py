"""The letter a handling decision produces (thông báo thụ lý; for a kiến nghị or phản ánh,
thông báo tiếp nhận, xem xét đơn; phiếu chuyển đơn, văn bản hướng dẫn, phiếu đề xuất lưu
đơn: one template each, ``LetterKind``), from a template the office may reword, as a .docx in
the Party's official layout (HD 36-HD/VPTW; FACTS §2.5) built with ``core.docx``.

A template is a title and a body with fields in braces, filled from the petition when the
letter is made. The fields (``PLACEHOLDERS``)::

    {so_don}              số đơn trong sổ ("12")
    {nam}                 năm của sổ ("2026")
    {ngay_nhan}           ngày nhận đơn ("13/02/2026")
    {loai_don}            loại đơn, chữ thường ("khiếu nại")
    {nguoi_gui}           người gửi, có cách xưng hô ("ông (bà) Nguyễn Văn An")
    {dia_chi}             địa chỉ người gửi
    {noi_dung}            nội dung tóm tắt của đơn, không có dấu chấm cuối
    {nguoi_bi_khieu_nai}  người, cơ quan bị khiếu nại, tố cáo
    {linh_vuc}            lĩnh vực
    {co_quan}             cơ quan tiếp nhận, xử lý đơn ("Tỉnh ủy Lâm Đồng")
    {co_quan_nhan}        cơ quan nhận đơn chuyển (khi chuyển đơn)
    {ly_do}               lý do, ghi chú xử lý
    {han_giai_quyet}      hạn giải quyết ("15/3/2026"; trống khi không có)
    {ngay}                ngày lập văn bản ("07/12/2026")

``{{`` and ``}}`` print a brace. A line of the body whose fields are all empty is left out
(a "Lý do: {ly_do}" line when no reason was given). A template naming any other field is
refused when saved, so a letter is never made with a hole in it.

The letter is issued by the committee's Văn phòng when the petition's organisation is a
committee with one (the office does the committee's paperwork: ARCHITECTURE.md, "The office
model"), else by the organisation itself; the header's names are ``orgs.naming``'s. The number
is left blank for the văn thư ("Số      -PC/VPTU"), as an unnumbered draft's
(``documents.docx_render.number_line``); the signature block carries the issuer's head's title
and no name, to be signed.

A letter transferring a denunciation never names the denouncer: the law asks that the name,
address and handwriting of the denouncer be removed from what is transferred (Luật Tố cáo
2018, Điều 47 — from memory, [U]).

This module is below ``services`` (which calls ``letter_produce`` inside ``petition_decide``'s
transaction): it must not import ``services``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from vanphong.audit.actions import register_actions
from vanphong.audit.services import audit_record
from vanphong.core.docx import (
    BODY_SIZE,
    add_line,
    new_page,
    to_bytes,
    write_addressees,
    write_closing,
    write_header,
)
from vanphong.core.textfold import fold
from vanphong.core.vndate import format_vn_date
from vanphong.documents.models.files import ExtractionState
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person, person_of
from vanphong.orgs.models import Organization, OrgKind
from vanphong.orgs.naming import header_names, issued_place
from vanphong.petitions.filestore import storing
from vanphong.petitions.models import (
    Action,
    Kind,
    LetterKind,
    LetterTemplate,
    Petition,
    Petitioner,
    PetitionFile,
    PetitionFileKind,
)
from vanphong.petitions.selectors import handler_q

register_actions({"petition.letter_template": _("Sửa mẫu văn bản xử lý đơn thư")})

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TITLE = 300
MAX_BODY = 10_000
UNKNOWN_KIND = "Loại văn bản không hợp lệ (accept, review, transfer, guide, file)."

PLACEHOLDERS: dict[str, str] = {
    "so_don": "Số đơn trong sổ (12)",
    "nam": "Năm của sổ đơn (2026)",
    "ngay_nhan": "Ngày nhận đơn (13/02/2026)",
    "loai_don": "Loại đơn, chữ thường (khiếu nại, tố cáo, kiến nghị, phản ánh)",
    "nguoi_gui": "Người gửi đơn, có cách xưng hô (ông (bà) Nguyễn Văn An)",
    "dia_chi": "Địa chỉ của người gửi đơn",
    "noi_dung": "Nội dung tóm tắt của đơn (không có dấu chấm cuối câu)",
    "nguoi_bi_khieu_nai": "Người, cơ quan bị khiếu nại, tố cáo",
    "linh_vuc": "Lĩnh vực",
    "co_quan": "Cơ quan tiếp nhận, xử lý đơn",
    "co_quan_nhan": "Cơ quan có thẩm quyền nhận đơn chuyển (khi chuyển đơn)",
    "ly_do": "Lý do, ghi chú xử lý",
    "han_giai_quyet": "Hạn giải quyết (khi thụ lý khiếu nại, tố cáo)",
    "ngay": "Ngày lập văn bản",
}


@dataclass(frozen=True)
class LetterDefault:
    title: str
    body: str
    file_label: str  # what the stored file is called, before folding to ASCII
    type_code: str  # the type in the number line ("Số      -PC/VPTU")


_ACCEPT_BODY = """\
{co_quan} nhận được đơn {loai_don} của {nguoi_gui}, địa chỉ: {dia_chi}; đơn nhận ngày {ngay_nhan}, \
vào sổ số {so_don}/{nam}, nội dung: {noi_dung}.
Người, cơ quan bị khiếu nại, tố cáo: {nguoi_bi_khieu_nai}.
Xét thấy đơn đủ điều kiện và thuộc thẩm quyền giải quyết, {co_quan} thông báo đã thụ lý đơn để \
giải quyết theo quy định của Đảng và pháp luật.
Thời hạn giải quyết: đến ngày {han_giai_quyet}.
Trong quá trình giải quyết, đề nghị ông (bà) phối hợp, cung cấp thông tin, tài liệu, chứng cứ \
liên quan khi cơ quan giải quyết yêu cầu.
{co_quan} thông báo để ông (bà) được biết."""

_REVIEW_BODY = """\
{co_quan} nhận được đơn {loai_don} của {nguoi_gui}, địa chỉ: {dia_chi}; đơn nhận ngày {ngay_nhan}, \
vào sổ số {so_don}/{nam}, nội dung: {noi_dung}.
{co_quan} đã tiếp nhận đơn và giao bộ phận chuyên môn xem xét, giải quyết theo quy định; kết quả \
xem xét sẽ được thông báo đến ông (bà).
{co_quan} thông báo để ông (bà) được biết."""

_TRANSFER_BODY = """\
{co_quan} nhận được đơn {loai_don} của {nguoi_gui}, địa chỉ: {dia_chi}; đơn nhận ngày {ngay_nhan}, \
vào sổ số {so_don}/{nam}, nội dung: {noi_dung}.
Người, cơ quan bị khiếu nại, tố cáo: {nguoi_bi_khieu_nai}.
Căn cứ quy định về tiếp nhận, xử lý đơn thư, nội dung đơn thuộc thẩm quyền xem xét, giải quyết \
của {co_quan_nhan}. {co_quan} chuyển đơn (kèm theo) đến {co_quan_nhan} để xem xét, giải quyết \
theo thẩm quyền, trả lời người gửi đơn và thông báo kết quả về {co_quan} theo quy định.
Ghi chú: {ly_do}"""

_GUIDE_BODY = """\
{co_quan} nhận được đơn {loai_don} của {nguoi_gui}, địa chỉ: {dia_chi}; đơn nhận ngày {ngay_nhan}, \
vào sổ số {so_don}/{nam}, nội dung: {noi_dung}.
Sau khi nghiên cứu, {co_quan} thấy nội dung đơn không thuộc thẩm quyền giải quyết của {co_quan}.
Hướng dẫn: {ly_do}
Đề nghị ông (bà) gửi đơn đến cơ quan, tổ chức có thẩm quyền để được xem xét, giải quyết theo \
quy định của pháp luật.
{co_quan} trả lời để ông (bà) được biết và thực hiện."""

_FILE_BODY = """\
Ngày {ngay_nhan}, {co_quan} nhận được đơn {loai_don} của {nguoi_gui}, địa chỉ: {dia_chi}; \
vào sổ số {so_don}/{nam}, nội dung: {noi_dung}.
Lĩnh vực: {linh_vuc}.
Người, cơ quan bị khiếu nại, tố cáo: {nguoi_bi_khieu_nai}.
Qua nghiên cứu, đơn không đủ điều kiện xử lý. Lý do: {ly_do}
Đề xuất lưu đơn, không xem xét, giải quyết theo quy định.
Kính trình lãnh đạo xem xét, cho ý kiến."""

# One default per letter an organisation may reword (``LetterKind``): one per handling
# decision, and the acceptance of a kiến nghị or phản ánh, which is not "thụ lý" (a term of the
# complaint and denunciation laws): it is received and looked into. The type codes are the
# Party's (FACTS §2.2: TB, CV; PC as NĐ 30's "phiếu chuyển"); a proposal to file is an internal
# paper, "PĐX" by the same pattern [U].
DEFAULTS: dict[str, LetterDefault] = {
    LetterKind.ACCEPT: LetterDefault(
        "Thông báo thụ lý đơn {loai_don}", _ACCEPT_BODY, "Thông báo thụ lý đơn", "TB"
    ),
    LetterKind.REVIEW: LetterDefault(
        "Thông báo tiếp nhận, xem xét đơn {loai_don}", _REVIEW_BODY, "Thông báo tiếp nhận đơn", "TB"
    ),
    LetterKind.TRANSFER: LetterDefault("Phiếu chuyển đơn", _TRANSFER_BODY, "Phiếu chuyển đơn", "PC"),
    LetterKind.GUIDE: LetterDefault(
        "Văn bản hướng dẫn người gửi đơn", _GUIDE_BODY, "Văn bản hướng dẫn", "CV"
    ),
    LetterKind.FILE: LetterDefault("Phiếu đề xuất lưu đơn", _FILE_BODY, "Phiếu đề xuất lưu đơn", "PĐX"),
}
REVIEW_DEFAULT = DEFAULTS[LetterKind.REVIEW]
REVIEW_KINDS = frozenset({Kind.KIEN_NGHI, Kind.PHAN_ANH})


def letter_kind(action: str, kind: str = "") -> LetterKind:
    """The letter a decision ``action`` on a petition of ``kind`` produces: an acceptance of a
    kiến nghị or phản ánh is a "review" letter, whatever the organisation's own "accept"
    template says."""
    if action == Action.ACCEPT and kind in REVIEW_KINDS:
        return LetterKind.REVIEW
    return LetterKind(action)


def default_for(action: str, kind: str = "") -> LetterDefault:
    return DEFAULTS[letter_kind(action, kind)]


# --- Templates -------------------------------------------------------------------------------


def _fields(text: str) -> list[tuple[str, str | None]]:
    """(literal text, field name or None) pieces of ``text``; ``ValueError`` on a lone brace."""
    return [(literal, name) for literal, name, _spec, _conv in string.Formatter().parse(text)]


def template_problems(text: str) -> list[str]:
    """What is wrong with the fields of ``text``, in Vietnamese (empty when nothing)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [
            "Dấu ngoặc nhọn không khớp: mỗi trường viết trong một cặp { }; "
            "muốn in dấu ngoặc nhọn thì viết {{ hoặc }}."
        ]
    unknown: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        whole = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        if (name not in PLACEHOLDERS or spec or conversion) and whole not in unknown:
            unknown.append(whole)
    if not unknown:
        return []
    shown = ", ".join("{" + u + "}" for u in unknown)
    allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    return [f"Không có trường {shown}; dùng được: {allowed}. Muốn in dấu ngoặc nhọn thì viết {{{{ hoặc }}}}."]


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its fields replaced by ``values`` (no format spec is ever applied: the
    values are printed as they are)."""
    return "".join(
        literal + (values.get(name, "") if name is not None else "") for literal, name in _fields(text)
    )


def fill_body(body: str, values: Mapping[str, str]) -> list[str]:
    """The body's lines, filled; a line whose fields are all empty is left out."""
    lines = []
    for line in body.splitlines():
        names = [name for _literal, name in _fields(line) if name is not None]
        if names and not any(values.get(name, "").strip() for name in names):
            continue
        filled = " ".join(fill(line, values).split())
        if filled:
            lines.append(filled)
    return lines


def template_of(organization: Organization, key: str) -> tuple[str, str]:
    """(title, body) of the letter ``key`` (a ``LetterKind``): ``organization``'s own wording,
    else the default."""
    row = LetterTemplate.objects.filter(organization=organization, action=key).first()
    if row is not None:
        return row.title, row.body
    default = DEFAULTS[LetterKind(key)]
    return default.title, default.body


def effective_template(organization: Organization, action: str, *, kind: str = "") -> tuple[str, str]:
    """(title, body) of the letter the decision ``action`` on a petition of ``kind`` produces
    (``letter_kind``): ``organization``'s own template of that letter, else its default. An
    organisation's "accept" wording never reaches a kiến nghị or phản ánh."""
    return template_of(organization, letter_kind(action, kind))


def _require_writer(actor: Actor, organization: Organization) -> None:
    if not can(actor, Capability.WRITE, organization):
        raise PermissionDenied("Bạn không có quyền sửa mẫu văn bản xử lý đơn của cơ quan này.")


def _stale(row: LetterTemplate | None) -> ValidationError:
    if row is None:
        who = "Mẫu này vừa được khôi phục về mẫu mặc định"
    else:
        by = f" bởi {row.updated_by.full_name}" if row.updated_by_id and row.updated_by else ""
        at = timezone.localtime(row.updated_at)
        who = f"Mẫu này vừa được sửa{by} lúc {at:%H:%M} ngày {at:%d/%m/%Y}"
    return ValidationError(
        {
            "version": [
                f"{who}, sau khi bạn mở trang. Chưa lưu: nội dung bạn nhập vẫn còn dưới đây; "
                "hãy so với mẫu hiện hành rồi bấm lưu lại nếu vẫn muốn thay."
            ]
        },
        code="stale",
    )


def _check_version(row: LetterTemplate | None, version: int | None) -> None:
    """``version`` is the one the editor started from (0: the default, no row yet)."""
    if version is None:
        return
    current = row.version if row is not None else 0
    if version != current:
        raise _stale(row)


def letter_template_save(
    *,
    actor: Actor,
    organization: Organization,
    action: str,
    title: str,
    body: str,
    version: int | None,
) -> LetterTemplate:
    """Save ``organization``'s wording of the letter ``action`` (a ``LetterKind``: a handling
    decision, or "review", the acceptance of a kiến nghị or phản ánh). ``version`` is the version
    the editor started from (0 when it was the default): refused when another editor saved
    or reset the template since (None: no check). Audited as ``petition.letter_template``."""
    _require_writer(actor, organization)
    person = acting_person(actor)
    errors: dict[str, list[str]] = {}
    if action not in LetterKind.values:
        errors["action"] = [UNKNOWN_KIND]
    title = " ".join((title or "").split())
    body = "\n".join(line.rstrip() for line in (body or "").strip().splitlines())
    if not title:
        errors["title"] = ["Hãy nhập tên văn bản."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Tên văn bản dài quá {MAX_TITLE} ký tự."]
    elif problems := template_problems(title):
        errors["title"] = problems
    if not body:
        errors["body"] = ["Hãy nhập nội dung mẫu."]
    elif len(body) > MAX_BODY:
        errors["body"] = [f"Nội dung mẫu dài quá {MAX_BODY} ký tự."]
    elif problems := template_problems(body):
        errors["body"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = (
            LetterTemplate.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(organization=organization, action=action)
            .first()
        )
        _check_version(row, version)
        before = {"title": row.title, "body": row.body, "version": row.version} if row else None
        if row is None:
            try:
                with transaction.atomic():  # two first saves at once: the second one is stale
                    row = LetterTemplate.objects.create(
                        organization=organization, action=action, title=title, body=body, updated_by=person
                    )
            except IntegrityError:
                raise _stale(
                    LetterTemplate.objects.filter(organization=organization, action=action).first()
                ) from None
        else:
            row.title, row.body, row.updated_by = title, body, person
            row.version += 1
            row.save()
        audit_record(
            actor=actor,
            action="petition.letter_template",
            target=row,
            organization_id=organization.pk,
            before=before,
            after={"action": action, "title": title, "body": body, "version": row.version},
        )
    return row


def letter_template_reset(
    *, actor: Actor, organization: Organization, action: str, version: int | None = None
) -> None:
    """Give ``organization`` the default letter of ``action`` again (its own wording is
    deleted), with the same version check as ``letter_template_save``. Audited."""
    _require_writer(actor, organization)
    acting_person(actor)
    if action not in LetterKind.values:
        raise ValidationError({"action": [UNKNOWN_KIND]})
    with transaction.atomic():
        row = (
            LetterTemplate.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(organization=organization, action=action)
            .first()
        )
        _check_version(row, version)
        if row is None:
            return
        audit_record(
            actor=actor,
            action="petition.letter_template",
            target=row,
            organization_id=organization.pk,
            before={"title": row.title, "body": row.body, "version": row.version},
            after={"action": action, "reset": True},
        )
        row.delete()


# --- The letter ------------------------------------------------------------------------------


def issuer_of(organization: Organization) -> Organization:
    """Who issues the letters of ``organization``'s petitions: a committee's Văn phòng (which
    does its paperwork) when it has an active one, else the organisation itself."""
    if organization.kind == OrgKind.COMMITTEE and organization.pk:
        office = (
            Organization.objects.filter(parent=organization, is_office=True, active=True)
            .order_by("order", "pk")
            .first()
        )
        if office is not None:
            return office
    return organization


def signature_lines(issuer: Organization) -> list[str]:
    """The signature block's lines above the (blank) name: the head of the issuing body."""
    if issuer.is_office:
        return ["CHÁNH VĂN PHÒNG"]
    if issuer.kind == OrgKind.COMMITTEE:
        return ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    name = fold(issuer.name)
    if name.startswith("uy ban kiem tra"):
        return ["CHỦ NHIỆM"]
    if name.startswith("ban "):
        return ["TRƯỞNG BAN"]
    return ["THỦ TRƯỞNG CƠ QUAN"]


def _petitioner_text(petitioners: Sequence[Petitioner]) -> str:
    names = [p.full_name for p in petitioners if p.full_name]
    if not names:
        return "người không ghi rõ họ tên (đơn nặc danh)"
    if len(names) == 1:
        return f"ông (bà) {names[0]}"
    return "các ông (bà) " + ", ".join(names[:-1]) + f" và {names[-1]}"


def values_for(petition: Petition, petitioners: Sequence[Petitioner], *, today: dt.date) -> dict[str, str]:
    """The fields of the letter of ``petition`` (see the module's docstring)."""
    masked = petition.kind == Kind.TO_CAO and petition.action == Action.TRANSFER
    address = next((p.address for p in petitioners if p.address), "")
    if masked:
        sender, address = "người tố cáo (họ tên được giữ bí mật theo quy định)", "được giữ bí mật"
    else:
        sender = _petitioner_text(petitioners)
        address = address or "không rõ"
    resolve_by = petition.resolve_by
    return {
        "so_don": str(petition.number),
        "nam": str(petition.year),
        "ngay_nhan": format_vn_date(petition.received_date),
        "loai_don": Kind(petition.kind).label.lower() if petition.kind in Kind.values else "",
        "nguoi_gui": sender,
        "dia_chi": address,
        # The templates put the full stop after it.
        "noi_dung": " ".join(petition.content.split()).rstrip(" .;,"),
        "nguoi_bi_khieu_nai": petition.respondent,
        "linh_vuc": petition.field,
        "co_quan": petition.organization.name,
        "co_quan_nhan": petition.to_organization.name if petition.to_organization else "",
        "ly_do": " ".join(petition.reason.split()),
        "han_giai_quyet": format_vn_date(resolve_by) if resolve_by else "",
        "ngay": format_vn_date(today),
    }


def _addressees(petition: Petition, petitioners: Sequence[Petitioner]) -> list[str]:
    if petition.action == Action.TRANSFER:
        return [petition.to_organization.name] if petition.to_organization else []
    if petition.action in (Action.ACCEPT, Action.GUIDE):
        return [f"Ông (bà) {p.full_name}" for p in petitioners if p.full_name]
    return []


def _recipients(petition: Petition, petitioners: Sequence[Petitioner], issuer: Organization) -> list[str]:
    keep = f"- Lưu {issuer.short_name or issuer.name}, hồ sơ đơn."
    if petition.action == Action.FILE:
        return ["- Lãnh đạo (để báo cáo),", keep]
    lines = ["- Như trên,"] if _addressees(petition, petitioners) else []
    return [*lines, keep]


def render_letter(
    petition: Petition,
    *,
    today: dt.date,
    petitioners: Iterable[Petitioner] | None = None,
    template: tuple[str, str] | None = None,
) -> bytes:
    """The .docx of the letter of ``petition``'s handling decision (``petition.action``), from
    its organisation's template (or ``template``, (title, body)). ``petitioners`` for a
    petition not saved (the preview); else they are read."""
    if petition.action not in Action.values:
        raise ValidationError({"action": ["Đơn chưa có hướng xử lý: chưa lập được văn bản."]})
    people = (
        list(petitioners) if petitioners is not None else list(petition.petitioners.order_by("order", "id"))
    )
    title, body = template or effective_template(petition.organization, petition.action, kind=petition.kind)
    values = values_for(petition, people, today=today)
    issuer = issuer_of(petition.organization)
    above, name = header_names(issuer)
    code = default_for(petition.action, petition.kind).type_code
    place = issued_place(issuer)
    date = format_vn_date(today, long=True)

    docx = new_page()
    write_header(
        docx,
        above=above,
        body=name,
        number=f"Số      -{code}/{issuer.abbreviation}",
        place_date=f"{place}, {date}" if place else date[0].upper() + date[1:],
        party=True,
        number_beside_date=True,
    )
    docx.add_paragraph()
    add_line(docx, fill(title, values).strip().upper(), 15, bold=True)
    add_line(docx, "-----", BODY_SIZE)
    addressees = _addressees(petition, people)
    if addressees:
        docx.add_paragraph()
        write_addressees(docx, addressees)
    docx.add_paragraph()
    for text in fill_body(body, values):
        paragraph = add_line(docx, text, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)
    docx.add_paragraph()
    write_closing(
        docx,
        recipients=_recipients(petition, people, issuer),
        signature_lines=signature_lines(issuer),
        signer_name="",
    )
    return to_bytes(docx)


def file_name(petition: Petition) -> str:
    """ "Phieu-chuyen-don-12-2026.docx": the letter's name in ASCII (accents folded)."""
    label = default_for(petition.action, petition.kind).file_label
    words = fold(label).split()
    stem = "-".join([words[0].capitalize(), *words[1:]]) if words else "Van-ban"
    return f"{stem}-{petition.number}-{petition.year}.docx"


def _may_produce(actor: Actor, petition: Petition) -> bool:
    """Those who write for the organisation, and its assigned handler while they still hold a
    role there (``selectors.handler_q``)."""
    organization = petition.organization
    if any(can(actor, c, organization) for c in (Capability.WRITE, Capability.REGISTER, Capability.DIRECT)):
        return True
    person = person_of(actor)
    return (
        person is not None
        and petition.handler_id == person.pk
        and Petition.objects.filter(handler_q(actor), pk=petition.pk).exists()
    )


def letter_produce(*, actor: Actor, petition: Petition, today: dt.date | None = None) -> PetitionFile:
    """Make the letter of ``petition``'s handling decision and keep it as a file of the
    petition (``kind=letter``). Works inside the caller's transaction (``petition_decide``
    calls it right after the decision): the bytes are stored, then the row written; if that
    fails, the stored bytes are deleted again."""
    if not _may_produce(actor, petition):
        raise PermissionDenied("Bạn không có quyền lập văn bản xử lý đơn thư của cơ quan này.")
    person = acting_person(actor)
    today = today or timezone.localdate()
    data = render_letter(petition, today=today)
    name = file_name(petition)
    record = PetitionFile(
        petition=petition,
        kind=PetitionFileKind.LETTER,
        action=petition.action,
        original_name=name,
        content_type=DOCX,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        extraction=ExtractionState.UNAVAILABLE,
        extraction_note="Văn bản do hệ thống lập, không cần trích xuất.",
        uploaded_by=person,
    )
    with storing() as stored, transaction.atomic():
        record.file.save(name, ContentFile(data), save=False)
        stored.append(record.file.name)
        record.save(force_insert=True)
    return record
