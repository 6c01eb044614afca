"""A linked account gets its discussion and rating imports; the response-time guard learns
about discussions, complaints and negative ratings (importing the selectors registers them)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from shop.allegro.issues.schedule import feedback_import_schedule
from shop.allegro.issues.selectors import awaiting_issues
from shop.allegro.models import AllegroAccount
from shop.allegro.ratings.selectors import awaiting_ratings

#: The response-time guard's sources of these features, registered by their import.
AWAITING_SOURCES = (awaiting_issues, awaiting_ratings)


@receiver(post_save, sender=AllegroAccount, dispatch_uid="allegro_feedback_import_schedule")
def feedback_import_scheduled_on_link(
    sender: type[AllegroAccount], instance: AllegroAccount, **kwargs: Any
) -> None:
    if instance.is_linked and not kwargs.get("raw"):
        transaction.on_commit(lambda: feedback_import_schedule(account=instance))
