"""A returned report's sent contents stay readable by the requester until the recipient saves a
draft after the return (``selectors``: hidden once ``updated_at`` is after ``returned_at``). The
return now writes both to the same moment; rows returned before wrote ``updated_at`` a few
milliseconds later, which would hide them: bring those in line (a row saved again since — a
second or more after its return — is a draft of corrections and stays hidden)."""

import datetime as dt

from django.db import migrations
from django.db.models import F


def align(apps, schema_editor):
    ReportSubmission = apps.get_model("reporting", "ReportSubmission")
    returned = ReportSubmission.objects.filter(state="returned", returned_at__isnull=False)
    same_moment = [
        pk
        for pk, updated, returned_at in returned.values_list("pk", "updated_at", "returned_at").iterator()
        if updated - returned_at < dt.timedelta(seconds=1)
    ]
    ReportSubmission.objects.filter(pk__in=same_moment).update(updated_at=F("returned_at"))


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_rapid_and_products")]

    operations = [migrations.RunPython(align, migrations.RunPython.noop)]
