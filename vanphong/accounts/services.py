"""Sign-in, the second factor, passwords, API tokens and account administration.

Every state change is here, audited in the same transaction. The web pages and the REST
API call the same functions, so the lockout and the second-factor rules cannot drift apart.

A failed attempt must be remembered even though the caller receives an exception: the
counter update and its audit entry are committed in their own ``atomic`` block and only
then is ``SignInError`` raised, outside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts import throttle
from vanphong.accounts.models import ApiToken, User, hash_token
from vanphong.accounts.second_factor import second_factor_required
from vanphong.audit.services import audit_record, snapshot
from vanphong.orgs.access import Capability, can, scope_for
from vanphong.orgs.actors import Actor

# Characters of a temporary password: no 0/O, 1/l/I, so that it can be read over the phone.
_TEMP_ALPHABET_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz"
_TEMP_ALPHABET_DIGITS = "23456789"
_ACCOUNT_FIELDS = ["username", "is_active", "failed_logins", "locked_until", "must_change_password"]


class SignInError(Exception):
    """A refused sign-in step. ``code`` is stable (the API returns it), ``message`` is
    Vietnamese text to show as is."""

    def __init__(self, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after  # seconds, for ``throttled`` (HTTP 429, Retry-After)


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def _locked_error(locked_until: dt.datetime) -> SignInError:
    return SignInError(
        "locked",
        _(
            "Tài khoản đang tạm khóa do đăng nhập sai nhiều lần, đến %(until)s. Vui lòng thử lại sau "
            "thời điểm đó hoặc liên hệ quản trị hệ thống."
        )
        % {"until": _local(locked_until)},
    )


def _throttled_error(hold: throttle.Hold) -> SignInError:
    minutes = max(1, math.ceil(hold.retry_after / 60))
    if hold.scope == "address":
        message = _(
            "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. Vui lòng thử lại sau %(minutes)s phút."
        )
    else:
        message = _(
            "Đăng nhập sai quá nhiều lần vào tài khoản này từ địa chỉ mạng này. Vui lòng thử lại sau "
            "%(minutes)s phút hoặc liên hệ quản trị hệ thống."
        )
    return SignInError("throttled", message % {"minutes": minutes}, retry_after=hold.retry_after)


def _invalid_credentials() -> SignInError:
    return SignInError("invalid_credentials", _("Tên đăng nhập hoặc mật khẩu không đúng."))


def _organization_id(user: User) -> int | None:
    try:
        return user.person.organization_id
    except Exception:  # an account with no person record
        return None


def _record_failure(*, user: User, action: str, reason: str, attempted_username: str) -> throttle.Hold | None:
    """Count one failed attempt: on the user row (``failed_logins``, shown to
    administrators) and in the sign-in throttle, per account and client address. Returns
    the hold this attempt started, if any (audited as ``auth.locked``).

    The account itself is no longer locked by failures: a hold applies to the address the
    failures came from, so that an attacker cannot keep the account's owner out
    (docs/security.md)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
        failures = User.objects.values_list("failed_logins", flat=True).get(pk=user.pk)
        hold = throttle.record_failure(attempted_username)
        org_id = _organization_id(user)
        audit_record(
            actor=None,
            actor_username=attempted_username,
            action=action,
            target=user,
            organization_id=org_id,
            after={"username": attempted_username, "reason": reason, "failures": failures},
        )
        if hold is not None:
            audit_record(
                actor=None,
                actor_username=attempted_username,
                action="auth.locked",
                target=user,
                organization_id=org_id,
                after={
                    "held_until": dt.datetime.fromtimestamp(hold.until, tz=dt.UTC),
                    "scope": hold.scope,
                    "failures": failures,
                },
            )
    user.failed_logins = failures
    return hold


# --- Sign-in ---------------------------------------------------------------------------------


