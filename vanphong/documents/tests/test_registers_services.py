import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import NumberReset, Register, RegisterKind, Term
from vanphong.documents.services import registers as services
from vanphong.documents.tests.factories import registered_entry
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor


@pytest.fixture
def office_chief(province):
    """A Chánh Văn phòng holding his role in the Tỉnh ủy itself (REGISTER + DIRECT there)."""
    return make_actor("cvp", province.committee, Role.LANH_DAO_VAN_PHONG, works_in=province.office)


def _create(actor, org, **overrides):
    values = {
        "kind": RegisterKind.INCOMING,
        "name": "Sổ văn bản đến của Hội nghị",
        "classified": False,
        "reset": NumberReset.NEVER,
        "per_type": False,
        "secret_series": False,
        "style": "party",
    }
    values.update(overrides)
    return services.register_create(actor=actor.user, organization=org, **values)


def _enter(register, actor, doc_type="CV"):
    return registered_entry(
        actor=actor.user, register=register, doc_type=doc_type, subject="Về việc thử", on=dt.date(2026, 3, 2)
    )


def test_chief_of_office_opens_a_register_and_it_is_audited(province, office_chief):
    register = _create(office_chief, province.committee)
    assert register.organization == province.committee and register.reset == NumberReset.NEVER
    event = AuditEvent.objects.get(action="register.create")
    assert event.target_id == str(register.pk) and event.organization_id == province.committee.pk
    assert event.after["name"] == "Sổ văn bản đến của Hội nghị"


def test_administrator_may_configure_registers_of_the_committees_below(province):
    register = _create(province.admin, province.commune_x)
    assert register.organization == province.commune_x


@pytest.mark.parametrize("actor_name", ["clerk", "leader", "specialist", "clerk_x"])
def test_clerks_leaders_and_specialists_cannot_configure_registers(province, actor_name):
    with pytest.raises(PermissionDenied):
        _create(getattr(province, actor_name), province.committee)
    assert not Register.objects.exists()


def test_chief_of_the_office_cannot_configure_the_committees_registers_from_the_office_alone(province):
    # The fixture's chief holds his role in the Văn phòng, not in the Tỉnh ủy.
    with pytest.raises(PermissionDenied):
        _create(province.chief, province.committee)
    assert _create(province.chief, province.office).organization == province.office


def test_register_names_are_unique_in_an_organisation(province, office_chief):
    _create(office_chief, province.committee)
    with pytest.raises(ValidationError) as exc:
        _create(office_chief, province.committee, name="sổ văn bản đến của hội nghị")
    assert "đã có sổ tên" in exc.value.message_dict["name"][0]


def test_a_classified_register_needs_no_secret_series(province, office_chief):
    with pytest.raises(ValidationError) as exc:
        _create(office_chief, province.committee, classified=True, secret_series=True)
    assert "secret_series" in exc.value.message_dict


def test_policy_of_an_empty_register_can_change(province, office_chief):
    register = _create(office_chief, province.committee)
    updated = services.register_update(
        actor=office_chief.user,
        register=register,
        name="Sổ đến Hội nghị",
        kind=RegisterKind.INCOMING,
        classified=False,
        reset=NumberReset.YEARLY,
        per_type=True,
        secret_series=False,
        style="party",
    )
    assert (updated.reset, updated.per_type, updated.name) == (NumberReset.YEARLY, True, "Sổ đến Hội nghị")
    event = AuditEvent.objects.get(action="register.update")
    assert event.before == {"name": "Sổ văn bản đến của Hội nghị", "reset": "never", "per_type": False}


def test_policy_of_a_register_with_entries_cannot_change(province, office_chief):
    register = _create(office_chief, province.committee)
    _enter(register, province.clerk)
    with pytest.raises(ValidationError) as exc:
        services.register_update(
            actor=office_chief.user,
            register=register,
            name=register.name,
            kind=register.kind,
            classified=False,
            reset=NumberReset.YEARLY,
            per_type=False,
            secret_series=False,
            style="party",
        )
    assert "mở một sổ mới" in exc.value.message_dict["reset"][0]
    register.refresh_from_db()
    assert register.reset == NumberReset.NEVER
    assert not AuditEvent.objects.filter(action="register.update").exists()


def test_a_register_with_entries_can_still_be_renamed(province, office_chief):
    register = _create(office_chief, province.committee)
    _enter(register, province.clerk)
    services.register_update(
        actor=office_chief.user,
        register=register,
        name="Sổ văn bản đến Đại hội",
        kind=register.kind,
        classified=False,
        reset=register.reset,
        per_type=False,
        secret_series=False,
        style="state",
    )
    register.refresh_from_db()
    assert (register.name, register.style) == ("Sổ văn bản đến Đại hội", "state")


