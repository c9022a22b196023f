"""Where attachments live: a folder no web server serves. Files leave only through a view that
checks the case is visible to the user (portal.views.attachment_download)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def attachments_root() -> Path:
    """PORTAL_ATTACHMENTS_ROOT, else a `private` folder beside (not inside) any public media."""
    configured = getattr(settings, "PORTAL_ATTACHMENTS_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "private" / "attachments"


class PrivateStorage(FileSystemStorage):
    """A file-system storage with no URL: `url()` refuses, so no template can link past the view.

    The location is read from the settings on every use, so tests can point it at a temporary folder.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(attachments_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Attachments have no public URL; link to portal:attachment instead.")

    def deconstruct(self):
        return ("portal.storage.PrivateStorage", (), {})


def attachment_storage() -> PrivateStorage:
    return PrivateStorage()
