"""Polish labels for the codes Allegro's API returns, in one place.

Pages, lists and printouts show these instead of the bare codes (``CASH_ON_DELIVERY``,
``PL_NIP``, ``PT24H``). A value Allegro adds later falls back to a readable form of the code
(``ORLEN_PACZKA`` → "Orlen paczka"), never the code itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shop.allegro.models import FormStatus, FulfillmentStatus, RejectionCode, ReturnStatus
from shop.core.plural import plural_pl

Labels = Mapping[str, str | Promise]

PAYMENT_TYPES: Labels = {
    "ONLINE": _("płatność online"),
    "CASH_ON_DELIVERY": _("za pobraniem"),
    "WIRE_TRANSFER": _("przelew tradycyjny"),
    "SPLIT_PAYMENT": _("podzielona płatność"),
    "EXTENDED_TERM": _("odroczony termin płatności"),
}

PAYMENT_PROVIDERS: Labels = {
    "P24": "Przelewy24",
    "PAYU": "PayU",
    "AF": "Allegro Finance",
    "AF_P24": _("Allegro Finance (Przelewy24)"),
    "AF_PAYU": _("Allegro Finance (PayU)"),
    "OFFLINE": _("przy odbiorze"),
    "EPT": _("Allegro Pay Business (odroczony termin)"),
}

# The ids of ``GET /order/carriers``; carrier names are proper nouns, not translated.
CARRIERS: Labels = {
    "ALLEGRO": "Allegro",
    "INPOST": "InPost",
    "DPD": "DPD",
    "DHL": "DHL",
    "POCZTA_POLSKA": "Poczta Polska",
    "POCZTEX": "Pocztex",
    "GLS": "GLS",
    "UPS": "UPS",
    "FEDEX": "FedEx",
    "ORLEN_PACZKA": "ORLEN Paczka",
    "GEIS": "Geis",
    "RABEN": "Raben",
    "AMBRO_EXPRESS": "Ambro Express",
    "DB_SCHENKER": "DB Schenker",
    "OTHER": _("inny przewoźnik"),
}

TAX_ID_TYPES: Labels = {
    "PL_NIP": _("NIP"),
    "VAT_EU": _("VAT UE"),
    "CZ_ICO": _("IČO (Czechy)"),
    "CZ_DIC": _("DIČ (Czechy)"),
    "SK_ICO": _("IČO (Słowacja)"),
    "SK_IC_DPH": _("IČ DPH (Słowacja)"),
    "HU_ADOSZAM": _("adószám (Węgry)"),
    "OTHER": _("numer identyfikacyjny"),
}

FORM_STATUSES: Labels = dict(FormStatus.choices)
FULFILLMENT_STATUSES: Labels = dict(FulfillmentStatus.choices)

# Allegro's publication status (``publication.status``), upper case as the API sends it.
OFFER_STATUSES: Labels = {
    "INACTIVE": _("szkic"),
    "ACTIVATING": _("zaplanowana"),
    "ACTIVE": _("aktywna"),
    "ENDED": _("zakończona"),
}

OFFER_ENDED_BY: Labels = {
    "USER": _("przez sprzedającego"),
    "ADMIN": _("przez Allegro"),
    "EXPIRATION": _("upłynął czas trwania"),
    "EMPTY_STOCK": _("wyczerpały się przedmioty"),
    "PRODUCT_DETACHMENT": _("odłączono produkt z katalogu"),
    "ERROR": _("błąd publikacji po stronie Allegro"),
    "VISIBILITY": _("oferta nie jest widoczna w żadnym serwisie"),
}

ORDER_EVENT_TYPES: Labels = {
    "BOUGHT": _("zakup"),
    "FILLED_IN": _("uzupełnienie danych dostawy i płatności"),
    "READY_FOR_PROCESSING": _("opłacenie (gotowe do realizacji)"),
    "BUYER_CANCELLED": _("anulowanie przez kupującego"),
    "FULFILLMENT_STATUS_CHANGED": _("zmiana statusu realizacji"),
    "BUYER_MODIFIED": _("zmiana danych przez kupującego"),
    "AUTO_CANCELLED": _("anulowanie automatyczne"),
}

RETURN_STATUSES: Labels = dict(ReturnStatus.choices)
REJECTION_CODES: Labels = dict(RejectionCode.choices)

# ``CustomerReturnItemReason.type``: why the buyer sends the item back (an open list).
RETURN_REASONS: Labels = {
    "NONE": _("bez podania powodu"),
    "MISTAKE": _("zakup przez pomyłkę"),
    "TRANSPORT": _("uszkodzenie w transporcie"),
    "DAMAGED": _("towar uszkodzony"),
    "NOT_AS_DESCRIBED": _("niezgodny z opisem"),
    "DONT_LIKE_IT": _("nie podoba się"),
    "OVERDUE_DELIVERY": _("spóźniona dostawa"),
    "INCOMPLETE": _("niekompletny"),
    "HIDDEN_FLAW": _("ukryta wada"),
    "OTHER_FLAW": _("inna wada"),
    "DIFFERENT": _("towar inny niż zamówiony"),
    "COUNTERFEIT": _("podróbka"),
    "NOT_NEW": _("nie jest nowy"),
    "TOO_LARGE": _("za duży"),
    "TOO_SMALL": _("za mały"),
    "NOT_AS_EXPECTED": _("inny niż oczekiwano"),
    "ORDERED_FOR_COMPARISON": _("zamówiony do porównania"),
}

# ``RefundDetails.status``.
REFUND_STATUSES: Labels = {
    "NEW": _("nowy"),
    "VALIDATED": _("sprawdzony"),
    "VALIDATE_FAILED": _("odrzucony przy sprawdzaniu"),
    "IN_PROGRESS": _("w realizacji"),
    "PARTIAL": _("zrealizowany częściowo"),
    "SUCCESS": _("zrealizowany"),
    "CANCELED": _("anulowany (brak środków na saldzie)"),
    "WAITING": _("oczekuje"),
}

REFUND_REASONS: Labels = {
    "REFUND": _("zwrot towaru"),
    "COMPLAINT": _("reklamacja"),
    "PRODUCT_NOT_AVAILABLE": _("brak towaru"),
    "PAID_VALUE_TOO_LOW": _("zapłacono za mało"),
    "OVERPAID": _("nadpłata"),
    "CANCELLED_BY_BUYER": _("anulowane przez kupującego"),
    "NOT_COLLECTED": _("przesyłka nieodebrana"),
}

# Delivery methods arrive with their name; the few codes we may see without one.
DELIVERY_METHODS: Labels = {
    "SELF_PICKUP": _("odbiór osobisty"),
    "ELECTRONIC": _("dostawa elektroniczna"),
}

_DURATION = re.compile(
    r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
# An offer without a set duration lasts until its stock runs out.
UNLIMITED = _("do wyczerpania")


def readable_code(code: str) -> str:
    """``ORLEN_PACZKA`` → "Orlen paczka": the fallback for a code we have no label for."""
    words = code.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize()


_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")


def _from(labels: Labels) -> Callable[[str | None], str]:
    def label(code: str | None) -> str:
        if not code:
            return ""
        known = labels.get(code) or labels.get(code.upper())
        if known is not None:
            return str(known)
        # A name Allegro sent as text ("Allegro Paczkomaty InPost") is shown as it came.
        return readable_code(code) if _CODE.match(code) else code

    return label


# ``PostPurchaseIssueStatus``.
ISSUE_STATUSES: Labels = {
    "DISPUTE_ONGOING": _("dyskusja trwa"),
    "DISPUTE_CLOSED": _("dyskusja zakończona"),
    "DISPUTE_UNRESOLVED": _("dyskusja nierozwiązana"),
    "CLAIM_SUBMITTED": _("reklamacja złożona"),
    "CLAIM_ACCEPTED": _("reklamacja uznana"),
    "CLAIM_REJECTED": _("reklamacja odrzucona"),
}

# ``PostPurchaseIssueReason.type`` (also the subject of a dispute), as Allegro words them.
ISSUE_REASONS: Labels = {
    "NO_PRODUCT_RECEIVED": _("nie otrzymałem produktu"),
    "NO_PRODUCT_IN_PARCEL": _("brak produktu w paczce"),
    "NO_PROOF_OF_PURCHASE_MANUAL_OR_WARRANTY": _("brak dowodu zakupu, instrukcji lub gwarancji"),
    "MISSING_PRODUCT_ELEMENT": _("brakuje elementu produktu"),
    "PRODUCT_AND_PARCEL_DAMAGED_IN_TRANSIT": _("produkt i paczka uszkodzone w transporcie"),
    "PRODUCT_DAMAGED_PARCEL_INTACT": _("produkt uszkodzony, paczka cała"),
    "DEFECT_FOUND_DURING_USE": _("wada ujawniona podczas używania"),
    "NOT_AS_DESCRIBED": _("niezgodny z opisem"),
    "SELLER_DOES_NOT_WANT_TO_ACCEPT_RETURN": _("sprzedający nie chce przyjąć zwrotu"),
    "PROBLEM_WITH_SENDING_PRODUCT_BACK": _("problem z odesłaniem produktu"),
    "NO_REFUND_AFTER_RETURNING_PRODUCT": _("brak zwrotu pieniędzy po odesłaniu produktu"),
    "NO_REFUND_AFTER_CANCELING_ORDER": _("brak zwrotu pieniędzy po anulowaniu zamówienia"),
    "DID_NOT_RECEIVE_GOODS_AFTER_PAYMENT": _("nie otrzymałem towaru po wpłacie"),
    "RECEIVED_ITEMS_NOT_MATCHING_DESCRIPTION": _("otrzymałem zamówienie niezgodne z opisem"),
    "RECEIVED_INCOMPLETE_ORDER": _("otrzymałem niekompletne zamówienie"),
    "ITEM_IS_DAMAGED": _("produkt jest uszkodzony"),
    "PROBLEM_WITH_WITHDRAWAL_CANCELLATION_OF_PURCHASE": _("problem z odstąpieniem od umowy"),
    "PROBLEM_WITH_GOODS_RETURN_CANCELLATION_OF_PURCHASE": _("problem ze zwrotem towaru"),
    "OTHER": _("inny powód"),
}

# Authors of chat messages (``PostPurchaseIssueMessageAuthor.role``).
ISSUE_ROLES: Labels = {
    "BUYER": _("kupujący"),
    "SELLER": _("sprzedający"),
    "ADMIN": _("doradca Allegro"),
    "SYSTEM": _("Allegro"),
    "FULFILLMENT": _("Allegro Fulfillment"),
}

# ``ClaimStatusChangeRequest.status``: the decisions a seller may take on a claim.
CLAIM_DECISIONS: Labels = {
    "ACCEPTED_REPAIR": _("uznaję – naprawa"),
    "ACCEPTED_EXCHANGE": _("uznaję – wymiana"),
    "ACCEPTED_REFUND": _("uznaję – zwrot pieniędzy"),
    "ACCEPTED_PARTIAL_REFUND": _("uznaję – częściowy zwrot pieniędzy"),
    "REJECTED_ADDITIONAL_REQUIREMENTS_NOT_COMPLETED": _("odrzucam – brak wymaganych informacji"),
    "REJECTED_PRODUCT_NOT_RETURNED": _("odrzucam – produkt nie został odesłany"),
    "REJECTED_PRODUCT_DAMAGED_BY_USER": _("odrzucam – uszkodzenie z winy kupującego"),
    "REJECTED_PRODUCT_CONFORMS_TO_CONTRACT": _("odrzucam – produkt zgodny z umową"),
    "REJECTED_MINOR_DEFECT": _("odrzucam – nieistotna wada"),
    "REJECTED_OTHER": _("odrzucam – inny powód"),
    "REJECTED_CLAIM_WITHDRAWN_BY_BUYER": _("odrzucam – kupujący wycofał reklamację"),
}

# ``PostPurchaseIssueExpectation.name``.
ISSUE_EXPECTATIONS: Labels = {
    "REPAIR": _("naprawa"),
    "EXCHANGE": _("wymiana"),
    "REFUND": _("zwrot pieniędzy"),
    "PARTIAL_REFUND": _("częściowy zwrot pieniędzy"),
}


def _days(n: int) -> str:
    return f"{n} {plural_pl(n, _('dzień'), _('dni'), _('dni'))}"


def _hours(n: int) -> str:
    return f"{n} {plural_pl(n, _('godzina'), _('godziny'), _('godzin'))}"


def _minutes(n: int) -> str:
    return f"{n} {plural_pl(n, _('minuta'), _('minuty'), _('minut'))}"


def duration_label(value: str | None, *, empty: str | Promise = UNLIMITED) -> str:
    """An ISO 8601 duration as Polish words: ``PT24H`` → "24 godziny", ``P10D`` → "10 dni".

    Whole days of hours read as days (``PT168H`` → "7 dni"), except ``PT24H``, which Allegro's
    own pages call "24 godziny". ``None`` or ``""`` is an offer without an end ("do wyczerpania").
    """
    if not value:
        return str(empty)
    match = _DURATION.match(value.strip().upper())
    if match is None:
        return readable_code(value)
    parts = {k: int(v or 0) for k, v in match.groupdict().items()}
    hours = parts["days"] * 24 + parts["hours"]
    if not hours and not parts["minutes"] and not parts["seconds"]:
        return str(_("natychmiast"))
    if parts["minutes"] or parts["seconds"]:
        total_minutes = hours * 60 + parts["minutes"] + (parts["seconds"] + 59) // 60
        return _minutes(total_minutes)
    if not parts["hours"] or (hours % 24 == 0 and hours != 24):
        return _days(hours // 24)
    return _hours(hours)


def handling_time_label(value: str | None) -> str:
    """How soon the seller ships: ``PT0S`` → "natychmiast", ``PT24H`` → "24 godziny"."""
    return duration_label(value or "PT24H")


payment_type_label = _from(PAYMENT_TYPES)
payment_provider_label = _from(PAYMENT_PROVIDERS)
carrier_label = _from(CARRIERS)
tax_id_type_label = _from(TAX_ID_TYPES)
form_status_label = _from(FORM_STATUSES)
fulfillment_status_label = _from(FULFILLMENT_STATUSES)
offer_status_label = _from(OFFER_STATUSES)
offer_ended_by_label = _from(OFFER_ENDED_BY)
order_event_type_label = _from(ORDER_EVENT_TYPES)
delivery_method_label = _from(DELIVERY_METHODS)
return_status_label = _from(RETURN_STATUSES)
return_reason_label = _from(RETURN_REASONS)
rejection_code_label = _from(REJECTION_CODES)
refund_status_label = _from(REFUND_STATUSES)
refund_reason_label = _from(REFUND_REASONS)
issue_status_label = _from(ISSUE_STATUSES)
issue_reason_label = _from(ISSUE_REASONS)
issue_role_label = _from(ISSUE_ROLES)
claim_decision_label = _from(CLAIM_DECISIONS)
issue_expectation_label = _from(ISSUE_EXPECTATIONS)

# Message centre: a message's delivery status and an attachment's scan status.
MESSAGE_STATUSES: Labels = {
    "VERIFYING": _("sprawdzana przez Allegro"),
    "BLOCKED": _("zatrzymana przez Allegro"),
    "DELIVERED": _("doręczona"),
    "INTERACTING": _("w rozmowie"),
    "DISMISSED": _("odrzucona"),
}
ATTACHMENT_STATUSES: Labels = {
    "NEW": _("sprawdzany"),
    "SAFE": _("bezpieczny"),
    "UNSAFE": _("niebezpieczny — nie otwieraj"),
    "EXPIRED": _("wygasł (starszy niż 6 miesięcy)"),
}
message_status_label = _from(MESSAGE_STATUSES)
attachment_status_label = _from(ATTACHMENT_STATUSES)

# The kinds the ``allegro_label`` template filter knows, by name.
LABELLERS: dict[str, Callable[[str | None], str]] = {
    "payment_type": payment_type_label,
    "payment_provider": payment_provider_label,
    "carrier": carrier_label,
    "tax_id_type": tax_id_type_label,
    "form_status": form_status_label,
    "fulfillment_status": fulfillment_status_label,
    "offer_status": offer_status_label,
    "offer_ended_by": offer_ended_by_label,
    "order_event_type": order_event_type_label,
    "delivery_method": delivery_method_label,
    "return_status": return_status_label,
    "return_reason": return_reason_label,
    "rejection_code": rejection_code_label,
    "refund_status": refund_status_label,
    "refund_reason": refund_reason_label,
    "message_status": message_status_label,
    "attachment_status": attachment_status_label,
    "duration": duration_label,
    "handling_time": handling_time_label,
    "issue_status": issue_status_label,
    "issue_reason": issue_reason_label,
    "issue_role": issue_role_label,
    "claim_decision": claim_decision_label,
    "issue_expectation": issue_expectation_label,
}


def allegro_label(value: str | None, kind: str) -> str:
    """The Polish label of ``value`` as a code of ``kind`` (a key of ``LABELLERS``)."""
    try:
        labeller = LABELLERS[kind]
    except KeyError:
        raise ValueError(f"unknown Allegro label kind {kind!r}") from None
    return labeller(None if value is None else str(value))
