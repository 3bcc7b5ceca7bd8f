"""DOMAIN settings are declared once, in config/settings/base.py, and listed in the README;
the processes' conf.py modules read them without a default of their own."""
import re
from pathlib import Path

import pytest
from django.conf import settings

from processes.certification import conf as certification_conf
from processes.incubation import conf as incubation_conf
from processes.procurement import conf as procurement_conf

ROOT = Path(__file__).resolve().parents[2]
CONF_MODULES = [certification_conf, incubation_conf, procurement_conf]


def _names_read(module):
    return set(re.findall(r"settings\.([A-Z][A-Z0-9_]+)", Path(module.__file__).read_text()))


@pytest.mark.parametrize("module", CONF_MODULES, ids=lambda m: m.__name__)
def test_conf_reads_only_declared_settings_without_defaults(module):
    source = Path(module.__file__).read_text()
    assert "getattr(settings" not in source
    names = _names_read(module) - {"BASE_DIR"}
    assert names
    base = (ROOT / "config" / "settings" / "base.py").read_text()
    for name in names:
        assert hasattr(settings, name), name
        assert len(re.findall(rf"^{name} = ", base, re.MULTILINE)) == 1, name


def test_readme_lists_every_domain_setting():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, re.MULTILINE))
    for module in CONF_MODULES:
        assert _names_read(module) - {"BASE_DIR"} <= listed


def test_every_conf_function_answers_from_the_settings():
    for module in CONF_MODULES:
        for name, function in vars(module).items():
            if callable(function) and getattr(function, "__module__", "") == module.__name__ and not name.startswith("_"):
                if name == "method":
                    assert function("open")["min_bids"] == 3
                elif name == "contract_max_years":
                    assert (function(False), function(True)) == (1, 3)
                else:
                    assert function() is not None, name
