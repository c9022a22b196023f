"""Fieldwork has no models of its own: a visit's photos belong to the visit
(cases.models.VisitPhoto, moved with their table by cases migration 0015).

These names stay for fieldwork's migration 0001, which names fieldwork.models.private_storage and
fieldwork.models._photo_path."""

from cases.models.visits import _visit_photo_path as _photo_path
from cases.storage import photo_storage as private_storage

__all__ = ["_photo_path", "private_storage"]
