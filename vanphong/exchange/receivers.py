"""What the exchange does when the documents app says something happened: an issued document
goes to its connected external recipients; a received package's sender hears where its
document stands here (received, refused, assigned, completed)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.dispatch import receiver

from vanphong.documents.signals import arrival_settled, document_issued, entry_progressed
from vanphong.exchange import services
from vanphong.exchange.models import StatusCode

logger = logging.getLogger(__name__)


@receiver(document_issued, dispatch_uid="exchange.document_issued")
def send_issued(sender: Any, document: Any, entry: Any, external: list[Any], **kwargs: Any) -> None:
    recipients = [r.organization for r in external]
    if not recipients or not any(services.peer_of(o) for o in recipients):
        return
    try:
        services.document_send(actor=None, document=document, recipients=recipients)
    except ValidationError as exc:  # not sendable: said on the panel; the issue stands
        # Not sendable (classified, no file yet): the issue stands; the document's exchange panel
        # says why it was not sent and the clerk sends it once it can be.
        logger.info(
            "document %s issued, not sent through the exchange: %s", document.pk, "; ".join(exc.messages)
        )


@receiver(arrival_settled, dispatch_uid="exchange.arrival_settled")
def answer_arrival(sender: Any, arrival: Any, entry: Any, reason: str = "", **kwargs: Any) -> None:
    inbound = services.inbound_for_arrival(arrival)
    if inbound is None:
        return
    if entry is not None:
        registrar = entry.registered_by
        services.status_queue(
            inbound=inbound, code=StatusCode.ACCEPTED, actor=registrar.user if registrar is not None else None
        )
    else:
        services.status_queue(
            inbound=inbound,
            code=StatusCode.REFUSED,
            description=reason.strip() or "Văn thư cơ quan nhận từ chối tiếp nhận văn bản.",
        )


@receiver(entry_progressed, dispatch_uid="exchange.entry_progressed")
def answer_progress(sender: Any, entry: Any, stage: str, **kwargs: Any) -> None:
    inbound = services.inbound_for_document(entry.document_id)
    if inbound is None or inbound.organization_id != entry.organization_id:
        return
    code = StatusCode.ASSIGNED if stage == "directed" else StatusCode.COMPLETED
    if not services.status_already_sent(inbound, code):
        services.status_queue(inbound=inbound, code=code)
