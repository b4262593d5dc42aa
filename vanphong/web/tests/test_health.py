from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db.utils import ConnectionHandler

from config.celery import app
from vanphong.web import health


def closed_port() -> int:
    """A local TCP port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def broker(url: str, options: dict[str, Any] | None = None) -> Iterator[None]:
    """Point the Celery app at another broker for the duration, then put everything back.
    The app read its settings at import; its pools would keep connections to the old one."""
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url, app.conf.broker_transport_options = url, options or {}
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved


def filesystem_options(root: Path) -> dict[str, str]:
    return {
        "data_folder_in": str(root / "queue"),
        "data_folder_out": str(root / "queue"),
        "processed_folder": str(root / "processed"),
        "control_folder": str(root / "control"),
    }


def test_healthz_is_public_uncached_and_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_accepts_only_get(client, db):
    assert client.post("/healthz").status_code == 405


def test_filesystem_broker_is_ok_when_its_folder_is_writable(client, db, tmp_path):
    with broker("filesystem://", filesystem_options(tmp_path)):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
    assert (tmp_path / "queue").is_dir()
    assert list((tmp_path / "queue").iterdir()) == []  # the probe cleans up after itself


def test_filesystem_broker_with_an_unusable_folder_answers_503(client, db, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with broker("filesystem://", {**filesystem_options(tmp_path), "data_folder_in": str(blocker / "queue")}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["broker"] != "ok"
    assert response.json()["database"] == "ok"


def test_unreachable_redis_broker_answers_503_naming_the_broker(client, db):
    with broker(f"redis://127.0.0.1:{closed_port()}/0"):
        response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"] == "OperationalError"
    assert "127.0.0.1" not in response.content.decode()  # no addresses leak to the public


def test_the_configured_broker_is_restored_and_healthy_afterwards(client, db):
    with broker(f"redis://127.0.0.1:{closed_port()}/0"):
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200


def test_an_unreachable_database_is_named(monkeypatch, db):
    """A real connection attempt to a PostgreSQL port where nothing listens."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "vanphong_absent",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": str(closed_port()),
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "connection", handler["default"])
    try:
        assert health.check_database() == "OperationalError"
    finally:
        handler["default"].close()


def test_healthz_is_reachable_before_the_second_factor(client, db, django_user_model):
    admin = django_user_model.objects.create_superuser(username="quantri", password="Mat-khau-2026")
    client.force_login(admin)  # signed in, must use TOTP, not verified yet: still not redirected
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
