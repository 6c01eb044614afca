"""A linked account gets the periodic task of every per-account job."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from shop.allegro.common.account_jobs import account_jobs_schedule
from shop.allegro.models import AllegroAccount


@receiver(post_save, sender=AllegroAccount, dispatch_uid="allegro_account_jobs_schedule")
def account_jobs_scheduled_on_save(
    sender: type[AllegroAccount], instance: AllegroAccount, **kwargs: Any
) -> None:
    if instance.is_linked and not kwargs.get("raw"):
        transaction.on_commit(lambda: account_jobs_schedule(account=instance))


@receiver(post_migrate, dispatch_uid="allegro_account_jobs_after_migrate")
def account_jobs_scheduled_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    """Accounts linked before a release that adds a job get its task at ``migrate``."""
    if sender.label != "allegro":
        return
    for account in AllegroAccount.objects.all():
        if account.is_linked:
            account_jobs_schedule(account=account)
