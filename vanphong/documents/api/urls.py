"""All document API routes, under /api/v1/."""

from vanphong.documents.api import files, incoming, outgoing, registers

urlpatterns: list = []
for _module in (incoming, outgoing, files, registers):
    urlpatterns += _module.urlpatterns
    urlpatterns += _module.router.urls
