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

from django.conf import settings
from django.core.cache import cache
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


# A reader whose own organisations hold at most this many entries has lists read from that
# side (``entry_reach``); ``VANPHONG_ENTRY_NARROW_LIMIT`` (0: never).
DEFAULT_ENTRY_NARROW_LIMIT = 20_000


def entry_reach(user: Actor | None) -> QuerySet[Any] | None:
    """The ids of every register entry ``user`` could possibly see: a SUPERSET of
    ``entry_visibility_q`` made of index lookups (entries of the reader's organisations,
    assignments to them, to their units, to the reader's unit or to the reader, and
    documents granted to the reader). It is only ever used together with the full rule,
    never instead of it: it cannot widen what anyone sees.

    None for a reader of a whole subtree, or whose organisations hold more than
    ``VANPHONG_ENTRY_NARROW_LIMIT`` entries: for them most entries are visible, and walking
    the list in its order with the rule on each row stops sooner than hashing the reach
    first (docs/performance.md, "The inbox"). Whether a reader is narrow is remembered for
    ten minutes; it chooses the plan, never the rows (the reach itself is read afresh)."""
    scope = scope_for(user)
    limit = getattr(settings, "VANPHONG_ENTRY_NARROW_LIMIT", DEFAULT_ENTRY_NARROW_LIMIT)
    if scope.person_id is None or not scope.grants or limit <= 0 or any(g.subtree for g in scope.grants):
        return None
    # Without a subtree grant, every organisation a rule names is one of the grants' own.
    org_ids = sorted({g.organization_id for g in scope.grants})
    key = f"vanphong:entries:narrow:{limit}:{','.join(map(str, org_ids))}"
    narrow = cache.get(key)
    if narrow is None:
        narrow = RegisterEntry.objects.filter(organization_id__in=org_ids)[: limit + 1].count() <= limit
        cache.set(key, narrow, 600)
    if not narrow:
        return None
    me = scope.person_id
    branches = [
        RegisterEntry.objects.filter(organization_id__in=org_ids).values("pk"),
        Assignment.objects.filter(organization_id__in=org_ids).values("entry_id"),
        Assignment.objects.filter(unit__organization_id__in=org_ids).values("entry_id"),
        Assignment.objects.filter(person_id=me).values("entry_id"),
        Assignment.objects.filter(unit__people__pk=me).values("entry_id"),
        RegisterEntry.objects.filter(document__reader_grants__person_id=me).values("pk"),
    ]
    # No ordering in the branches: the models' default orders would sort (and join) each one.
    plain = [branch.order_by() for branch in branches]
    return plain[0].union(*plain[1:], all=True)


def narrowed_entries(user: Actor | None, queryset: QuerySet[RegisterEntry]) -> QuerySet[RegisterEntry]:
    """``queryset`` (already restricted by ``entry_visibility_q``) intersected with the
    reader's ``entry_reach`` when the reader is narrow: a list and its count then start from
    the few hundred or thousand entries of a commune instead of testing the rule on every
    entry of the province."""
    reach = entry_reach(user)
    return queryset if reach is None else queryset.filter(pk__in=reach)


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
