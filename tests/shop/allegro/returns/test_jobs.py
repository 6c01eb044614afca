"""The scheduled returns import: one task per linked account, counts with Polish labels."""

from __future__ import annotations

import pytest

from fake_allegro import Emulator
from shop.allegro.common.account_jobs import account_job_schedule
from shop.allegro.models import AllegroCustomerReturn
from shop.allegro.returns.jobs import import_returns
from shop.allegro.returns.schedule import IMPORT_RETURNS_JOB
from shop.scheduler.registry import job_get
from shop.scheduler.services.schedule import periodic_task_find

pytestmark = pytest.mark.django_db


def test_linking_an_account_schedules_its_returns_import(
    allegro: Emulator, configured_account, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from shop.allegro.models import LinkStatus

    with django_capture_on_commit_callbacks(execute=True):
        configured_account.status = LinkStatus.LINKED
        configured_account.seller_id = allegro.demo_seller.id
        configured_account.save()
    job = job_get(IMPORT_RETURNS_JOB)
    task = periodic_task_find(job=job, job_kwargs={"account_id": configured_account.pk})
    assert task is not None
    assert account_job_schedule(account=configured_account, job=IMPORT_RETURNS_JOB).pk == task.pk
    assert all(str(label) for label in job.count_labels.values())


def test_the_job_imports_returns(
    allegro: Emulator, linked_account, sent_form, declare_return
) -> None:  # type: ignore[no-untyped-def]
    declare_return(sent_form)
    counts = import_returns(linked_account.pk)
    assert counts["created"] == 1 and counts["requests"] == 1
    assert counts["refunds_sent"] == 0
    assert AllegroCustomerReturn.objects.count() == 1
    again = import_returns(linked_account.pk)
    assert again["unchanged"] == 1
    assert set(again) <= set(job_get(IMPORT_RETURNS_JOB).count_labels)
