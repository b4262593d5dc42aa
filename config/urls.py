from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

admin.site.site_header = "Quản trị Văn phòng số"
admin.site.site_title = "Văn phòng số"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("vanphong.web.urls")),
    path("tai-khoan/", include("vanphong.accounts.urls")),
    path("to-chuc/", include("vanphong.orgs.urls")),
    path("nhat-ky/", include("vanphong.audit.urls")),
    path("van-ban/", include("vanphong.documents.urls")),
    path("tra-cuu/", include("vanphong.search.urls")),
    path("nhiem-vu/", include("vanphong.tasks.urls")),
    path("thong-bao/", include("vanphong.notifications.urls")),
    path("api/", include("vanphong.api.urls")),
    path("quan-tri-he-thong/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
