"""Re-encrypt every stored secret with the first key of FIELD_ENCRYPTION_KEY."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from shop.core.crypto import EncryptedTextField, reencrypt


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the first key of FIELD_ENCRYPTION_KEY "
        "(set it to 'new,old' first; drop the old key afterwards)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        quote = connection.ops.quote_name
        with transaction.atomic():
            for model in apps.get_models():
                columns = [
                    str(f.column) for f in model._meta.fields if isinstance(f, EncryptedTextField)
                ]
                if not columns:
                    continue
                # The ciphertext as stored: the fields' own conversions are bypassed on purpose.
                table = quote(model._meta.db_table)
                pk = quote(str(model._meta.pk.column))
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {pk}, {', '.join(map(quote, columns))} FROM {table}"  # noqa: S608
                    )
                    rows = cursor.fetchall()
                for key, *values in rows:
                    try:
                        update = {
                            c: reencrypt(v) for c, v in zip(columns, values, strict=True) if v
                        }
                    except InvalidToken as exc:
                        raise CommandError(
                            f"{model._meta.label} #{key}: no key in FIELD_ENCRYPTION_KEY opens "
                            "its secrets; add the key they were written with."
                        ) from exc
                    if not update:
                        continue
                    assignments = ", ".join(f"{quote(c)} = %s" for c in update)
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                            [*update.values(), key],
                        )
                    total += 1
        self.stdout.write(f"Re-encrypted the secrets of {total} row(s).")
