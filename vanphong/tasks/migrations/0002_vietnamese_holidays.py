"""The public holidays and bridges announced for cán bộ, công chức in 2025 and 2026 (Bộ luật
Lao động 2019 Art. 112, and the yearly notices of the Ministry). Later years are entered by
an administrator when the Government announces them (Django admin: "lịch ngày nghỉ")."""

import datetime as dt

from django.db import migrations

D = dt.date
HOLIDAYS = [
    (D(2025, 1, 1), "holiday", "Tết Dương lịch"),
    *[(D(2025, 1, d), "holiday", "Tết Nguyên đán Ất Tỵ") for d in (27, 28, 29, 30, 31)],
    (D(2025, 4, 7), "holiday", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    (D(2025, 4, 26), "working", "Làm bù cho ngày nghỉ 02/5/2025"),
    (D(2025, 4, 30), "holiday", "Ngày Chiến thắng (30/4)"),
    (D(2025, 5, 1), "holiday", "Ngày Quốc tế Lao động (1/5)"),
    (D(2025, 5, 2), "holiday", "Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)"),
    (D(2025, 9, 1), "holiday", "Quốc khánh (ngày liền kề)"),
    (D(2025, 9, 2), "holiday", "Quốc khánh"),
    (D(2026, 1, 1), "holiday", "Tết Dương lịch"),
    *[(D(2026, 2, d), "holiday", "Tết Nguyên đán Bính Ngọ") for d in (16, 17, 18, 19, 20)],
    (D(2026, 4, 27), "holiday", "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch rơi vào Chủ nhật 26/4)"),
    (D(2026, 4, 30), "holiday", "Ngày Chiến thắng (30/4)"),
    (D(2026, 5, 1), "holiday", "Ngày Quốc tế Lao động (1/5)"),
    (D(2026, 9, 1), "holiday", "Quốc khánh (ngày liền kề)"),
    (D(2026, 9, 2), "holiday", "Quốc khánh"),
]


def add(apps, schema_editor):
    CalendarDay = apps.get_model("tasks", "CalendarDay")
    for day, kind, name in HOLIDAYS:
        CalendarDay.objects.get_or_create(date=day, defaults={"kind": kind, "name": name})


def remove(apps, schema_editor):
    CalendarDay = apps.get_model("tasks", "CalendarDay")
    CalendarDay.objects.filter(date__in=[d for d, _k, _n in HOLIDAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
