"""A stateful, spec-strict emulator of Allegro.pl's REST API (see docs/emulator.md)."""

from fake_allegro.emulator import Emulator

__all__ = ["Emulator"]
