"""A mail backend for fault tests: it notes that sending began, waits (so a test can kill the
worker mid-task), then writes each message to EMAIL_FILE_PATH as one file per send."""
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            (folder / f"started-{uuid.uuid4().hex}").write_text(message.extra_headers["Message-ID"])
            time.sleep(float(getattr(settings, "SLOW_MAIL_SECONDS", 0) or 0))
            (folder / f"sent-{uuid.uuid4().hex}").write_text(message.extra_headers["Message-ID"])
        return len(messages)
