"""PORT moves the back office; the default SITE_URL (and so the Allegro redirect URI) follows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = """
import json, django
django.setup()
from django.conf import settings
from shop.allegro.accounts.services import redirect_uri
print(json.dumps({"site": settings.SITE_URL, "csrf": settings.CSRF_TRUSTED_ORIGINS,
                  "callback": redirect_uri()}))
"""


def settings_with(tmp_path: Path, **env: str) -> dict[str, object]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PORT", "SITE_URL", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL"}
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.django.base", "VAR_DIR": str(tmp_path)}
        | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_site_url_follows_port_unless_set(tmp_path: Path) -> None:
    assert settings_with(tmp_path, PORT="8210") == {
        "site": "http://127.0.0.1:8210",
        "csrf": ["http://127.0.0.1:8210"],
        "callback": "http://127.0.0.1:8210/backend/allegro/callback/",
    }
    assert settings_with(tmp_path)["site"] == "http://127.0.0.1:8000"
    explicit = settings_with(tmp_path, PORT="8210", SITE_URL="https://sklep.example.pl")
    assert explicit["site"] == "https://sklep.example.pl"
