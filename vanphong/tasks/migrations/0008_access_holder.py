"""The reach of a task as one number per row (``holder``: the organisation, or the person
negated), with the two indexes the access rule reads index-only: from the reader's
organisations and self, and from the task (docs/performance.md, "Tasks: one column")."""

import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0005_role_classified_clerk"),
        ("tasks", "0007_task_access"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="taskaccess",
            name="taskaccess_org_task",
        ),
        migrations.RemoveIndex(
            model_name="taskaccess",
            name="taskaccess_person_task",
        ),
        migrations.AddField(
            model_name="taskaccess",
            name="holder",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.comparison.Coalesce(
                    models.F("organization"),
                    django.db.models.expressions.CombinedExpression(
                        models.F("person"), "*", models.Value(-1)
                    ),
                ),
                output_field=models.BigIntegerField(),
            ),
        ),
        migrations.AlterField(
            model_name="taskaccess",
            name="task",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="tasks.task"
            ),
        ),
        migrations.AddIndex(
            model_name="taskaccess",
            index=models.Index(fields=["holder", "task", "giver"], name="taskaccess_holder_task"),
        ),
        migrations.AddIndex(
            model_name="taskaccess",
            index=models.Index(fields=["task", "holder", "giver"], name="taskaccess_task_holder"),
        ),
    ]
