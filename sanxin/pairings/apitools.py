"""API helpers shared by the pairings and chains routers: a service's ValidationError becomes a
400 body that names the field; nothing was saved."""
from django.core.exceptions import ValidationError
from ninja import Schema


class ValidationErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: dict[str, list[str]] = {}


def error_body(exc: ValidationError) -> tuple[int, dict]:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for e in errs for m in e.messages]
                  for field, errs in exc.error_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    field, messages = next(iter(errors.items()))
    return 400, {"code": "invalid", "message": messages[0],
                 "field": None if field == "__all__" else field, "errors": errors}


def scoped_or_400(queryset, pk: int | None, field: str, message: str):
    """Resolve an ID given in an API body inside the caller's scope, or refuse naming the field."""
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise ValidationError({field: message})
    return row
