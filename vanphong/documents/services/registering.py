"""Entering a document in a register: the one place where register numbers are taken."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record
from vanphong.documents.models import Document, Register, RegisterEntry, RegisterKind
from vanphong.documents.numbering import take_number
from vanphong.orgs.access import scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Classification, Organization


def clearance_error(actor: Actor, classification: int, *, doing: str = "vào sổ") -> str | None:
    """The message refusing ``actor`` a document of ``classification`` above their own
    clearance (``doing`` names the act: "vào sổ", "soạn", "sao"), else None. Checked before
    anything is written: a document one may not read is not registered, drafted or copied."""
    clearance = scope_for(actor).clearance
    if classification <= clearance:
        return None
    if clearance <= Classification.NONE:
        return _("Bạn chưa được tiếp cận bí mật nhà nước nên không được %(doing)s văn bản mật.") % {
            "doing": doing
        }
    return _(
        "Bạn chỉ được tiếp cận bí mật đến độ “%(level)s” nên không được %(doing)s văn bản có độ mật cao hơn."
    ) % {
        "doing": doing,
        "level": Classification(clearance).label,
    }


def keeping_error(
    actor: Actor, organization: Organization, classification: int, *, doing: str = "vào sổ"
) -> str | None:
    """The message refusing ``actor`` a classified document of ``organization`` whose
    classified books they do not keep (the organisation has appointed a classified-documents
    clerk, văn thư mật, and ``actor`` is one of its ordinary văn thư), else None. Checked
    before anything is written, with ``clearance_error``."""
    if classification <= Classification.NONE or scope_for(actor).keeps_classified(organization):
        return None
    return _("Văn bản mật của %(org)s do văn thư mật (cơ yếu) %(doing)s; bạn không giữ sổ văn bản mật.") % {
        "org": organization.name,
        "doing": doing,
    }


def register_for(*, organization: Organization, kind: str, classification: int = 0) -> Register:
    """The register a document goes into: the organisation's classified register of that
    kind for a classified document when it keeps one, otherwise its ordinary one."""
    registers = Register.objects.filter(organization=organization, kind=kind, active=True).order_by(
        "order", "pk"
    )
    if classification > Classification.NONE:
        classified = registers.filter(classified=True).first()
        if classified is not None:
            return classified
    register = registers.filter(classified=False).first()
    if register is None:
        raise ValidationError(
            _("%(org)s chưa có %(kind)s đang sử dụng.")
            % {"org": organization.name, "kind": RegisterKind(kind).label.lower()}
        )
    return register


def registration_time(on: dt.date | None = None) -> dt.datetime:
    """The moment of a registration dated ``on``: now when ``on`` is today (or not given),
    else that day at the current time of day (an issue dated back)."""
    now = timezone.localtime()
    if on is None or on == now.date():
        return now
    return now.replace(year=on.year, month=on.month, day=on.day)


def entry_register(
    *,
    actor: Actor,
    register: Register,
    document: Document,
    on: dt.date | None = None,
    received_at: dt.datetime | None = None,
    channel: str = "",
    duplicate_of: RegisterEntry | None = None,
    source_entry: RegisterEntry | None = None,
    notes: str = "",
    copies_count: int | None = None,
) -> RegisterEntry:
    """Give ``document`` the next number of ``register`` and write the entry, in one
    transaction with its audit record.

    ``on`` is the date of registration (today by default; an outgoing document's issue
    date). The series follows that date — a yearly book restarts at 01 on 1 January of the
    date of registration, whatever the document's own or arrival date — and the entry's
    ``registered_at`` falls on that same date, so the book of year Y (printed by
    registration date) holds exactly the numbers of year Y's series."""
    registered_by = person_of(actor)
    with transaction.atomic():
        registered_at = registration_time(on)
        when = timezone.localdate(registered_at)
        series, number = take_number(
            register=register, doc_type=document.doc_type, classification=document.classification, on=when
        )
        entry = RegisterEntry.objects.create(
            register=register,
            organization_id=register.organization_id,
            document=document,
            series=series,
            number=number,
            classification=document.classification,
            received_at=received_at,
            registered_at=registered_at,
            registered_by=registered_by,
            channel=channel,
            duplicate_of=duplicate_of,
            source_entry=source_entry,
            notes=notes,
            copies_count=copies_count,
        )
        audit_record(
            actor=actor,
            action="document.register",
            target=entry,
            organization_id=register.organization_id,
            after={"register": register.pk, "series": series, "number": number, "document": document.pk},
            actor_username="" if registered_by else "system",
        )
    return entry


def registers_provision_defaults(
    *,
    organization: Organization,
    style: str = "party",
    term_name: str = "2025 - 2030",
    term_start: dt.date | None = None,
) -> list[Register]:
    """The books an office keeps by default, created when missing:

    * Sổ văn bản đến — numbered from 01 each year, all types in one series;
    * Sổ văn bản mật đến — classified arrivals in their own book;
    * Sổ văn bản đi — Party style: per document type within the committee's term, secret
      documents in the same series; state style: per year, secret documents in their own series;
    * Sổ văn bản sao and Sổ sao văn bản mật — copies, per year (copying a classified document
      is recorded in its own book).
    """
    from vanphong.documents.models import NumberReset, Style, Term

    party = style == Style.PARTY
    specs = [
        ("Sổ văn bản đến", RegisterKind.INCOMING, False, NumberReset.YEARLY, False, False),
        ("Sổ văn bản mật đến", RegisterKind.INCOMING, True, NumberReset.YEARLY, False, False),
        (
            "Sổ văn bản đi",
            RegisterKind.OUTGOING,
            False,
            NumberReset.TERM if party else NumberReset.YEARLY,
            party,
            not party,
        ),
        ("Sổ văn bản sao", RegisterKind.COPY, False, NumberReset.YEARLY, False, False),
        ("Sổ sao văn bản mật", RegisterKind.COPY, True, NumberReset.YEARLY, False, False),
    ]
    with transaction.atomic():
        if party and term_start is not None:
            Term.objects.get_or_create(
                organization=organization, name=term_name, defaults={"starts_on": term_start}
            )
        registers = []
        for order, (name, kind, classified, reset, per_type, secret_series) in enumerate(specs):
            register, _created = Register.objects.get_or_create(
                organization=organization,
                name=name,
                defaults={
                    "kind": kind,
                    "classified": classified,
                    "reset": reset,
                    "per_type": per_type,
                    "secret_series": secret_series,
                    "style": style,
                    "order": order,
                },
            )
            registers.append(register)
    return registers
