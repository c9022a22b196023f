"""Rows streamed to PostgreSQL with COPY: a table's rows buffered as COPY text, ids given here.

The volume (cases, events, notifications, reminders …) bypasses the ORM for speed; a Table knows
its model's columns and defaults, so a row names only what differs."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.db import models


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


class Table:
    """Rows of one model, buffered as COPY text; ids are given here, not by the sequence."""

    def __init__(self, model: type[models.Model], next_id: int | None = None):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.has_id = model._meta.pk.column == "id"
        self.columns = (["id"] if self.has_id else []) + [f.column for f in self.fields]
        self.defaults = {
            f.attname: (None if f.null and not f.has_default() else f.get_default())
            for f in self.fields
        }
        self.next_id = next_id or 1
        self.buffer = io.StringIO()
        self.rows = 0

    def add(self, **values) -> int:
        row = dict(self.defaults)
        row.update(values)
        pk = self.next_id
        self.next_id += 1
        cells = [str(pk)] if self.has_id else []
        cells += [_copy_text(row[f.attname]) for f in self.fields]
        self.buffer.write("\t".join(cells))
        self.buffer.write("\n")
        self.rows += 1
        return pk

    def flush(self, cursor) -> None:
        if not self.buffer.tell():
            return
        self.buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        cursor.copy_expert(
            f'COPY "{self.model._meta.db_table}" ({columns}) FROM STDIN', self.buffer
        )
        self.buffer = io.StringIO()

    def reset_sequence(self, cursor) -> None:
        if self.has_id:
            table = self.model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))'
            )


def next_id(model: type[models.Model]) -> int:
    """The first id after the model's rows (the generator may --append to a loaded database)."""
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
