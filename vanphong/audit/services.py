"""Writing to the audit trail. Services call ``audit_record`` inside their own transaction,
so that the entry exists exactly when the change does."""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from vanphong.audit.actions import check_action
from vanphong.audit.context import RequestContext, current_request
from vanphong.audit.models import AuditChainHead, AuditEvent
from vanphong.audit.verify import ChainReport, verify_chain


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)  # floats do not survive every JSON column byte for byte
    if isinstance(value, dt.datetime):
        # One instant, one text: the same time read from the database (UTC) and from a form
        # (local time) must not show up as a change.
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo is not None else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)


def _clean_ip(value: str | None) -> str | None:
    """The address in the form both databases give back (PostgreSQL's ``inet`` rewrites
    IPv6 to its short form), so that the hash computed now matches the row read later.
    Anything that is not an address is dropped rather than failing the change it records."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip().split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` (foreign keys as ids), for before/after.
    Password hashes and other secrets are never copied into the trail."""
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"password", "digest"}:
            continue
        data[f.attname] = _jsonable(getattr(instance, f.attname))
    return data


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    target_repr: str = "",
    organization_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    actor_username: str = "",
    context: RequestContext | None = None,
) -> AuditEvent:
    """Append one entry to the chain.

    ``action`` is a stable dotted name (``person.create``, ``auth.login_failed``,
    ``document.view``) that the writing app declared in ``vanphong.audit.actions``; an
    undeclared name raises ``ValueError``. The client's address comes from the request in
    progress, if any.
    """
    check_action(action)
    ctx = context or current_request.get() or RequestContext()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_repr = target_repr or str(target)
        if organization_id is None:
            organization_id = getattr(target, "organization_id", None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=user,
            actor_username=(user.get_username() if user else actor_username)[:150],
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            target_repr=target_repr[:255],
            organization_id=organization_id,
            before=_jsonable(dict(before)) if before is not None else None,
            after=_jsonable(dict(after)) if after is not None else None,
            ip_address=_clean_ip(ctx.ip_address),
            user_agent=ctx.user_agent[:255],
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.last_seq, head.last_hash = event.seq, event.hash
        head.mac = head.compute_mac()
        head.save(update_fields=["last_seq", "last_hash", "mac"])
    return event


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, for a compact change entry."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_verification_record(*, actor: Any, report: ChainReport, alerted: bool | None = None) -> AuditEvent:
    """Append the outcome of a chain check as an ``audit.verify`` entry. ``alerted`` says
    whether administrators were e-mailed about a broken chain (the nightly job)."""
    after: dict[str, Any] = report.as_dict()
    if alerted is not None:
        after["alerted"] = alerted
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action="audit.verify",
            target_type="audit.auditevent",
            target_repr=report.summary(),
            after=after,
        )


def audit_chain_verify(*, actor: Any, batch_size: int = 5000) -> ChainReport:
    """Check the whole chain and record the outcome.

    The check only reads and may take minutes on a large trail, so it runs outside any
    transaction; the entry is then appended after it, linked to the head like any other.
    """
    report = verify_chain(batch_size=batch_size)
    audit_verification_record(actor=actor, report=report)
    return report
