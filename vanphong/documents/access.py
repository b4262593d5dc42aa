"""Who may see a document and its register entries: the organisational access layer
(``vanphong.orgs.access``) plus the need-to-know rule for classified documents.

* Unclassified: anyone with READ in an organisation holding the entry, or in an
  organisation (or the organisation of a unit) assigned to act on it, the people of a unit
  assigned to it, or a person named on it.
* Classified (Mật and above): only the keepers of their classified books (the classified
  clerk where one is appointed, else the văn thư) and the leaders (DIRECT) of those
  organisations, the people assigned to it, and people granted reading by name —
  and for everyone, never above their own clearance.

Everything is a ``Q`` on the database, so lists stay filtered in SQL.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from vanphong.documents.models import Assignment, Document, ReaderGrant, RegisterEntry, ReviewStep
from vanphong.orgs.access import AccessScope, Capability, scope_for
from vanphong.orgs.actors import Actor


def _keeper_q(scope: AccessScope, prefix: str) -> Q:
    return scope.classified_keeper_q(prefix=prefix)


def entry_visibility_q(user: Actor | None) -> Q:
    """A Q on RegisterEntry."""
    scope = scope_for(user)
    if scope.person_id is None:
        return Q(pk__in=[])
    me = scope.person_id
    named = Exists(Assignment.objects.filter(entry=OuterRef("pk"), person_id=me)) | Exists(
        ReaderGrant.objects.filter(document=OuterRef("document"), person_id=me)
    )
    # Assigned to an organisation, or to a unit of one, that the reader reads (or keeps).
    assigned = Assignment.objects.filter(entry=OuterRef("pk"))
    assigned_org_read = Exists(
        assigned.filter(
            scope.org_q(Capability.READ, prefix="organization__")
            | scope.org_q(Capability.READ, prefix="unit__organization__")
        )
    )
    assigned_org_keeper = Exists(
        assigned.filter(_keeper_q(scope, "organization__") | _keeper_q(scope, "unit__organization__"))
    )
    # Assigned to the reader's own unit: its people read it (unclassified only; a classified
    # one goes to the people named on it and the keepers).
    my_unit = Exists(assigned.filter(unit__people__pk=me))
    unclassified = Q(classification=0) & (
        scope.org_q(Capability.READ, prefix="organization__") | assigned_org_read | my_unit | named
    )
    classified = Q(classification__gt=0) & (_keeper_q(scope, "organization__") | assigned_org_keeper | named)
    return (unclassified | classified) & Q(classification__lte=scope.clearance)


def entries_visible_to(
    user: Actor | None, queryset: QuerySet[RegisterEntry] | None = None
) -> QuerySet[RegisterEntry]:
    qs = RegisterEntry.objects.all() if queryset is None else queryset
    return qs.filter(entry_visibility_q(user))


def document_visibility_q(user: Actor | None) -> Q:
    """A Q on Document: visible through one of its entries, or — for drafts, which have no
    entry yet — through the owning organisation, or to the people named on it."""
    scope = scope_for(user)
    if scope.person_id is None:
        return Q(pk__in=[])
    me = scope.person_id
    through_entry = Exists(
        RegisterEntry.objects.filter(document=OuterRef("pk")).filter(entry_visibility_q(user))
    )
    named = (
        Q(created_by_id=me)
        | Exists(ReviewStep.objects.filter(document=OuterRef("pk"), reviewer_id=me))
        | Exists(ReaderGrant.objects.filter(document=OuterRef("pk"), person_id=me))
    )
    owned = (Q(classification=0) & scope.org_q(Capability.READ, prefix="organization__")) | (
        Q(classification__gt=0) & _keeper_q(scope, "organization__")
    )
    return (through_entry | owned | named) & Q(classification__lte=scope.clearance)


def documents_visible_to(
    user: Actor | None, queryset: QuerySet[Document] | None = None
) -> QuerySet[Document]:
    qs = Document.objects.all() if queryset is None else queryset
    return qs.filter(document_visibility_q(user))


def get_document_for_user(user: Actor, pk: Any, queryset: QuerySet[Document] | None = None) -> Document:
    try:
        return documents_visible_to(user, queryset).get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_entry_for_user(
    user: Actor, pk: Any, queryset: QuerySet[RegisterEntry] | None = None
) -> RegisterEntry:
    try:
        return entries_visible_to(user, queryset).get(pk=pk)
    except (RegisterEntry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


M = TypeVar("M", bound=Model)


def one_or_404(restricted: QuerySet[M], pk: Any) -> M:
    """One record of a queryset this module has already restricted to the reader (a
    selector's detail queryset: ``incoming_detail``, ``outgoing_detail``), or 404. The
    predicate is not added a second time: PostgreSQL spent longer planning the doubled
    one than running it (docs/performance.md)."""
    try:
        return restricted.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
