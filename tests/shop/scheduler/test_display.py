"""The scheduler's pages speak in words: intervals and what a run did."""

from __future__ import annotations

import pytest

from shop.scheduler.display import every_label, run_summary
from shop.scheduler.registry import JOBS, register_job


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (30, "co 30 s"),
        (60, "co 1 min"),
        (15 * 60, "co 15 min"),
        (6 * 3600, "co 6 godz."),
        (86400, "codziennie"),
        (2 * 86400, "co 2 dni"),
        (None, "—"),
    ],
)
def test_intervals_read_as_words(seconds, text) -> None:  # type: ignore[no-untyped-def]
    assert every_label(seconds) == text


@pytest.fixture
def labelled_job():  # type: ignore[no-untyped-def]
    register_job(
        "tests.labelled",
        title="Zadanie",
        every_seconds=60,
        autoschedule=False,
        count_labels={"events_read": "odczytane zdarzenia", "backfill": "pobieranie z przeszłości"},
    )(lambda: {})
    yield
    JOBS.pop("tests.labelled")


def test_a_run_summary_names_counts_and_true_flags_only(labelled_job) -> None:  # type: ignore[no-untyped-def]
    counts = {
        "events_read": 12,
        "accounts": 1,
        "orders_updated": 0,
        "backfill": True,
        "sweep": False,
        "duration_ms": 40,
        "error_messages": ["x"],
    }
    assert run_summary("tests.labelled", counts) == (
        "odczytane zdarzenia: 12, konta: 1, pobieranie z przeszłości"
    )
    assert run_summary("tests.labelled", {"events_read": 0, "backfill": False}) == "bez zmian"
    # A key no job names still reads as words, not as a Python identifier.
    assert run_summary("tests.unknown", {"linked_by_ean": 2}) == "linked by ean: 2"
