"""Where attachments and visit photos live: folders no web server serves. Files leave only
through a view that checks the case (or the visit) is visible to the user (the case page's, the
portal's, the field pages' and the API's downloads, web.downloads).

The enterprise's problem attachments and the files of progress notes and replies
(cases.models.attachments) share one folder; portal.storage still names it for portal's
migration 0001. The visit photos (cases.models.visits) keep theirs, MEDIA_ROOT/private;
fieldwork.models still names it for fieldwork's migration 0001.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


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
        return ("cases.storage.PrivateStorage", (), {})


def attachment_storage() -> PrivateStorage:
    return PrivateStorage()


PHOTO_FOLDER = "private"


class PhotoStorage(FileSystemStorage):
    """MEDIA_ROOT/private: no URL maps to it, so a photo leaves only through fieldwork:photo.

    The folder follows MEDIA_ROOT at runtime (tests point MEDIA_ROOT at a temporary folder).
    """

    @cached_property
    def base_location(self):
        return os.path.join(
            self._value_or_setting(self._location, settings.MEDIA_ROOT), PHOTO_FOLDER
        )

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through fieldwork:photo.")


_photo_storage = PhotoStorage()


def photo_storage() -> PhotoStorage:
    return _photo_storage
