"""The analysis app's settings, with their defaults (overridable in config/settings.py)."""

from __future__ import annotations

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def import_max_bytes() -> int:
    """The largest upload accepted (10 MB: some 50,000 rows of problems)."""
    return _setting("ANALYSIS_IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def import_max_uncompressed_bytes() -> int:
    """What an upload may hold once unzipped (50 MB: 2.5 times a full import with long texts)."""
    return _setting("ANALYSIS_IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)


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


def snapshot_seconds() -> int:
    """How often the beat recomputes the figures pages' snapshots (analysis.snapshots)."""
    return _setting("ANALYSIS_SNAPSHOT_SECONDS", 300)


def snapshot_max_age_seconds() -> int:
    """A snapshot older than this is recomputed by the page that wants it: two beats missed."""
    return _setting("ANALYSIS_SNAPSHOT_MAX_AGE_SECONDS", 2 * snapshot_seconds())


def snapshot_idle_seconds() -> int:
    """How long the beat keeps a leader's share fresh after someone last opened it (a day)."""
    return _setting("ANALYSIS_SNAPSHOT_IDLE_SECONDS", 24 * 3600)


def snapshot_lock_seconds() -> int:
    """How long a stale snapshot is shown while one request recomputes it, at most."""
    return _setting("ANALYSIS_SNAPSHOT_LOCK_SECONDS", 120)
