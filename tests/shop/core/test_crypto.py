import pytest
from django.db import connection

from shop.core import crypto


def test_round_trip_and_ciphertext_differs():
    token = crypto.encrypt("sekret-ąę")
    assert token != "sekret-ąę"
    assert crypto.decrypt(token) == "sekret-ąę"


def test_wrong_key_is_a_clear_error(settings):
    token = crypto.encrypt("x")
    crypto._fernet.cache_clear()
    settings.FIELD_ENCRYPTION_KEY = "hHCTyP3FEvdvZ2OQ9x1t3V1s5O2Q8YyVxJ0b2qg5mVo="
    try:
        with pytest.raises(ValueError, match="FIELD_ENCRYPTION_KEY"):
            crypto.decrypt(token)
    finally:
        crypto._fernet.cache_clear()


def test_generated_key_is_written_under_var_when_unset(settings, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(crypto, "VAR_DIR", tmp_path)
    settings.FIELD_ENCRYPTION_KEY = ""
    crypto._fernet.cache_clear()
    try:
        assert crypto.decrypt(crypto.encrypt("abc")) == "abc"
        assert (tmp_path / crypto.KEY_FILE_NAME).exists()
        assert "FIELD_ENCRYPTION_KEY is not set" in caplog.text
    finally:
        crypto._fernet.cache_clear()


@pytest.mark.django_db
def test_encrypted_field_stores_ciphertext():
    from django.db import models

    field = crypto.EncryptedTextField()
    stored = field.get_prep_value("refresh-token-value")
    assert "refresh-token-value" not in stored
    assert field.from_db_value(stored, None, connection) == "refresh-token-value"
    assert isinstance(field, models.TextField)
