from django.urls import path

from vanphong.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:seq>/", views.event_detail, name="detail"),
    path("kiem-tra-chuoi/", views.chain_verify, name="verify"),
]
