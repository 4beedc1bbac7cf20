"""The coach's checks: language detection, measurability, activities, routine work, set sizes.

Small heuristics on lowercased text that tolerate any input (never raise) and
prefer silence to a wrong hint: the examples of the method and the DPAB
reference company get no hint at all. The word lists are in
``okr.coach.words``, the hint texts in ``okr.coach.messages``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

from okr.coach.messages import (
    KR_ACTIVITY,
    KR_NOT_MEASURABLE,
    KR_PENDING_TARGET,
    KR_ROUTINE,
    LANGUAGES,
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
    language_code,
    message,
)
from okr.coach.words import (
    ACTIVITY_NOUN_RES,
    ACTIVITY_PARTICIPLES,
    ACTIVITY_VERBS,
    ACTIVITY_VERBS_AMBIGUOUS,
    ACTIVITY_VERBS_WITH_OBJECT,
    CHANGE_BY_RE,
    CURRENCY_RE,
    DATE_RES,
    DEADLINE_RE,
    LANG_WORDS,
    LEAD_FILLERS,
    MEET_FORMS,
    MEET_TARGET_RE,
    METRIC_LEADS,
    MONTH_RE,
    MULTIPLIERS,
    NAME_NUMBER_RE,
    NOT_NUMBERS,
    NUMBER_WORD_RE,
    OUTCOME_LINKS,
    OUTCOME_RE,
    OUTPUT_NOUN_RES,
    PENDING_RE,
    PERCENT_RE,
    PRODUCT_RE,
    ROUTINE_RES,
    SHARED_WORDS,
    SPAN_RE,
    SPELLING,
    VAGUE,
    VERB_FOLLOWERS,
    WEAK_QUANTITY,
    WORK_FORMS,
    YEAR_RE,
)

# How many objectives a set and key results an objective usually has.
OBJECTIVES_MIN: Final = 2
OBJECTIVES_MAX: Final = 4
KEY_RESULTS_MIN: Final = 2
KEY_RESULTS_MAX: Final = 5

# Levels whose objectives should support a parent (strategic ones have none).
LEVELS_WITH_PARENT: Final = frozenset({"team", "personal"})


@dataclass(frozen=True)
class Hint:
    """One piece of advice. ``subject`` is the index of the objective it is about."""

    code: str
    message: str
    severity: Severity = "warning"
    subject: int | str | None = None


@dataclass(frozen=True)
class ObjectiveInput:
    """What the set-level rules need to know about one objective."""

    title: str
    key_result_titles: list[str] = field(default_factory=list)
    has_parent: bool = False


def _language(language: str | None, text: str = "") -> Language:
    """Normalise a language code ("sv-SE", "no", "nn", "en-GB"); None detects."""
    return language_code(language) or detect_language(text)


def _hint(
    code: str, language: Language, subject: int | str | None = None, **params: object
) -> Hint:
    return Hint(code, message(code, language, **params), SEVERITIES[code], subject)


# Words (letters and digits, with inner hyphens/apostrophes so "NPS-basvärde",
# "3-månaders" and "run-rate" stay one token).
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SPACES_RE = re.compile(r"[\s\u00a0\u202f\u2009]+")

# OKR titles are short; the coach reads at most this much of a text.
_MAX_TEXT: Final = 2000

# Longer "words" are no words the rules know; skipping them also keeps the
# regular expressions fast on pathological input.
_MAX_TOKEN: Final = 60


def _normalise(text: object) -> str:
    """Lowercase NFC text with plain spaces; anything non-str becomes ''."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", text[:_MAX_TEXT])
    return _SPACES_RE.sub(" ", text).strip().lower()


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN_RE.findall(text) if len(t) <= _MAX_TOKEN]


def _language_scores(text: str) -> dict[Language, float]:
    scores: dict[Language, float] = {"sv": 0.0, "nb": 0.0, "en": 0.0}
    for token in _tokens(_normalise(text)):
        if token.isdigit():
            continue
        if "å" in token:  # Swedish or Norwegian, not English
            scores["sv"] += 0.5
            scores["nb"] += 0.5
        for lang, words in LANG_WORDS.items():
            if token in words and token not in SHARED_WORDS:
                scores[lang] += 1.5
        for pattern, lang, weight in SPELLING:
            if pattern.search(token):
                scores[lang] += weight
    return scores


