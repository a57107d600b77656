"""The PostgreSQL database a benchmark runs in: made when missing (dropped first with
``fresh``), UTF-8 with the C.UTF-8 collation, so that every benchmark measures the same set-up."""

from __future__ import annotations

from urllib.parse import unquote, urlparse


def ensure_database(url: str, fresh: bool = False) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist (drop it first if ``fresh``)."""
    import psycopg

    parts = urlparse(url)
    name = unquote(parts.path.lstrip("/"))
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' "
                               "TEMPLATE template0")


def ensure_postgres(url: str) -> bool:
    """``ensure_database``; False when no PostgreSQL answers at ``url``."""
    import psycopg

    try:
        ensure_database(url)
    except psycopg.OperationalError:
        return False
    return True
