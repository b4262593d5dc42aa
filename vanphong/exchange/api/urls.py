"""The exchange's API routes under /api/v1/ (included by vanphong/api/urls.py)."""

from django.urls import path

from vanphong.exchange.api import views

urlpatterns: list = [
    path("outgoing/<int:pk>/edxml/", views.PackageEdxmlView.as_view(), name="outgoing-edxml"),
    path("outgoing/<int:pk>/exchange/", views.DocumentExchangeView.as_view(), name="outgoing-exchange"),
    path("exchange/import/", views.ImportView.as_view(), name="exchange-import"),
    path("exchange/inbox/", views.InboxView.as_view(), name="exchange-inbox"),
    path("exchange/packages/", views.PackageListView.as_view(), name="exchange-package-list"),
    path("exchange/packages/<int:pk>/", views.PackageDetailView.as_view(), name="exchange-package-detail"),
    path(
        "exchange/packages/<int:pk>/register/",
        views.PackageRegisterView.as_view(),
        name="exchange-package-register",
    ),
    path("exchange/figures/", views.LowerFiguresListView.as_view(), name="exchange-figures-list"),
    path("exchange/deliveries/", views.DeliveryListView.as_view(), name="exchange-delivery-list"),
    path(
        "exchange/deliveries/<int:pk>/retry/",
        views.DeliveryRetryView.as_view(),
        name="exchange-delivery-retry",
    ),
]
