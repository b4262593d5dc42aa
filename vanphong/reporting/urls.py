"""The reporting pages, under /bao-cao/."""

from django.urls import path

from vanphong.reporting import views, views_products

app_name = "reporting"
urlpatterns: list = [
    path("", views.request_list, name="request_list"),
    path("tao-moi/", views.request_create, name="request_create"),
    path("<int:request_id>/", views.request_detail, name="request_detail"),
    path("<int:request_id>/truc-tuyen/", views.live_board, name="live_board"),
    path("<int:request_id>/ket-thuc/", views.request_close, name="request_close"),
    path("<int:request_id>/tong-hop/", views.aggregate_page, name="aggregate"),
    path("<int:request_id>/tong-hop.xlsx", views.aggregate_xlsx, name="aggregate_xlsx"),
    path("<int:request_id>/tong-hop/du-thao/", views.summary, name="summary"),
    path("nop/<int:submission_id>/", views.submission_page, name="submission"),
    path("nop/<int:submission_id>/tra-lai/", views.submission_return, name="submission_return"),
    path("nop/<int:submission_id>/tep/<int:file_id>/", views.submission_file, name="submission_file"),
    # Information products (the daily report, the weekly bulletin, the thematic report).
    path("ban-tin/", views_products.product_list, name="product_list"),
    path("ban-tin/<int:product_id>/", views_products.product_page, name="product"),
    path("ban-tin/<int:product_id>/du-thao/", views_products.product_draft, name="product_draft"),
    path("ban-tin/mau/", views_products.template_list, name="template_list"),
    path("ban-tin/mau/mac-dinh/", views_products.template_defaults, name="template_defaults"),
    path("ban-tin/mau/tao-moi/", views_products.template_edit, name="template_create"),
    path("ban-tin/mau/<int:template_id>/", views_products.template_edit, name="template_edit"),
]
