"""Spreadsheet formula injection (CSV/XLSX injection): a cell whose text starts with one of
these characters is run as a formula by Excel, WPS and LibreOffice. Exports prefix it with a
single quote so it shows as text; imports drop that quote again so a round trip is lossless."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """Return ``value`` safe to put in an exported cell; non-text values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralize(value):
    """Undo :func:`neutralize` on an imported cell, so re-importing an export changes nothing."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value
