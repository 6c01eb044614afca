"""The scheduled imports of discussions and ratings: one task each per linked account, Polish
count labels, and the awaiting list fed by both."""

from __future__ import annotations

from typing import Any

import pytest

from fake_allegro import Emulator
from shop.allegro.common.awaiting import awaiting_replies
from shop.allegro.issues.jobs import import_issues
from shop.allegro.issues.schedule import IMPORT_ISSUES_JOB, IMPORT_RATINGS_JOB
from shop.allegro.ratings.jobs import import_ratings
from shop.scheduler.registry import job_get
from shop.scheduler.services.schedule import periodic_task_find
from tests.shop.allegro.issues.test_services import bought, control

pytestmark = pytest.mark.django_db


def test_linking_an_account_schedules_both_imports(
    linked_account: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        linked_account.save()
    for name in (IMPORT_ISSUES_JOB, IMPORT_RATINGS_JOB):
        job = job_get(name)
        task = periodic_task_find(job=job, job_kwargs={"account_id": linked_account.pk})
        assert task is not None and task.enabled
    assert str(job_get(IMPORT_ISSUES_JOB).count_labels["messages_new"]) == "nowe wiadomości"
    assert str(job_get(IMPORT_RATINGS_JOB).count_labels["negative"]) == "nowe oceny negatywne"


def test_the_jobs_fill_the_awaiting_list(allegro: Emulator, linked_account: Any) -> None:
    form = bought(allegro, linked_account)
    control(allegro, "POST", "/issues", checkoutFormId=form.form_id, type="CLAIM")
    control(allegro, "POST", "/ratings", checkoutFormId=form.form_id, recommended=False)
    assert import_issues(linked_account.pk)["issues_new"] == 1
    assert import_ratings(linked_account.pk)["ratings_new"] == 1
    waiting = awaiting_replies()
    assert [w.kind for w in waiting] == ["claim", "rating"]  # the deadline first
    assert waiting[0].deadline is not None and waiting[1].deadline is None
    linked_account.enabled = False
    linked_account.save()
    assert import_issues(linked_account.pk) == {"skipped": 1}
    assert import_ratings(linked_account.pk) == {"skipped": 1}
