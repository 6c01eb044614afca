"""Production settings as processes see them: the default module, the plain-HTTP switch, checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s" * 60
ENCRYPTION_KEY = Fernet.generate_key().decode()

PRINT_SETTINGS = """
import json, {module}
from django.conf import settings
print(json.dumps({{
    "module": settings.SETTINGS_MODULE, "debug": settings.DEBUG,
    "redirect": settings.SECURE_SSL_REDIRECT, "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE, "hsts": settings.SECURE_HSTS_SECONDS,
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
}}))
"""


def run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "DATABASE_URL",
            "FIELD_ENCRYPTION_KEY",
        }
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "VAR_DIR": str(tmp_path), "FIELD_ENCRYPTION_KEY": ENCRYPTION_KEY, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_wsgi_and_celery_without_a_settings_module_refuse_to_start_in_development_mode(tmp_path):
    for module in ("config.wsgi", "config.celery"):
        code = PRINT_SETTINGS.format(module=module)
        result = run(code, tmp_path)
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr
        assert "config.django.base" in result.stderr  # says how to run in development


def test_wsgi_without_a_settings_module_is_production(tmp_path):
    result = run(PRINT_SETTINGS.format(module="config.wsgi"), tmp_path, SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["module"] == "config.django.production"
    assert seen["debug"] is False
    assert (seen["redirect"], seen["session_secure"], seen["csrf_secure"]) == (True, True, True)
    assert seen["hsts"] == 31536000
    assert seen["whitenoise"]
    assert seen["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_one_switch_for_plain_http_turns_off_redirect_secure_cookies_and_hsts(tmp_path):
    code = PRINT_SETTINGS.format(module="config.celery")
    result = run(code, tmp_path, SECRET_KEY=SECRET, SECURE_SSL_REDIRECT="false")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert (seen["redirect"], seen["session_secure"], seen["csrf_secure"], seen["hsts"]) == (
        False,
        False,
        False,
        0,
    )


def test_check_deploy_warns_about_plain_http_only_when_it_is_on(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "config.django.production", "SECRET_KEY": SECRET}
    code = (
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy'])"
    )
    plain = run(code, tmp_path, SECURE_SSL_REDIRECT="false", **env)
    assert "core.W002" in plain.stderr + plain.stdout
    assert "Plain HTTP" in plain.stderr + plain.stdout
    secure = run(code, tmp_path, **env)
    assert "core.W002" not in secure.stderr + secure.stdout
