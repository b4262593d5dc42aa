"""The public holidays are now computed for every year (``vanphong.tasks.public_holidays``):
move the working-day due date (``effective_due``) of the open tasks that fall on one."""

import datetime as dt

from django.conf import settings
from django.db import migrations

OPEN = 0  # Outcome.OPEN


def refresh(apps, schema_editor):
    from vanphong.tasks.public_holidays import public_holiday_dates

    CalendarDay = apps.get_model("tasks", "CalendarDay")
    Task = apps.get_model("tasks", "Task")
    rows = dict(CalendarDay.objects.values_list("date", "kind"))
    weekend = frozenset(settings.VANPHONG_WEEKEND_DAYS)

    def worked(day):
        if day in rows:
            return rows[day] != "holiday"
        return day not in public_holiday_dates(day.year) and day.weekday() not in weekend

    dues = Task.objects.filter(outcome=OPEN, due_date__isnull=False).values_list("due_date", flat=True)
    for due in sorted(set(dues)):
        effective = due
        for _ in range(60):
            if worked(effective):
                break
            effective += dt.timedelta(days=1)
        Task.objects.filter(outcome=OPEN, due_date=due).exclude(effective_due=effective).update(
            effective_due=effective
        )


class Migration(migrations.Migration):
    dependencies = [("tasks", "0005_taskparty_shared_party_target")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
