"""The catalog check (scripts/messages.py): passes on the tree as committed, fails on a string
marked in code but missing from its catalog, on a fuzzy entry and on a stale .mo."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scripts import messages

ROOT = Path(messages.__file__).resolve().parent.parent
DIRECTORY_PO = Path("engine/directory/locale/zh_Hans/LC_MESSAGES/django.po")

pytestmark = pytest.mark.skipif(shutil.which("msgattrib") is None, reason="GNU gettext is not installed")


@pytest.fixture
def tree(tmp_path):
    """A copy of the sources that have catalogs (no processes/), to break on purpose."""
    for part in ("engine", "config", "templates", "locale"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_committed_catalogs_are_complete(capsys):
    assert messages.main(["check"]) == 0, capsys.readouterr().err


def test_a_string_missing_from_its_catalog_fails_the_check(tree, capsys):
    with (tree / "engine/directory/services.py").open("a", encoding="utf-8") as module:
        module.write('\n\nNEW_TEXT = _("A sentence nobody has translated yet.")\n')

    assert messages.main(["check"], root=tree) == 1
    assert "engine/directory: untranslated: A sentence nobody has translated yet." in capsys.readouterr().err


def test_a_string_with_a_line_break_missing_from_its_catalog_fails_the_check(tree, capsys):
    """gettext writes such a msgid over several lines, the first one empty: it is still read."""
    with (tree / "engine/directory/services.py").open("a", encoding="utf-8") as module:
        module.write('\n\nNEW_TEXT = _("First line of a text,\\nand its second line.")\n')

    assert messages.main(["check"], root=tree) == 1
    assert "engine/directory: untranslated: First line of a text,\\nand its second line." in capsys.readouterr().err


def test_a_fuzzy_entry_fails_the_check(tree, capsys):
    po = tree / DIRECTORY_PO
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('\nmsgid "Reviewer"', '\n#, fuzzy\nmsgid "Reviewer"', 1), encoding="utf-8")

    assert messages.main(["check"], root=tree) == 1
    assert "engine/directory: fuzzy: Reviewer" in capsys.readouterr().err


def test_a_mo_older_than_its_po_fails_the_check_until_compiled(tree, capsys):
    po = tree / DIRECTORY_PO
    po.write_text(re.sub(r'msgstr "审核人"', 'msgstr "审核员"', po.read_text(encoding="utf-8")), encoding="utf-8")

    assert messages.main(["check"], root=tree) == 1
    assert "is older than its .po" in capsys.readouterr().err
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    assert messages.main(["check"], root=tree) == 0
