from django.db import migrations


def seed(apps, schema_editor):
    from sanxin.cases.defaults import seed_defaults

    seed_defaults(apps.get_model("cases", "Category"), apps.get_model("cases", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
