"""Turning client exceptions into messages for the merchant (Polish, with Allegro's trace id)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from allegro_api import (
    AllegroAPIError,
    AllegroError,
    AllegroTransportError,
    InvalidGrant,
    NotAuthenticated,
    OAuthError,
    RateLimited,
    ServerError,
)
from shop.core.redact import redact


def _with_trace(message: str, trace_id: str | None) -> str:
    if trace_id:
        return _("%(message)s (identyfikator błędu Allegro: %(trace)s)") % {
            "message": message,
            "trace": trace_id,
        }
    return message


def describe_error(exc: AllegroError) -> str:
    """A sentence the merchant can act on; Allegro's ``userMessage`` when it gave one.

    Allegro's own texts may quote a token or a code, so the sentence is redacted.
    """
    return redact(_describe(exc))


def _describe(exc: AllegroError) -> str:
    if isinstance(exc, InvalidGrant):
        return _with_trace(
            _(
                "Allegro nie przyjęło autoryzacji (kod lub token wygasł, został już użyty "
                "albo dostęp cofnięto). Powiąż konto ponownie."
            ),
            exc.trace_id,
        )
    if isinstance(exc, OAuthError) and exc.status >= 500:
        return _with_trace(
            _("Allegro nie odpowiada lub zgłasza błąd serwera. Spróbuj ponownie za chwilę."),
            exc.trace_id,
        )
    if isinstance(exc, OAuthError):
        if exc.error in {"invalid_client", "unauthorized_client"} or exc.status == 401:
            return _with_trace(
                _(
                    "Allegro odrzuciło Client ID lub Client Secret. Sprawdź, czy zostały "
                    "skopiowane w całości z konta deweloperskiego Allegro."
                ),
                exc.trace_id,
            )
        return _with_trace(
            _("Allegro odrzuciło żądanie autoryzacji: %(error)s.")
            % {"error": exc.description or exc.error},
            exc.trace_id,
        )
    if isinstance(exc, NotAuthenticated):
        return _("Konto Allegro nie jest powiązane albo wymaga ponownego powiązania.")
    if isinstance(exc, RateLimited):
        return _with_trace(
            _("Allegro chwilowo ogranicza liczbę zapytań. Operacja zostanie ponowiona."),
            exc.trace_id,
        )
    if isinstance(exc, ServerError | AllegroTransportError):
        trace = getattr(exc, "trace_id", None)
        return _with_trace(
            _("Allegro nie odpowiada lub zgłasza błąd serwera. Spróbuj ponownie za chwilę."), trace
        )
    if isinstance(exc, AllegroAPIError):
        text = exc.user_message or str(exc)
        return _with_trace(text, exc.trace_id)
    return str(exc)
