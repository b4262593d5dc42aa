"""Checking the audit trail end to end: every entry's hash, the links between entries, the
numbering and the chain head. Read-only; ``vanphong verify-audit`` and the nightly job call it."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext as _

from vanphong.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int  # entries whose hash was recomputed
    first_broken: int | None = None  # seq of the first entry found broken (or missing)
    reason: str = ""  # why, in Vietnamese, naming the entry
    start_seq: int = 1  # the first entry of the range checked
    head_seq: int = 0  # what the chain head said when the check began
    head_hash: str = GENESIS_HASH  # and the hash it named

    @property
    def anchor(self) -> str:
        """``SEQ:HASH`` of the head checked, for operators to keep outside the database and
        give back to ``verify-audit --expect``."""
        return f"{self.head_seq}:{self.head_hash}"

    def summary(self) -> str:
        if self.ok and self.checked == 0:
            return _("Chuỗi nhật ký trống hoặc không có mục mới để kiểm tra.")
        if self.ok:
            return _(
                "Chuỗi nhật ký nguyên vẹn: đã kiểm tra %(checked)s mục (từ #%(start)s đến #%(end)s)."
            ) % {
                "checked": self.checked,
                "start": self.start_seq,
                "end": self.start_seq + self.checked - 1,
            }
        return _("Chuỗi nhật ký bị phá vỡ tại mục #%(seq)s. %(reason)s") % {
            "seq": self.first_broken,
            "reason": self.reason,
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_broken": self.first_broken,
            "reason": self.reason,
        }


def _broken(seq: int, reason: str, *, checked: int, start: int, head_seq: int) -> ChainReport:
    return ChainReport(
        ok=False, checked=checked, first_broken=seq, reason=reason, start_seq=start, head_seq=head_seq
    )


def parse_anchor(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed by ``verify-audit``; ``ValueError`` otherwise."""
    seq_text, sep, digest = text.strip().partition(":")
    digest = digest.lower()
    if not sep or not seq_text.isdigit() or int(seq_text) < 1 or len(digest) != 64:
        raise ValueError(text)
    int(digest, 16)
    return int(seq_text), digest


def verify_anchor(report: ChainReport, seq: int, digest: str) -> ChainReport:
    """Check that the chain still holds entry ``seq`` with hash ``digest`` (an anchor kept
    outside the database): entries deleted after it, with the head copied back from an old
    backup, leave a chain that is intact in itself but ends before the anchor."""
    if not report.ok:
        return report
    start, head_seq = report.start_seq, report.head_seq
    if head_seq < seq:
        return _broken(
            head_seq + 1,
            _(
                "Chuỗi kết thúc tại #%(head)s, trước mốc #%(seq)s đã lưu bên ngoài: "
                "các mục sau #%(head)s đã bị xóa và đầu chuỗi bị đưa lùi."
            )
            % {"head": head_seq, "seq": seq},
            checked=report.checked,
            start=start,
            head_seq=head_seq,
        )
    stored = AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
    if stored is None:
        return _broken(
            seq,
            _("Không còn mục #%(seq)s của mốc đã lưu bên ngoài (bị xóa).") % {"seq": seq},
            checked=report.checked,
            start=start,
            head_seq=head_seq,
        )
    if not hmac.compare_digest(stored, digest):
        return _broken(
            seq,
            _("Mục #%(seq)s không còn mã băm của mốc đã lưu bên ngoài: chuỗi đã bị thay thế từ đó.")
            % {"seq": seq},
            checked=report.checked,
            start=start,
            head_seq=head_seq,
        )
    return report