def test_closing_a_register_stops_its_use_and_cannot_happen_twice(province, office_chief):
    register = _create(office_chief, province.committee)
    services.register_close(actor=office_chief.user, register=register)
    register.refresh_from_db()
    assert register.active is False
    assert AuditEvent.objects.filter(action="register.close", target_id=str(register.pk)).count() == 1
    with pytest.raises(ValidationError, match="đã được đóng"):
        services.register_close(actor=office_chief.user, register=register)


def test_a_new_term_closes_the_previous_one_the_day_before(province, office_chief):
    old = services.term_create(
        actor=office_chief.user,
        organization=province.committee,
        name="2020 - 2025",
        starts_on=dt.date(2020, 10, 15),
    )
    new = services.term_create(
        actor=office_chief.user,
        organization=province.committee,
        name="2025 - 2030",
        starts_on=dt.date(2025, 10, 1),
    )
    old.refresh_from_db()
    assert old.ends_on == dt.date(2025, 9, 30) and new.ends_on is None
    assert list(AuditEvent.objects.filter(action__startswith="term.").values_list("action", flat=True)) == [
        "term.create",
        "term.close",
        "term.create",
    ]


def test_terms_never_overlap(province, office_chief):
    services.term_create(
        actor=office_chief.user,
        organization=province.committee,
        name="2025 - 2030",
        starts_on=dt.date(2025, 10, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.term_create(
            actor=office_chief.user,
            organization=province.committee,
            name="2020 - 2025",
            starts_on=dt.date(2020, 10, 1),
        )
    assert "không được chồng lên nhau" in exc.value.message_dict["starts_on"][0]
    assert Term.objects.count() == 1


def test_a_new_term_cannot_start_before_numbers_already_given_in_the_old_one(province, office_chief, books):
    outgoing = books["committee"]["Sổ văn bản đi"]
    # Numbered today, in the term 2025 - 2030.
    registered_entry(actor=province.clerk.user, register=outgoing, doc_type="NQ", subject="Nghị quyết thử")
    with pytest.raises(ValidationError, match="sau ngày bắt đầu nhiệm kỳ mới"):
        services.term_create(
            actor=office_chief.user,
            organization=province.committee,
            name="2030 - 2035",
            starts_on=dt.date(2026, 1, 1),
        )


def test_opening_default_registers_for_a_party_office_declares_its_term(province, office_chief):
    registers = services.registers_open_defaults(
        actor=office_chief.user,
        organization=province.committee,
        style="party",
        term_name="2025 - 2030",
        term_start=dt.date(2025, 10, 1),
    )
    assert {r.name for r in registers} >= {"Sổ văn bản đến", "Sổ văn bản đi", "Sổ sao văn bản mật"}
    assert Term.objects.get(organization=province.committee).starts_on == dt.date(2025, 10, 1)
    event = AuditEvent.objects.get(action="register.open_defaults")
    assert len(event.after["created"]) == 5
    again = services.registers_open_defaults(
        actor=office_chief.user, organization=province.committee, style="party"
    )
    assert {r.pk for r in again} == {r.pk for r in registers}


def test_a_party_office_without_a_term_must_give_one_to_open_default_registers(province, office_chief):
    with pytest.raises(ValidationError) as exc:
        services.registers_open_defaults(
            actor=office_chief.user, organization=province.committee, style="party"
        )
    assert "nhiệm kỳ" in exc.value.message_dict["term_start"][0]
    assert not Register.objects.exists()


def test_policy_in_words(province, books):
    term = services.current_term(province.committee, dt.date(2026, 3, 1))
    outgoing = books["committee"]["Sổ văn bản đi"]
    assert services.policy_words(outgoing, term) == (
        "Đánh số theo từng loại văn bản trong nhiệm kỳ 2025 - 2030; văn bản mật chung dãy số"
    )
    incoming = books["committee"]["Sổ văn bản đến"]
    assert services.policy_words(incoming, term) == (
        "Một dãy số chung cho mọi loại văn bản, từ số 01 mỗi năm; văn bản mật chung dãy số"
    )
    # The office numbers within its committee's term.
    assert services.current_term(province.office, dt.date(2026, 3, 1)) == term


def test_classified_registers_are_listed_only_to_keepers_and_leaders(province, books):
    def names(person):
        return set(
            services.registers_visible_to(person.user)
            .filter(organization=province.committee)
            .values_list("name", flat=True)
        )

    assert "Sổ văn bản mật đến" in names(province.clerk)
    assert "Sổ văn bản mật đến" in names(province.leader)
    assert names(province.clerk_x) == set()
