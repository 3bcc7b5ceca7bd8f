import pytest


@pytest.fixture(autouse=True)
def private_import_root(settings, tmp_path):
    """Each test keeps its uploaded import files in a directory of its own."""
    settings.IMPORT_FILE_ROOT = tmp_path / "private-imports"
    return settings.IMPORT_FILE_ROOT
