#!/usr/bin/env python
"""The README's deployment, run for real on this machine, with a worker killed mid-import.

PostgreSQL (a throwaway database) and Redis (its own DB number) as the README says; the set-up
commands of "Deploying on PostgreSQL and Redis"; the processes of ``Procfile.production`` (gunicorn
with 2 workers, two Celery workers, one beat); the emulator as Allegro. An account is linked with
tokens from the emulator, 300 purchases are made, the schedule imports them, the worker running
the import is SIGKILLed and restarted. Then: every form is exactly one order, stock is exact, the
next scheduled run succeeds within two minutes, no run is left running, static files answer 200
(gzip, hashed names) from gunicorn alone. Prints one line; exits non-zero on failure.

    .venv/bin/python deploy/smoke_test.py     # or: make deploy-smoke
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
ADMIN_URL = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/9")
DB_NAME = os.environ.get("SMOKE_DB_NAME", "shop_deploy_smoke")
PURCHASES = 300
INITIAL_STOCK = 1000
# Each purchase buys one of the first product and two of the second.
BASKET = [("SMOKE-KUBEK", "Kubek", "25.00", 1), ("SMOKE-TALERZ", "Talerz", "40.00", 2)]
IMPORT_JOB = "allegro.import_orders"
# The README's set-up commands, in its order.
SETUP = [
    ["manage.py", "migrate", "--noinput"],
    ["manage.py", "collectstatic", "--noinput", "-v0"],
    ["manage.py", "setup_periodic_tasks"],
    ["manage.py", "createsuperuser", "--noinput"],
    ["manage.py", "check", "--deploy"],
]


class SmokeFailure(Exception):
    pass


def phase(started: float, what: str) -> None:
    """Where the time goes, on stderr (the result stays one line on stdout)."""
    print(f"  {time.monotonic() - started:5.0f} s  {what}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def procfile(path: Path) -> dict[str, str]:
    entries = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries[name.strip()] = command.strip()
    return entries


class Processes:
    """Every process this test starts, each in its own process group, stopped at the end."""

    def __init__(self, env: dict[str, str], logs: Path):
        self.env = env
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.running[name]
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def group_of(self, pid: int) -> str | None:
        try:
            group = os.getpgid(pid)
        except ProcessLookupError:
            return None
        return next((n for n, p in self.running.items() if p.pid == group), None)


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


def database_create() -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME


def database_drop() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def check_static_and_login(site: str, env: dict[str, str]) -> str:
    """Plain HTTP as configured: login works, cookies are not Secure, static files are served."""
    with httpx.Client(base_url=site, timeout=30) as http:
        page = http.get("/backend/login/")
        if page.status_code != 200:
            raise SmokeFailure(f"login page answered {page.status_code}")
        css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.text)
        if css is None:
            raise SmokeFailure("the login page links no hashed stylesheet")
        static = http.get(css.group(1), headers={"Accept-Encoding": "gzip"})
        if static.status_code != 200 or static.headers.get("content-encoding") != "gzip":
            raise SmokeFailure(f"{css.group(1)}: {static.status_code} {dict(static.headers)}")
        if "immutable" not in static.headers.get("cache-control", ""):
            raise SmokeFailure(f"{css.group(1)} is not cached for good")
        token = http.cookies["csrftoken"]
        login = http.post(
            "/backend/login/?next=/backend/",
            data={
                "csrfmiddlewaretoken": token,
                "username": env["DJANGO_SUPERUSER_USERNAME"],
                "password": env["DJANGO_SUPERUSER_PASSWORD"],
            },
        )
        if login.status_code != 302 or "secure" in login.headers.get("set-cookie", "").lower():
            raise SmokeFailure(f"login over plain HTTP: {login.status_code} {login.headers}")
        if http.get("/backend/").status_code != 200:
            raise SmokeFailure("the back office did not open after login")
    return css.group(1)


def link_account(emulator: httpx.Client) -> Any:
    """The account as the OAuth flow leaves it, with tokens the emulator issued; scheduled."""
    from bench._common import linked_account
    from shop.allegro.orders.services.schedule import order_import_schedule

    tokens = emulator.post("/_emulator/tokens", json={}).json()
    state = emulator.get("/_emulator/state").json()
    login = "demo-sprzedawca"
    account = linked_account(
        tokens=tokens,
        seller_id=next(s["id"] for s in state["sellers"] if s["login"] == login),
        login=login,
        client_id="demo-client-id",
        client_secret="demo-client-secret",  # noqa: S106 - the emulator's public demo app
    )
    order_import_schedule(account=account)
    return account


def run(started: float, work: Path) -> str:
    web_port, emulator_port = free_port(), free_port()
    site = f"http://127.0.0.1:{web_port}"
    database_url = database_create()
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(work)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.django.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": subprocess.check_output(
            [
                "python3",
                "-c",
                "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())",
            ],
            text=True,
        ).strip(),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site,
        "SECURE_SSL_REDIRECT": "false",
        "ALLEGRO_EMULATOR_URL": f"http://127.0.0.1:{emulator_port}",
        "VAR_DIR": str(work / "var"),
        "DJANGO_SUPERUSER_USERNAME": "admin",
        "DJANGO_SUPERUSER_EMAIL": "admin@example.pl",
        "DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(16),
        # Procfile.production's knobs: the README's 2 web workers; 2 task slots per worker here.
        "BIND": f"127.0.0.1:{web_port}",
        "WEB_WORKERS": "2",
        "WORKER_CONCURRENCY": "2",
    }
    logs = work / "logs"
    logs.mkdir(parents=True)
    for command in SETUP:
        result = subprocess.run(
            [PYTHON, *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        with (logs / "setup.log").open("a") as log:
            log.write(f"$ {' '.join(command)}\n{result.stdout}{result.stderr}")
        if result.returncode != 0:
            raise SmokeFailure(f"{' '.join(command)} failed: {result.stderr.strip()[-500:]}")
        phase(started, " ".join(command[:2]))

    processes = Processes(env, logs)
    try:
        return exercise(processes, env, site, emulator_port, work, started)
    finally:
        processes.stop_all()


def exercise(
    processes: Processes,
    env: dict[str, str],
    site: str,
    emulator_port: int,
    work: Path,
    started: float,
) -> str:
    processes.start(
        "emulator", f"{PYTHON} -m fake_allegro --port {emulator_port} --data {work / 'emulator'}"
    )
    emulator = httpx.Client(base_url=env["ALLEGRO_EMULATOR_URL"], timeout=120)
    wait_for("the emulator", lambda: answers(f"{env['ALLEGRO_EMULATOR_URL']}/_emulator/state"), 60)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    from shop.allegro.models import AllegroCheckoutForm
    from shop.catalog.models import Product
    from shop.orders.models import Channel, Order
    from shop.scheduler.models import RunStatus, TaskRun

    try:
        products = {
            sku: Product.objects.create(name=name, sku=sku, price=price, stock=INITIAL_STOCK)
            for sku, name, price, _quantity in BASKET
        }
        # Slow Allegro down so that the import is still running when its worker is killed.
        emulator.post("/_emulator/faults", json={"pathRegex": "^/order/", "latencyMs": 1500})
        offers = [
            {"id": str(9000 + i), "name": n, "price": p, "externalId": sku, "quantity": q}
            for i, (sku, n, p, q) in enumerate(BASKET)
        ]
        made = emulator.post(
            "/_emulator/purchases",
            json={"count": PURCHASES, "offers": offers, "paymentType": "ONLINE"},
        )
        if made.status_code != 201:
            raise SmokeFailure(f"purchases: {made.status_code} {made.text[:300]}")
        form_ids = set(made.json()["checkoutFormIds"])
        link_account(emulator)
        # Beat runs a new interval task one interval after it first sees it: start the processes
        # now, so that their start-up overlaps that minute.
        for name, command in procfile(ROOT / "Procfile.production").items():
            processes.start(name, command)
        wait_for("gunicorn", lambda: answers(f"{site}/backend/login/"), 60)
        stylesheet = check_static_and_login(site, env)
        phase(started, "processes up, static files and login checked")

        def running_import() -> TaskRun | None:
            return TaskRun.objects.filter(job=IMPORT_JOB, status=RunStatus.RUNNING).first()

        victim = wait_for("the scheduled import to start", running_import, 120, every=0.2)
        phase(started, "scheduled import running")
        time.sleep(2)  # mid-import
        pid = int(victim.holder.split(":")[1])
        worker = processes.group_of(pid)
        if worker is None or not worker.startswith("worker"):
            raise SmokeFailure(f"the import runs in no worker of ours (holder {victim.holder})")
        processes.kill(worker, signal.SIGKILL)
        killed_at = time.monotonic()
        emulator.delete("/_emulator/faults")
        processes.start(worker, procfile(ROOT / "Procfile.production")[worker])

        def recovered() -> TaskRun | None:
            return TaskRun.objects.filter(
                job=IMPORT_JOB, status=RunStatus.SUCCESS, started_at__gt=victim.started_at
            ).first()

        wait_for("the next scheduled import to succeed", recovered, 120)
        took_over = time.monotonic() - killed_at
        phase(started, "the next scheduled import succeeded")
        victim.refresh_from_db()
        if victim.status != RunStatus.FAILURE or "przestał działać" not in victim.error:
            raise SmokeFailure(f"the killed run is {victim.status}: {victim.error!r}")

        orders = list(
            Order.objects.filter(channel=Channel.ALLEGRO).values_list("external_id", flat=True)
        )
        if len(orders) != PURCHASES or set(orders) != form_ids:
            raise SmokeFailure(f"{len(orders)} orders ({len(set(orders))} distinct) for 300 forms")
        if AllegroCheckoutForm.objects.count() != PURCHASES:
            raise SmokeFailure(f"{AllegroCheckoutForm.objects.count()} forms stored")
        for sku, _name, _price, quantity in BASKET:
            product = products[sku]
            product.refresh_from_db()
            expected = INITIAL_STOCK - PURCHASES * quantity
            if product.stock != expected:
                raise SmokeFailure(f"stock of {sku}: {product.stock}, expected {expected}")

        processes.stop_all()  # a warm shutdown: running tasks finish and record their end
        phase(started, "processes stopped")
        left = list(TaskRun.objects.filter(status=RunStatus.RUNNING).values_list("job", flat=True))
        if left:
            raise SmokeFailure(f"runs left running after shutdown: {left}")
        return (
            f"{PURCHASES} forms → {PURCHASES} orders, stock exact, killed import failed and "
            f"taken over {took_over:.0f} s later, static {stylesheet} 200 gzip"
        )
    finally:
        connections.close_all()


def main() -> int:
    # A stopped test still stops what it started (the finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="shop-deploy-smoke-"))
    try:
        summary = run(started, work)
    except (SmokeFailure, subprocess.SubprocessError, OSError, httpx.HTTPError) as exc:
        took = time.monotonic() - started
        print(f"deploy smoke: FAILED after {took:.0f} s: {exc} (logs: {work / 'logs'})")
        return 1
    finally:
        try:
            database_drop()
            redis.Redis.from_url(REDIS_URL).flushdb()
        except Exception as exc:  # cleanup must not hide the result
            print(f"deploy smoke: cleanup: {exc}", file=sys.stderr)
    shutil.rmtree(work, ignore_errors=True)
    print(f"deploy smoke: OK in {time.monotonic() - started:.0f} s: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
