from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from vanphong.core.pending import pending_for
from vanphong.web.health import check_broker, check_database


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"pending": pending_for(request.user), "nav_active": "home"})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database, broker = check_database(), check_broker()
    ok = database is None and broker is None
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "database": "ok" if database is None else database,
            "broker": "ok" if broker is None else broker,
        },
        status=200 if ok else 503,
    )
