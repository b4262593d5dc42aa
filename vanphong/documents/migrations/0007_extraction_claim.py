"""The extraction jobs claim a row before reading it (documents/jobs.py): when a row's
reading was last queued, and which job claimed it and when.

Pending rows are counted as queued when they came (so the sweep takes a file lost while the
broker was down as before). A pending row carrying the mark an earlier job wrote in its note
while it read (the way before claims) is claimed as of now by no job: once the claim is
older than the hard time limit the sweep queues it again, and that job refuses it, as the
job delivered again after a dead worker did."""

import django.utils.timezone
from django.db import migrations, models

# The marks of the way before (documents/jobs.py, never translated).
FILE_MARK = "Đang đọc nội dung tệp."
ARRIVAL_MARK = "Đang đọc nội dung văn bản đến."


def claims_from_marks(apps, schema_editor):
    DocumentFile = apps.get_model("documents", "DocumentFile")
    Arrival = apps.get_model("documents", "Arrival")
    claimed = {
        "extraction_note": "",
        "extraction_claim": "before-claims",
        "extraction_claimed_at": django.utils.timezone.now(),
    }
    files = DocumentFile.objects.filter(extraction="pending")
    files.update(extraction_queued_at=models.F("uploaded_at"))
    files.filter(extraction_note=FILE_MARK).update(**claimed)
    # A file registered from an arrival while the arrival was read took its mark along.
    files.filter(extraction_note=ARRIVAL_MARK).update(extraction_note="")
    arrivals = Arrival.objects.filter(extraction="pending")
    arrivals.update(extraction_queued_at=models.F("received_at"))
    arrivals.filter(extraction_note=ARRIVAL_MARK).update(**claimed)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0006_outgoing_boxes"),
    ]

    operations = [
        migrations.AddField(
            model_name="arrival",
            name="extraction_claim",
            field=models.CharField(blank=True, max_length=64, verbose_name="mã lần đọc nội dung"),
        ),
        migrations.AddField(
            model_name="arrival",
            name="extraction_claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu đọc nội dung lúc"),
        ),
        migrations.AddField(
            model_name="arrival",
            name="extraction_queued_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="xếp hàng đọc nội dung lúc"
            ),
        ),
        migrations.AddField(
            model_name="documentfile",
            name="extraction_claim",
            field=models.CharField(blank=True, max_length=64, verbose_name="mã lần đọc nội dung"),
        ),
        migrations.AddField(
            model_name="documentfile",
            name="extraction_claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu đọc nội dung lúc"),
        ),
        migrations.AddField(
            model_name="documentfile",
            name="extraction_queued_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="xếp hàng đọc nội dung lúc"
            ),
        ),
        migrations.RunPython(claims_from_marks, migrations.RunPython.noop),
    ]
