from django.db import migrations


def seed(apps, schema_editor):
    """Copy the chinesecalendar arrangement (historical models: no signals, no cache)."""
    from chinese_calendar import constants

    Holiday = apps.get_model("core", "Holiday")
    CalendarYear = apps.get_model("core", "CalendarYear")

    def name(value):
        return str(value[1]) if isinstance(value, tuple) and len(value) > 1 else str(value)

    rows = [Holiday(date=d, is_workday=False, name=name(v)) for d, v in constants.holidays.items()]
    rows += [Holiday(date=d, is_workday=True, name=name(v)) for d, v in constants.workdays.items()]
    Holiday.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    years = sorted({d.year for d in constants.holidays})
    CalendarYear.objects.bulk_create([CalendarYear(year=y, source="package") for y in years],
                                     ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
