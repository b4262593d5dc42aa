"""The citizens' pages, under /cong-dan/ (no sign-in): sending a letter, following it with its
tracking code, and the published reception schedule. They show nothing of the office's
records but the sender's own letter, and link to no internal page."""

from __future__ import annotations

from typing import Any

from captcha.views import captcha_image as library_captcha_image
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from vanphong.accounts.throttle import client_address
from vanphong.core.forms import apply_errors
from vanphong.petitions import sessions, submissions
from vanphong.petitions.forms_public import LookupForm, SubmissionForm

# The confirmation page reads the code of the letter just sent from the session, once: the
# code is never put in a URL (it would stay in the browser's history and the server's logs).
SESSION_KEY = "petitions.public.sent"


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    # The instance's highest committee names the site (a province's Tỉnh ủy).
    site = submissions.accepting_organizations().order_by("depth", "path").only("name").first()
    base = {"public_nav": template, "site_name": site.name if site else "Cơ quan Đảng"}
    return render(request, f"petitions/{template}", {**base, **context}, status=status)


def _limited(
    request: HttpRequest, error: submissions.RateLimited, template: str, context: dict[str, Any]
) -> HttpResponse:
    response = _page(request, template, {**context, "limited": error.message}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The public form; a letter kept leads to the confirmation page with its code."""
    if request.method == "GET":
        return _page(request, "public_submit.html", {"form": SubmissionForm()})
    # Anyone may post here: a body larger than the files allowed is refused before it is read.
    if int(request.META.get("CONTENT_LENGTH") or 0) > submissions.max_body_bytes():
        response = _page(
            request,
            "public_submit.html",
            {"form": SubmissionForm(), "too_large": submissions.too_large_message()},
        )
        response.status_code = 413
        return response
    if "refresh_captcha" in request.POST:
        # A new captcha image without JavaScript: the page again with what was typed (the
        # chosen files must be chosen again: a browser never re-sends them).
        initial = {k: v for k, v in request.POST.dict().items() if k not in {"captcha_0", "captcha_1"}}
        return _page(request, "public_submit.html", {"form": SubmissionForm(initial=initial)})
    address = client_address()
    try:
        submissions.check_submission_limit(address)
    except submissions.RateLimited as error:
        return _limited(
            request, error, "public_submit.html", {"form": SubmissionForm(initial=request.POST.dict())}
        )
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submission = submissions.submission_create(
                organization=data["organization"],
                kind=data["kind"],
                full_name=data["full_name"],
                address=data["address"],
                id_number=data["id_number"],
                phone=data["phone"],
                email=data["email"],
                respondent=data["respondent"],
                locality=data["locality"],
                content=data["content"],
                files=data["files"],
                client_address=address,
            )
        except submissions.RateLimited as error:
            return _limited(
                request, error, "public_submit.html", {"form": SubmissionForm(initial=request.POST.dict())}
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[SESSION_KEY] = submission.tracking_code
            return redirect("citizens:sent")
    return _page(request, "public_submit.html", {"form": form}, status=200)


@login_not_required
@never_cache
@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    """The tracking code of the letter just sent, shown once, to write down."""
    code = request.session.pop(SESSION_KEY, None)
    if not code:
        return redirect("citizens:track")
    status = submissions.tracking_status(code)
    return _page(request, "public_sent.html", {"code": code, "status": status})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Following a letter by its code (POST: the code stays out of URLs and logs)."""
    if request.method == "GET":
        return _page(request, "public_track.html", {"form": LookupForm()})
    form = LookupForm(request.POST)
    status = None
    if form.is_valid():
        try:
            submissions.take_lookup(client_address())
        except submissions.RateLimited as error:
            return _limited(request, error, "public_track.html", {"form": form})
        status = submissions.tracking_status(form.cleaned_data["code"])
        if status is None:
            form.add_error("code", "Không tìm thấy đơn có mã này. Hãy kiểm tra lại mã (dạng DT-XXXX-XXXX).")
    return _page(request, "public_track.html", {"form": form, "status": status})


@login_not_required
@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    """The published reception schedule, by organisation, from today on."""
    groups: dict[int, dict[str, Any]] = {}
    for session in sessions.published_sessions()[:500]:
        group = groups.setdefault(
            session.organization_id, {"organization": session.organization, "sessions": []}
        )
        group["sessions"].append(session)
    return _page(request, "public_schedule.html", {"groups": list(groups.values())})


@login_not_required
@require_GET
def captcha_image(request: HttpRequest, key: str, scale: int = 1) -> HttpResponse:
    """The captcha's picture, drawn here (the library's view, open without sign-in)."""
    response: HttpResponse = library_captcha_image(request, key, scale=scale)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("citizens:submit"))
