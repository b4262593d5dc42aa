"""The national bodies the symbol reader knows (``vanphong.orgs.national``), installed as
external organisations; and an index on the abbreviation it looks them up by."""

from django.db import migrations, models


def install(apps, schema_editor):
    from vanphong.orgs.national import national_install

    national_install(apps.get_model("orgs", "Organization"))


def remove(apps, schema_editor):
    from vanphong.orgs.national import national_remove

    national_remove(apps.get_model("orgs", "Organization"))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_organization_is_office"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["abbreviation"], name="orgs_org_abbreviation"),
        ),
        migrations.RunPython(install, remove),
    ]
