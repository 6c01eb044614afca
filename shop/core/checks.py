from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def encryption_key_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.FIELD_ENCRYPTION_KEY:
        return []
    return [
        Warning(
            "FIELD_ENCRYPTION_KEY is not set: secrets are encrypted with a key generated in var/.",
            hint="Set FIELD_ENCRYPTION_KEY (a Fernet key) so every machine shares one key.",
            id="core.W001",
        )
    ]


@register(deploy=True)
def plain_http_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.DEBUG or settings.SECURE_SSL_REDIRECT:
        return []
    return [
        Warning(
            "Plain HTTP: SECURE_SSL_REDIRECT is off, so HTTP is not redirected to HTTPS and the "
            "session and CSRF cookies are sent without the Secure flag (passwords and sessions "
            "cross the network unencrypted).",
            hint="Only on a trusted internal network. Otherwise put a TLS proxy in front "
            "(README: Deploying) and unset SECURE_SSL_REDIRECT.",
            id="core.W002",
        )
    ]
