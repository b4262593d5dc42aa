"""Where uploaded files live: a folder (default) or an S3-compatible bucket (django-storages).

The bucket is private like the folder: every download goes through the application, which
checks access and writes the audit entry; nothing is served from the bucket directly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
# WhiteNoise's compressed, hashed names; before `collectstatic` has run, files are linked by
# their plain names instead of a 500 (vanphong/core/staticfiles.py).
STATIC_BACKEND = "vanphong.core.staticfiles.StaticFilesStorage"


@dataclass(frozen=True)
class S3:
    bucket: str = ""
    endpoint_url: str = ""  # MinIO, Ceph RGW, a provider's address; empty: AWS itself
    access_key: str = ""
    secret_key: str = ""
    region: str = ""
    prefix: str = ""  # a folder inside the bucket ("vanphong/")
    addressing_style: str = "path"  # what MinIO and most on-premises servers expect
    ca_bundle: str = ""  # the organisation's CA for the endpoint's certificate


def storages_setting(kind: str, *, s3: S3 | None = None) -> dict[str, dict[str, Any]]:
    """Django's STORAGES for ``VANPHONG_STORAGE`` (``filesystem`` or ``s3``)."""
    static = {"BACKEND": STATIC_BACKEND}
    if kind == "filesystem":
        # MEDIA_ROOT is the folder (VANPHONG_MEDIA_ROOT, default VANPHONG_DATA_DIR/media).
        return {"default": {"BACKEND": FILESYSTEM_BACKEND}, "staticfiles": static}
    if kind != "s3":
        raise ImproperlyConfigured(f"VANPHONG_STORAGE must be filesystem or s3, not {kind!r}")
    s3 = s3 or S3()
    if not s3.bucket:
        raise ImproperlyConfigured("VANPHONG_STORAGE=s3 needs VANPHONG_S3_BUCKET")
    if bool(s3.access_key) != bool(s3.secret_key):
        raise ImproperlyConfigured("VANPHONG_S3_ACCESS_KEY and VANPHONG_S3_SECRET_KEY go together")
    options: dict[str, Any] = {
        "bucket_name": s3.bucket,
        "location": s3.prefix.strip("/"),
        # Like the folder: a second file of the same name gets a new name, never replaces one.
        "file_overwrite": False,
        "default_acl": None,  # the bucket's policy: private
        "querystring_auth": True,  # any URL handed out is signed and expires
        "querystring_expire": 300,
        "signature_version": "s3v4",
        "addressing_style": s3.addressing_style,
    }
    if s3.endpoint_url:
        options["endpoint_url"] = s3.endpoint_url
    if s3.access_key:  # otherwise boto3's own chain: environment, instance role
        options["access_key"] = s3.access_key
        options["secret_key"] = s3.secret_key
    if s3.region:
        options["region_name"] = s3.region
    if s3.ca_bundle:
        options["verify"] = s3.ca_bundle
    return {"default": {"BACKEND": S3_BACKEND, "OPTIONS": options}, "staticfiles": static}
