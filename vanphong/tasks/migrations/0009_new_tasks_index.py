"""The tasks given and not yet accepted, newest first, under their own index (the home page)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0008_entry_register_order"),
        ("orgs", "0005_role_classified_clerk"),
        ("tasks", "0008_access_holder"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("state", "assigned")), fields=["-assigned_on", "-id"], name="task_new"
            ),
        ),
    ]
