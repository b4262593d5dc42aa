from django.urls import path

from vanphong.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("xac-thuc/", views.otp_view, name="otp"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("doi-mat-khau/", views.password_change_view, name="password_change"),
    path("quan-ly/", views.user_list, name="user_list"),
    path("quan-ly/<int:account_id>/", views.user_detail, name="user_detail"),
    path("quan-ly/<int:account_id>/dat-lai-mat-khau/", views.user_reset_password, name="user_reset_password"),
    path("quan-ly/<int:account_id>/mo-khoa/", views.user_unlock, name="user_unlock"),
    path("quan-ly/<int:account_id>/trang-thai/", views.user_set_active, name="user_set_active"),
    path("quan-ly/<int:account_id>/xoa-xac-thuc/", views.user_totp_reset, name="user_totp_reset"),
]
