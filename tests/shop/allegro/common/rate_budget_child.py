"""A second process on the test database: takes slots from, or blocks, one shared budget.

``python -m tests.shop.allegro.common.rate_budget_child <take|block|ask> <key> <limit> <now>
[<go-file>]`` with ``DATABASE_URL`` naming the test database; prints one number. ``take`` waits
for ``go-file`` to exist (so the processes start together), then takes slots until the
budget says wait, and prints how many it got; ``block`` records a 429 block of 30 s; ``ask``
prints the wait the budget answers.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    mode, key, limit, now = argv[0], argv[1], int(argv[2]), float(argv[3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.test")
    import django

    django.setup()
    from shop.allegro.common.rate_budget import DatabaseRateBudget

    budget = DatabaseRateBudget(key=key, limit=limit, clock=lambda: now)
    if mode == "take":
        go = Path(argv[4])
        while not go.exists():
            time.sleep(0.01)
        taken = 0
        while budget.acquire() == 0.0:
            taken += 1
        answer = float(taken)
    elif mode == "block":
        budget.block_until(now + 30)
        answer = budget.blocked_until()
    else:
        answer = budget.acquire()
    sys.stdout.write(f"{answer!r}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
