"""The demo province: Tỉnh ủy Lâm Đồng after the 2025 reorganisation (no district level),
its agencies, its subordinate Đảng ủy, the people who work there and their accounts.

Everything here is fixed data, so two runs build the same province. ``seed_demo`` writes it
in one transaction; ``login_rows`` / ``format_logins`` read the demo accounts back from the
database for the table printed by ``vanphong seed-demo`` and ``vanphong serve``.

Modules: ``province`` (the specifications), ``seed`` (writing them), ``logins``.
"""

from vanphong.demo.orgs.logins import (
    DEMO_SECOND_FACTOR_OFF,
    FEATURED_USERNAMES,
    LoginRow,
    demo_account_count,
    format_logins,
    login_rows,
    logins_text,
    summary,
)
from vanphong.demo.orgs.province import (
    COMMUNES,
    DEFAULT_PASSWORD,
    EMAIL_DOMAIN,
    LEVELS,
    MAX_SCALE,
    ORGANIZATIONS,
    PEOPLE,
    POSITIONS,
    QUOTA_DECISION,
    SEED_ACTOR,
    DemoDataExists,
    LevelSpec,
    OrgSpec,
    PersonSpec,
    UnitSpec,
    place_slug,
)
from vanphong.demo.orgs.seed import SeedResult, seed_demo

__all__ = [
    "COMMUNES",
    "DEFAULT_PASSWORD",
    "DEMO_SECOND_FACTOR_OFF",
    "DemoDataExists",
    "EMAIL_DOMAIN",
    "FEATURED_USERNAMES",
    "LEVELS",
    "LevelSpec",
    "LoginRow",
    "MAX_SCALE",
    "ORGANIZATIONS",
    "OrgSpec",
    "PEOPLE",
    "POSITIONS",
    "PersonSpec",
    "QUOTA_DECISION",
    "SEED_ACTOR",
    "SeedResult",
    "UnitSpec",
    "demo_account_count",
    "format_logins",
    "login_rows",
    "logins_text",
    "place_slug",
    "seed_demo",
    "summary",
]
