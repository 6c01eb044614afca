"""``AllegroClient``: configuration and the resources as attributes."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

import httpx

from allegro_api._retry import RetryPolicy
from allegro_api._transport import Authenticator, Requester, validate_user_agent
from allegro_api.auth import OAuthClient, TokenStore
from allegro_api.environments import Environment, EnvironmentName, resolve_environment
from allegro_api.ratelimit import InMemoryRateBudget, RateBudget
from allegro_api.resources.after_sales import AfterSalesResource
from allegro_api.resources.billing import BillingResource
from allegro_api.resources.categories import CategoriesResource
from allegro_api.resources.claims import RefundClaimsResource
from allegro_api.resources.commands import OfferCommandsResource
from allegro_api.resources.images import ImagesResource
from allegro_api.resources.invoices import OrderInvoicesResource
from allegro_api.resources.issues import IssuesResource
from allegro_api.resources.me import MeResource
from allegro_api.resources.messaging import MessagingResource
from allegro_api.resources.offers import OfferEventsResource, OffersResource
from allegro_api.resources.orders import (
    CarriersResource,
    CheckoutFormsResource,
    OrderEventsResource,
    ShipmentsResource,
)
from allegro_api.resources.products import ProductsResource
from allegro_api.resources.promotions import PromotionsResource
from allegro_api.resources.ratings import RatingsResource
from allegro_api.resources.returns import CustomerReturnsResource, RefundsResource
from allegro_api.resources.shipment_management import ShipmentManagementResource
from allegro_api.resources.shipping_rates import DeliveryMethodsResource, ShippingRatesResource

__all__ = ["DEFAULT_TIMEOUT", "AllegroClient"]

#: Every request has a timeout; connecting gets less time than waiting for an answer.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
#: Pause after a 429 without ``Retry-After`` (Allegro documents none for its global limit).
DEFAULT_RATE_LIMIT_PAUSE = 60.0
#: Refresh this many seconds before the access token expires.
DEFAULT_REFRESH_LEEWAY = 300.0


class AllegroClient:
    """A typed client of Allegro's REST API for one token store (one seller, or the app).

    The client is thread-safe: share one instance (and so one connection pool) between
    threads. For many sellers, create one client and derive the others with
    :meth:`with_token_store` — they share the connection pool and the rate budget.

    Example::

        client = AllegroClient(
            user_agent="MyShop/1.4.0 (+https://myshop.example/allegro)",
            client_id=..., client_secret=...,
            token_store=InMemoryTokenStore(token),
        )
        me = client.me.get()
    """

    def __init__(
        self,
        *,
        user_agent: str,
        environment: Environment | EnvironmentName | None = "production",
        api_url: str | None = None,
        upload_url: str | None = None,
        oauth_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_store: TokenStore | None = None,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        timeout: httpx.Timeout | float | None = None,
        retry: RetryPolicy | None = None,
        rate_budget: RateBudget | None = None,
        rate_limit_pause: float = DEFAULT_RATE_LIMIT_PAUSE,
        refresh_leeway: float = DEFAULT_REFRESH_LEEWAY,
        accept_language: str | None = "pl-PL",
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = validate_user_agent(user_agent)
        self.environment = resolve_environment(
            environment, api_url=api_url, upload_url=upload_url, oauth_url=oauth_url
        )
        if timeout is None:
            timeout = DEFAULT_TIMEOUT
        self.timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            transport=transport, timeout=self.timeout, follow_redirects=False
        )
        self.retry = retry or RetryPolicy()
        self.rate_budget: RateBudget = rate_budget or InMemoryRateBudget(clock=clock)
        self.oauth: OAuthClient | None = None
        if client_id is not None and client_secret is not None:
            self.oauth = OAuthClient(
                client_id=client_id,
                client_secret=client_secret,
                user_agent=user_agent,
                environment=self.environment,
                http_client=self._http,
                timeout=self.timeout,
                clock=clock,
                sleep=sleep,
            )
        self.token_store = token_store
        self._settings = {
            "accept_language": accept_language,
            "rate_limit_pause": rate_limit_pause,
            "refresh_leeway": refresh_leeway,
        }
        self._clock = clock
        self._sleep = sleep
        authenticator = (
            Authenticator(store=token_store, oauth=self.oauth, leeway=refresh_leeway, clock=clock)
            if token_store is not None
            else None
        )
        self._requester = Requester(
            http=self._http,
            environment=self.environment,
            user_agent=self.user_agent,
            accept_language=accept_language,
            timeout=self.timeout,
            retry=self.retry,
            budget=self.rate_budget,
            authenticator=authenticator,
            clock=clock,
            sleep=sleep,
            rate_limit_pause=rate_limit_pause,
        )
        r = self._requester
        self.me = MeResource(r)
        self.categories = CategoriesResource(r)
        self.products = ProductsResource(r)
        self.images = ImagesResource(r)
        self.shipping_rates = ShippingRatesResource(r)
        self.delivery_methods = DeliveryMethodsResource(r)
        self.after_sales = AfterSalesResource(r)
        self.promotions = PromotionsResource(r)
        self.offers = OffersResource(r)
        self.offer_events = OfferEventsResource(r)
        self.offer_commands = OfferCommandsResource(r)
        self.order_events = OrderEventsResource(r)
        self.checkout_forms = CheckoutFormsResource(r)
        self.shipments = ShipmentsResource(r)
        self.carriers = CarriersResource(r)
        self.billing = BillingResource(r)
        self.order_invoices = OrderInvoicesResource(r)
        self.refund_claims = RefundClaimsResource(r)
        self.customer_returns = CustomerReturnsResource(r)
        self.refunds = RefundsResource(r)
        self.issues = IssuesResource(r)
        self.ratings = RatingsResource(r)
        self.shipment_management = ShipmentManagementResource(r)
        self.messaging = MessagingResource(r)

    def __repr__(self) -> str:
        env = self.environment
        return f"AllegroClient(environment={env.name!r}, api_url={env.api_url!r})"

    def with_token_store(self, token_store: TokenStore) -> AllegroClient:
        """A client for another seller sharing this one's connection pool, OAuth app and budget."""
        clone = AllegroClient(
            user_agent=self.user_agent,
            environment=self.environment,
            http_client=self._http,
            timeout=self.timeout,
            retry=self.retry,
            rate_budget=self.rate_budget,
            token_store=token_store,
            clock=self._clock,
            sleep=self._sleep,
            **self._settings,  # type: ignore[arg-type]
        )
        clone.oauth = self.oauth
        if clone._requester.authenticator is not None:
            clone._requester.authenticator.oauth = self.oauth
        return clone

    def close(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> AllegroClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
