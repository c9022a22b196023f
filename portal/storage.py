"""The private attachments' storage is cases.storage's (the case files use it too). This name
stays for portal's migration 0001, which names portal.storage.attachment_storage."""

from cases.storage import attachment_storage

__all__ = ["attachment_storage"]