def detect_language(text: str) -> Language:
    """Guess whether ``text`` is Swedish, Norwegian bokmål or English.

    Scores characteristic function words and spelling (ä/ö vs æ/ø, "och/att/
    för" vs "og/å/ikke" vs "the/and/of"). Ties and texts without any signal
    give "sv" (the reference organisation's language).
    """
    return _best_language(_language_scores(text))


def _best_language(scores: dict[Language, float]) -> Language:
    best = max(scores.values())
    # sv first: it wins ties and texts without any signal.
    return next((lang for lang in LANGUAGES if scores[lang] == best and best > 0), "sv")


def _rule_languages(text: str, language: str | None) -> tuple[Language, Language]:
    """(language of the messages, languages whose word lists the rules use).

    The rules use the requested language and also the text's own language
    when that is clearly different (a team may write in English in a Swedish
    organisation).
    """
    lang = _language(language, text)
    scores = _language_scores(text)
    detected = _best_language(scores)
    if detected != lang and scores[detected] - scores[lang] >= 2.0:
        return lang, detected
    return lang, lang


def _strip_dates(text: str) -> tuple[str, bool]:
    """Remove dates and periods from ``text``; also say whether any were found."""
    found = False
    for pattern in DATE_RES:
        text, count = pattern.subn(" ", text)
        found = found or count > 0
    if MONTH_RE.search(text) or DEADLINE_RE.search(text):
        found = True
    text, count = YEAR_RE.subn(" ", text)
    return text, found or count > 0


def _is_number_word(token: str, langs: tuple[Language, ...]) -> bool:
    # Segmentations are ambiguous ("femtio" = "fem"+"tio"), so cap the length
    # to keep backtracking small.
    if token in NOT_NUMBERS or len(token) > 40:
        return False
    return any(NUMBER_WORD_RE[lang].fullmatch(token) for lang in langs)


def _quantity_positions(tokens: list[str], langs: tuple[Language, ...]) -> list[int]:
    """Indexes of tokens that state a quantity (digits, number words, 2x/½)."""
    positions = []
    for i, token in enumerate(tokens):
        if (
            token[:1].isdigit()
            or _is_number_word(token, langs)
            or any(token in MULTIPLIERS[lang] for lang in langs)
        ):
            positions.append(i)
    return positions


def _has_pending_target(text: str) -> bool:
    cleaned = PRODUCT_RE.sub(" ", text)
    return bool(PENDING_RE.search(cleaned))


def _is_routine(text: str) -> bool:
    # All three languages: the phrases are distinct enough not to collide, and
    # a short text ("Drive kundeservice som vanlig") is hard to place.
    return any(pattern.search(text) for pattern in ROUTINE_RES.values())


def _strip_fillers(tokens: list[str]) -> list[str]:
    i = 0
    while i < len(tokens) and i < 3 and tokens[i] in LEAD_FILLERS:
        i += 1
    return tokens[i:]


def _has_activity_noun(tokens: list[str], langs: tuple[Language, ...]) -> bool:
    return any(ACTIVITY_NOUN_RES[lang].fullmatch(t) for t in tokens for lang in langs)


def _has_outcome(tokens: list[str], text: str, langs: tuple[Language, ...]) -> bool:
    """Does the activity come with a result ("... med 60% öppningsfrekvens")?"""
    if OUTCOME_RE.search(text):
        return True
    quantities = _quantity_positions(tokens, langs)
    if len(quantities) >= 2:
        between = tokens[quantities[0] + 1 : quantities[-1]]
        if any(t in OUTCOME_LINKS for t in between):
            return True
    # A percentage after the activity's count ("Skicka 3 nyhetsbrev ... 60%").
    return bool(len(quantities) >= 2 and "%" in text)


