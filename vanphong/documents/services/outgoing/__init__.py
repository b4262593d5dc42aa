"""The outgoing flow (văn bản đi): draft, versions and comments, the approval circuit,
issue with number and date, and delivery to the hosted recipients.

Every service checks the actor's right in the access layer, validates, changes the rows and
writes its audit entry inside one transaction. ``actor`` is the signed-in account (a
``User``); errors are ``PermissionDenied`` (no right) or ``ValidationError`` with Vietnamese
messages, keyed by field where a field is at fault.

The circuit (NĐ 30 Điều 10–13; FACTS §1.5): stages run in order, the steps of one stage in
parallel — the department's opinion, the Văn phòng's appraisal of content and of format —
and the last stage is the signer alone. A return sends the draft back to the drafter: the
next submission is a new round, and the decisions of earlier rounds stay as history.

Modules: ``signature`` (signing authority and the signature block), ``common`` (the checks
every step shares), ``drafts`` (draft, versions, comments), ``circuit`` (submission and
review), ``issue`` (number, date and delivery). Callers import the actions from here.
"""

from vanphong.documents.services.outgoing.circuit import (
    current_round,
    current_stage,
    outgoing_review_decide,
    outgoing_submit,
)
from vanphong.documents.services.outgoing.common import recipients_text
from vanphong.documents.services.outgoing.drafts import (
    COMMENTABLE_STATES,
    EDITABLE_STATES,
    outgoing_comment_add,
    outgoing_draft_create,
    outgoing_version_add,
)
from vanphong.documents.services.outgoing.issue import DELIVERY_CHANNEL, outgoing_entry, outgoing_issue
from vanphong.documents.services.outgoing.signature import (
    AUTHORITIES,
    AUTHORITY_CHOICES,
    COLLECTIVE_BY_KIND,
    HEAD_TITLE_BY_KIND,
    Authority,
    SignatureBlock,
    signature_block,
    signer_title,
    suggest_authority,
)

__all__ = [
    "AUTHORITIES",
    "AUTHORITY_CHOICES",
    "Authority",
    "COLLECTIVE_BY_KIND",
    "COMMENTABLE_STATES",
    "DELIVERY_CHANNEL",
    "EDITABLE_STATES",
    "HEAD_TITLE_BY_KIND",
    "SignatureBlock",
    "current_round",
    "current_stage",
    "outgoing_comment_add",
    "outgoing_draft_create",
    "outgoing_entry",
    "outgoing_issue",
    "outgoing_review_decide",
    "outgoing_submit",
    "outgoing_version_add",
    "recipients_text",
    "signature_block",
    "signer_title",
    "suggest_authority",
]
