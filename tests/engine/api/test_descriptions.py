"""D7: the API operations' descriptions come from the views' English docstrings and are
translated through engine/api/descriptions.py, a generated module of catalog entries. A new or
changed docstring without a regenerated module (``scripts/messages.py update``) fails here, named,
instead of silently staying English in the Chinese schema."""
import ast

from engine.api import descriptions
from engine.api.schema import DESCRIPTIONS_MODULE, descriptions_module, operation_texts


def test_every_operation_description_has_its_catalog_entry():
    missing = [text for text in operation_texts() if text not in descriptions.DESCRIPTIONS]
    assert not missing, ("operation descriptions missing from engine/api/descriptions.py (run "
                         "scripts/messages.py update and translate them):\n" + "\n---\n".join(missing))


def test_the_generated_module_is_current():
    texts = operation_texts()
    stale = [text for text in descriptions.DESCRIPTIONS if text not in texts]
    assert not stale, "no longer an operation's description:\n" + "\n---\n".join(stale)
    assert DESCRIPTIONS_MODULE.read_text(encoding="utf-8") == descriptions_module(texts)


def test_the_module_round_trips_any_text():
    """Quotes, backslashes and line breaks come back exactly, so lookups match."""
    texts = ['He said "no".\nA\\path ``x``', "one line", "ends with a break\n"]
    tree = ast.parse(descriptions_module(texts))
    found = [call.args[0].value for call in ast.walk(tree)
             if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "gettext_noop"]
    assert sorted(found) == sorted(texts)
