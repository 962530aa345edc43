"""The default categories and deadline rules (seeded by migration 0002 and again by the demo
after a `--reset` flush). Both are editable afterwards in the admin."""

CATEGORIES = [
    ("financing", "融资"), ("employment", "用工"), ("land", "用地规划"), ("licensing", "审批证照"),
    ("policy", "政策兑现"), ("utilities", "水电气"), ("logistics", "物流交通"),
    ("legal", "法律纠纷"), ("talent", "科技人才"), ("other", "其他"),
]


def seed_defaults(category_model, rule_model) -> None:
    """Idempotent; takes the model classes so a migration can pass its historical models."""
    for order, (code, name) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})
    utilities = category_model.objects.get(code="utilities")
    # Beijing's draft standard: emergencies 2 h, water/power/gas 24 h, general 7, complex 15 days.
    rule_model.objects.get_or_create(urgency="urgent", category=None, defaults={"hours": 2})
    rule_model.objects.get_or_create(urgency="normal", category=utilities, defaults={"hours": 24})
    rule_model.objects.get_or_create(urgency="normal", category=None, defaults={"working_days": 7})
    rule_model.objects.get_or_create(urgency="complex", category=None, defaults={"working_days": 15})
