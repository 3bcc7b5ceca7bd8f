"""Translation catalogs (D7): check that they are complete, or bring them up to date.

    python scripts/messages.py check    # fails on an untranslated, fuzzy or obsolete entry, or a stale .mo
    python scripts/messages.py update   # extracts new strings into the catalogs and compiles them

``update`` first regenerates ``engine/api/descriptions.py`` (``manage.py api_descriptions``): the
API operations' descriptions, taken from the views' docstrings, as entries of engine/api's catalog.

Each catalog is a ``locale/zh_Hans/LC_MESSAGES/django.po`` beside the sources it translates:
every app directory that has a ``locale`` directory (``engine/directory/locale``...), and the
project's own texts (``config/`` and the top-level ``templates/``) in ``config/locale``. The
project ``locale/`` holds the wording chosen for third-party packages (viewflow's menu, the
admin's texts the packages' catalogs lack), for Python and templates (``django.po``) and for
JavaScript (``djangojs.po``): it has no sources here, so it is only checked for completeness and
a current ``.mo``.

``makemessages`` runs on a temporary copy of the sources, so a check never changes the tree.
"""
import argparse
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_Hans"
PO_PATH = Path("locale") / LANGUAGE / "LC_MESSAGES" / "django.po"
JS_DOMAIN = "djangojs"
SOURCE_ROOTS = ("engine", "processes")  # where apps with their own catalog live
SKIPPED = shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "migrations", "tests")


@dataclass(frozen=True)
class Catalog:
    name: str
    locale_dir: Path  # the directory holding zh_Hans/LC_MESSAGES
    sources: tuple[Path, ...]  # copied side by side into the extraction directory
    domain: str = "django"  # djangojs: the JavaScript catalog

    @property
    def po(self) -> Path:
        return (self.locale_dir.parent / PO_PATH).with_name(f"{self.domain}.po")

    @property
    def mo(self) -> Path:
        return self.po.with_suffix(".mo")


def catalogs(root: Path = ROOT) -> list[Catalog]:
    """The project's catalogs: one per app that has a locale directory, the project's texts,
    and the third-party wording (no sources), its JavaScript part too."""
    found = [
        Catalog(str(locale.parent.relative_to(root)), locale, (locale.parent,))
        for top in SOURCE_ROOTS
        for locale in sorted((root / top).glob("*/locale"))
    ]
    found.append(Catalog("config+templates", root / "config" / "locale", (root / "config", root / "templates")))
    found.append(Catalog("locale", root / "locale", ()))
    found.append(Catalog("locale (JavaScript)", root / "locale", (), JS_DOMAIN))
    return found


def _run(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def extract(catalog: Catalog, workdir: Path, *, keep_obsolete: bool) -> Path:
    """Run makemessages over a copy of the catalog's sources, merged into a copy of its .po;
    returns the merged .po."""
    for source in catalog.sources:
        shutil.copytree(source, workdir / source.name, ignore=SKIPPED)
    merged = workdir / PO_PATH
    merged.parent.mkdir(parents=True)
    if catalog.po.exists():
        shutil.copy(catalog.po, merged)
    options = ["-l", LANGUAGE, "--no-location", "--no-wrap"] + ([] if keep_obsolete else ["--no-obsolete"])
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-m", "django", "makemessages", *options],
                            cwd=workdir, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"makemessages failed for {catalog.name}:\n{result.stdout}{result.stderr}")
    return merged


def _entries(po: Path, *flags: str) -> list[str]:
    """The msgids msgattrib selects with ``flags`` (e.g. ``--untranslated``)."""
    text = _run("msgattrib", *flags, "--no-wrap", str(po))
    msgids, current = [], None
    for line in text.splitlines():
        if line.startswith('msgid "'):
            current = [line[len('msgid "'):-1]]
        elif current is not None and line.startswith('"'):
            current.append(line[1:-1])  # a msgid with a line break continues on the next lines
        else:
            if current is not None and "".join(current):  # the header's msgid is empty
                msgids.append("".join(current))
            current = None
    return msgids


def _compiled(po: Path, workdir: Path) -> dict:
    mo = workdir / "fresh.mo"
    _run("msgfmt", "--check-format", "-o", str(mo), str(po))
    return _catalog_of(mo)


def _catalog_of(mo: Path) -> dict:
    with mo.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


def problems(catalog: Catalog) -> list[str]:
    """What is wrong with one catalog, in words; empty when it is complete and compiled."""
    if not catalog.po.exists():
        return [f"{catalog.name}: {catalog.po} is missing"]
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        merged = extract(catalog, workdir / "src", keep_obsolete=True) if catalog.sources else catalog.po
        for flags, what in ((("--untranslated", "--no-obsolete"), "untranslated"),
                            (("--only-fuzzy", "--no-obsolete"), "fuzzy"),
                            (("--only-obsolete",), "no longer in the sources")):
            found += [f"{catalog.name}: {what}: {msgid}" for msgid in _entries(merged, *flags)]
        if not catalog.mo.exists():
            found.append(f"{catalog.name}: {catalog.mo} is missing (compilemessages)")
        elif _catalog_of(catalog.mo) != _compiled(catalog.po, workdir):
            found.append(f"{catalog.name}: {catalog.mo} is older than its .po (compilemessages)")
    return found


def update(catalog: Catalog) -> None:
    """Extract the catalog's strings into its .po (new entries untranslated) and compile it."""
    if catalog.sources:
        with tempfile.TemporaryDirectory() as tmp:
            merged = extract(catalog, Path(tmp), keep_obsolete=False)
            catalog.po.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(merged, catalog.po)
    _run("msgfmt", "--check-format", "-o", str(catalog.mo), str(catalog.po))


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["check", "update"])
    args = parser.parse_args(argv)
    if args.action == "update":
        if (root / "manage.py").exists():
            print(_run(sys.executable, "manage.py", "api_descriptions", cwd=root).strip())
        for catalog in catalogs(root):
            update(catalog)
            print(f"{catalog.name}: {catalog.po.relative_to(root)}")
        return 0
    found = [problem for catalog in catalogs(root) for problem in problems(catalog)]
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print("Translate the entries in the .po files, then: python scripts/messages.py update", file=sys.stderr)
        return 1
    print(f"{len(catalogs(root))} catalogs complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
