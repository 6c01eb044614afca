"""Encryption of secrets at rest (client secrets, OAuth tokens) with Fernet.

``FIELD_ENCRYPTION_KEY`` holds one key, or several separated by commas: the first encrypts,
every one of them decrypts (a ``MultiFernet``), so a key is rotated by putting the new one
first, running ``manage.py encryption_keys_rotate`` and then dropping the old one.

Production refuses to start without the setting. The one-machine default generates a key once
and keeps it outside the data folder (``FIELD_ENCRYPTION_KEY_FILE``, by default in the user's
configuration folder), so a copy of ``var/`` never carries the key to its own secrets.

A value that no configured key opens (the key was changed or lost) is read as an empty
:class:`Undecryptable` string: pages keep working, the account says its secrets must be entered
again, and saving the row leaves the stored ciphertext as it was.
"""

from __future__ import annotations

import logging
import shutil
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

from config.env import VAR_DIR

logger = logging.getLogger(__name__)

# Where earlier versions kept the generated key, beside the database; moved on first use.
LEGACY_KEY_FILE = VAR_DIR / "field-encryption.key"


class Undecryptable(str):
    """A stored secret that no configured key can open; empty, and keeps its ciphertext."""

    ciphertext: str

    def __new__(cls, ciphertext: str) -> Undecryptable:
        value = super().__new__(cls, "")
        value.ciphertext = ciphertext
        return value


def generated_key_file() -> Path:
    path = Path(settings.FIELD_ENCRYPTION_KEY_FILE).expanduser()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if LEGACY_KEY_FILE.exists():
            shutil.move(LEGACY_KEY_FILE, path)
        else:
            path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path


def configured_keys() -> list[str]:
    keys = [k.strip() for k in str(settings.FIELD_ENCRYPTION_KEY or "").split(",") if k.strip()]
    if keys:
        return keys
    path = generated_key_file()
    logger.warning(
        "FIELD_ENCRYPTION_KEY is not set; using the generated key in %s. "
        "Set FIELD_ENCRYPTION_KEY for deployments with more than one machine.",
        path,
    )
    return [path.read_text().strip()]


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in configured_keys()])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    """The plaintext, or an empty :class:`Undecryptable` when no configured key opens it."""
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        logger.error("a stored secret cannot be decrypted: FIELD_ENCRYPTION_KEY was changed")
        return Undecryptable(ciphertext)


def reencrypt(ciphertext: str) -> str:
    """The same secret encrypted with the first key (raises ``InvalidToken`` if none opens it)."""
    return _fernet().rotate(ciphertext.encode()).decode()


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; Python code only ever sees the plaintext."""

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: object) -> str:
        if isinstance(value, Undecryptable):
            return value.ciphertext
        prepared = super().get_prep_value(value)
        return encrypt(str(prepared)) if prepared else ""
