"""The officers' queue of letters sent online, under /don-thu/truc-tuyen/: the pending ones
of the organisations the reader registers petitions for, each opened, entered in the book
("Vào sổ") or refused with a reason ("Không vào sổ"). Rules are the services'
(``submissions``); a submission outside the reader's reach does not exist (404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.core.http import download_response
from vanphong.petitions import submissions
from vanphong.petitions.models import Kind, PetitionSubmission, SubmissionState

NAV = "petitions"


class RegisterForm(forms.Form):
    """What the officer may correct while entering the letter in the book."""

    kind = forms.ChoiceField(label="Loại đơn", choices=Kind.choices)
    content = forms.CharField(label="Nội dung tóm tắt", widget=forms.Textarea(attrs={"rows": 5}))
    respondent = forms.CharField(label="Người, cơ quan bị khiếu nại, tố cáo", max_length=500, required=False)
    locality = forms.CharField(label="Địa bàn", max_length=200, required=False)
    field = forms.CharField(label="Lĩnh vực", max_length=200, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Lý do không vào sổ",
        help_text=(
            "Người gửi đọc lý do này khi tra cứu mã (ví dụ: thư rác, không có nội dung, gửi nhầm cơ quan)."
        ),
        max_length=submissions.MAX_REASON,
        error_messages={"required": "Hãy nêu lý do không vào sổ."},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _get(request: HttpRequest, submission_id: int) -> PetitionSubmission:
    submission = submissions.submissions_for(request.user).filter(pk=submission_id).first()
    if submission is None:
        raise Http404
    return submission


@require_GET
def submission_list(request: HttpRequest) -> HttpResponse:
    pending = list(submissions.pending_for(request.user)[:200])
    decided = list(
        submissions.submissions_for(request.user)
        .exclude(state=SubmissionState.PENDING)
        .select_related("petition")
        .order_by("-decided_at", "-id")[:20]
    )
    return render(
        request,
        "petitions/submission_list.html",
        {"nav_active": NAV, "pending": pending, "decided": decided},
    )


def _render_detail(
    request: HttpRequest,
    submission: PetitionSubmission,
    *,
    register_form: RegisterForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if submission.state == SubmissionState.PENDING:
        register_form = register_form or RegisterForm(
            initial={
                "kind": submission.kind,
                "content": submission.content,
                "respondent": submission.respondent,
                "locality": submission.locality,
            }
        )
        reject_form = reject_form or RejectForm()
    shown = submissions.identity_shown(request.user, submission)
    context: dict[str, Any] = {
        "nav_active": NAV,
        "submission": submission,
        "shown": shown,
        "files": list(submission.files.all()) if shown else [],
        "register_form": register_form,
        "reject_form": reject_form,
        "protected": submission.kind == Kind.TO_CAO,
    }
    return render(request, "petitions/submission_detail.html", context, status=status)


@require_GET
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _get(request, submission_id)
    submissions.submission_read(actor=request.user, submission=submission)
    return _render_detail(request, submission)


def _petition_url(petition_id: int) -> str:
    """The petition's page (``urls_pages``); the queue if that page is not mounted."""
    for name in ("petitions:petition_detail", "petitions:detail"):
        try:
            return reverse(name, args=[petition_id])
        except NoReverseMatch:
            continue
    return reverse("petitions:submission_list")


@require_POST
def submission_register(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _get(request, submission_id)
    form = RegisterForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            petition = submissions.submission_register(
                actor=request.user,
                submission=submission,
                kind=data["kind"],
                content=data["content"],
                respondent=data["respondent"],
                locality=data["locality"],
                field=data["field"],
            )
        except submissions.SubmissionConflict as error:
            messages.error(request, " ".join(error.messages))
            return redirect("petitions:submission_detail", submission.pk)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã vào sổ đơn số {petition.number}/{petition.year}.")
            return redirect(_petition_url(petition.pk))
    return _render_detail(request, submission, register_form=form, status=400)


@require_POST
def submission_reject(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _get(request, submission_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            submissions.submission_reject(
                actor=request.user, submission=submission, reason=form.cleaned_data["reason"]
            )
        except submissions.SubmissionConflict as error:
            messages.error(request, " ".join(error.messages))
            return redirect("petitions:submission_detail", submission.pk)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã ghi không vào sổ; người gửi đọc được lý do khi tra cứu mã.")
            return redirect("petitions:submission_list")
    return _render_detail(request, submission, reject_form=form, status=400)


@require_http_methods(["GET"])
def submission_file(request: HttpRequest, submission_id: int, file_id: int) -> FileResponse:
    submission = _get(request, submission_id)
    row = submission.files.filter(pk=file_id).first()
    if row is None or not submissions.identity_shown(request.user, submission):
        raise Http404
    try:
        stream = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download_response(stream, name=row.original_name, content_type=row.content_type, sha256=row.sha256)
