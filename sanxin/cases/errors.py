"""Errors of case writes: each carries a translated message, the field at fault and a code."""
from django.utils.functional import Promise


class CaseError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str | Promise, field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


class Forbidden(CaseError):
    code = "forbidden"
    status = 403


class InvalidState(CaseError):
    code = "invalid_state"
    status = 409


class ChangedMeanwhile(CaseError):
    code = "changed_meanwhile"
    status = 409
