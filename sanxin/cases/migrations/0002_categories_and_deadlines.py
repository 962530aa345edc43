from django.db import migrations

CATEGORIES = [
    ("financing", "融资"), ("employment", "用工"), ("land", "用地规划"), ("licensing", "审批证照"),
    ("policy", "政策兑现"), ("utilities", "水电气"), ("logistics", "物流交通"),
    ("legal", "法律纠纷"), ("talent", "科技人才"), ("other", "其他"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})
    utilities = Category.objects.get(code="utilities")
    # Beijing's draft standard: emergencies 2 h, water/power/gas 24 h, general 7, complex 15 days.
    DeadlineRule.objects.get_or_create(urgency="urgent", category=None, defaults={"hours": 2})
    DeadlineRule.objects.get_or_create(urgency="normal", category=utilities, defaults={"hours": 24})
    DeadlineRule.objects.get_or_create(urgency="normal", category=None, defaults={"working_days": 7})
    DeadlineRule.objects.get_or_create(urgency="complex", category=None, defaults={"working_days": 15})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
