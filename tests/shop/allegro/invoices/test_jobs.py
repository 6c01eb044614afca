"""The scheduled invoice refresh: one task per linked account, Polish count labels."""

from __future__ import annotations

from typing import Any

import pytest

from fake_allegro import Emulator
from shop.allegro.invoices.jobs import refresh_invoices
from shop.allegro.invoices.schedule import REFRESH_INVOICES_JOB
from shop.allegro.invoices.services import invoice_generate
from shop.allegro.models import InvoiceState
from shop.scheduler.registry import job_get
from shop.scheduler.services.schedule import periodic_task_find
from tests.shop.allegro.invoices.test_services import consumer

pytestmark = pytest.mark.django_db


def test_linking_an_account_schedules_its_refresh(
    linked_account: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = job_get(REFRESH_INVOICES_JOB)
    with django_capture_on_commit_callbacks(execute=True):
        linked_account.save()
    task = periodic_task_find(job=job, job_kwargs={"account_id": linked_account.pk})
    assert task is not None and task.enabled
    assert str(job.count_labels["accepted"]) == "faktury przyjęte"


def test_the_job_reads_pending_scans(allegro: Emulator, linked_account: Any) -> None:
    form = consumer(allegro, linked_account)
    invoice = invoice_generate(form=form)
    allegro.world.clock.advance(120)
    counts = refresh_invoices(linked_account.pk)
    assert counts["accepted"] == 1
    assert counts["checked"] == 1
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.ACCEPTED
    linked_account.enabled = False
    linked_account.save()
    assert refresh_invoices(linked_account.pk) == {"skipped": 1}
