"""The folded copy of a petition's searchable text, filled for the letters already entered."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from vanphong.core.textfold import fold_query

    Petition = apps.get_model("petitions", "Petition")
    for petition in Petition.objects.only("pk", "number", "year", "content", "respondent", "field", "locality").iterator():
        parts = [f"{petition.number}/{petition.year}", petition.content, petition.respondent, petition.field, petition.locality]
        Petition.objects.filter(pk=petition.pk).update(folded_text=fold_query(" ".join(parts)))


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0002_files_letters_sessions_submissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="folded_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
