"""Portal has no models of its own: the enterprise's problem attachments are a case's files
(cases.models.CaseAttachment, moved with their table by cases migration 0015).

This name stays for portal's migration 0001, which names portal.models._attachment_path."""

from cases.models.attachments import _case_attachment_path as _attachment_path

__all__ = ["_attachment_path"]
