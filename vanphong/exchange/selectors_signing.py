"""Reads of the signing credentials: which a user may sign with, and which they may see on
the credentials page (their own, their organisations' seals as văn thư, and, for an
administrator, the personal ones of the organisations they administer)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from vanphong.exchange.models import CredentialKind, SigningCredential
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import Actor, person_of


def credentials_usable_by(user: Actor, *, organization_id: int | None = None) -> QuerySet[SigningCredential]:
    """Active, currently valid credentials ``user`` may sign with: their own personal ones
    and the seals of the organisations whose books they keep; of ``organization_id`` only
    when given."""
    person = person_of(user)
    if person is None:
        return SigningCredential.objects.none()
    now = timezone.now()
    seal_orgs = organizations_with(user, Capability.REGISTER).values("pk")
    queryset = SigningCredential.objects.filter(
        Q(kind=CredentialKind.PERSONAL, person=person)
        | Q(kind=CredentialKind.SEAL, organization__in=seal_orgs),
        active=True,
        not_before__lte=now,
        not_after__gte=now,
    )
    if organization_id is not None:
        queryset = queryset.filter(organization_id=organization_id)
    return queryset.select_related("organization", "person").order_by("kind", "-created_at")


def credentials_visible_to(user: Actor) -> QuerySet[SigningCredential]:
    """Every credential the credentials page lists for ``user``, active or not."""
    person = person_of(user)
    if person is None:
        return SigningCredential.objects.none()
    seal_orgs = organizations_with(user, Capability.REGISTER).values("pk")
    admin_orgs = organizations_with(user, Capability.MANAGE_PEOPLE).values("pk")
    return (
        SigningCredential.objects.filter(
            Q(person=person)
            | Q(kind=CredentialKind.SEAL, organization__in=seal_orgs)
            | Q(kind=CredentialKind.PERSONAL, organization__in=admin_orgs)
        )
        .select_related("organization", "person")
        .order_by("-active", "organization__name", "kind", "-created_at")
    )
