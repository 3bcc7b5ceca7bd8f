"""Personal data never reaches the logs in the clear (D6): a logging filter that masks
mainland ID-card numbers (18 characters, GB 11643) and mobile numbers in every record the
handlers write, including the traceback of a logged exception."""
import logging
import re

# Digits on either side mean a longer number (an account, a reference): not an ID or a phone.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{3})\d{10}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_personal_data(text: str) -> str:
    """``410105199001011234`` → ``4101**********1234``; ``13812345678`` → ``138****5678``."""
    text = _ID_CARD.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


class MaskPersonalDataFilter(logging.Filter):
    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report, unchanged
            return True
        record.msg, record.args = mask_personal_data(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True
