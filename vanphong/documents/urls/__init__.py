from django.urls import include, path

from vanphong.documents.urls import files as urls_files
from vanphong.documents.urls import incoming as urls_incoming
from vanphong.documents.urls import outgoing as urls_outgoing
from vanphong.documents.urls import registers as urls_registers

app_name = "documents"
urlpatterns = [
    path("", include(urls_incoming)),
    path("", include(urls_outgoing)),
    path("", include(urls_files)),
    path("", include(urls_registers)),
]
