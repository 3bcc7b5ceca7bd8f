"""Django merges every app's catalog into one: an English text that two apps translate
differently shows one app's Chinese in the other's page. Each catalog's translations must be
what the running system answers; a word that means different things takes a context."""
import gettext
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

ROOT = Path(settings.BASE_DIR)


def _app_catalogs():
    for mo in sorted(ROOT.glob("*/**/locale/zh_Hans/LC_MESSAGES/django.mo")):
        if ".venv" in mo.parts or mo.is_relative_to(ROOT / "locale"):
            continue
        with open(mo, "rb") as f:
            yield mo.relative_to(ROOT), gettext.GNUTranslations(f)._catalog


def test_no_text_is_translated_two_ways():
    catalogs = list(_app_catalogs())
    assert len(catalogs) >= 10
    clashes = []
    with translation.override("zh-hans"):
        for path, catalog in catalogs:
            for key, chinese in catalog.items():
                if not isinstance(key, str) or not key:
                    continue  # the header, or a plural form (checked through its singular)
                context, _sep, text = key.rpartition("\x04")
                answer = pgettext(context, text) if context else _(text)
                if answer != chinese:
                    clashes.append(f"{path}: {key!r} → {chinese} (the system answers {answer})")
    assert not clashes, "\n".join(clashes)
