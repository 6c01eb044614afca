"""Bulk inserts that stay fast at back-fill volumes (thousands of rows per batch).

Django's ``bulk_create`` compiles one INSERT with a parameter per column and row (and on
PostgreSQL the driver then quotes every parameter client-side); for a 35-column order table
that is most of an import's time. ``rows_insert`` instead reserves the primary keys up front
(``ids_reserve``: one query on the table's sequence) and sends the rows in one go: ``COPY`` on
PostgreSQL, one prepared ``INSERT`` run by ``executemany`` on SQLite. A handful of rows is
cheaper as one ``INSERT … RETURNING`` of their own (what ``bulk_create`` would send, without
compiling a query each time).

Like ``bulk_create``, these inserts send no signals and call no ``save()``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.db import NotSupportedError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=models.Model)

# Field classes (exactly these, not subclasses) whose Python value the driver writes as the
# column expects; every other field, custom ones included, goes through ``get_db_prep_save``.
_NATIVE_FIELDS: frozenset[type[models.Field[Any, Any]]] = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.CharField,
        models.EmailField,
        models.ForeignKey,
        models.IntegerField,
        models.OneToOneField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SlugField,
        models.SmallIntegerField,
        models.TextField,
    }
)
# psycopg also writes aware datetimes and Decimals natively; SQLite needs Django's adaptation.
_NATIVE_ON_POSTGRES = _NATIVE_FIELDS | {models.DateTimeField, models.DecimalField}

# Below this many rows, reserving keys and streaming rows costs more round trips than it saves.
SMALL_BATCH = 20


def _connection(model: type[models.Model]) -> BaseDatabaseWrapper:
    return connections[router.db_for_write(model)]


def _column(field: models.Field[Any, Any] | None) -> str:
    assert field is not None
    assert field.column is not None
    return field.column


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``, never handed out again (one or two queries)."""
    if count <= 0:
        return []
    connection = _connection(model)
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, _column(model._meta.pk), count],
            )
            return [row[0] for row in cursor.fetchall()]
    if connection.vendor == "sqlite":
        # Django's SQLite keys are AUTOINCREMENT: sqlite_sequence holds the largest key ever
        # used and new rows get larger ones, so moving it on reserves the range. One statement
        # under SQLite's single write lock; a transaction keeps the first row's insert with it.
        with (
            transaction.atomic(using=connection.alias, savepoint=False),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq",
                [count, table],
            )
            row = cursor.fetchone()
            if row is None:  # the table never had a row
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, count]
                )
            last = count if row is None else int(row[0])
        return list(range(last - count + 1, last + 1))
    raise NotSupportedError(f"ids_reserve: no sequences on {connection.vendor}")


def _overrides_pre_save(field: models.Field[Any, Any]) -> bool:
    return type(field).pre_save is not models.Field.pre_save


def rows_insert(model: type[M], objs: Sequence[M]) -> None:
    """Insert new instances of ``model`` and set their primary keys (kept if already set)."""
    if not objs:
        return
    connection = _connection(model)
    if connection.vendor not in {"postgresql", "sqlite"}:
        model._default_manager.bulk_create(objs)
        return
    keyed = sum(obj.pk is not None for obj in objs)
    if len(objs) < SMALL_BATCH and keyed in (0, len(objs)):
        _rows_insert_returning(model, objs, connection)
        return
    if len(objs) < SMALL_BATCH:
        model._default_manager.bulk_create(objs)
        return
    fields = list(model._meta.concrete_fields)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(f)) for f in fields)
    # Keys and rows commit together (a rollback only leaves a gap in the sequence).
    with transaction.atomic(using=connection.alias, savepoint=False):
        missing = [obj for obj in objs if obj.pk is None]
        for obj, value in zip(missing, ids_reserve(model, len(missing)), strict=True):
            obj.pk = value
        rows = _rows(objs, fields, connection)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, list(rows))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _rows_insert_returning(
    model: type[M], objs: Sequence[M], connection: BaseDatabaseWrapper
) -> None:
    """A handful of rows: one ``INSERT … VALUES … RETURNING`` that hands back the new keys.

    It is what ``bulk_create`` sends (and, like it, takes the keys back in row order) without
    compiling a query: every sale writes one ledger row, and the compiling showed in a sale's
    profile (bench/stock_sync.py).
    """
    pk = model._meta.pk
    assert pk is not None
    keyed = objs[0].pk is not None  # all or none (see ``rows_insert``)
    fields = [f for f in model._meta.concrete_fields if keyed or f is not pk]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(f)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns})"  # noqa: S608
        f" VALUES {', '.join([row] * len(objs))} RETURNING {quote(_column(pk))}"
    )
    params = [value for values in _rows(objs, fields, connection) for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [key for (key,) in cursor.fetchall()]
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias


def _rows(
    objs: Sequence[models.Model],
    fields: list[models.Field[Any, Any]],
    connection: BaseDatabaseWrapper,
) -> Iterator[list[Any]]:
    native = _NATIVE_ON_POSTGRES if connection.vendor == "postgresql" else _NATIVE_FIELDS
    pre_saved = [f for f in fields if _overrides_pre_save(f)]  # auto_now and the like
    columns = [(f, f.attname, type(f) not in native) for f in fields]
    for obj in objs:
        for field in pre_saved:
            setattr(obj, field.attname, field.pre_save(obj, add=True))
        yield [
            field.get_db_prep_save(getattr(obj, name), connection)
            if prepare
            else getattr(obj, name)
            for field, name, prepare in columns
        ]
