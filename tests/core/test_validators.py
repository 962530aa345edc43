import pytest
from django.core.exceptions import ValidationError

from sanxin.core.masking import mask_id_number, mask_phone
from sanxin.core.validators import normalize_code, validate_credit_code, validate_id_number


def test_reference_code_passes_and_spaces_fullwidth_are_tolerated():
    validate_credit_code("91110000600037341L")
    validate_credit_code(" ９１１１００００６０００３７３４１ｌ ")


@pytest.mark.parametrize("code,error", [
    ("91110000600037341", "credit_code_length"),
    ("91110000600037341LL", "credit_code_length"),
    ("91110000600037341M", "credit_code_checksum"),   # last character changed
    ("91110000600037342L", "credit_code_checksum"),   # one digit changed
    ("9111000060003734IL", "credit_code_format"),     # I is not in the alphabet
    ("9A110000600037341L", "credit_code_format"),     # letters where digits belong
    ("", "credit_code_length"),
])
def test_corrupted_credit_codes_fail_with_reason(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == error


def test_credit_code_kind_must_match_authority():
    from stdnum.cn import uscc

    body = "97500102MA5U5B2T0"  # 工商 (9) issues kinds 1, 2, 3 only
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(body + uscc.calc_check_digit(body))
    assert exc.value.code == "credit_code_component"


def test_id_numbers():
    validate_id_number("11010519491231002X")
    with pytest.raises(ValidationError) as exc:
        validate_id_number("110105194912310021")
    assert exc.value.code == "id_number_checksum"
    with pytest.raises(ValidationError):
        validate_id_number("1101051949123100")


def test_normalize_and_masks():
    assert normalize_code(" ｍａ５ｕ ") == "MA5U"
    assert mask_id_number("50010219900101123X") == "500102********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""


def _with_check(body: str) -> str:
    from stdnum.cn import ric

    return body + ric.calc_check_digit(body + "0")


def test_fuling_id_numbers_are_valid_whatever_the_birth_year():
    # 500102 (涪陵区) exists since 1997; members born earlier carry it too
    validate_id_number(_with_check("50010219900307123"))
    validate_id_number(_with_check("50010220010307123"))


def test_id_numbers_with_unknown_area_or_impossible_date_are_refused():
    with pytest.raises(ValidationError) as exc:
        validate_id_number(_with_check("99999919900307123"))  # no such area
    assert exc.value.code == "id_number_format"
    with pytest.raises(ValidationError) as exc:
        validate_id_number(_with_check("50010219900230123"))  # 30 February
    assert exc.value.code == "id_number_format"


def test_retired_area_codes_that_crash_stdnum_get_a_message():
    with pytest.raises(ValidationError) as exc:
        validate_id_number(_with_check("51350119800101123"))
    assert exc.value.code == "id_number_format"
