"""Encryption of secrets at rest (client secrets, OAuth tokens) with Fernet.

The key comes from ``FIELD_ENCRYPTION_KEY``. Without it, a key is generated once under ``var/``
so that the one-machine default works; several machines must share one key from the
environment, which is why a warning is logged.
"""

from __future__ import annotations

import logging
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

from config.env import VAR_DIR

logger = logging.getLogger(__name__)

KEY_FILE_NAME = "field-encryption.key"


@cache
def _fernet() -> Fernet:
    key = settings.FIELD_ENCRYPTION_KEY
    if not key:
        path = VAR_DIR / KEY_FILE_NAME
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(Fernet.generate_key())
            path.chmod(0o600)
        logger.warning(
            "FIELD_ENCRYPTION_KEY is not set; using the generated key in %s. "
            "Set FIELD_ENCRYPTION_KEY for deployments with more than one machine.",
            path,
        )
        key = path.read_text().strip()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a stored secret: wrong FIELD_ENCRYPTION_KEY?") from exc


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code only ever sees the plaintext."""

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: object) -> str:
        prepared = super().get_prep_value(value)
        return encrypt(str(prepared)) if prepared else ""
