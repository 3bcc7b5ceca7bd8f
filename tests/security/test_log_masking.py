"""D6: ID-card and mobile numbers are masked in every log record the handlers write."""
import io
import logging

import pytest
from django.conf import settings

from config.log_filters import MaskPersonalDataFilter, mask_personal_data

ID = "41010519900101123X"
MOBILE = "13812345678"


@pytest.mark.parametrize(("text", "masked"), [
    (f"身份证{ID}已核验", "身份证4101**********123X已核验"),
    (f"id={ID.lower()}", "id=4101**********123x"),
    (f"联系电话：{MOBILE}。", "联系电话：138****5678。"),
    ("+86 13912345678", "139****5678"),
    (f"{ID} {MOBILE}", "4101**********123X 138****5678"),
])
def test_personal_numbers_are_masked(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("text", [
    "ZB-2026-000042",  # reference numbers
    "订单号 12345678901234567890",  # a longer number is not an ID
    "编号 238123456789",  # 12 digits starting 2: not a mobile
    "52410105MJ00000017",  # organization codes are public
])
def test_other_numbers_are_left_alone(text):
    assert mask_personal_data(text) == text


def _logged(configure, *args, exc=None):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalDataFilter())
    logger = logging.getLogger("tests.security.masking")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        if exc:
            try:
                raise exc
            except ValueError:
                logger.exception(*args)
        else:
            logger.warning(*args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_records_with_arguments_and_tracebacks_are_masked():
    out = _logged(None, "志愿者 %s 手机 %s", ID, MOBILE)
    assert ID not in out and MOBILE not in out
    assert "4101**********123X" in out and "138****5678" in out
    out = _logged(None, "导入失败", exc=ValueError(f"第 3 行身份证号 {ID} 校验位错误"))
    assert ID not in out and "4101**********123X" in out and "Traceback" in out


def test_the_configured_handlers_carry_the_filter():
    config = settings.LOGGING
    assert config["filters"]["mask_personal_data"]["()"] == "config.log_filters.MaskPersonalDataFilter"
    for name, handler in config["handlers"].items():
        assert "mask_personal_data" in handler.get("filters", []), name
    root = logging.getLogger()
    assert any(isinstance(f, MaskPersonalDataFilter) for h in root.handlers for f in h.filters)
