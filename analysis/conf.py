"""The analysis app's settings, with their defaults (overridable in config/settings.py)."""

from __future__ import annotations

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def import_max_bytes() -> int:
    """The largest upload accepted (10 MB: some 50,000 rows of problems)."""
    return _setting("ANALYSIS_IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def import_max_rows() -> int:
    return _setting("ANALYSIS_IMPORT_MAX_ROWS", 20_000)


def import_inline_rows() -> int:
    """Files up to this many rows are imported during the request; longer ones by a worker."""
    return _setting("ANALYSIS_IMPORT_INLINE_ROWS", 100)


def export_inline_rows() -> int:
    """Case ledgers up to this many rows download at once; longer ones are written by a worker."""
    return _setting("ANALYSIS_EXPORT_INLINE_ROWS", 5_000)


def rank_min_assigned() -> int:
    """A department is ranked only with at least this many cases assigned in the period: one case
    handled well (or badly) says little, and must not put it above one that handled forty."""
    return _setting("ANALYSIS_RANK_MIN_ASSIGNED", 5)
