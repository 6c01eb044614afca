"""A default set of offer terms (returns and implied warranty) for sellers who have none."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from shop.allegro.common.client import client_for
from shop.allegro.models import AllegroAccount
from shop.core.services.audit import audit_log_write


@dataclass(frozen=True)
class ReturnAddress:
    name: str
    street: str
    post_code: str
    city: str
    phone: str
    email: str


def offer_terms_create_defaults(
    *, account: AllegroAccount, address: ReturnAddress, user: object = None
) -> dict[str, str]:
    """Create "Zwroty 14 dni" and "Rękojmia 2 lata" on Allegro; their ids.

    Sets created before (by an earlier click, or on Allegro's site under the same names) are
    reused, so submitting the form again never adds another policy to the seller's account.
    """
    policy_name, warranty_name = _("Zwroty 14 dni"), _("Rękojmia 2 lata")
    allegro_address = {
        "name": address.name,
        "street": address.street,
        "postCode": address.post_code,
        "city": address.city,
        "countryCode": "PL",
    }
    with client_for(account) as client:
        conditions = client.after_sales
        policy = next(
            (p for p in conditions.return_policies.iter_all() if p.name == policy_name), None
        ) or conditions.return_policies.create(
            {
                "name": policy_name,
                "isFulfillment": False,
                "availability": {"range": "FULL"},
                "withdrawalPeriod": "P14D",
                "returnCost": {"coveredBy": "BUYER"},
                "address": allegro_address,
                "contact": {"phoneNumber": address.phone, "email": address.email},
                "options": {
                    "cashOnDeliveryNotAllowed": True,
                    "freeAccessoriesReturnRequired": True,
                    "refundLoweredByReceivedDiscount": True,
                    "businessReturnAllowed": False,
                    "collectBySellerOnly": False,
                },
            }
        )
        warranty = next(
            (
                w
                for w in client.after_sales.implied_warranties.iter_all()
                if w.name == warranty_name
            ),
            None,
        ) or client.after_sales.implied_warranties.create(
            {
                "name": warranty_name,
                "individual": {"period": "P2Y"},
                "corporate": {"period": "P1Y"},
                "address": allegro_address,
            }
        )
    ids = {"return_policy_id": str(policy.id), "implied_warranty_id": str(warranty.id)}
    audit_log_write(action="allegro.offer_terms_defaults", obj=account, user=user, changes=ids)  # type: ignore[arg-type]
    return ids
