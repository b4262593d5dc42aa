"""The pages of the letter templates, under /don-thu/mau-van-ban/: the five templates
(``LetterKind``: one per handling decision, and the acceptance of a kiến nghị or phản ánh) of the
organisation the user writes for (its own wording or the default), the editing page of one
(with the fields it may use and a button back to the default), and a preview .docx made on a
sample petition built in memory (nothing saved). Every change goes through ``letters``.

The organisation is the one the user writes for, as the information products' templates
choose it (``reporting.product_sources.composing_organizations``): the organisations where
they hold WRITE, offices excepted — an office's staff edit their committee's letters, which
their office issues. With several, ``?co-quan=<id>`` chooses."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vanphong.core.forms import apply_errors
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.petitions import letters
from vanphong.petitions.forms_letters import LetterTemplateForm
from vanphong.petitions.models import Action, Kind, LetterKind, LetterTemplate, Petition, Petitioner, State

NAV = "petitions"
ORG_PARAM = "co-quan"
KIND_PARAM = "loai"


def writable_organizations(user: Actor) -> QuerySet[Organization]:
    """Where ``user`` may edit the letter templates: the organisations they write for."""
    return (
        organizations_with(user, Capability.WRITE)
        .filter(active=True, hosted=True, is_office=False)
        .order_by("depth", "path")
    )


def _organization(request: HttpRequest) -> tuple[Organization, list[Organization]]:
    choices = list(writable_organizations(request.user))
    if not choices:
        raise PermissionDenied(
            "Bạn không viết văn bản cho cơ quan nào: không sửa được mẫu văn bản xử lý đơn."
        )
    wanted = request.POST.get(ORG_PARAM) or request.GET.get(ORG_PARAM)
    if not wanted:
        return choices[0], choices
    found = next((o for o in choices if str(o.pk) == wanted), None)
    if found is None:
        raise Http404
    return found, choices


def _letter_kind(key: str) -> LetterKind:
    if key not in LetterKind.values:
        raise Http404
    return LetterKind(key)


def _with_org(url: str, organization: Organization, choices: list[Organization]) -> str:
    return f"{url}?{ORG_PARAM}={organization.pk}" if len(choices) > 1 else url


@require_GET
def letter_template_list(request: HttpRequest) -> HttpResponse:
    organization, choices = _organization(request)
    saved = {
        t.action: t
        for t in LetterTemplate.objects.filter(organization=organization).select_related("updated_by")
    }
    rows = []
    for action in LetterKind:
        own = saved.get(action.value)
        title = own.title if own else letters.DEFAULTS[action].title
        rows.append(
            {
                "action": action,
                "title": title,
                "own": own,
                "edit_url": _with_org(
                    reverse("petitions:letter_template_edit", args=[action.value]), organization, choices
                ),
                "preview_url": _with_org(
                    reverse("petitions:letter_template_preview", args=[action.value]), organization, choices
                ),
            }
        )
    return render(
        request,
        "petitions/letter_list.html",
        {"nav_active": NAV, "organization": organization, "choices": choices, "rows": rows},
    )


@require_http_methods(["GET", "POST"])
def letter_template_edit(request: HttpRequest, action: str) -> HttpResponse:
    chosen = _letter_kind(action)
    organization, choices = _organization(request)
    own = (
        LetterTemplate.objects.filter(organization=organization, action=chosen)
        .select_related("updated_by")
        .first()
    )
    title, body = letters.template_of(organization, chosen)
    current = {"title": title, "body": body, "version": own.version if own else 0}
    form = LetterTemplateForm(request.POST or None, initial=current)
    stale = False
    if request.method == "POST":
        try:
            if "reset" in request.POST:
                version = _posted_version(request)
                letters.letter_template_reset(
                    actor=request.user, organization=organization, action=chosen, version=version
                )
                messages.success(request, f"Đã khôi phục mẫu mặc định của “{chosen.label}”.")
                return redirect(_with_org(request.path, organization, choices))
            if form.is_valid():
                data = form.cleaned_data
                letters.letter_template_save(
                    actor=request.user,
                    organization=organization,
                    action=chosen,
                    title=data["title"],
                    body=data["body"],
                    version=data["version"],
                )
                messages.success(request, f"Đã lưu mẫu “{chosen.label}”.")
                return redirect(_with_org(reverse("petitions:letter_template_list"), organization, choices))
        except ValidationError as error:
            form.is_valid()  # a reset refused: the form is checked only to show the errors
            stale = "version" in getattr(error, "error_dict", {})
            apply_errors(form, error, aliases={"version": ""})
    review_url = _with_org(
        reverse("petitions:letter_template_edit", args=[LetterKind.REVIEW.value]), organization, choices
    )
    return render(
        request,
        "petitions/letter_edit.html",
        {
            "nav_active": NAV,
            "organization": organization,
            "choices": choices,
            "action": chosen,
            "form": form,
            "own": own,
            "stale": stale,
            "current": current,
            "default": letters.DEFAULTS[chosen],
            "review_url": review_url if chosen == LetterKind.ACCEPT else "",
            "placeholders": [("{" + name + "}", label) for name, label in letters.PLACEHOLDERS.items()],
            "list_url": _with_org(reverse("petitions:letter_template_list"), organization, choices),
            "preview_url": _with_org(
                reverse("petitions:letter_template_preview", args=[chosen.value]), organization, choices
            ),
            "org_param": ORG_PARAM,
            "several": len(choices) > 1,
        },
    )


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def sample_petition(
    organization: Organization, action: Action, kind: str, today: dt.date
) -> tuple[Petition, list[Petitioner]]:
    """A made-up petition of ``organization`` decided with ``action``, built in memory only
    (never saved), to show what the template gives."""
    received = today - dt.timedelta(days=5)
    petition = Petition(
        organization=organization,
        year=received.year,
        number=12,
        received_date=received,
        channel="post",
        kind=kind,
        field="Đất đai",
        respondent="Ủy ban nhân dân xã Tân Hà",
        content=(
            "Đề nghị xem xét việc thu hồi đất nông nghiệp của gia đình để làm đường giao thông "
            "nhưng chưa được bồi thường, hỗ trợ thỏa đáng."
        ),
        state=State.RECEIVED,
        process_by=today,
        action=action,
        to_organization=Organization(name="Ủy ban nhân dân huyện Lâm Hà", short_name="UBND huyện Lâm Hà")
        if action == Action.TRANSFER
        else None,
        reason={
            Action.ACCEPT: "",
            Action.TRANSFER: "Nội dung đơn thuộc thẩm quyền giải quyết của chính quyền địa phương.",
            Action.GUIDE: "Gửi đơn đến Ủy ban nhân dân huyện Lâm Hà để được giải quyết theo thẩm quyền.",
            Action.FILE: "Đơn trùng nội dung đã được xem xét, trả lời; không có tình tiết mới.",
        }[action],
        decided_on=today,
        resolve_by=today + dt.timedelta(days=30) if action == Action.ACCEPT else None,
    )
    petitioners = [Petitioner(order=1, full_name="Trần Thị Bình", address="Thôn 3, xã Tân Hà, huyện Lâm Hà")]
    return petition, petitioners


@require_GET
def letter_template_preview(request: HttpRequest, action: str) -> HttpResponse:
    chosen = _letter_kind(action)
    organization, _choices = _organization(request)
    # The sample is of a kind the letter is for: a "review" letter answers a kiến nghị or
    # phản ánh, an "accept" one a khiếu nại or tố cáo.
    kind = request.GET.get(KIND_PARAM, "")
    if chosen == LetterKind.REVIEW:
        decision = Action.ACCEPT
        kind = kind if kind in letters.REVIEW_KINDS else Kind.KIEN_NGHI
    else:
        decision = Action(chosen.value)
        if kind not in Kind.values or (decision == Action.ACCEPT and kind in letters.REVIEW_KINDS):
            kind = Kind.KHIEU_NAI
    today = timezone.localdate()
    petition, petitioners = sample_petition(organization, decision, kind, today)
    data = letters.render_letter(petition, today=today, petitioners=petitioners)
    response = HttpResponse(data, content_type=letters.DOCX)
    response["Content-Disposition"] = f'attachment; filename="Xem-thu-{letters.file_name(petition)}"'
    response["Cache-Control"] = "no-store"
    return response
