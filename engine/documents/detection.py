"""What a file is, from its bytes, not its name (issue #9): ``filetype`` reads the signature, and
a DOCX or XLSX must also be a readable OOXML zip with the package's content types and the right
main part (a renamed zip, an ODF file or a zip holding an executable is none of them)."""
import zipfile
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    code: str
    mime: str
    label: str
    inline: bool  # shown in the browser (PDF, images) rather than downloaded


TYPES = {
    t.code: t for t in (
        FileType("pdf", "application/pdf", "PDF", True),
        FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 _("Word (DOCX)"), False),
        FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 _("Excel (XLSX)"), False),
        FileType("jpeg", "image/jpeg", "JPEG", True),
        FileType("png", "image/png", "PNG", True),
    )
}
BY_MIME = {t.mime: t for t in TYPES.values()}
# The part every document of the kind has; ``[Content_Types].xml`` is in every OOXML package.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
HEAD_BYTES = 8192


def detect(file) -> FileType | None:
    """The type of ``file`` (an open binary file), or None when it is none of ``TYPES``; the
    file is left at position 0."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    guess = filetype.guess(head)
    found = BY_MIME.get(guess.mime) if guess is not None else None
    if found is None and head.startswith(b"PK\x03\x04"):
        found = _ooxml(file)  # filetype looks at the first entries only; the zip's index decides
    elif found is not None and found.code in OOXML_MAIN_PART and _ooxml(file) != found:
        found = None
    file.seek(0)
    return found


def _ooxml(file) -> FileType | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for code, part in OOXML_MAIN_PART.items():
        if part in names:
            return TYPES[code]
    return None


def allowed_labels(codes) -> str:
    return gettext(", ").join(str(TYPES[c].label) for c in codes if c in TYPES)
