"""File formats for the admin's import/export buttons and for :func:`services.export_data`:
CSV read from bytes with its encoding detected (UTF-8 or GBK) and written as UTF-8 with BOM,
XLSX read with file row numbers; both neutralize formula-like cells on export."""
import tablib
from import_export.formats import base_formats

from .cells import neutralize
from .reading import read_csv, read_xlsx


def neutralized(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` with every formula-like text cell made inert (see cells.py);
    kept here too so a resource not built on SafeModelResource still exports safely."""
    safe = tablib.Dataset(headers=[neutralize(h) for h in dataset.headers or []])
    for row in dataset:
        safe.append([neutralize(value) for value in row])
    return safe


class CSV(base_formats.CSV):
    def is_binary(self):
        return True  # hand create_dataset the raw bytes: the encoding is detected, not assumed

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        # With a BOM, Excel on Chinese Windows reads UTF-8 instead of guessing GBK.
        return super().export_data(neutralized(dataset), **kwargs).encode("utf-8-sig")


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs):
        return super().export_data(neutralized(dataset), **kwargs)
