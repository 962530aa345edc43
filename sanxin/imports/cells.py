"""Turning spreadsheet cells into clean values, the way districts' spreadsheets really arrive:
numbers where codes should be, full-width characters, stray spaces, 是/否, dates as text."""
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from operator import mul
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sanxin.core.validators import normalize_code, normalize_text

SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?E[+-]?\d+$", re.IGNORECASE)
TRUE_WORDS = {"1", "y", "yes", "true", "t", "是", "有", "√", "✓", "对"}
FALSE_WORDS = {"0", "n", "no", "false", "f", "否", "无", "没有", "×", "✗", "错"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


class CellError(ValueError):
    """A cell that cannot be read; the message is for the user, `column` names it when the
    error is raised away from the cell (e.g. while comparing with the current row)."""

    def __init__(self, message: str, column=None):
        super().__init__(message)
        self.column = column


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = str(value)
    if value.isascii():  # NFKC changes nothing in ASCII: skip it, a large file has millions of cells
        return " ".join(value.split())
    return normalize_text(value)


def code(value: Any, *, length: int = 18) -> str:
    """An identifier such as a credit code or an ID number.

    Excel stores numbers as doubles with 15 significant digits: an 18-digit code typed into a
    General cell comes back as 9.15001E+17 (a float or that text) with its last digits gone.
    We refuse those instead of guessing. An exact integer of the right length (written by a
    program, not by Excel) keeps every digit and is accepted.
    """
    if isinstance(value, bool):
        raise CellError(_("Expected a code, found a yes/no value."))
    if isinstance(value, int):
        digits = str(value)
        if len(digits) == length:
            return digits
        raise CellError(_("This code was stored as a number and has %(n)d digits instead of "
                          "%(length)d: format the column as text and enter the code again.")
                        % {"n": len(digits), "length": length})
    if isinstance(value, float | Decimal):
        raise CellError(_("Excel turned this code into a number (%(shown)s) and its last digits were "
                          "lost: format the column as text and enter the code again.")
                        % {"shown": f"{value:.5E}"})
    result = normalize_code(value).replace("-", "")
    # A real code can read like scientific notation (9150010239063E3511 is a valid credit code);
    # Excel's rendering of a number is never the code's full length.
    if SCIENTIFIC.match(result) and len(result) != length:
        raise CellError(_("Excel turned this code into a number (%(shown)s) and its last digits were "
                          "lost: format the column as text and enter the code again.")
                        % {"shown": result})
    if result.endswith(".0") and result[:-2].isdigit():
        raise CellError(_("This code was stored as a number (%(shown)s): format the column as text "
                          "and enter the code again.") % {"shown": result})
    return result


def integer(value: Any, *, minimum: int | None = 0) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Expected a whole number."))
    if isinstance(value, int):
        number = value
    else:
        raw = normalize_code(value).replace(",", "")
        try:
            parsed = Decimal(raw)
        except InvalidOperation as exc:
            raise CellError(_("Expected a whole number, found “%(value)s”.") % {"value": raw}) from exc
        if parsed != parsed.to_integral_value():
            raise CellError(_("Expected a whole number, found “%(value)s”.") % {"value": raw})
        number = int(parsed)
    if minimum is not None and number < minimum:
        raise CellError(_("The number cannot be below %(minimum)d.") % {"minimum": minimum})
    return number


def decimal_number(value: Any, *, low: float, high: float) -> float | None:
    if is_blank(value):
        return None
    try:
        number = float(value) if isinstance(value, int | float) else float(normalize_code(value))
    except ValueError as exc:
        raise CellError(_("Expected a number, found “%(value)s”.") % {"value": text(value)}) from exc
    if not low <= number <= high:
        raise CellError(_("The number must be between %(low)s and %(high)s.") % {"low": low, "high": high})
    return number


def boolean(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Expected yes or no (是/否), found “%(value)s”.") % {"value": text(value)})


def day(value: Any) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = normalize_code(value)
    try:
        return date.fromisoformat(raw)  # the usual case, and much faster than strptime
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(_("Expected a date such as 2024-08-04, found “%(value)s”.") % {"value": text(value)})


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_is_valid(code: str) -> bool:
    """The same rules as sanxin.core.validators.validate_credit_code (GB 32100 via python-stdnum),
    computed without exceptions: a million-row file spends most of its time here otherwise.
    Only a True answer is trusted; on False the full validator gives the message."""
    from sanxin.core.validators import CREDIT_CODE_KINDS

    if len(code) != 18 or not code[:8].isascii() or not code[:8].isdigit():
        return False
    try:
        total = sum(map(mul, map(_USCC_VALUE.__getitem__, code[:17]), _USCC_WEIGHTS))
    except KeyError:
        return False
    if code[17] not in _USCC_VALUE or _USCC_ALPHABET[(31 - total) % 31] != code[17]:
        return False
    return code[1] in CREDIT_CODE_KINDS.get(code[0], "")


def validated(validator, value: str) -> str:
    """Run a model validator and turn its ValidationError into a CellError."""
    try:
        validator(value)
    except ValidationError as exc:
        raise CellError(" ".join(str(m) for m in exc.messages)) from exc
    return value


def display(value: Any) -> str:
    """How a raw cell is echoed back in a problem list (short)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15G}"
    return str(value)[:200]
