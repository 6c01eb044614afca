"""Filing commission refund claims and following their state on Allegro.

``POST /order/refund-claims`` takes no idempotency key, and a line item takes one claim only: a
second one is refused even after the first was rejected (allegro-api #9992). So a claim is never
sent twice:

* the row (one per line item, with its ``request_key``) is written and marked SENDING before
  the request; a second submit while it is on its way is refused (double click, two tabs);
* the client does not retry the POST (``allegro_api`` retries only idempotent calls);
* after any failure whose outcome is unknown (timeout, 5xx) the row is UNCONFIRMED, and the next
  attempt first lists the seller's claims for that offer and buyer (``GET /order/refund-claims``
  has no line-item filter) and takes the claim it finds instead of sending another;
* ``ClaimExistsException`` (filed elsewhere, e.g. on Allegro's site) is answered the same way.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import AllegroAPIError, AllegroClient, AllegroError, AllegroTransportError
from allegro_api.models.claims import RefundClaim
from shop.allegro.claims.selectors import candidate_of, claims_followed, commission_estimate
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import (
    AllegroAccount,
    AllegroLineItem,
    AllegroRefundClaim,
    ClaimStatus,
)
from shop.core.errors import ApplicationError

logger = logging.getLogger(__name__)

FOLLOW_CLAIMS_JOB = "allegro.follow_claims"
#: A claim marked SENDING longer than this is taken as interrupted (the process died).
SENDING_LEASE = timedelta(minutes=2)
CLAIM_EXISTS = "ClaimExistsException"
#: Refusals that hold for good (allegro-api #7749, #6744, #9992); any other 4xx (a wrong
#: quantity, a purchase not yet claimable) leaves the line item to be filed again later.
FINAL_REFUSALS = frozenset(
    {CLAIM_EXISTS, "CommissionRefundPeriodExpiredException", "CommissionAmountException"}
)


def _apply_remote(claim: AllegroRefundClaim, remote: RefundClaim) -> list[str]:
    """Copy Allegro's view of the claim onto the row; the changed field names."""
    changed: list[str] = []

    def put(name: str, value: object) -> None:
        if getattr(claim, name) != value:
            setattr(claim, name, value)
            changed.append(name)

    put("claim_id", remote.id or claim.claim_id)
    if remote.status:
        put("status", remote.status)
    if remote.quantity:
        put("quantity", remote.quantity)
    if remote.commission is not None and remote.commission.amount is not None:
        put("commission", Decimal(str(remote.commission.amount)).quantize(Decimal("0.01")))
        put("commission_estimated", False)
        put("currency", remote.commission.currency or claim.currency)
    if remote.type:
        put("claim_type", remote.type)
    if remote.created_at and claim.filed_at is None:
        put("filed_at", remote.created_at)
    put("raw", remote.to_api())
    return changed


def _find_remote(client: AllegroClient, claim: AllegroRefundClaim) -> RefundClaim | None:
    """The seller's claim on Allegro for this line item, if one exists."""
    item = claim.line_item
    buyer_id = str(((item.form.raw or {}).get("buyer") or {}).get("id") or "") or None
    for remote in client.refund_claims.iter_all(offer_id=item.offer_id or None, buyer_id=buyer_id):
        if remote.line_item is not None and remote.line_item.id == item.line_item_id:
            return remote
    return None


def _read_filed(client: AllegroClient, claim_id: str) -> RefundClaim | None:
    """Allegro's view of a claim just filed (its commission); None if it cannot be read now:
    the claim is filed either way and the follow-up job reads it later."""
    if not claim_id:
        return None
    try:
        return client.refund_claims.get(claim_id)
    except AllegroError as exc:
        logger.warning("refund claim %s filed but not read back: %s", claim_id, exc)
        return None


def _reserve(
    *, account: AllegroAccount, line_item: AllegroLineItem, quantity: int | None
) -> tuple[AllegroRefundClaim, bool]:
    """Write (or take) the line item's claim row and mark it SENDING; whether to look it up
    on Allegro first (an earlier attempt's outcome is unknown)."""
    now = timezone.now()
    candidate = candidate_of(line_item, now)
    with transaction.atomic():
        claim = AllegroRefundClaim.objects.select_for_update().filter(line_item=line_item).first()
        if claim is None:
            if candidate is None:
                raise ApplicationError(_("Ta pozycja nie kwalifikuje się do zwrotu prowizji."))
            if not candidate.is_open:
                raise ApplicationError(
                    _("Wniosek można złożyć od %(opens)s do %(closes)s.")
                    % {
                        "opens": f"{timezone.localtime(candidate.opens_at):%d.%m.%Y %H:%M}",
                        "closes": f"{timezone.localtime(candidate.closes_at):%d.%m.%Y %H:%M}",
                    }
                )
            # Only the units whose sale did not happen (a partly returned line: those returned).
            quantity = quantity or candidate.quantity
            if not 1 <= quantity <= candidate.quantity:
                raise ApplicationError(
                    _("Liczba sztuk musi być od 1 do %(n)s.") % {"n": candidate.quantity}
                )
            claim = AllegroRefundClaim.objects.create(
                account=account,
                line_item=line_item,
                quantity=quantity,
                reason=candidate.reason,
                commission=commission_estimate(line_item.price, quantity),
                currency=line_item.form.currency,
            )
        if claim.claim_id:
            raise ApplicationError(_("Wniosek dla tej pozycji został już złożony."))
        if claim.status == ClaimStatus.REFUSED:
            raise ApplicationError(
                _("Allegro odrzuciło już ten wniosek: %(e)s") % {"e": claim.last_error}
            )
        if (
            claim.status == ClaimStatus.SENDING
            and claim.sending_since is not None
            and now - claim.sending_since < SENDING_LEASE
        ):
            raise ApplicationError(_("Wniosek jest właśnie wysyłany."))
        look_up_first = claim.attempts > 0
        claim.status = ClaimStatus.SENDING
        claim.sending_since = now
        claim.attempts += 1
        claim.save(update_fields=["status", "sending_since", "attempts", "updated_at"])
    return claim, look_up_first


