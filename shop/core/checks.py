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
