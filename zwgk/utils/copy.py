"""Streaming rows into a table with PostgreSQL's COPY (batch jobs of a million rows)."""

from collections.abc import Iterable

from django.db import connection


def copy_rows(model, names: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """``COPY table (columns) FROM STDIN`` with psycopg 3; PostgreSQL only.

    ``names`` are field names of ``model``; each row holds their database
    values in that order (JSON as text).
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
