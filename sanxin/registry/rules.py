"""Registry rules, one named definition each."""
from django.db.models import BooleanField, Case, Q, Value, When

# "三有" scope for enterprise party building: fixed premises, at least 10 employees, operating.
SANYOU_MIN_EMPLOYEES = 10


def sanyou_condition() -> Q:
    """The "三有" rule as a database condition (used by the generated column)."""
    return Q(has_premises=True, employees__gte=SANYOU_MIN_EMPLOYEES, status="operating")


def sanyou_expression() -> Case:
    return Case(When(sanyou_condition(), then=Value(True)), default=Value(False),
                output_field=BooleanField())


def is_sanyou(*, has_premises: bool, employees: int | None, status: str) -> bool:
    """The same rule for one unsaved row (forms, imports)."""
    return bool(has_premises and employees is not None and employees >= SANYOU_MIN_EMPLOYEES
                and status == "operating")
