"""Fixtures for the documents tests: the province's books, opened."""

from __future__ import annotations

import datetime as dt

import pytest

from vanphong.documents.services.registering import registers_provision_defaults


@pytest.fixture
def books(province):
    """Default registers for the Tỉnh ủy, its Văn phòng and both communes; the committees'
    term 2025 - 2030 starts on 01/10/2025 (communes: 01/08/2025)."""
    registers = {}
    for name, start in (
        ("committee", dt.date(2025, 10, 1)),
        ("office", None),
        ("commune_x", dt.date(2025, 8, 1)),
        ("commune_y", dt.date(2025, 8, 1)),
    ):
        org = getattr(province, name)
        registers[name] = {
            r.name: r for r in registers_provision_defaults(organization=org, term_start=start)
        }
    return registers


@pytest.fixture
def national(db):
    """The national bodies the migrations install (the suite's database has them taken out)."""
    from vanphong.orgs.models import Organization
    from vanphong.orgs.national import national_install

    national_install(Organization)
