"""Allegro hosts per environment.

Allegro serves the REST API, binary uploads and OAuth from three different hosts, and the
sandbox is a separate world with its own hosts, accounts and Client IDs. An explicit base URL
given to :class:`allegro_api.AllegroClient` overrides the environment's value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["PRODUCTION", "SANDBOX", "Environment", "EnvironmentName", "resolve_environment"]

EnvironmentName = Literal["production", "sandbox"]


@dataclass(frozen=True)
class Environment:
    """Base URLs of one Allegro environment (no trailing slash)."""

    name: str
    api_url: str
    upload_url: str
    oauth_url: str

    def with_overrides(
        self,
        *,
        api_url: str | None = None,
        upload_url: str | None = None,
        oauth_url: str | None = None,
    ) -> Environment:
        return Environment(
            name=self.name if not (api_url or upload_url or oauth_url) else "custom",
            api_url=(api_url or self.api_url).rstrip("/"),
            upload_url=(upload_url or self.upload_url).rstrip("/"),
            oauth_url=(oauth_url or self.oauth_url).rstrip("/"),
        )


PRODUCTION = Environment(
    name="production",
    api_url="https://api.allegro.pl",
    upload_url="https://upload.allegro.pl",
    oauth_url="https://allegro.pl",
)

SANDBOX = Environment(
    name="sandbox",
    api_url="https://api.allegro.pl.allegrosandbox.pl",
    upload_url="https://upload.allegro.pl.allegrosandbox.pl",
    oauth_url="https://allegro.pl.allegrosandbox.pl",
)


def resolve_environment(
    environment: Environment | EnvironmentName | None,
    *,
    api_url: str | None = None,
    upload_url: str | None = None,
    oauth_url: str | None = None,
) -> Environment:
    """Pick an environment by name (default production) and apply explicit URL overrides."""
    if environment is None or environment == "production":
        base = PRODUCTION
    elif environment == "sandbox":
        base = SANDBOX
    elif isinstance(environment, Environment):
        base = environment
    else:
        raise ValueError(f"unknown Allegro environment: {environment!r}")
    return base.with_overrides(api_url=api_url, upload_url=upload_url, oauth_url=oauth_url)