def _leading_activity(tokens: list[str], langs: tuple[Language, ...]) -> bool:
    """Does the key result start with an activity verb?"""
    words = _strip_fillers(tokens)
    if not words:
        return False
    verb, rest = words[0], words[1:]
    for lang in langs:
        if verb in ACTIVITY_VERBS[lang]:
            return True
        if verb in ACTIVITY_VERBS_WITH_OBJECT[lang] and _has_activity_noun(rest[:4], (lang,)):
            return True
        if verb in ACTIVITY_VERBS_AMBIGUOUS[lang] and rest:
            following = rest[0]
            if verb in MEET_FORMS and MEET_TARGET_RE.search(" ".join(rest[:4])):
                continue  # "meet 99% of SLA deadlines" is a result
            if verb in WORK_FORMS:
                if following in ("on", "with", "med"):
                    return True  # "work on X", "jobb med X"
                continue
            if (
                following in VERB_FOLLOWERS[lang]
                or any(ch.isdigit() for ch in following)
                or _is_number_word(following, (lang,))
            ):
                return True
    return False


def _is_activity(text: str, langs: tuple[Language, ...]) -> bool:
    """Is the key result an activity rather than a result?

    Yes when it starts with an activity verb, or when it counts activities
    done ("10 kundmöten genomförda", "5 blogginlägg"), unless it also states
    an outcome ("... med en öppningsfrekvens om 60%") or it is a deliverable
    with a deadline and no count ("Publicera ny hemsida senast 15/2").
    """
    undated, has_date = _strip_dates(text)
    tokens = _tokens(undated)
    if not tokens:
        return False
    if _has_outcome(tokens, undated, langs):
        return False
    counted = bool(_quantity_positions(tokens, langs)) or "%" in undated
    if has_date and not counted:
        return False  # a milestone: a deliverable with a date
    if _leading_activity(tokens, langs):
        return True
    if not counted:
        return False
    # "10 kundmöten genomförda", "five blog posts written".
    if any(t in ACTIVITY_PARTICIPLES[lang] for t in tokens for lang in langs) and (
        _has_activity_noun(tokens, langs)
    ):
        return True
    # "5 blogginlägg", "Fem nyhetsbrev per kvartal": a count of content alone.
    positions = _quantity_positions(tokens, langs)
    first = positions[0] if positions else len(tokens)
    following = tokens[first + 1 : first + 4]
    is_output = any(OUTPUT_NOUN_RES[lang].fullmatch(t) for t in following for lang in langs)
    return first <= 1 and is_output and len(tokens) <= 5


def _is_measurable(text: str, langs: tuple[Language, ...]) -> bool:
    """Can one tell whether the key result was reached?

    Yes with a number (digits, number words, a percentage, "fördubbla"), and
    also with a date or deadline, "alla"/"all" or an article as "one" (a
    deliverable: "Ta fram en plan senast 15/3") unless the text only states a
    direction ("Fler kunder senast 15/2" is still not measurable).
    """
    undated, has_date = _strip_dates(text)
    tokens = _tokens(undated)
    if PERCENT_RE.search(undated) or _quantity_positions(tokens, langs):
        return True
    weak = has_date or any(t in WEAK_QUANTITY[lang] for t in tokens for lang in langs)
    vague = any(t in VAGUE[lang] for t in tokens for lang in langs)
    return weak and not vague


def _is_metric_objective(text: str, langs: tuple[Language, ...]) -> bool:
    """Is the objective a number rather than a direction?

    "30% försäljningstillväxt", "Increase revenue by 20%", "50 nya kunder",
    "Doble brukerbasen"; not "Kraftigt ökad synlighet ... i Q1" (a period) or
    "Bli en av de tre största i Norden" (a number inside a direction).
    """
    undated, _ = _strip_dates(text)
    undated = SPAN_RE.sub(" ", undated)
    undated = NAME_NUMBER_RE.sub(" ", undated)
    tokens = _tokens(undated)
    if not tokens:
        return False
    if PERCENT_RE.search(undated) or CURRENCY_RE.search(undated):
        return True
    if CHANGE_BY_RE.search(undated):
        return True
    words = [t for t in tokens if t not in METRIC_LEADS]
    if words and any(words[0] in MULTIPLIERS[lang] for lang in langs):
        return True
    if re.search(r"\b\d+\s?x\b", undated):
        return True  # "10x"
    positions = [i for i, t in enumerate(words) if t[:1].isdigit() or _is_number_word(t, langs)]
    if not positions:
        return False
    return positions[0] <= 1 or len(tokens) <= 5


