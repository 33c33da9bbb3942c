"""Seed 2004–2026 holidays and 调休 make-up workdays from the chinese-calendar package."""

from django.db import migrations


def seed(apps, schema_editor):
    from fazhi.core.calendar.seed import SEED_SOURCE, SEED_YEARS, package_days

    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    rows = []
    for year in SEED_YEARS:
        rows += [CalendarDay(date=d, kind=kind, name=name) for d, kind, name in package_days(year)]
        CalendarYear.objects.update_or_create(year=year, defaults={"source": SEED_SOURCE})
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("workcalendar", "CalendarDay").objects.all().delete()
    apps.get_model("workcalendar", "CalendarYear").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
