from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static as static_url
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

admin.site.site_header = "Quản trị Văn phòng số"
admin.site.site_title = "Văn phòng số"


@login_not_required
@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """/favicon.ico, which browsers ask for on pages that link no icon (a PDF, the API):
    the icon under /static/, by its current (hashed) name."""
    return HttpResponseRedirect(static_url("img/favicon.ico"))


urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("vanphong.web.urls")),
    path("tai-khoan/", include("vanphong.accounts.urls")),
    path("to-chuc/", include("vanphong.orgs.urls")),
    path("nhat-ky/", include("vanphong.audit.urls")),
    path("van-ban/", include("vanphong.documents.urls")),
    path("tra-cuu/", include("vanphong.search.urls")),
    path("nhiem-vu/", include("vanphong.tasks.urls")),
    path("", include("vanphong.programs.urls")),
    path("bao-cao/", include("vanphong.reporting.urls")),
    path("don-thu/", include("vanphong.petitions.urls")),
    path("ho-so/", include("vanphong.records.urls")),
    path("hau-can/", include("vanphong.logistics.urls")),
    path("lien-thong/", include("vanphong.exchange.urls")),
    path("cong-dan/", include(("vanphong.petitions.urls_public", "citizens"))),
    path("thong-bao/", include("vanphong.notifications.urls")),
    path("api/", include("vanphong.api.urls")),
    path("quan-tri-he-thong/", admin.site.urls),
    path("favicon.ico", favicon),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
