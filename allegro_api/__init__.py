"""A typed, framework-free client of Allegro.pl's REST API.

Public names: :class:`AllegroClient`, the OAuth helpers in :mod:`allegro_api.auth`, the rate
budgets in :mod:`allegro_api.ratelimit`, the exceptions (tree in :mod:`allegro_api._exceptions`)
and the pydantic models in :mod:`allegro_api.models`.
"""

from allegro_api._client import AllegroClient
from allegro_api._exceptions import (
    AllegroAPIError,
    AllegroError,
    AllegroTimeout,
    AllegroTransportError,
    BadRequest,
    Conflict,
    ErrorDetail,
    Forbidden,
    InvalidGrant,
    NotAuthenticated,
    NotFound,
    OAuthError,
    OperationTimeout,
    RateLimited,
    ServerError,
    Unauthorized,
    Unprocessable,
)
from allegro_api._retry import RetryPolicy
from allegro_api.auth import (
    DeviceAuthorization,
    InMemoryTokenStore,
    OAuthClient,
    TokenSet,
    TokenStore,
    make_code_challenge,
    make_code_verifier,
    make_pkce_pair,
    make_state,
)
from allegro_api.environments import PRODUCTION, SANDBOX, Environment
from allegro_api.ratelimit import InMemoryRateBudget, RateBudget, RedisRateBudget

__all__ = [
    "PRODUCTION",
    "SANDBOX",
    "AllegroAPIError",
    "AllegroClient",
    "AllegroError",
    "AllegroTimeout",
    "AllegroTransportError",
    "BadRequest",
    "Conflict",
    "DeviceAuthorization",
    "Environment",
    "ErrorDetail",
    "Forbidden",
    "InMemoryRateBudget",
    "InMemoryTokenStore",
    "InvalidGrant",
    "NotAuthenticated",
    "NotFound",
    "OAuthClient",
    "OAuthError",
    "OperationTimeout",
    "RateBudget",
    "RateLimited",
    "RedisRateBudget",
    "RetryPolicy",
    "ServerError",
    "TokenSet",
    "TokenStore",
    "Unauthorized",
    "Unprocessable",
    "make_code_challenge",
    "make_code_verifier",
    "make_pkce_pair",
    "make_state",
]
