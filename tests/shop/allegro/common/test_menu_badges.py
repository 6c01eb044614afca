"""Every menu badge of the current Allegro account is counted in one query per request."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from shop.allegro.common.selectors import _BADGES, account_current
from shop.allegro.invoices.selectors import awaiting_badge
from shop.allegro.issues.selectors import issues_badge
from shop.allegro.messages.selectors import unread_badge
from shop.allegro.offers.selectors import review_badge, review_count
from shop.allegro.ratings.selectors import ratings_badge

pytestmark = pytest.mark.django_db


def test_all_badges_in_one_query(linked_account: Any, django_assert_num_queries: Any) -> None:
    request = RequestFactory().get("/backend/")
    request.session = SessionStore()
    account_current(request)
    assert {"review", "invoices", "issues", "ratings", "messages"} <= set(_BADGES)
    with django_assert_num_queries(1):
        shown = [
            b(request)
            for b in (awaiting_badge, issues_badge, ratings_badge, review_badge, unread_badge)
        ]
        assert review_count(request) == 0
    assert shown == ["", "", "", "", ""]
