import pytest
from django.core.exceptions import ValidationError

from engine.directory.validators import (
    mask_id_number,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

# A published, real-format 统一社会信用代码 and a known-good ID number (GB 11643 example).
GOOD_USCC = "91350100M000100Y43"
GOOD_ID = "11010519491231002X"


def test_valid_uscc_passes():
    validate_uscc(GOOD_USCC)
    assert uscc_check_char(GOOD_USCC[:17]) == GOOD_USCC[17]


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("91350100M000100Y4", "18位"),
        ("91350100M000100Y44", "校验位错误：应为 3，实际为 4"),
        ("91350100M000100YI3", "不允许的字符"),
    ],
)
def test_invalid_uscc_is_refused_with_a_clear_message(value, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(value)
    assert fragment in " ".join(exc.value.messages)


def test_id_number_check_digit():
    validate_id_number(GOOD_ID)
    with pytest.raises(ValidationError, match="校验位"):
        validate_id_number("110105194912310021")
    with pytest.raises(ValidationError, match="出生日期"):
        validate_id_number("110105194913310028")


def test_id_number_masked_d6():
    assert mask_id_number("410105199001011234") == "4101**********1234"
