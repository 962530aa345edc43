"""Identifier validators: python-stdnum does the arithmetic, we give the user a clear message."""
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength


def normalize_text(value: str | None) -> str:
    """Full-width to half-width (NFKC) and stray spaces removed, as spreadsheets deliver them."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def normalize_code(value: str | None) -> str:
    """An identifier: NFKC, no spaces at all, upper case."""
    return "".join(normalize_text(value).split()).upper()


# GB 32100-2015 position 1 (registering authority) → the position-2 kinds it may issue.
CREDIT_CODE_KINDS: dict[str, str] = {
    "1": "1239",   # 机构编制: 机关, 事业单位, 中央编办直管机构, 其他
    "2": "19",     # 外交
    "3": "12345",  # 司法行政
    "4": "19",     # 文化
    "5": "1239",   # 民政: 社会团体, 民办非企业单位 (社会服务机构), 基金会, 其他
    "6": "129",    # 旅游
    "7": "129",    # 宗教
    "8": "19",     # 工会
    "9": "123",    # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",     # 中央军委改革和编制办公室
    "N": "1239",   # 农业
    "Y": "1",      # 其他
}


def _check_credit_code_components(code: str) -> None:
    if code[1] not in CREDIT_CODE_KINDS.get(code[0], ""):
        raise InvalidComponent()


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015)."""
    code = normalize_code(value)
    try:
        uscc.validate(code)
        _check_credit_code_components(code)
    except InvalidLength as exc:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="credit_code_length", params={"n": len(code)},
        ) from exc
    except InvalidFormat as exc:
        raise ValidationError(
            _("A unified social credit code uses digits and capital letters except I, O, S, V, Z."),
            code="credit_code_format",
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong: "
              "a character was probably mistyped."),
            code="credit_code_checksum",
        ) from exc
    except InvalidComponent as exc:
        raise ValidationError(
            _("This unified social credit code has an invalid registering authority, "
              "kind or area part."),
            code="credit_code_component",
        ) from exc


def _known_area_code(code: str) -> bool:
    """The 6-digit area part names a county that exists or existed (GB/T 2260).

    python-stdnum also demands that the county existed in the birth year, which refuses real
    numbers: 500102 (涪陵区) dates from 1997, yet members born before 1997 carry it."""
    from stdnum import numdb

    parts = dict(numdb.get("cn/loc").info(code[:6]))
    return any("county" in props for props in parts.values())


def _validate_ric(code: str) -> None:
    try:
        ric.validate(code)
    except KeyError as exc:  # python-stdnum fails this way on some retired area codes (513501…)
        raise InvalidComponent() from exc
    except InvalidComponent:
        ric.get_birth_date(code)  # a real calendar date, else InvalidComponent again
        if not _known_area_code(code):
            raise


def validate_id_number(value: str) -> None:
    """居民身份证号 (GB 11643)."""
    code = normalize_code(value)
    try:
        _validate_ric(code)
    except InvalidLength as exc:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(n)d."),
            code="id_number_length", params={"n": len(code)},
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check character of this ID number is wrong: a digit was probably mistyped."),
            code="id_number_checksum",
        ) from exc
    except (InvalidFormat, InvalidComponent) as exc:
        raise ValidationError(
            _("This is not a valid resident ID number (format, area or birth date)."),
            code="id_number_format",
        ) from exc


def validate_phone(value: str) -> None:
    digits = normalize_code(value).replace("-", "")
    if not digits.isdigit() or not 7 <= len(digits) <= 12:
        raise ValidationError(
            _("A phone number has 7 to 12 digits (a mobile has 11)."), code="phone_format"
        )
