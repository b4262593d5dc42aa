"""Everything under /api/: API v1, its OpenAPI schema and the docs pages.

Each app registers its viewsets on ``router`` here. The catch-all at the end answers any
other /api/ path with the JSON error; keep it last."""

from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from vanphong.api.views import SchemaView, TokenView, not_found
from vanphong.orgs.api.views import OrganizationViewSet, PersonViewSet, UnitViewSet

app_name = "api"

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("units", UnitViewSet, basename="unit")
router.register("people", PersonViewSet, basename="person")

v1: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("", include(router.urls)),
    path("", include("vanphong.documents.api.urls")),
    path("", include("vanphong.search.api.urls")),
    path("", include("vanphong.tasks.api.urls")),
    path("", include("vanphong.programs.api.urls")),
    path("", include("vanphong.reporting.api.urls")),
    path("", include("vanphong.petitions.api.urls")),
    path("", include("vanphong.records.api.urls")),
    path("", include("vanphong.logistics.api.urls")),
    path("", include("vanphong.exchange.api.urls")),
]

urlpatterns = [
    path("v1/", include(v1)),
    # The schema answers signed-in callers, by session or bearer token (401 otherwise);
    # the docs pages are for people signed in on the website (redirect to sign-in).
    path("schema/", SchemaView.as_view(), name="schema"),
    path(
        "docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="api:schema", title="vanphong API")),
        name="docs",
    ),
    path(
        "redoc/",
        login_required(
            SpectacularRedocView.as_view(
                url_name="api:schema", title="vanphong API", template_name="api/redoc.html"
            )
        ),
        name="redoc",
    ),
    # [\s\S], not ".": a path holding a newline (/api/v1/%0d%0a) is an API path too.
    re_path(r"^[\s\S]*$", not_found, name="not_found"),
]
