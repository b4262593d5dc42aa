from django.urls import include, path

from . import urls_files, urls_incoming, urls_outgoing, urls_registers

app_name = "documents"
urlpatterns = [
    path("", include(urls_incoming)),
    path("", include(urls_outgoing)),
    path("", include(urls_files)),
    path("", include(urls_registers)),
]
