"""Alignment's part of the whole-organisation export (``okr.exports.sections``).

Dependencies between teams and the quarterly steps of key results are written
after okr's tables and read back after them; registered from ``AppConfig.ready``
so that okr never imports alignment.
"""

from __future__ import annotations

from alignment.models import Dependency, KeyResultStep
from okr.exports.sections import Section, register


def register_sections() -> None:
    register(
        Section("dependencies", Dependency),
        Section("key_result_steps", KeyResultStep),
    )
