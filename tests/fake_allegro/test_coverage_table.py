from pathlib import Path

from fake_allegro.coverage import (
    START,
    coverage_table,
    readme_line,
    replace_between_markers,
    replace_readme_line,
)

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "run: python -m fake_allegro.coverage --write docs/emulator.md --readme README.md"


def test_emulator_doc_coverage_table_is_current(emulator_spec):
    text = (ROOT / "docs" / "emulator.md").read_text()
    assert replace_between_markers(text, coverage_table(emulator_spec)) == text, REGENERATE
    assert "| GET | `/order/events` | Get order events | yes |" in text


def test_readme_keeps_one_line_with_the_count(emulator_spec):
    text = (ROOT / "README.md").read_text()
    assert START not in text, "the table lives in docs/emulator.md"
    line = readme_line(emulator_spec)
    assert replace_readme_line(text, line) == text, REGENERATE
    served, total = (int(word) for word in line.split()[3:6:2])
    assert 0 < served < total
    assert f"Served: {served} of {total} operations" in coverage_table(emulator_spec)
