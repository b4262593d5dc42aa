"""The production topology's settings: connection pooling, PgBouncer, the read replica and
the file storage (config/settings/database.py and storage.py, pure functions)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.database import Pool, parse_database, parse_replica
from config.settings.storage import S3, S3_BACKEND, storages_setting

PG = "postgres://van:secret@db.example.vn:5432/vanphong"


def pg(tmp_path, url=PG, **kwargs):
    return parse_database(url, default_sqlite=tmp_path / "x", conn_max_age=60, **kwargs)


def test_without_a_pool_connections_persist_as_before(tmp_path):
    config = pg(tmp_path)
    assert "pool" not in config["OPTIONS"]
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert config["TEST"] == {"NAME": None}


def test_a_pool_turns_on_django_psycopg_pool_and_off_persistent_connections(tmp_path):
    config = pg(tmp_path, pool=Pool(max_size=8, min_size=1, timeout=5))
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 5}
    # Django refuses a pool with persistent connections: the pool keeps them instead, and
    # checks one before lending it (Django passes ConnectionPool.check_connection then).
    assert config["CONN_MAX_AGE"] == 0 and config["CONN_HEALTH_CHECKS"] is True
    assert config["OPTIONS"]["options"] == "-c jit=off"


def test_a_pool_smaller_than_its_minimum_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="VANPHONG_DB_POOL_MIN_SIZE"):
        pg(tmp_path, pool=Pool(max_size=2, min_size=4))


def test_pooling_and_pgbouncer_need_postgresql(tmp_path):
    for kwargs in ({"pool": Pool(max_size=4)}, {"pgbouncer": True}):
        with pytest.raises(ImproperlyConfigured, match="need PostgreSQL"):
            parse_database("", default_sqlite=tmp_path / "x", conn_max_age=0, **kwargs)


def test_behind_pgbouncer_no_server_side_cursor_prepared_statement_or_startup_option(tmp_path):
    config = pg(tmp_path, pgbouncer=True)
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert config["OPTIONS"]["prepare_threshold"] is None
    assert "options" not in config["OPTIONS"]  # PgBouncer refuses it: jit=off goes on the role


def test_the_replica_is_parsed_like_the_primary_and_mirrors_it_under_tests(tmp_path):
    default = pg(tmp_path, pool=Pool(max_size=4))
    replica = parse_replica(
        "postgres://van:secret@replica.example.vn:5432/vanphong",
        default=default,
        conn_max_age=60,
        pool=Pool(max_size=4),
        pgbouncer=False,
    )
    assert replica["HOST"] == "replica.example.vn" and replica["NAME"] == "vanphong"
    assert replica["OPTIONS"]["pool"]["max_size"] == 4
    assert replica["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize(
    ("default_url", "replica_url", "message"),
    [
        ("", PG, "needs DATABASE_URL=postgres"),
        (PG, "sqlite:////tmp/replica.sqlite3", "the replica is PostgreSQL"),
    ],
)
def test_a_replica_of_anything_but_postgresql_is_refused(tmp_path, default_url, replica_url, message):
    default = parse_database(default_url, default_sqlite=tmp_path / "x", conn_max_age=0)
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_replica(replica_url, default=default, conn_max_age=0, pool=None, pgbouncer=False)


# --- Files ---------------------------------------------------------------------------------------


def test_files_stay_in_the_folder_by_default():
    storages = storages_setting("filesystem")
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages["staticfiles"]["BACKEND"] == "vanphong.core.staticfiles.StaticFilesStorage"


def test_an_s3_compatible_bucket_is_private_and_never_overwrites():
    storages = storages_setting(
        "s3",
        s3=S3(
            bucket="vanphong",
            endpoint_url="https://minio.tinhuy.example.vn:9000",
            access_key="AK",
            secret_key="SK",
            region="vn-1",
            prefix="/media/",
            ca_bundle="/etc/ssl/tinhuy-ca.pem",
        ),
    )
    default = storages["default"]
    assert default["BACKEND"] == S3_BACKEND
    options = default["OPTIONS"]
    assert options["bucket_name"] == "vanphong" and options["location"] == "media"
    assert options["endpoint_url"] == "https://minio.tinhuy.example.vn:9000"
    assert (options["access_key"], options["secret_key"], options["region_name"]) == ("AK", "SK", "vn-1")
    assert options["file_overwrite"] is False and options["default_acl"] is None
    assert options["querystring_auth"] is True and options["addressing_style"] == "path"
    assert options["verify"] == "/etc/ssl/tinhuy-ca.pem"


def test_the_pool_settings_open_a_real_pool_with_health_checks(tmp_path):
    from django.db.backends.postgresql.base import DatabaseWrapper
    from psycopg_pool import ConnectionPool

    config = pg(tmp_path, pool=Pool(max_size=3, min_size=1))
    wrapper = DatabaseWrapper({**config, "TIME_ZONE": None, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False})
    pool = wrapper.pool  # built, not opened: no connection is made here
    try:
        assert isinstance(pool, ConnectionPool)
        assert (pool.min_size, pool.max_size, pool.timeout) == (1, 3, 10)
        assert pool._check is ConnectionPool.check_connection
    finally:
        wrapper.close_pool()


def test_the_s3_backend_is_installed_and_built_from_the_options_without_a_server():
    from storages.backends.s3 import S3Storage

    options = storages_setting(
        "s3", s3=S3(bucket="vanphong", endpoint_url="http://127.0.0.1:9", access_key="a", secret_key="b")
    )["default"]["OPTIONS"]
    storage = S3Storage(**options)  # no request is made until a file is read or written
    assert storage.bucket_name == "vanphong" and storage.file_overwrite is False
    assert storage.endpoint_url == "http://127.0.0.1:9" and storage.querystring_auth is True


@pytest.mark.parametrize(
    ("kind", "s3", "message"),
    [
        ("s3", S3(), "needs VANPHONG_S3_BUCKET"),
        ("s3", S3(bucket="b", access_key="a"), "go together"),
        ("ftp", None, "filesystem or s3"),
    ],
)
def test_an_incomplete_storage_setting_is_refused(kind, s3, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        storages_setting(kind, s3=s3)
