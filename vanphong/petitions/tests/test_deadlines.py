"""Deadlines per category on the office calendar: working days skip weekends, Tết, Giỗ Tổ,
30/4–1/5 and the office's own rows; calendar days end on the next working day."""

from __future__ import annotations

import datetime as dt

import pytest

from vanphong.petitions import deadlines
from vanphong.petitions.models import Kind
from vanphong.tasks.calendar import WorkCalendar

D = dt.date
CAL = WorkCalendar.of(computed=True)
# The public days off of 2026, written out here so that the 90-working-day rule is checked
# against a count made independently of WorkCalendar.
OFF_2026 = {
    D(2026, 1, 1),
    *(D(2026, 2, d) for d in range(16, 21)),  # Tết Bính Ngọ
    D(2026, 4, 26),
    D(2026, 4, 27),  # Giỗ Tổ (a Sunday) and the day in lieu
    D(2026, 4, 30),
    D(2026, 5, 1),
    D(2026, 9, 1),
    D(2026, 9, 2),
}


def naive_add_working_days(start: dt.date, count: int) -> dt.date:
    day = start
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in OFF_2026:
            count -= 1
    return day


def test_processing_of_a_complaint_is_ten_working_days_across_tet():
    # Friday 13/02/2026; Tết is 16–20/02: the ten working days are 23/02 … 06/03.
    assert deadlines.process_by(Kind.KHIEU_NAI, D(2026, 2, 13), CAL) == D(2026, 3, 6)
    # Without the holidays it would have been 27/02.
    assert deadlines.process_by(Kind.KHIEU_NAI, D(2026, 2, 13), WorkCalendar.of()) == D(2026, 2, 27)


def test_initial_handling_of_a_denunciation_is_seven_working_days():
    assert deadlines.process_by(Kind.TO_CAO, D(2026, 2, 13), CAL) == D(2026, 3, 3)
    assert deadlines.processing_rule(Kind.TO_CAO).count == deadlines.Count.WORKING


@pytest.mark.parametrize("kind", [Kind.KIEN_NGHI, Kind.PHAN_ANH])
def test_processing_across_30_4_and_1_5(kind):
    # Friday 24/04/2026: 27/04 (Giỗ Tổ in lieu), 30/04 and 01/05 are off.
    assert deadlines.process_by(kind, D(2026, 4, 24), CAL) == D(2026, 5, 13)


@pytest.mark.parametrize(
    ("complex_case", "remote", "expected"),
    [
        (False, False, D(2026, 5, 4)),  # 30 days: 01/05, a holiday, then the weekend
        (True, False, D(2026, 5, 18)),  # 45 days: Saturday 16/05
        (False, True, D(2026, 5, 18)),
        (True, True, D(2026, 6, 1)),  # 60 days: Sunday 31/05
    ],
)
def test_resolution_of_a_complaint_counts_calendar_days_from_acceptance(complex_case, remote, expected):
    got = deadlines.resolve_by(
        Kind.KHIEU_NAI,
        received=D(2026, 3, 20),
        accepted=D(2026, 4, 1),
        calendar=CAL,
        complex_case=complex_case,
        remote_area=remote,
    )
    assert got == expected


def test_resolution_of_a_denunciation_ending_in_tet_moves_past_it():
    got = deadlines.resolve_by(Kind.TO_CAO, received=D(2026, 1, 5), accepted=D(2026, 1, 16), calendar=CAL)
    assert got == D(2026, 2, 23)  # 15/02 is a Sunday, then Tết 16–20/02 and a weekend


def test_a_complex_denunciation_is_extended_at_most_twice_by_thirty_days():
    kwargs = {"received": D(2026, 1, 5), "accepted": D(2026, 1, 16), "calendar": CAL, "complex_case": True}
    assert deadlines.resolve_by(Kind.TO_CAO, extensions=1, **kwargs) == D(2026, 3, 17)
    assert deadlines.resolve_by(Kind.TO_CAO, extensions=2, **kwargs) == D(2026, 4, 16)
    with pytest.raises(ValueError):
        deadlines.resolve_by(Kind.TO_CAO, extensions=3, **kwargs)
    with pytest.raises(ValueError):  # not complex: no extension
        deadlines.resolve_by(
            Kind.TO_CAO, received=D(2026, 1, 5), accepted=D(2026, 1, 16), calendar=CAL, extensions=1
        )


def test_a_denunciation_against_a_party_member_is_ninety_working_days_from_receipt():
    got = deadlines.resolve_by(
        Kind.TO_CAO,
        received=D(2026, 1, 5),
        accepted=D(2026, 3, 2),  # acceptance does not move it
        calendar=CAL,
        against_party_member=True,
    )
    assert got == naive_add_working_days(D(2026, 1, 5), 90)
    assert got == D(2026, 5, 21)
    extended = deadlines.resolve_by(
        Kind.TO_CAO,
        received=D(2026, 1, 5),
        accepted=D(2026, 3, 2),
        calendar=CAL,
        against_party_member=True,
        extensions=1,
    )
    assert extended == naive_add_working_days(D(2026, 1, 5), 120)


@pytest.mark.parametrize("kind", [Kind.KIEN_NGHI, Kind.PHAN_ANH])
def test_petitions_and_feedback_have_no_resolution_deadline(kind):
    assert deadlines.resolve_by(kind, received=D(2026, 1, 5), accepted=D(2026, 1, 6), calendar=CAL) is None


def test_every_rule_names_its_source():
    rules = [*deadlines.PROCESSING.values(), *deadlines.COMPLAINT.values()]
    rules += [deadlines.DENUNCIATION, deadlines.DENUNCIATION_COMPLEX, deadlines.PARTY_DENUNCIATION]
    assert all(rule.source for rule in rules)
    assert set(deadlines.PROCESSING) == set(Kind.values)
