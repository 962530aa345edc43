"""API helpers shared by the pairings and chains routers: a service's ValidationError becomes the
shared 422 envelope that names the field (sanxin.core.apitools); nothing was saved."""
from django.core.exceptions import ValidationError
from ninja import Status

from sanxin.core.apitools import ErrorOut, validation_error

ValidationErrorOut = ErrorOut  # the one envelope (docs/api.md, Errors)


def error_body(exc: ValidationError) -> Status:
    return validation_error(exc)


def scoped_or_400(queryset, pk: int | None, field: str, message: str):
    """Resolve an ID given in an API body inside the caller's scope, or refuse naming the field
    (a 422 through `error_body`)."""
    if pk is None:
        return None
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise ValidationError({field: message})
    return row