def credentials_check(*, username: str, password: str) -> User:
    """The password step of a sign-in (web and API). Returns the user, or raises
    ``SignInError`` with code ``invalid_credentials``, ``locked`` or ``inactive``.

    An unknown username answers exactly like a wrong password. A locked account is refused
    even with the right password. Success resets the failure counter; the caller audits
    ``auth.login`` once every step of the sign-in is done.
    """
    # A NUL byte can be in no username (PostgreSQL refuses it in a query and in JSON).
    attempted = (username or "").replace("\x00", "\ufffd")[:150]
    hold = throttle.held(attempted)
    if hold is not None:
        # Refused before any password is checked; not audited (the failures that started
        # the hold were), so that a flood cannot flood the trail too.
        raise _throttled_error(hold)
    known = bool(attempted) and attempted == username and User.objects.filter(username=attempted).exists()
    if not known:
        # Hash anyway, so that the answer takes as long as for a real account. What was typed
        # is often a password typed in the wrong box: the append-only trail keeps only a mask.
        User().set_password(password or "")
        masked = mask_username(attempted)
        with transaction.atomic():
            audit_record(
                actor=None,
                actor_username=masked,
                action="auth.login_failed",
                target_type="accounts.user",
                target_repr=masked,
                after={"username": masked, "reason": "unknown_user"},
            )
            hold = throttle.record_failure(attempted)
        raise _throttled_error(hold) if hold is not None else _invalid_credentials()

    # The user row stays locked from the lockout check to the counter update, so parallel
    # guesses queue one behind the other instead of all passing the check at once.
    error: SignInError | None = None
    with transaction.atomic():
        user = User.objects.select_for_update().get(username=attempted)
        # Asked again under the row lock: guesses sent in parallel all passed the check above
        # before the first of them failed and started the hold.
        hold = throttle.held(attempted)
        if hold is not None:
            error = _throttled_error(hold)
        elif user.is_locked():
            audit_record(
                actor=None,
                actor_username=attempted,
                action="auth.login_failed",
                target=user,
                organization_id=_organization_id(user),
                after={"username": attempted, "reason": "locked", "locked_until": user.locked_until},
            )
            error = _locked_error(user.locked_until)  # type: ignore[arg-type]
        elif not user.check_password(password or ""):
            hold = _record_failure(
                user=user, action="auth.login_failed", reason="invalid_password", attempted_username=attempted
            )
            error = _throttled_error(hold) if hold is not None else _invalid_credentials()
        elif not user.is_active:
            audit_record(
                actor=None,
                actor_username=attempted,
                action="auth.login_failed",
                target=user,
                organization_id=_organization_id(user),
                after={"username": attempted, "reason": "inactive"},
            )
            error = SignInError(
                "inactive",
                _("Tài khoản đã ngừng hoạt động. Vui lòng liên hệ quản trị hệ thống nếu cần dùng lại."),
            )
        elif user.failed_logins or user.locked_until is not None:
            User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            user.failed_logins, user.locked_until = 0, None
    if error is not None:
        raise error
    return user


def mask_username(attempted: str) -> str:
    """What the trail keeps of an unknown username: its first two characters, its length
    and a short keyed digest, enough to see repeated attempts without keeping the text."""
    digest = hmac.new(settings.SECRET_KEY.encode(), attempted.encode("utf-8"), hashlib.sha256).hexdigest()[:8]
    return f"{attempted[:2]}…({len(attempted)}) #{digest}"


def otp_required(user: Actor | None) -> bool:
    """Whether ``user`` must give a TOTP code to sign in (VANPHONG_TOTP_REQUIRED)."""
    return second_factor_required(user)


def otp_verify(*, user: User, otp: str | None) -> TOTPDevice:
    """Check a TOTP code against the user's confirmed devices and return the device that
    accepted it (the web sign-in marks the session verified with it). Raises
    ``SignInError``: ``otp_required`` (no code given, or no device enrolled yet),
    ``otp_invalid`` (a wrong code: counts as a failed sign-in), ``locked``."""
    # Under the user row's lock, like the password step. A refusal is raised only after the
    # block has committed, so that the counted failure and its audit entry are kept.
    with transaction.atomic():
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        try:
            return _otp_verify_locked(user=locked_user, otp=otp)
        except SignInError as exc:
            error = exc
    raise error


def _otp_verify_locked(*, user: User, otp: str | None) -> TOTPDevice:
    if user.is_locked():
        raise _locked_error(user.locked_until)  # type: ignore[arg-type]
    hold = throttle.held(user.get_username())
    if hold is not None:
        raise _throttled_error(hold)
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        raise SignInError(
            "otp_required",
            _(
                "Tài khoản này phải dùng xác thực hai lớp nhưng chưa đăng ký ứng dụng xác thực. "
                "Hãy đăng nhập trên trang web để đăng ký."
            ),
        )
    token = "".join((otp or "").split())
    if not token:
        raise SignInError("otp_required", _("Cần nhập mã xác thực gồm 6 chữ số từ ứng dụng xác thực."))
    allowed = [d for d in devices if d.verify_is_allowed()[0]]
    if not allowed:
        raise SignInError(
            "otp_invalid", _("Bạn đã nhập sai mã nhiều lần liền. Vui lòng đợi ít giây rồi nhập mã mới.")
        )
    for device in allowed:
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    hold = _record_failure(
        user=user, action="auth.otp_failed", reason="otp_invalid", attempted_username=user.get_username()
    )
    if hold is not None:
        raise _throttled_error(hold)
    raise SignInError("otp_invalid", _("Mã xác thực không đúng hoặc đã hết hạn."))