def verify_chain(*, batch_size: int = 5000, since_seq: int | None = None) -> ChainReport:
    """Walk the chain in ``seq`` order in constant memory and report the first break.

    ``since_seq`` checks only from that entry on, trusting the stored hash of the entry
    before it (an incremental check after a full one).

    Entries appended while the check runs are left for the next check: the walk stops at
    what the head said when it began. Head and entry are written in one transaction, so
    every entry up to that point is already committed.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq = head.last_seq if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    head_mac_ok = head is None or hmac.compare_digest(head.mac, head.compute_mac())
    # Nothing lies beyond the head: checking from just after it only checks the head's link.
    start = min(max(since_seq or 1, 1), head_seq + 1)

    prev_hash = GENESIS_HASH
    if start > 1:
        before = AuditEvent.objects.filter(seq=start - 1).values_list("hash", flat=True).first()
        if before is None:
            return _broken(
                start - 1,
                _("Thiếu mục #%(seq)s (bị xóa).") % {"seq": start - 1},
                checked=0,
                start=start,
                head_seq=head_seq,
            )
        prev_hash = before

    expected = start
    checked = 0
    entries = AuditEvent.objects.filter(seq__gte=start, seq__lte=head_seq).order_by("seq")
    for event in entries.iterator(chunk_size=batch_size):
        if event.seq != expected:
            if event.seq == expected + 1:
                reason = _("Thiếu mục #%(seq)s (bị xóa).") % {"seq": expected}
            else:
                reason = _("Thiếu các mục từ #%(first)s đến #%(last)s (bị xóa).") % {
                    "first": expected,
                    "last": event.seq - 1,
                }
            return _broken(expected, reason, checked=checked, start=start, head_seq=head_seq)
        if event.compute_hash() != event.hash:
            return _broken(
                event.seq,
                _("Mục #%(seq)s đã bị sửa: mã băm không khớp.") % {"seq": event.seq},
                checked=checked,
                start=start,
                head_seq=head_seq,
            )
        if event.prev_hash != prev_hash:
            return _broken(
                event.seq,
                _(
                    "Mục #%(seq)s không nối đúng với mục #%(prev)s liền trước: "
                    "mã băm trước không khớp (mục #%(prev)s có thể đã bị sửa hoặc thay thế)."
                )
                % {"seq": event.seq, "prev": event.seq - 1},
                checked=checked,
                start=start,
                head_seq=head_seq,
            )
        prev_hash = event.hash
        expected += 1
        checked += 1

    last = expected - 1
    if head is None and AuditEvent.objects.exists():
        return _broken(
            1,
            _("Không tìm thấy đầu chuỗi nhưng bảng nhật ký có dữ liệu."),
            checked=0,
            start=start,
            head_seq=0,
        )
    if last < head_seq:
        if last:
            reason = _("Chuỗi bị cắt: đầu chuỗi ghi #%(head)s nhưng mục cuối là #%(last)s.") % {
                "head": head_seq,
                "last": last,
            }
        else:
            reason = _("Chuỗi bị cắt: đầu chuỗi ghi #%(head)s nhưng không còn mục nào.") % {"head": head_seq}
        return _broken(
            last + 1,
            reason,
            checked=checked,
            start=start,
            head_seq=head_seq,
        )
    if head_seq and prev_hash != head_hash:
        return _broken(
            head_seq,
            _("Đầu chuỗi không khớp với mục cuối #%(seq)s: mã băm khác nhau.") % {"seq": head_seq},
            checked=checked,
            start=start,
            head_seq=head_seq,
        )
    # Read the highest entry before re-reading the head: an entry committed by then has its
    # head committed too, so an entry beyond the head means the head was moved back.
    highest = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
    current_head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    if highest > current_head:
        return _broken(
            current_head + 1,
            _("Đầu chuỗi ghi #%(head)s nhưng có mục #%(last)s sau đó: đầu chuỗi đã bị sửa.")
            % {"head": current_head, "last": highest},
            checked=checked,
            start=start,
            head_seq=head_seq,
        )
    if not head_mac_ok:
        return _broken(
            head_seq,
            _(
                "Mã xác thực của đầu chuỗi (#%(seq)s) không hợp lệ: đầu chuỗi đã bị ghi lại "
                "bởi người không giữ khóa nhật ký (các mục cuối có thể đã bị xóa)."
            )
            % {"seq": head_seq},
            checked=checked,
            start=start,
            head_seq=head_seq,
        )
    return ChainReport(ok=True, checked=checked, start_seq=start, head_seq=head_seq, head_hash=head_hash)
