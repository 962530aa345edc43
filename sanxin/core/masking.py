"""Masking of personal data in lists, pages, exports and API responses."""
import re


def mask_id_number(value: str | None) -> str:
    """500102199001011234 → 500102********123X style: keep the area and the last four."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# An ID number inside free text: 6 area digits, a birth date 19xx/20xx, 3 digits and a check
# character (18), or the old 15-digit form (yymmdd). The date part keeps credit codes and long
# counts from matching in practice. Mobile numbers: 11 digits starting 13–19.
_ID_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"|\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3})(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def mask_personal_text(text: str | None) -> str:
    """Mask every ID number and mobile number found in a free text (an echoed spreadsheet cell, a
    message quoting one): for text whose column is not known to be personal."""
    if not text:
        return ""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group()), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)


MASKS = {"id_number": mask_id_number, "phone": mask_phone}


def mask_as(kind: str, value: str | None) -> str:
    """Mask a value whose kind of personal data is known ("id_number", "phone"); any other kind
    ("") still has embedded numbers masked."""
    return MASKS[kind](value) if kind in MASKS else mask_personal_text(value)
