from django.urls import path

from vanphong.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.organization_detail, name="organization_detail"),
    path("<int:pk>/them-can-bo/", views.person_create, name="person_create"),
    path("<int:pk>/giao-vai-tro/", views.role_assign, name="role_assign"),
    path("<int:pk>/giao-bien-che/", views.quota_set, name="quota_set"),
    path("bien-che/", views.staffing, name="staffing"),
    path("can-bo/", views.person_list_view, name="person_list"),
    path("can-bo/<int:pk>/", views.person_detail, name="person_detail"),
    path("can-bo/<int:pk>/sua/", views.person_edit, name="person_edit"),
    path("can-bo/<int:pk>/thoi-cong-tac/", views.person_deactivate, name="person_deactivate"),
    path("can-bo/<int:pk>/uy-quyen/", views.delegation_create, name="delegation_create"),
    path("vai-tro/<int:pk>/ket-thuc/", views.role_end, name="role_end"),
    path("uy-quyen/<int:pk>/thu-hoi/", views.delegation_revoke, name="delegation_revoke"),
]
