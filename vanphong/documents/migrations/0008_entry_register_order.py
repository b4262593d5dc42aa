"""The register order kept on the entry (``registered_on``, ``in_classified_book``) with the
one index that reads a list in that order (docs/performance.md, "The inbox").

Existing entries get the local date of their registration and their book's kind: in one
UPDATE on PostgreSQL (the installation's time zone), in batches elsewhere."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BATCH = 2000


def fill_order(apps, schema_editor):
    RegisterEntry = apps.get_model("documents", "RegisterEntry")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE documents_registerentry AS e"
                " SET registered_on = (e.registered_at AT TIME ZONE %s)::date,"
                " in_classified_book = r.classified"
                " FROM documents_register AS r WHERE r.id = e.register_id",
                [settings.TIME_ZONE],
            )
        return
    classified = set(
        apps.get_model("documents", "Register").objects.filter(classified=True).values_list("pk", flat=True)
    )
    rows = RegisterEntry.objects.order_by("pk").only("pk", "registered_at", "register_id")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        for entry in batch:
            entry.registered_on = timezone.localdate(entry.registered_at)
            entry.in_classified_book = entry.register_id in classified
        RegisterEntry.objects.bulk_update(batch, ["registered_on", "in_classified_book"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_extraction_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="registerentry",
            name="registered_on",
            field=models.DateField(editable=False, null=True, verbose_name="ngày vào sổ"),
        ),
        migrations.AddField(
            model_name="registerentry",
            name="in_classified_book",
            field=models.BooleanField(default=False, editable=False, verbose_name="trong sổ mật"),
        ),
        migrations.RunPython(fill_order, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="registerentry",
            name="registered_on",
            field=models.DateField(editable=False, verbose_name="ngày vào sổ"),
        ),
        migrations.AddIndex(
            model_name="registerentry",
            index=models.Index(
                fields=["-registered_on", "in_classified_book", "-number", "-id"], name="documents_entry_order"
            ),
        ),
    ]