def otp_check(*, user: User, otp: str | None) -> None:
    """The second-factor step of a sign-in: raises ``SignInError`` (``otp_required``,
    ``otp_invalid``, or ``throttled`` once wrong codes have held this address back)."""
    otp_verify(user=user, otp=otp)


def login_record(*, user: User, via: str = "web", second_factor: bool = False) -> None:
    """Audit a completed sign-in (``auth.login``); the client address's failed attempts on
    the account are forgotten."""
    throttle.record_success(user.get_username())
    with transaction.atomic():
        audit_record(
            actor=user,
            action="auth.login",
            target=user,
            organization_id=_organization_id(user),
            after={"via": via, "second_factor": second_factor},
        )


def logout_record(*, user: User) -> None:
    """Audit a sign-out (``auth.logout``)."""
    with transaction.atomic():
        audit_record(actor=user, action="auth.logout", target=user, organization_id=_organization_id(user))


# --- API tokens ------------------------------------------------------------------------------


def api_token_issue(*, user: User, name: str = "", second_factor: bool = False) -> str:
    """Create a bearer token valid for VANPHONG_API_TOKEN_DAYS. The key is returned once;
    only its SHA-256 is stored. ``second_factor`` records that a TOTP code was given: a
    token without it stops working once the user must use a second factor."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            digest=hash_token(key),
            prefix=key[:8],
            name=(name or "")[:100],
            second_factor=second_factor,
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.VANPHONG_API_TOKEN_DAYS),
        )
        audit_record(
            actor=user,
            action="api.token_issue",
            target=token,
            organization_id=_organization_id(user),
            after=snapshot(token, ["user", "prefix", "name", "expires_at"]),
        )
    return key


def api_token_revoke(*, token: ApiToken, actor: Actor) -> None:
    """Revoke a token (the caller has checked that ``actor`` may). Revoking twice is a no-op."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not revoked:
            return
        token.refresh_from_db(fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api.token_revoke",
            target=token,
            organization_id=_organization_id(token.user),
            after={"prefix": token.prefix, "revoked_at": token.revoked_at},
        )


# --- Account administration --------------------------------------------------------------------


def _require_manager(actor: Actor, user: User) -> None:
    """Administrative actions need MANAGE_PEOPLE over the organisation of the account's
    person, and a clearance at least that person's: resetting the password or the second
    factor of an account hands it over, so nobody may do it to an account cleared above
    themselves (the same rule as granting a clearance)."""
    try:
        person = user.person
    except Exception:  # an account with no person record
        person = None
    if person is None or not can(actor, Capability.MANAGE_PEOPLE, person.organization):
        raise PermissionDenied(_("Bạn không có quyền quản lý tài khoản này."))
    if person.clearance > scope_for(actor).clearance:
        raise PermissionDenied(
            _(
                "Tài khoản này được tiếp cận bí mật ở mức cao hơn của bạn: chỉ người có mức tương đương "
                "mới quản lý được."
            )
        )


def may_manage(actor: Actor, user: User) -> bool:
    try:
        _require_manager(actor, user)
    except PermissionDenied:
        return False
    return True


def _temporary_password(user: User) -> str:
    """Three groups of four characters, e.g. ``Hk4m-9Qbz-w2Xe``: long enough for the
    validators, with letters and digits, easy to read out."""
    alphabet = _TEMP_ALPHABET_LETTERS + _TEMP_ALPHABET_DIGITS
    while True:
        raw = "".join(secrets.choice(alphabet) for _i in range(12))
        if not any(c.isdigit() for c in raw) or not any(c.isalpha() for c in raw):
            continue
        candidate = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


