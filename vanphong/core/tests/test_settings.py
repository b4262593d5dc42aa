from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings.database import parse_database
from config.settings.env import env_bool, env_choice, env_int, env_list, env_path, env_str

ROOT = Path(settings.BASE_DIR)


def vanphong(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the ``vanphong`` console script of this virtual environment in a clean process."""
    script = Path(sys.executable).parent / "vanphong"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "vanphong"]
    return subprocess.run(  # noqa: S603
        [*command, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VANPHONG_", "DJANGO_"))}
    env.pop("SECRET_KEY", None)
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        VANPHONG_HTTPS="true",
        ALLOWED_HOSTS="vanphong.example.vn",
        VANPHONG_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


# --- check --deploy ------------------------------------------------------------------------------


def test_deploy_check_is_clean_with_the_production_environment(tmp_path):
    result = vanphong("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_without_https(tmp_path):
    """The same check does catch a weak configuration: it is not a test that cannot fail."""
    env = production_env(tmp_path, VANPHONG_HTTPS="false")
    result = vanphong("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "VANPHONG_TOTP_REQUIRED",
            "sometimes",
            "VANPHONG_TOTP_REQUIRED must be one of classified, all, none",
        ),
        (
            "VANPHONG_SCHEDULE_VERIFY_AUDIT",
            "61 1 * * *",
            "VANPHONG_SCHEDULE_VERIFY_AUDIT is not a valid cron",
        ),
        ("DATABASE_URL", "mysql://root@localhost/vanphong", "only sqlite and postgres are supported"),
    ],
)
def test_a_bad_environment_value_stops_the_start_with_a_clear_message(tmp_path, name, value, message):
    result = vanphong("check", env=production_env(tmp_path, **{name: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_without_secret_key_one_is_generated_once_in_the_data_folder(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    key_file = tmp_path / "secret_key"
    assert key_file.read_text(encoding="utf-8").strip() == first.stdout.strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0  # readable by the owner only


def test_every_environment_variable_is_documented():
    read = set()
    for module in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(
            re.findall(
                r'(?:env_(?:str|bool|int|list|choice|path)|_generated_secret)\(\s*"([A-Z0-9_]+)"',
                module.read_text(),
            )
        )
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= read
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = sorted(name for name in read if f"`{name}`" not in documented)
    assert not missing, f"add to docs/configuration.md: {missing}"


# --- env parsers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("YES", True), ("1", True), ("off", False), ("", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("VP_TEST_FLAG", raw)
    assert env_bool("VP_TEST_FLAG", not expected) is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("VP_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="VP_TEST_FLAG must be true or false"):
        env_bool("VP_TEST_FLAG")


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("VP_TEST_FLAG", raising=False)
    assert env_bool("VP_TEST_FLAG", True) is True


def test_env_int_reads_numbers_and_enforces_the_minimum(monkeypatch):
    monkeypatch.setenv("VP_TEST_INT", " 42 ")
    assert env_int("VP_TEST_INT", 1) == 42
    monkeypatch.setenv("VP_TEST_INT", "")
    assert env_int("VP_TEST_INT", 7) == 7
    monkeypatch.setenv("VP_TEST_INT", "abc")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("VP_TEST_INT", 1)
    monkeypatch.setenv("VP_TEST_INT", "3")
    with pytest.raises(ImproperlyConfigured, match="at least 5"):
        env_int("VP_TEST_INT", 10, minimum=5)


def test_env_choice_accepts_listed_values_only(monkeypatch):
    monkeypatch.setenv("VP_TEST_CHOICE", " ALL ")
    assert env_choice("VP_TEST_CHOICE", ("classified", "all", "none"), "classified") == "all"
    monkeypatch.setenv("VP_TEST_CHOICE", "some")
    with pytest.raises(ImproperlyConfigured, match="must be one of classified, all, none"):
        env_choice("VP_TEST_CHOICE", ("classified", "all", "none"), "classified")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("VP_TEST_LIST", " a.vn, ,b.vn ,")
    assert env_list("VP_TEST_LIST") == ["a.vn", "b.vn"]
    monkeypatch.delenv("VP_TEST_LIST")
    assert env_list("VP_TEST_LIST", ["x"]) == ["x"]


def test_env_str_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "db_password"
    secret.write_text("bi-mat\n", encoding="utf-8")
    monkeypatch.setenv("VP_TEST_SECRET", "from-env")
    monkeypatch.setenv("VP_TEST_SECRET_FILE", str(secret))
    assert env_str("VP_TEST_SECRET") == "bi-mat"


def test_env_str_refuses_an_unreadable_secret_file(monkeypatch, tmp_path):
    monkeypatch.setenv("VP_TEST_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="VP_TEST_SECRET_FILE: cannot read"):
        env_str("VP_TEST_SECRET")


def test_env_path_expands_and_resolves(monkeypatch, tmp_path):
    monkeypatch.setenv("VP_TEST_PATH", str(tmp_path / "a" / ".." / "b"))
    assert env_path("VP_TEST_PATH", Path("/unused")) == (tmp_path / "b").resolve()
    monkeypatch.delenv("VP_TEST_PATH")
    assert env_path("VP_TEST_PATH", Path("/default")) == Path("/default")


# --- DATABASE_URL ----------------------------------------------------------------------------------


def test_the_default_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    config = parse_database("", default_sqlite=tmp_path / "vp.sqlite3", conn_max_age=60)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "vp.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout" in config["OPTIONS"]["init_command"]
    assert config["CONN_MAX_AGE"] == 0  # SQLite connections are not kept between requests


def test_a_postgres_url_is_parsed_with_persistent_checked_connections(tmp_path):
    config = parse_database(
        "postgres://van:mat%40khau@db.example.vn:5433/vanphong",
        default_sqlite=tmp_path / "x",
        conn_max_age=60,
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("vanphong", "van", "mat@khau")
    assert (config["HOST"], config["PORT"]) == ("db.example.vn", 5433)
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"]["options"] == "-c jit=off"  # short indexed queries: JIT costs more


@pytest.mark.parametrize("url", ["mysql://root@localhost/vanphong", "oracle://u:p@host/db"])
def test_other_databases_are_refused(tmp_path, url):
    with pytest.raises(ImproperlyConfigured, match="only sqlite and postgres"):
        parse_database(url, default_sqlite=tmp_path / "x", conn_max_age=0)


def test_the_running_suite_uses_the_database_the_environment_names():
    engine = settings.DATABASES["default"]["ENGINE"]
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    assert engine.endswith(expected)
