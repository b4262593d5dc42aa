from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail.

    ``hash`` = SHA-256 of the previous entry's hash and this entry's canonical content, so
    changing, removing or reordering any row breaks the chain from there on
    (``vanphong verify-audit``). The database refuses UPDATE and DELETE on this table
    (triggers in migration 0002).
    """

    seq = models.PositiveBigIntegerField(_("số thứ tự"), unique=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_username = models.CharField(_("tài khoản"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=60, db_index=True)
    target_type = models.CharField(_("loại đối tượng"), max_length=60, blank=True, db_index=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    target_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    organization_id = models.BigIntegerField(_("tổ chức"), null=True, blank=True, db_index=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)
    prev_hash = models.CharField(_("mã băm trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("nhật ký hệ thống")
        verbose_name_plural = _("nhật ký hệ thống")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_repr}"

    def canonical(self) -> str:
        """The exact text the hash covers. Stable across SQLite and PostgreSQL: JSON with
        sorted keys, the time as UTC ISO-8601 with microseconds."""
        content: dict[str, Any] = {
            "seq": self.seq,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_username": self.actor_username,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_repr": self.target_repr,
            "organization": self.organization_id,
            "before": self.before,
            "after": self.after,
            "ip": self.ip_address,
            "user_agent": self.user_agent,
        }
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        """HMAC-SHA256 keyed with VANPHONG_AUDIT_KEY, which lives outside the database: a
        plain hash could be recomputed by anyone able to rewrite the rows."""
        key = settings.VANPHONG_AUDIT_KEY.encode("utf-8")
        return hmac.new(key, (self.prev_hash + self.canonical()).encode("utf-8"), hashlib.sha256).hexdigest()


def head_mac(last_seq: int, last_hash: str) -> str:
    """HMAC-SHA256 of the chain head, with the entries' key (VANPHONG_AUDIT_KEY). Someone
    who can write the database but does not hold the key cannot move the head back to an
    earlier entry after deleting the newest ones. The ``head:`` prefix keeps it apart from
    the entries' hashes."""
    key = settings.VANPHONG_AUDIT_KEY.encode("utf-8")
    return hmac.new(key, f"head:{last_seq}:{last_hash}".encode(), hashlib.sha256).hexdigest()


class AuditChainHead(models.Model):
    """A single row holding the chain's last entry. Appending locks it (SELECT ... FOR
    UPDATE), which serialises writers so that two entries never share a predecessor; it
    also lets the check notice entries cut off the end of the chain.

    ``mac`` is a keyed MAC over (``last_seq``, ``last_hash``) (``head_mac``), checked by
    ``verify-audit``. The database lets the head only move forward (triggers in migration
    0003); an old head copied back from a backup still carries a valid MAC, which is what
    the external anchor (``verify-audit --expect SEQ:HASH``) catches."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    mac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")
        verbose_name_plural = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"#{self.last_seq}"

    def compute_mac(self) -> str:
        return head_mac(self.last_seq, self.last_hash)

    @property
    def anchor(self) -> str:
        """``SEQ:HASH``, the text operators keep outside the database."""
        return f"{self.last_seq}:{self.last_hash}"
