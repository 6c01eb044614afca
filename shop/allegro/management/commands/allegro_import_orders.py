"""``manage.py allegro_import_orders [--account ID] [--since DATE]``: one import run now.

It takes the same lock as the scheduled import, so it never runs beside one for the same account.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date, parse_datetime

from shop.allegro.models import AllegroAccount, LinkStatus
from shop.allegro.orders.services.importer import OrderImportFailed, orders_import
from shop.allegro.orders.services.schedule import IMPORT_ORDERS_JOB
from shop.scheduler.services.runs import job_lock_held, lock_name


def parse_since(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since: not a date: {value!r} (use YYYY-MM-DD)")
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Progress:
    """A one-line progress bar on a terminal (plain lines otherwise)."""

    def __init__(self, stream: Any, width: int = 30):
        self.stream = stream
        self.width = width
        self.started = time.perf_counter()
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        now = time.perf_counter()
        if not self.tty and now - self.last < 1.0:
            return
        self.last = now
        rate = done / max(now - self.started, 1e-6)
        if total:
            filled = int(self.width * min(done / total, 1))
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"[{bar}] {done}/{total} formularzy, {rate:.0f}/s"
        else:
            spin = "|/-\\"[int(now * 4) % 4]
            line = f"[{spin}] {done} formularzy, {rate:.0f}/s"
        self.stream.write(("\r" if self.tty else "") + line + ("" if self.tty else "\n"))
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import Allegro orders now (every linked account, or one with --account)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", type=int, help="Allegro account id (default: all linked)")
        parser.add_argument(
            "--since", help="also read every order bought since this date (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = AllegroAccount.objects.filter(status=LinkStatus.LINKED, enabled=True)
        if options.get("account"):
            accounts = AllegroAccount.objects.filter(pk=options["account"])
            if not accounts.exists():
                raise CommandError(f"no Allegro account with id {options['account']}")
        since = parse_since(options["since"]) if options.get("since") else None
        failures = busy = 0
        for account in accounts:
            self.stdout.write(f"Konto {account} (id {account.pk}):")
            progress = Progress(sys.stdout if self.stdout._out is sys.stdout else self.stdout)
            lock = lock_name(IMPORT_ORDERS_JOB, {"account_id": account.pk})
            with job_lock_held(lock) as holder:
                if holder is None:
                    busy += 1
                    self.stderr.write(
                        "  pominięte: inny import tego konta właśnie trwa "
                        f"(blokada {lock}; zobacz Harmonogram zadań)"
                    )
                    continue
                try:
                    stats = orders_import(account=account, since=since, progress=progress)
                except OrderImportFailed as exc:
                    progress.finish()
                    failures += 1
                    self.stderr.write(f"  błąd: {exc}")
                    continue
            progress.finish()
            self.stdout.write(
                f"  zdarzeń: {stats.events_read}, nowych: {stats.orders_created}, "
                f"zmienionych: {stats.orders_updated}, anulowanych: {stats.orders_cancelled}, "
                f"w kwarantannie: {stats.quarantined}, zapytań: {stats.requests}, "
                f"czas: {stats.duration_ms} ms"
            )
        if failures or busy:
            raise CommandError(
                f"{failures} account(s) failed, {busy} skipped (another import holds the lock)"
            )
