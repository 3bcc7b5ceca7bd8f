"""Where document files live: Django's ``STORAGES["documents"]`` (issue #9).

By default ``PrivateDocumentStorage``: a directory (``DOCUMENT_FILE_ROOT``, ``var/media/documents``)
with no URL, read only by the download view after it checked the right. With
``DOCUMENTS_S3_BUCKET`` set, django-storages' ``S3Storage`` (any S3-compatible store), so several
web servers share one store; see ``config/settings/base.py``.

Files are stored under a random name (``<case reference>/<uuid>``), never the uploaded name: the
original name is kept in the database only.
"""
import os
import uuid

from django.core.files.storage import FileSystemStorage, storages
from django.utils.deconstruct import deconstructible

from . import conf


@deconstructible
class PrivateDocumentStorage(FileSystemStorage):
    """A file system storage rooted at ``DOCUMENT_FILE_ROOT`` (read at each use) whose files have
    no URL."""

    def __init__(self, **kwargs):
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750)

    @property
    def base_location(self):
        return conf.file_root()

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("documents are private and have no URL; they are served by the download view")


def document_storage():
    return storages[conf.STORAGE_ALIAS]


def new_name(reference: str) -> str:
    """A fresh storage name for one version of a document of case ``reference``."""
    return f"{reference or 'no-reference'}/{uuid.uuid4().hex}"
