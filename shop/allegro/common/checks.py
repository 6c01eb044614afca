"""System checks of the Allegro app (registered in AllegroConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning


def emulator_in_production_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.ALLEGRO_EMULATOR_URL and not settings.DEBUG:
        return [
            Warning(
                "ALLEGRO_EMULATOR_URL is set while DEBUG is off: every Allegro account talks to "
                f"the emulator at {settings.ALLEGRO_EMULATOR_URL}, not to Allegro.",
                hint="Unset ALLEGRO_EMULATOR_URL in production.",
                id="allegro.W001",
            )
        ]
    return []
