"""A record type that exists only for the access tests: owned by an organisation, with a
classification, like every real record (documents, tasks, files) built on the access layer."""

from django.db import models

from vanphong.orgs.models import Classification, Organization


class Dossier(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    classification = models.PositiveSmallIntegerField(choices=Classification.choices)
    title = models.CharField(max_length=100)

    class Meta:
        app_label = "orgs"
        db_table = "test_access_dossier"

    def __str__(self) -> str:
        return self.title
