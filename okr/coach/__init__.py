"""The OKR coach: heuristic hints on objectives and key results while a team writes.

A hint is advice, never a block (see the method in docs/okr-quality.md): the team
decides. The coach reads Swedish (``sv``), Norwegian bokmål (``nb``) and
English (``en``) and answers in the language asked for.

Public API
----------
* ``lint_objective(text, language)`` -> hints for one objective title.
* ``lint_key_result(text, language)`` -> hints for one key result title.
* ``lint_objective_set(objectives, language, level="team")`` -> hints for a
  set of objectives (how many objectives, key results per objective,
  alignment). Only the set rules: callers combine them with the per-item
  hints.
* ``detect_language(text)`` -> ``"sv" | "nb" | "en"``.
* ``message(code, language, **params)`` and ``MESSAGES``: the hint texts.

The package imports no Django (so no gettext). It has three parts:
``messages`` (the hint codes and their texts, one template per code per
language; a test checks every code has all three), ``words`` (the word lists
and regular expressions per language, each with a comment saying why) and
``rules`` (the checks). The rules work on lowercased text, tolerate any input
(never raise) and prefer silence to a wrong hint: the examples in the method
and the DPAB reference company must get no hint at all.
"""

from okr.coach.messages import (
    CODES,
    KR_ACTIVITY,
    KR_NOT_MEASURABLE,
    KR_PENDING_TARGET,
    KR_ROUTINE,
    LANGUAGES,
    MESSAGES,
    OBJECTIVE_IS_METRIC,
    OBJECTIVE_ROUTINE,
    OBJECTIVE_WITHOUT_PARENT,
    SEVERITIES,
    TOO_FEW_KEY_RESULTS,
    TOO_FEW_OBJECTIVES,
    TOO_MANY_KEY_RESULTS,
    TOO_MANY_OBJECTIVES,
    Language,
    Severity,
    message,
)
from okr.coach.rules import (
    KEY_RESULTS_MAX,
    KEY_RESULTS_MIN,
    LEVELS_WITH_PARENT,
    OBJECTIVES_MAX,
    OBJECTIVES_MIN,
    Hint,
    ObjectiveInput,
    detect_language,
    lint_key_result,
    lint_objective,
    lint_objective_set,
)

__all__ = [
    "CODES",
    "KEY_RESULTS_MAX",
    "KEY_RESULTS_MIN",
    "KR_ACTIVITY",
    "KR_NOT_MEASURABLE",
    "KR_PENDING_TARGET",
    "KR_ROUTINE",
    "LANGUAGES",
    "LEVELS_WITH_PARENT",
    "MESSAGES",
    "OBJECTIVES_MAX",
    "OBJECTIVES_MIN",
    "OBJECTIVE_IS_METRIC",
    "OBJECTIVE_ROUTINE",
    "OBJECTIVE_WITHOUT_PARENT",
    "SEVERITIES",
    "TOO_FEW_KEY_RESULTS",
    "TOO_FEW_OBJECTIVES",
    "TOO_MANY_KEY_RESULTS",
    "TOO_MANY_OBJECTIVES",
    "Hint",
    "Language",
    "ObjectiveInput",
    "Severity",
    "detect_language",
    "lint_key_result",
    "lint_objective",
    "lint_objective_set",
    "message",
]
