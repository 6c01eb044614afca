import pytest
from django.core.exceptions import ValidationError

from shop.core.validators import gtin_is_valid, nip_is_valid, validate_gtin, validate_nip


@pytest.mark.parametrize(
    "code",
    ["5901234123457", "9788373271890", "96385074", "036000291452", "10614141000415"],
)
def test_valid_gtins_pass(code):
    assert gtin_is_valid(code)


@pytest.mark.parametrize(
    "code", ["5901234123458", "978837327189", "abcdefghijklm", "", "123", "97883732718900"]
)
def test_invalid_gtins_fail(code):
    assert not gtin_is_valid(code)
    with pytest.raises(ValidationError):
        validate_gtin(code)


@pytest.mark.parametrize("nip", ["5260250274", "526-025-02-74", "PL 5260250274", "7251801126"])
def test_valid_nips_pass(nip):
    assert nip_is_valid(nip)


@pytest.mark.parametrize("nip", ["5260250275", "123", "52602502740", "abcdefghij", "0000000000x"])
def test_invalid_nips_fail(nip):
    assert not nip_is_valid(nip)
    with pytest.raises(ValidationError, match="NIP"):
        validate_nip(nip)
