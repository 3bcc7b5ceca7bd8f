"""Where uploaded import files wait for their job (issue #16, D6): a private directory outside
MEDIA_ROOT (setting ``IMPORT_FILE_ROOT``), never given a URL, read only by the import service,
deleted when the job ends and, failing that, by the retention sweep."""
import hashlib
import os
import time

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from . import conf


@deconstructible
class PrivateImportStorage(FileSystemStorage):
    """A file system storage rooted at ``IMPORT_FILE_ROOT`` (read at each use, so tests and
    deployments can move it) whose files have no URL."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(conf.file_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("import files are private and have no URL")


def import_file_storage():
    return PrivateImportStorage()


def digest_and_size(upload) -> tuple[str, int]:
    """SHA-256 and size of an uploaded file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    for block in upload.chunks():
        digest.update(block)
        size += len(block)
    upload.seek(0)
    return digest.hexdigest(), size


def purge_leftovers(keep: set, now: float | None = None) -> int:
    """Delete files under the private root older than the retention period that no live job
    holds (``keep``: relative names). Returns how many were deleted; running it twice is safe."""
    root = conf.file_root()
    if not root.is_dir():
        return 0
    cutoff = (now or time.time()) - conf.file_retention_hours() * 3600
    deleted = 0
    for directory, _dirs, files in os.walk(root):
        for filename in files:
            path = os.path.join(directory, filename)
            name = os.path.relpath(path, root)
            try:
                if name not in keep and os.path.getmtime(path) < cutoff:
                    os.remove(path)
                    deleted += 1
            except FileNotFoundError:  # removed meanwhile by the job itself
                continue
    return deleted
