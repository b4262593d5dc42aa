from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from vanphong.orgs.models import (
    Classification,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    Position,
    Role,
    RoleAssignment,
    Unit,
)

TEST_PASSWORD = "Mat-khau-thu-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrgLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgLevel
        django_get_or_create = ("code",)

    code = "tinh"
    name = "Cấp tỉnh"
    rank = 10


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Đảng ủy xã Số {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    abbreviation = "ĐU"
    kind = OrgKind.COMMITTEE
    level = factory.SubFactory(OrgLevelFactory)
    hosted = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Phòng {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("name",)

    name = "Chuyên viên"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    clearance = Classification.NONE


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    organization = factory.LazyAttribute(lambda o: o.person.organization)
    role = Role.CHUYEN_VIEN


def make_actor(
    username: str,
    organization: Organization,
    role: str,
    *,
    clearance: int = Classification.NONE,
    full_name: str | None = None,
    works_in: Organization | None = None,
) -> Person:
    """A person with an account and one role held in ``organization``."""
    person = PersonFactory(
        full_name=full_name or username,
        organization=works_in or organization,
        user=UserFactory(username=username),
        clearance=clearance,
    )
    RoleAssignmentFactory(person=person, organization=organization, role=role)
    return person
