"""An email backend for the worker processes the integration tests start.

Django's file backend (one file per sent message here, each carrying its Message-ID), which can be
told to hang before writing once a number of messages were written — so a test can SIGKILL the
worker while deliveries are certainly in flight: claimed, not yet sent.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends import filebased


class HangingFileBackend(filebased.EmailBackend):
    def send_messages(self, email_messages):
        hang_after = os.environ.get("IT_EMAIL_HANG_AFTER")
        if hang_after is not None and len(list(Path(self.file_path).iterdir())) >= int(hang_after):
            time.sleep(600)
        return super().send_messages(email_messages)