def claim_file(
    *, account: AllegroAccount, line_item: AllegroLineItem, quantity: int | None = None
) -> AllegroRefundClaim:
    """File the claim of one line item, exactly once; raise ApplicationError with the reason
    when it is not filed."""
    claim, look_up_first = _reserve(account=account, line_item=line_item, quantity=quantity)
    changed: list[str] = []
    error = ""
    post_refused = False  # the POST itself got a definite 4xx: nothing was filed
    try:
        with client_for(account) as client:
            remote = _find_remote(client, claim) if look_up_first else None
            if remote is None:
                try:
                    created = client.refund_claims.create(
                        line_item_id=line_item.line_item_id, quantity=claim.quantity
                    )
                except AllegroAPIError as exc:
                    if CLAIM_EXISTS not in exc.codes:
                        post_refused = exc.status < 500 and exc.status not in (408, 429)
                        raise
                    remote = _find_remote(client, claim)
                    if remote is None:
                        raise
                else:
                    claim.claim_id = created.id or ""
                    claim.status = ClaimStatus.IN_PROGRESS
                    claim.filed_at = timezone.now()
                    changed = ["claim_id", "status", "filed_at"]
                    remote = _read_filed(client, claim.claim_id)
            if remote is not None:
                changed += [*_apply_remote(claim, remote), "status"]
    except (AllegroTransportError, AllegroAPIError) as exc:
        error = describe_error(exc)
        unknown = isinstance(exc, AllegroTransportError) or (
            isinstance(exc, AllegroAPIError) and (exc.status >= 500 or exc.status in (408, 429))
        )
        final = bool(FINAL_REFUSALS & set(getattr(exc, "codes", [])))
        if post_refused and not final:
            # Refused for now (quantity, too early), after any earlier attempt was looked up
            # and not found: Allegro has nothing for this line item, so no row is kept and the
            # item stays on the list to be filed again.
            claim.delete()
            raise ApplicationError(error) from exc
        claim.status = ClaimStatus.UNCONFIRMED if unknown or not final else ClaimStatus.REFUSED
        changed = ["status"]
    except AllegroError as exc:  # not linked, token gone: nothing was sent
        claim.status = ClaimStatus.UNCONFIRMED
        error = describe_error(exc)
        changed = ["status"]
    claim.last_error = error
    claim.sending_since = None
    claim.checked_at = timezone.now()
    claim.save(
        update_fields=[*set(changed), "last_error", "sending_since", "checked_at", "updated_at"]
    )
    if error:
        raise ApplicationError(error)
    return claim


def claims_file(
    *, line_item_ids: list[int], quantities: dict[int, int] | None = None
) -> tuple[int, list[str]]:
    """File the claims of several line items (each on its own order's account): how many were
    filed, and the error text of each that was not."""
    quantities = quantities or {}
    items = AllegroLineItem.objects.filter(pk__in=line_item_ids).select_related(
        "form", "form__order", "form__account"
    )
    filed = 0
    errors: list[str] = []
    for item in items:
        try:
            claim_file(account=item.form.account, line_item=item, quantity=quantities.get(item.pk))
        except ApplicationError as exc:
            errors.append(f"{item.offer_name or item.line_item_id}: {exc.message}")
        else:
            filed += 1
    return filed, errors


def claim_cancel(*, claim: AllegroRefundClaim) -> AllegroRefundClaim:
    """Withdraw a claim Allegro is still processing."""
    if not claim.claim_id or claim.status != ClaimStatus.IN_PROGRESS:
        raise ApplicationError(_("Tego wniosku nie można już wycofać."))
    try:
        with client_for(claim.account) as client:
            client.refund_claims.cancel(claim.claim_id)
            remote = client.refund_claims.get(claim.claim_id)
    except AllegroError as exc:
        raise ApplicationError(describe_error(exc)) from exc
    changed = _apply_remote(claim, remote)
    claim.checked_at = timezone.now()
    claim.save(update_fields=[*changed, "checked_at", "updated_at"])
    return claim


def claims_follow(*, account: AllegroAccount) -> Counter[str]:
    """Read Allegro's state of every claim still open (and look up the unconfirmed ones)."""
    counts: Counter[str] = Counter()
    claims = list(claims_followed(account=account).select_related("line_item", "line_item__form"))
    if not claims:
        return counts
    with client_for(account) as client:
        for claim in claims:
            before = claim.status
            try:
                if claim.claim_id:
                    remote: RefundClaim | None = client.refund_claims.get(claim.claim_id)
                else:
                    remote = _find_remote(client, claim)
            except AllegroError as exc:
                claim.last_error = describe_error(exc)
                claim.save(update_fields=["last_error", "updated_at"])
                counts["errors"] += 1
                continue
            counts["checked"] += 1
            if remote is None:
                # Never reached Allegro: filed again by the merchant (or the next bulk filing).
                counts["unconfirmed"] += 1
                continue
            changed = _apply_remote(claim, remote)
            claim.checked_at = timezone.now()
            claim.last_error = ""
            claim.save(update_fields=[*changed, "checked_at", "last_error", "updated_at"])
            if claim.status != before:
                counts[f"to_{claim.status.lower()}"] += 1
    return counts
