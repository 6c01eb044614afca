"""Which spec operations the emulator serves: ``python -m fake_allegro.coverage [--write FILE]``.

Prints a Markdown table (method, path, summary, served); with ``--write FILE`` replaces the text
between ``<!-- emulator-coverage:start -->`` and ``<!-- emulator-coverage:end -->`` in FILE
(``docs/emulator.md``) and, given ``--readme README``, the one line of the README that gives
the count (:func:`readme_line`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from fake_allegro.emulator import load_domains
from fake_allegro.routing import ENDPOINTS
from fake_allegro.spec import Spec, get_spec

START = "<!-- emulator-coverage:start -->"
END = "<!-- emulator-coverage:end -->"


README_LINE = re.compile(
    r"^The emulator serves \d+ of \d+ operations of the spec .*$", re.MULTILINE
)


def _served(spec: Spec) -> tuple[set[tuple[str, str]], list[tuple[str, str, dict[str, object]]]]:
    load_domains()
    served = {(e.method, e.path) for e in ENDPOINTS if e.spec_checked}
    rows = sorted(spec.operations(), key=lambda op: (op[0], op[1]))
    return served, rows


def readme_line(spec: Spec) -> str:
    """The README's one line about coverage (the table is in ``docs/emulator.md``)."""
    served, rows = _served(spec)
    count = sum(1 for path, method, _ in rows if (method, path) in served)
    return (
        f"The emulator serves {count} of {len(rows)} operations of the spec "
        "(table: [docs/emulator.md](docs/emulator.md#spec-coverage))."
    )


def replace_readme_line(text: str, line: str) -> str:
    if not README_LINE.search(text):
        raise ValueError("the README has no 'The emulator serves N of M operations' line")
    return README_LINE.sub(lambda _: line, text)


def coverage_table(spec: Spec) -> str:
    served, rows = _served(spec)
    count = sum(1 for path, method, _ in rows if (method, path) in served)
    lines = [
        f"Served: {count} of {len(rows)} operations of the spec.",
        "",
        "| method | path | summary | served |",
        "| --- | --- | --- | --- |",
    ]
    for path, method, operation in rows:
        summary = str(operation.get("summary") or "").replace("|", "\\|").strip()
        mark = "yes" if (method, path) in served else "no"
        lines.append(f"| {method} | `{path}` | {summary} | {mark} |")
    return "\n".join(lines) + "\n"


def replace_between_markers(text: str, table: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"markers {START} ... {END} not found")
    return pattern.sub(lambda _: f"{START}\n{table}{END}", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fake_allegro.coverage")
    parser.add_argument("--write", type=Path, help="file whose coverage markers to fill")
    parser.add_argument("--readme", type=Path, help="README whose coverage line to update")
    args = parser.parse_args(argv)
    spec = get_spec()
    table = coverage_table(spec)
    if args.write is None and args.readme is None:
        sys.stdout.write(table)
        return 0
    if args.write is not None:
        path: Path = args.write
        path.write_text(replace_between_markers(path.read_text(), table))
    if args.readme is not None:
        readme: Path = args.readme
        readme.write_text(replace_readme_line(readme.read_text(), readme_line(spec)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
