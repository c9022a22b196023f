"""The PostgreSQL server (BENCH_PG): the benchmark's databases created, dropped, vacuumed, asked."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from benchmark.options import PG


def database_url(name: str) -> str:
    return f"{PG}/{name}"


def pg_connect(dbname: str = "postgres"):
    import psycopg2

    url = urlparse(PG)
    connection = psycopg2.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname=dbname,
    )
    connection.autocommit = True
    return connection


def pg_scalar(dbname: str, sql: str, params: list | None = None) -> Any:
    connection = pg_connect(dbname)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            return row[0] if row else None
    finally:
        connection.close()


def database_exists(name: str) -> bool:
    return bool(pg_scalar("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [name]))


def recreate_database(name: str) -> None:
    connection = pg_connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def vacuum_analyze(name: str) -> None:
    connection = pg_connect(name)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()
