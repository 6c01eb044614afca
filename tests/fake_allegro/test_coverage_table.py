from pathlib import Path

from fake_allegro.coverage import coverage_table, replace_between_markers

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_coverage_table_is_current(emulator_spec):
    text = README.read_text()
    assert replace_between_markers(text, coverage_table(emulator_spec)) == text, (
        "run: python -m fake_allegro.coverage --write README.md"
    )
    assert "| GET | `/order/events` |" in text