def _languages_for(text: str, language: str | None) -> tuple[Language, tuple[Language, ...]]:
    lang, other = _rule_languages(text, language)
    return lang, (lang,) if lang == other else (lang, other)


def lint_objective(text: str, language: str | None = None) -> list[Hint]:
    """Hints for one objective title: ``objective_is_metric``, ``objective_routine``.

    ``language`` ("sv", "nb", "en"; None detects it from the text) is the
    language of the messages and of the word lists the rules use.
    """
    normal = _normalise(text)
    if not normal:
        return []
    lang, langs = _languages_for(normal, language)
    hints = []
    if _is_metric_objective(normal, langs):
        hints.append(_hint(OBJECTIVE_IS_METRIC, lang))
    if _is_routine(normal):
        hints.append(_hint(OBJECTIVE_ROUTINE, lang))
    return hints


def lint_key_result(
    text: str, language: str | None = None, *, target_set: bool = False
) -> list[Hint]:
    """Hints for one key result title.

    ``kr_pending_target``, ``kr_activity``, ``kr_not_measurable`` and
    ``kr_routine``. The rules are independent, so a text may get several,
    except that a placeholder target ("NPS på X") marks a metric, which is
    therefore not reported as ``kr_not_measurable``. ``target_set``: the key
    result has its target already, so the placeholder left in the title is
    no longer pending (no ``kr_pending_target``).
    """
    normal = _normalise(text)
    if not normal:
        return []
    lang, langs = _languages_for(normal, language)
    hints = []
    pending = _has_pending_target(normal)
    if pending and not target_set:
        hints.append(_hint(KR_PENDING_TARGET, lang))
    if _is_activity(normal, langs):
        hints.append(_hint(KR_ACTIVITY, lang))
    if not pending and not _is_measurable(normal, langs):
        hints.append(_hint(KR_NOT_MEASURABLE, lang))
    if _is_routine(normal):
        hints.append(_hint(KR_ROUTINE, lang))
    return hints


def lint_objective_set(
    objectives: list[ObjectiveInput], language: str | None = None, level: str = "team"
) -> list[Hint]:
    """Hints for a set of objectives (a team's quarter, or the strategic year).

    * ``too_many_objectives``: more than 4; ``too_few_objectives``: exactly 1
      (an empty set gets no hint: nothing has been written yet).
    * ``too_many_key_results``: more than 5 on one objective;
      ``too_few_key_results``: fewer than 2 (0 included).
    * ``objective_without_parent``: an objective that supports nothing, on the
      ``team`` (and ``personal``) level; strategic objectives have no parent.

    Per-objective hints carry the objective's index as ``subject``. Only the
    set rules are here: callers add ``lint_objective``/``lint_key_result``.
    When ``language`` is None it is detected from all the titles together.
    """
    objectives = list(objectives or [])
    sample = " ".join(
        [o.title for o in objectives] + [k for o in objectives for k in o.key_result_titles]
    )
    lang = _language(language, sample)
    hints: list[Hint] = []
    count = len(objectives)
    bounds = {"min": OBJECTIVES_MIN, "max": OBJECTIVES_MAX, "count": count}
    if count > OBJECTIVES_MAX:
        hints.append(_hint(TOO_MANY_OBJECTIVES, lang, **bounds))
    elif 0 < count < OBJECTIVES_MIN:
        hints.append(_hint(TOO_FEW_OBJECTIVES, lang, **bounds))
    for index, objective in enumerate(objectives):
        title = (objective.title or "").strip()
        krs = len(objective.key_result_titles or [])
        kr_bounds = {"min": KEY_RESULTS_MIN, "max": KEY_RESULTS_MAX, "count": krs}
        if krs > KEY_RESULTS_MAX:
            hints.append(_hint(TOO_MANY_KEY_RESULTS, lang, index, title=title, **kr_bounds))
        elif krs < KEY_RESULTS_MIN:
            hints.append(_hint(TOO_FEW_KEY_RESULTS, lang, index, title=title, **kr_bounds))
        if level in LEVELS_WITH_PARENT and not objective.has_parent:
            hints.append(_hint(OBJECTIVE_WITHOUT_PARENT, lang, index, title=title))
    return hints
