"""The citizens' public pages, under /cong-dan/ (namespace "citizens", no sign-in)."""

from django.urls import path, re_path

from vanphong.petitions import views_public

urlpatterns: list = [
    path("", views_public.home, name="home"),
    path("gui-don/", views_public.submit, name="submit"),
    path("gui-don/da-gui/", views_public.sent, name="sent"),
    path("tra-cuu/", views_public.track, name="track"),
    path("lich-tiep/", views_public.schedule, name="schedule"),
    # The captcha's picture (django-simple-captcha, drawn locally); the refresh is a plain
    # button of the form and there is no audio (no offline speech engine installed).
    re_path(r"^captcha/image/(?P<key>\w+)/$", views_public.captcha_image, name="captcha_image"),
    re_path(
        r"^captcha/image/(?P<key>\w+)@2/$", views_public.captcha_image, {"scale": 2}, name="captcha_image_2x"
    ),
]
