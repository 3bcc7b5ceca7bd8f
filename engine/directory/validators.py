"""Identity numbers of China: 统一社会信用代码 (GB 32100) and 居民身份证号 (GB 11643). D6."""
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Refuse a 统一社会信用代码 that is malformed or whose check character is wrong."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters, this one has %(n)d."), code="uscc_length", params={"n": len(code)}
        )
    if not USCC_PATTERN.match(code):
        raise ValidationError(
            _("The unified social credit code contains characters that are not allowed (I, O, Z, S and V are not used)."), code="uscc_chars"
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("Wrong check character in the unified social credit code: expected %(expected)s, found %(actual)s."),
            code="uscc_check",
            params={"expected": expected, "actual": code[17]},
        )


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """Return the GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def validate_id_number(value: str) -> None:
    """Refuse a 居民身份证号 with a wrong length, birth date or check digit."""
    number = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("An ID card number has 18 characters: 17 digits, then a digit or X."), code="id_format")
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The date of birth in the ID card number is not valid."), code="id_birth") from None
    if number[17] != id_check_char(number[:17]):
        raise ValidationError(_("Wrong check digit in the ID card number."), code="id_check")


def mask_id_number(value: str) -> str:
    """D6: show the first four and the last four characters only, e.g. 4101**********123X."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_phone(value: str) -> str:
    """D6: 138****5678."""
    if not value or len(value) < 7:
        return "*" * len(value or "")
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
