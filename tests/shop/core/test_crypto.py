import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from shop.core import crypto

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture
def fresh_keys(settings):
    """Each test sets its own keys; the cached MultiFernet is rebuilt around it."""
    crypto._fernet.cache_clear()
    yield settings
    crypto._fernet.cache_clear()


def test_round_trip_and_ciphertext_differs():
    token = crypto.encrypt("sekret-ąę")
    assert token != "sekret-ąę"
    assert crypto.decrypt(token) == "sekret-ąę"


def test_a_wrong_key_reads_as_an_empty_undecryptable_value(fresh_keys, caplog):
    token = crypto.encrypt("x")
    crypto._fernet.cache_clear()
    fresh_keys.FIELD_ENCRYPTION_KEY = NEW_KEY
    value = crypto.decrypt(token)
    assert value == ""
    assert isinstance(value, crypto.Undecryptable)
    assert value.ciphertext == token
    assert "FIELD_ENCRYPTION_KEY" in caplog.text


def test_an_undecryptable_value_is_stored_back_unchanged(fresh_keys):
    field = crypto.EncryptedTextField()
    fresh_keys.FIELD_ENCRYPTION_KEY = OLD_KEY
    stored = field.get_prep_value("secret")
    crypto._fernet.cache_clear()
    fresh_keys.FIELD_ENCRYPTION_KEY = NEW_KEY
    read = field.from_db_value(stored, None, connection)
    assert field.get_prep_value(read) == stored
    # The operator puts the old key back: nothing was lost.
    crypto._fernet.cache_clear()
    fresh_keys.FIELD_ENCRYPTION_KEY = OLD_KEY
    assert field.from_db_value(stored, None, connection) == "secret"


def test_several_keys_rotate_first_encrypts_all_decrypt(fresh_keys):
    fresh_keys.FIELD_ENCRYPTION_KEY = OLD_KEY
    old = crypto.encrypt("token")
    crypto._fernet.cache_clear()
    fresh_keys.FIELD_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    assert crypto.decrypt(old) == "token"
    rotated = crypto.reencrypt(old)
    crypto._fernet.cache_clear()
    fresh_keys.FIELD_ENCRYPTION_KEY = NEW_KEY
    assert crypto.decrypt(rotated) == "token"
    assert isinstance(crypto.decrypt(old), crypto.Undecryptable)


def test_generated_key_lives_outside_the_data_folder(fresh_keys, tmp_path, monkeypatch, caplog):
    var = tmp_path / "var"
    var.mkdir()
    legacy = var / "field-encryption.key"
    legacy.write_bytes(Fernet.generate_key())
    monkeypatch.setattr(crypto, "LEGACY_KEY_FILE", legacy)
    fresh_keys.FIELD_ENCRYPTION_KEY = ""
    fresh_keys.FIELD_ENCRYPTION_KEY_FILE = str(tmp_path / "config" / "field-encryption.key")
    key = legacy.read_text()
    assert crypto.decrypt(crypto.encrypt("abc")) == "abc"
    moved = tmp_path / "config" / "field-encryption.key"
    assert moved.read_text() == key  # an earlier generated key is moved, not replaced
    assert not legacy.exists()
    assert oct(moved.stat().st_mode & 0o777) == "0o600"
    assert "FIELD_ENCRYPTION_KEY is not set" in caplog.text


@pytest.mark.django_db
def test_encrypted_field_stores_ciphertext():
    from django.db import models

    field = crypto.EncryptedTextField()
    stored = field.get_prep_value("refresh-token-value")
    assert "refresh-token-value" not in stored
    assert field.from_db_value(stored, None, connection) == "refresh-token-value"
    assert isinstance(field, models.TextField)


@pytest.mark.django_db
def test_rotation_command_reencrypts_every_secret(fresh_keys, capsys):
    from shop.allegro.models import AllegroAccount

    fresh_keys.FIELD_ENCRYPTION_KEY = OLD_KEY
    account = AllegroAccount.objects.create(client_id="id", client_secret="s3cret")
    crypto._fernet.cache_clear()
    fresh_keys.FIELD_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    call_command("encryption_keys_rotate")
    assert "1" in capsys.readouterr().out
    crypto._fernet.cache_clear()
    fresh_keys.FIELD_ENCRYPTION_KEY = NEW_KEY
    assert AllegroAccount.objects.get(pk=account.pk).client_secret == "s3cret"