def user_reset_password(*, actor: Actor, user: User) -> str:
    """Set a random temporary password (returned once, never stored in clear), make the
    user change it at the next sign-in, unlock the account and revoke its API tokens.
    Existing sessions end because the password hash changes."""
    _require_manager(actor, user)
    password = _temporary_password(user)
    now = timezone.now()
    with transaction.atomic():
        before = snapshot(user, _ACCOUNT_FIELDS)
        user.set_password(password)
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
        throttle.release(user.get_username())
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        after = snapshot(user, _ACCOUNT_FIELDS)
        after["api_tokens_revoked"] = revoked
        audit_record(
            actor=actor,
            action="account.password_reset",
            target=user,
            organization_id=_organization_id(user),
            before=before,
            after=after,
        )
    return password


def user_unlock(*, actor: Actor, user: User) -> None:
    _require_manager(actor, user)
    with transaction.atomic():
        before = snapshot(user, ["failed_logins", "locked_until"])
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        user.failed_logins, user.locked_until = 0, None
        throttle.release(user.get_username())
        audit_record(
            actor=actor,
            action="account.unlock",
            target=user,
            organization_id=_organization_id(user),
            before=before,
            after=snapshot(user, ["failed_logins", "locked_until"]),
        )


def user_set_active(*, actor: Actor, user: User, active: bool) -> None:
    """Deactivate (sessions and tokens stop working at once) or reactivate an account."""
    _require_manager(actor, user)
    if not active and getattr(actor, "pk", None) == user.pk:
        raise ValidationError(_("Bạn không thể tự ngừng hoạt động tài khoản của chính mình."))
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="account.activate" if active else "account.deactivate",
            target=user,
            organization_id=_organization_id(user),
            before={"is_active": not active},
            after={"is_active": active},
        )


def password_change(*, user: User, old_password: str, new_password: str) -> None:
    """The user changes their own password. Raises ``ValidationError`` with messages keyed
    by field (``old_password``, ``new_password``), in Vietnamese."""
    if not user.check_password(old_password or ""):
        raise ValidationError({"old_password": _("Mật khẩu hiện tại không đúng.")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("Mật khẩu mới phải khác mật khẩu hiện tại.")})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    with transaction.atomic():
        was_forced = user.must_change_password
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            actor=user,
            action="account.password_change",
            target=user,
            organization_id=_organization_id(user),
            after={
                "forced": was_forced,
                "password_changed_at": user.password_changed_at,
                "api_tokens_revoked": revoked,
            },
        )


# --- The second factor -------------------------------------------------------------------------


def totp_device_create(*, user: User) -> TOTPDevice:
    """Start enrolment: a new, unconfirmed TOTP device (earlier unfinished ones go)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=_("Ứng dụng xác thực"), confirmed=False)
        audit_record(
            actor=user,
            action="auth.otp_enrol_start",
            target=user,
            organization_id=_organization_id(user),
            after={"device": device.pk, "confirmed": False},
        )
    return device


def totp_device_confirm(*, user: User, device: TOTPDevice, otp: str) -> None:
    """Finish enrolment with a code from the app. Raises ``SignInError`` ``otp_required``,
    ``otp_invalid`` or ``locked``."""
    token = "".join((otp or "").split())
    if not token:
        raise SignInError("otp_required", _("Cần nhập mã xác thực gồm 6 chữ số từ ứng dụng xác thực."))
    if user.is_locked():
        raise _locked_error(user.locked_until)  # type: ignore[arg-type]
    if device.user_id != user.pk or device.confirmed:
        raise SignInError("otp_invalid", _("Thiết bị xác thực không hợp lệ. Vui lòng bắt đầu đăng ký lại."))
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        ok = locked.verify_token(token)
        if ok:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            audit_record(
                actor=user,
                action="auth.otp_enrol",
                target=user,
                organization_id=_organization_id(user),
                after={"device": locked.pk, "confirmed": True},
            )
    if not ok:
        raise SignInError(
            "otp_invalid", _("Mã xác thực không đúng. Kiểm tra giờ trên điện thoại rồi thử lại.")
        )
    device.confirmed = True


def totp_reset(*, actor: Actor, user: User) -> None:
    """Remove the user's TOTP devices (a lost phone): they enrol again at the next sign-in,
    and sessions verified with the old device lose their verification."""
    _require_manager(actor, user)
    with transaction.atomic():
        removed, _unused = TOTPDevice.objects.filter(user=user).delete()
        revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="account.totp_reset",
            target=user,
            organization_id=_organization_id(user),
            after={"devices_removed": removed, "api_tokens_revoked": revoked},
        )
