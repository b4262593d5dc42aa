"""Register numbers: which series a document falls in, and taking the next number.

The rules are the register's data (``Register.reset``, ``per_type``, ``secret_series``):
NĐ 30 numbers per year with a separate series for secret documents; a Party committee
numbers each document type within its term with secret documents in the same series; a
congress uses one series for everything. ``take_number`` must run inside the transaction
that writes the entry: the counter row is locked until that transaction ends, so concurrent
registrations queue, and a rolled-back registration gives its number back.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.documents.models import NumberReset, Register, RegisterCounter, Term
from vanphong.orgs.models import Classification


def term_for(register: Register, on: dt.date) -> Term:
    """The committee term covering ``on``: the register's organisation's own, or that of the
    nearest committee above it (an agency numbers within its committee's term)."""
    org = register.organization
    candidates = [org.pk, *org.ancestors().values_list("pk", flat=True)]
    terms = Term.objects.filter(organization_id__in=candidates, starts_on__lte=on).select_related(
        "organization"
    )
    best = None
    for term in terms:
        if term.ends_on is not None and term.ends_on < on:
            continue
        if (
            best is None
            or term.organization.depth > best.organization.depth
            or (term.organization_id == best.organization_id and term.starts_on > best.starts_on)
        ):
            best = term
    if best is None:
        raise ValidationError(
            _(
                "Sổ “%(register)s” đánh số theo nhiệm kỳ nhưng chưa khai báo nhiệm kỳ nào "
                "bao gồm ngày %(date)s."
            )
            % {"register": register.name, "date": on.strftime("%d/%m/%Y")}
        )
    return best


def series_for(register: Register, *, doc_type: str, classification: int, on: dt.date) -> str:
    if register.reset == NumberReset.YEARLY:
        key = str(on.year)
    elif register.reset == NumberReset.TERM:
        key = f"t{term_for(register, on).pk}"
    else:
        key = "all"
    if register.per_type:
        if not doc_type:
            raise ValidationError(_("Sổ này đánh số theo loại văn bản: cần cho biết loại văn bản."))
        key += f"|{doc_type}"
    if register.secret_series and classification > Classification.NONE:
        key += "|M"
    return key


def take_number(
    *, register: Register, doc_type: str = "", classification: int = 0, on: dt.date
) -> tuple[str, int]:
    """Lock the series' counter, advance it and return ``(series, number)``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the transaction that writes the entry")
    series = series_for(register, doc_type=doc_type, classification=classification, on=on)
    counter, _created = RegisterCounter.objects.select_for_update().get_or_create(
        register=register, series=series
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return series, counter.last_number


def number_text(number: int) -> str:
    """Numbers below 10 are written with a leading zero (NĐ 30 PL I; Party practice alike)."""
    return f"{number:02d}"
