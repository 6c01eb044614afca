"""Every per-account job gets its task when an account is linked, and at ``migrate`` for
accounts linked before a release added the job."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from shop.allegro.common.account_jobs import ACCOUNT_JOBS
from shop.scheduler.services.schedule import periodic_task_job_kwargs
from tests.shop.allegro.accounts.test_accounts import start_link
from tests.shop.allegro.oauth_helpers import local_path, seller_approves

pytestmark = pytest.mark.django_db(transaction=True)


def _account_tasks(account_id: int) -> set[str]:
    found = set()
    for task in PeriodicTask.objects.all():
        data = periodic_task_job_kwargs(task)
        if (data.get("job_kwargs") or {}).get("account_id") == account_id:
            found.add(str(data["job"]))
    return found


def test_every_account_job_is_declared() -> None:
    assert set(ACCOUNT_JOBS) >= {
        "allegro.import_orders",
        "allegro.import_billing",
        "allegro.refresh_invoices",
        "allegro.follow_claims",
        "allegro.import_returns",
    }


def test_linking_through_allegro_schedules_every_account_job(
    site_client: Any, allegro: Any, configured_account: Any
) -> None:
    assert _account_tasks(configured_account.pk) == set()
    url, _params = start_link(site_client)
    site_client.get(local_path(seller_approves(allegro, url)), follow=True)
    assert _account_tasks(configured_account.pk) == set(ACCOUNT_JOBS)


def test_migrate_gives_accounts_linked_earlier_the_tasks_of_new_jobs(
    linked_account: Any, configured_account: Any
) -> None:
    PeriodicTask.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert _account_tasks(linked_account.pk) == set(ACCOUNT_JOBS)
