"""Serving one version of a document, for the page and the API alike: streamed from the
storage (``FileResponse``), named by its original name with RFC 5987 ``filename*`` (Chinese
kept), inline for PDF and images, as an attachment otherwise, never sniffed by the browser."""
from django.http import FileResponse

from engine.cases.errors import NotFound

from .access import visible_document
from .detection import BY_MIME
from .storage import document_storage

INLINE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
ATTACHMENT_POLICY = "sandbox; default-src 'none'"


def version_of(user, pk, number=None):
    """The version ``number`` (the latest when None) of a document ``user`` may see, or NotFound."""
    document, _case, _access = visible_document(user, pk)
    if number in (None, ""):
        number = document.latest_number
    version = {str(v.number): v for v in document.versions.all()}.get(str(number))
    if version is None:
        raise NotFound()
    return version


def file_response(version) -> FileResponse:
    kind = BY_MIME.get(version.content_type)
    response = FileResponse(
        document_storage().open(version.blob, "rb"), content_type=version.content_type,
        as_attachment=not (kind and kind.inline), filename=version.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # the file itself may load nothing (a browser's PDF viewer is a plugin a ``sandbox`` would
    # block, so inline files are not sandboxed; downloads are)
    response["Content-Security-Policy"] = INLINE_POLICY if kind and kind.inline else ATTACHMENT_POLICY
    response["ETag"] = f'"{version.sha256}"'
    return response
