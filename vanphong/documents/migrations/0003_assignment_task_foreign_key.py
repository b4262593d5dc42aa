"""``Assignment.task_id`` (a bare number filled by the task engine's receiver) becomes a real
foreign key set by the direction service. The ids already there are kept (those of tasks
that still exist); the person's reverse name goes with the shared ``orgs.PartyTarget``."""

import django.db.models.deletion
from django.db import migrations, models


def copy_task_ids(apps, schema_editor):
    Assignment = apps.get_model("documents", "Assignment")
    Task = apps.get_model("tasks", "Task")
    existing = Task.objects.filter(pk=models.OuterRef("task_number"))
    Assignment.objects.filter(task_number__isnull=False).filter(models.Exists(existing)).update(
        task_id=models.F("task_number")
    )


def copy_task_ids_back(apps, schema_editor):
    Assignment = apps.get_model("documents", "Assignment")
    Assignment.objects.filter(task__isnull=False).update(task_number=models.F("task_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_incoming_presented"),
        ("orgs", "0003_organization_is_office"),
        ("tasks", "0004_open_task_indexes"),
    ]

    operations = [
        migrations.RenameField(model_name="assignment", old_name="task_id", new_name="task_number"),
        migrations.AddField(
            model_name="assignment",
            name="task",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assignments",
                to="tasks.task",
                verbose_name="nhiệm vụ",
            ),
        ),
        migrations.RunPython(copy_task_ids, copy_task_ids_back),
        migrations.RemoveField(model_name="assignment", name="task_number"),
        migrations.AlterField(
            model_name="assignment",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="orgs.person",
                verbose_name="cán bộ",
            ),
        ),
    ]
