import pytest
from django.core.exceptions import ValidationError

from vanphong.orgs.models import Organization
from vanphong.orgs.tests.factories import OrganizationFactory


def test_paths_follow_the_tree(province):
    assert province.commune_x.path.startswith(province.committee.path)
    assert province.committee.path.startswith(province.centre.path)
    assert province.commune_x.depth == 2
    assert set(Organization.objects.subtree_of(province.committee)) == {
        province.committee,
        province.office,
        province.commune_x,
        province.commune_y,
    }


def test_moving_an_organisation_carries_its_descendants(province):
    child = OrganizationFactory(name="Chi bộ Thôn 1", parent=province.commune_x)
    province.commune_x.parent = province.commune_y
    province.commune_x.save()
    child.refresh_from_db()
    assert child.path.startswith(province.commune_y.path)
    assert child.depth == 4


def test_an_organisation_cannot_move_under_its_own_descendant(province):
    province.committee.parent = province.commune_x
    with pytest.raises(ValidationError):
        province.committee.save()


def test_ancestors(province):
    assert list(province.commune_x.ancestors()) == [province.centre, province.committee]
