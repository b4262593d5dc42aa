"""The tally gains the giving organisation, so that "tasks an organisation gave" is read
from it too. The counts are derived data: they are emptied, the column added, and rebuilt
from the tasks."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, DateField
from django.db.models.functions import Coalesce, TruncMonth


def empty(apps, schema_editor):
    TaskTally = apps.get_model("tasks", "TaskTally")
    if schema_editor.connection.vendor == "postgresql":
        # TRUNCATE, not DELETE: deleted rows leave deferred foreign-key trigger events
        # pending, and PostgreSQL then refuses the ALTER TABLE that follows in this
        # transaction ("cannot ALTER TABLE … because it has pending trigger events").
        schema_editor.execute(f'TRUNCATE TABLE "{TaskTally._meta.db_table}"')
    else:
        TaskTally.objects.all().delete()


def rebuild(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    TaskTally = apps.get_model("tasks", "TaskTally")
    rows = (
        Task.objects.annotate(month=TruncMonth(Coalesce("original_due_date", "assigned_on"), output_field=DateField()))
        .values("organization_id", "lead_organization_id", "month", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    TaskTally.objects.bulk_create(
        [
            TaskTally(
                giver_id=r["organization_id"],
                organization_id=r["lead_organization_id"],
                month=r["month"],
                outcome=r["outcome"],
                count=r["n"],
            )
            for r in rows
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_organization_is_office"),
        ("tasks", "0002_vietnamese_holidays"),
    ]

    operations = [
        migrations.RunPython(empty, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="tasktally", name="tasktally_key"),
        migrations.AddField(
            model_name="tasktally",
            name="giver",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="orgs.organization"
            ),
        ),
        migrations.AddConstraint(
            model_name="tasktally",
            constraint=models.UniqueConstraint(
                fields=("organization", "giver", "month", "outcome"), name="tasktally_key"
            ),
        ),
        migrations.AddIndex(
            model_name="tasktally",
            index=models.Index(fields=["giver", "month"], name="tasktally_giver_month"),
        ),
        migrations.RunPython(rebuild, empty),
    ]
