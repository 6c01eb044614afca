"""The :class:`Emulator`: one world, its WSGI app, its request log, faults and persistence."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
import random
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from fake_allegro.faults import Faults
from fake_allegro.oauth import OAuthState, issue_tokens
from fake_allegro.orders.state import OrdersState
from fake_allegro.spec import Spec, get_spec
from fake_allegro.world import Application, Seller, World

DEMO_CLIENT_ID = "demo-client-id"
DEMO_CLIENT_SECRET = "demo-client-secret"  # noqa: S105 - public demo credentials
DEMO_APP_NAME = "Sklep Demo"
DEMO_SITE_URL = "http://127.0.0.1:8000"
CALLBACK_PATH = "/backend/allegro/callback/"
DEMO_SELLERS = (
    # login, password, company
    ("demo-sprzedawca", "demo1234", "Sklep Demo sp. z o.o."),
    ("demo-hurtownia", "demo1234", "Hurtownia Przykładowa s.c."),
)
BASE_URL = "http://fake-allegro.test"
USER_AGENT = "SklepDemo/1.0 (+http://localhost:8000)"  # what the test clients identify as
WORLD_FILE = "world.pickle"

_DOMAIN_MODULES = (
    "fake_allegro.oauth",
    "fake_allegro.account",
    "fake_allegro.orders.api",
    "fake_allegro.orders.control",
    "fake_allegro.billing.api",
    "fake_allegro.billing.control",
    "fake_allegro.orders.invoices",
    "fake_allegro.claims.api",
    "fake_allegro.orders.returns",
    "fake_allegro.issues.api",
    "fake_allegro.issues.control",
    "fake_allegro.ratings.api",
    "fake_allegro.shipments.api",
    "fake_allegro.messaging.api",
    "fake_allegro.control",
    "fake_allegro.images",
)
_loaded = False
_load_lock = threading.Lock()


def load_domains() -> None:
    """Import every module that registers endpoints (ours and the sale domain's)."""
    global _loaded
    with _load_lock:
        if _loaded:
            return
        for name in _DOMAIN_MODULES:
            importlib.import_module(name)
        import fake_allegro.sale as sale

        for info in pkgutil.walk_packages(sale.__path__, prefix="fake_allegro.sale."):
            importlib.import_module(info.name)
        _loaded = True


def demo_redirect_uris(site_url: str = DEMO_SITE_URL) -> list[str]:
    """The demo application's registered redirect URIs: the shop's callback at ``site_url``,
    and at its twin host when that is 127.0.0.1 or localhost (both reach `make run`)."""
    parts = urlsplit(site_url.rstrip("/"))
    twins = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
    hosts = [parts.hostname or ""] + ([twins[parts.hostname]] if parts.hostname in twins else [])
    port = f":{parts.port}" if parts.port else ""
    return [f"{parts.scheme}://{host}{port}{CALLBACK_PATH}" for host in hosts]


def _nip(rng: random.Random) -> str:
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        digits = [rng.randint(1, 9), *(rng.randint(0, 9) for _ in range(8))]
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def build_world(seed: int = 0, token_ttl: int = 43199, public_url: str = BASE_URL) -> World:
    """A fresh world: the demo application, the demo sellers, empty orders, seeded sale data."""
    from faker import Faker

    world = World(
        seed=seed, rng=random.Random(seed), token_ttl=token_ttl, public_url=public_url.rstrip("/")
    )
    world.oauth = OAuthState()
    world.orders = OrdersState(rng=random.Random(f"orders-{seed}"))
    world.applications[DEMO_CLIENT_ID] = Application(
        DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_APP_NAME, demo_redirect_uris()
    )
    fake = Faker("pl_PL")
    fake.seed_instance(seed)
    ids = random.Random(f"sellers-{seed}")
    for login, password, company in DEMO_SELLERS:
        seller_id = str(ids.randint(10_000_000, 99_999_999))
        first, last = fake.first_name(), fake.last_name()
        world.sellers[seller_id] = Seller(
            id=seller_id,
            login=login,
            password=password,
            email=f"{login}@example.pl",
            company_name=company,
            first_name=first,
            last_name=last,
            tax_id=_nip(ids),
            features=["SUPER_SELLER"] if login == DEMO_SELLERS[0][0] else [],
        )
    _attach_sale(world)
    return world


def _attach_sale(world: World) -> None:
    try:
        state_module = importlib.import_module("fake_allegro.sale.state")
    except ModuleNotFoundError:
        world.sale = None
        return
    sale_state = getattr(state_module, "SaleState", None)
    seeded = getattr(sale_state, "seeded", None)
    world.sale = seeded(world) if callable(seeded) else None


class RequestLog:
    def __init__(self, maxlen: int = 50_000):
        self._entries: deque[dict[str, Any]] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Emulator:
    """A stateful emulator of Allegro's REST API, served as a WSGI app (``.wsgi``)."""

    def __init__(
        self,
        seed: int = 0,
        data_dir: str | Path | None = None,
        validate_responses: bool = False,
        validate_requests: bool = True,
        token_ttl: int = 43199,
        spec: Spec | None = None,
        require_user_agent: bool = True,
        public_url: str = BASE_URL,
        demo_site_url: str | None = None,
    ):
        """``demo_site_url``: the shop the demo application sends sellers back to (its redirect
        URIs follow it, also in a world loaded from ``data_dir``); None keeps the world's."""
        from fake_allegro.app import EmulatorApp

        load_domains()
        self.seed = seed
        self.spec = spec or get_spec()
        self.validate_responses = validate_responses
        # Off only where a benchmark measures the client side (tests always validate).
        self.validate_requests = validate_requests
        # Allegro refuses requests without an ``AppName/1.2.3 (+link)`` User-Agent (July 2026);
        # off for old clients (``--no-user-agent-check``, ``POST /_emulator/user-agent``).
        self.require_user_agent = require_user_agent
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.lock = threading.RLock()
        self.violations: list[str] = []
        self.requests = RequestLog()
        self.faults = Faults(seed)
        self._dirty = False
        self._last_save = 0.0
        loaded = self._load()
        self.public_url = public_url
        self.world = loaded if loaded is not None else build_world(seed, token_ttl, public_url)
        if loaded is None:
            self.world.token_ttl = token_ttl
        self.demo_site_url = demo_site_url
        self._follow_demo_site()
        self.wsgi = EmulatorApp(self, self.spec)

    def _follow_demo_site(self) -> None:
        if self.demo_site_url:
            self.demo_application.redirect_uris = demo_redirect_uris(self.demo_site_url)

    # -- identities -------------------------------------------------------------------------
    @property
    def demo_application(self) -> Application:
        return self.world.applications[DEMO_CLIENT_ID]

    @property
    def demo_seller(self) -> Seller:
        seller = self.world.seller_by_login(DEMO_SELLERS[0][0])
        return seller if seller is not None else self.world.default_seller()

    def issue_tokens(
        self, client_id: str | None = None, login: str | None = None
    ) -> dict[str, Any]:
        """A token response for ``login`` (the demo seller by default) on ``client_id``."""
        with self.lock:
            application = self.world.applications[client_id or DEMO_CLIENT_ID]
            seller = self.world.seller_by_login(login) if login else self.demo_seller
            if seller is None:
                raise KeyError(f"no seller with login {login!r}")
            body = issue_tokens(self.world, application, seller)
            self.mark_dirty()
            return body

    def issue_app_token(self, client_id: str | None = None) -> dict[str, Any]:
        from fake_allegro.oauth import APP_SCOPES

        with self.lock:
            application = self.world.applications[client_id or DEMO_CLIENT_ID]
            return issue_tokens(self.world, application, None, scope=list(APP_SCOPES))

    # -- HTTP --------------------------------------------------------------------------------
    def http_client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client on the app; it sends :data:`USER_AGENT` unless told otherwise."""
        kwargs.setdefault("base_url", BASE_URL)
        headers = httpx.Headers(kwargs.pop("headers", None))
        headers.setdefault("User-Agent", USER_AGENT)
        return httpx.Client(transport=httpx.WSGITransport(app=self.wsgi), headers=headers, **kwargs)

    # -- bookkeeping used by the app ------------------------------------------------------------
    def record_violation(self, text: str) -> None:
        with self.lock:
            self.violations.append(text)

    def log_request(self, **entry: Any) -> None:
        entry["at"] = self.world.now().isoformat()
        self.requests.add(entry)

    # -- persistence ----------------------------------------------------------------------------
    def _path(self) -> Path | None:
        return self.data_dir / WORLD_FILE if self.data_dir is not None else None

    def _load(self) -> World | None:
        path = self._path()
        if path is None or not path.exists():
            return None
        world = pickle.loads(path.read_bytes())  # noqa: S301 - our own state file
        if not isinstance(world, World):
            raise TypeError(f"{path} does not hold an emulator world")
        return world

    def mark_dirty(self) -> None:
        self._dirty = True

    def save(self) -> None:
        path = self._path()
        if path is None:
            return
        with self.lock:
            data = pickle.dumps(self.world, protocol=pickle.HIGHEST_PROTOCOL)
            self._dirty = False
            self._last_save = time.monotonic()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    def save_if_dirty(self) -> bool:
        if self._dirty:
            self.save()
            return True
        return False

    def reset(self, seed: int | None = None) -> None:
        """Back to a freshly seeded world (keeps the configured token lifetime)."""
        with self.lock:
            ttl = self.world.token_ttl
            self.seed = self.seed if seed is None else seed
            self.world = build_world(self.seed, ttl, self.public_url)
            self._follow_demo_site()
            self.faults.clear()
            self.requests.clear()
            self.mark_dirty()
