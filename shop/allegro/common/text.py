"""Text a buyer wrote, made safe to show: everything escaped, plain web links clickable.

Only ``http``/``https`` addresses with a host become links, opened in a new tab with
``rel="noopener noreferrer nofollow"``; ``javascript:`` or ``data:`` never do, and no tag the
buyer typed reaches the page as markup.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"
LINK_REL = "noopener noreferrer nofollow"


def _link(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return escape(url)
    return (
        f'<a href="{escape(url)}" target="_blank" rel="{LINK_REL}" class="buyer-link">'
        f"{escape(url)}</a>"
    )


def buyer_text_html(text: str | None) -> SafeString:
    """``text`` escaped, with its http(s) addresses as links; line breaks kept by CSS."""
    if not text:
        return mark_safe("")
    out: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0)
        trimmed = url.rstrip(_TRAILING)
        out.append(escape(text[position : match.start()]))
        out.append(_link(trimmed))
        out.append(escape(url[len(trimmed) :]))
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # every piece above is escaped
