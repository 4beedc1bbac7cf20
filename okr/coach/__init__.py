"""The OKR coach: heuristic hints on objectives and key results while a team writes.

A hint is advice, never a block (see the method in okr-quality.md): the team
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

This module imports no Django (so no gettext): the hint texts live in
``MESSAGES``, one template per code per language, and every code has all
three languages (a test checks it).

The rules are small word lists and regular expressions per language, each
with a comment saying why. They work on lowercased text, tolerate any input
(never raise) and prefer silence to a wrong hint: the examples in the method
and the DPAB reference company must get no hint at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final, Literal

__all__ = [
    "CODES",
    "LANGUAGES",
    "MESSAGES",
    "Hint",
    "ObjectiveInput",
    "detect_language",
    "lint_key_result",
    "lint_objective",
    "lint_objective_set",
    "message",
]

Language = Literal["sv", "nb", "en"]
Severity = Literal["info", "warning"]
LANGUAGES: Final[tuple[Language, ...]] = ("sv", "nb", "en")

# Hint codes (stable strings: the UI, the API and tests refer to them).
OBJECTIVE_IS_METRIC: Final = "objective_is_metric"
OBJECTIVE_ROUTINE: Final = "objective_routine"
KR_NOT_MEASURABLE: Final = "kr_not_measurable"
KR_ACTIVITY: Final = "kr_activity"
KR_PENDING_TARGET: Final = "kr_pending_target"
KR_ROUTINE: Final = "kr_routine"
TOO_MANY_OBJECTIVES: Final = "too_many_objectives"
TOO_FEW_OBJECTIVES: Final = "too_few_objectives"
TOO_MANY_KEY_RESULTS: Final = "too_many_key_results"
TOO_FEW_KEY_RESULTS: Final = "too_few_key_results"
OBJECTIVE_WITHOUT_PARENT: Final = "objective_without_parent"

SEVERITIES: Final[dict[str, Severity]] = {
    OBJECTIVE_IS_METRIC: "warning",
    OBJECTIVE_ROUTINE: "warning",
    KR_NOT_MEASURABLE: "warning",
    KR_ACTIVITY: "warning",
    KR_PENDING_TARGET: "info",
    KR_ROUTINE: "warning",
    TOO_MANY_OBJECTIVES: "warning",
    TOO_FEW_OBJECTIVES: "info",
    TOO_MANY_KEY_RESULTS: "warning",
    TOO_FEW_KEY_RESULTS: "info",
    OBJECTIVE_WITHOUT_PARENT: "warning",
}
CODES: Final[frozenset[str]] = frozenset(SEVERITIES)

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


def _words(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and edit than a list)."""
    return frozenset(text.split())


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

MESSAGES: Final[dict[str, dict[Language, str]]] = {
    OBJECTIVE_IS_METRIC: {
        "sv": (
            "Det här låter som ett nyckelresultat. Ett mål säger vart ni vill och varför, "
            "t.ex. \u201dKommande år vårt starkaste tillväxtår någonsin\u201d. "
            "Flytta siffran till ett nyckelresultat."
        ),
        "nb": (
            "Dette høres ut som et nøkkelresultat. Et mål sier hvor dere vil og hvorfor, "
            "f.eks. \u00abÅret som kommer blir vårt sterkeste vekstår noensinne\u00bb. "
            "Flytt tallet til et nøkkelresultat."
        ),
        "en": (
            "This reads like a key result. An objective says where you want to go and why, "
            "e.g. \u201cThe coming year our strongest year of growth ever\u201d. "
            "Move the number to a key result."
        ),
    },
    OBJECTIVE_ROUTINE: {
        "sv": (
            "Det här låter som rutinarbete. Rutinarbete hålls utanför OKR; "
            "OKR är till för det som för strategin framåt."
        ),
        "nb": (
            "Dette høres ut som rutinearbeid. Rutinearbeid holdes utenfor OKR; "
            "OKR er for det som flytter strategien fremover."
        ),
        "en": (
            "This sounds like routine work. Routine work stays out of OKRs; "
            "OKRs are for what moves the strategy forward."
        ),
    },
    KR_NOT_MEASURABLE: {
        "sv": (
            "Hur vet ni att ni är framme? Lägg till en siffra, en procentsats, "
            "ett från–till eller ett datum, t.ex. \u201d10 nya kunder i Norge\u201d."
        ),
        "nb": (
            "Hvordan vet dere at dere er i mål? Legg til et tall, en prosentandel, "
            "en fra–til eller en dato, f.eks. \u00ab10 nye kunder i Norge\u00bb."
        ),
        "en": (
            "How will you know you got there? Add a number, a percentage, "
            "a from–to or a date, e.g. \u201c10 new customers in Norway\u201d."
        ),
    },
    KR_ACTIVITY: {
        "sv": (
            "Det här är en aktivitet, inte ett resultat. Vad ska aktiviteten åstadkomma? "
            "T.ex. \u201d10 000 visningar av vårt innehåll\u201d."
        ),
        "nb": (
            "Dette er en aktivitet, ikke et resultat. Hva skal aktiviteten oppnå? "
            "F.eks. \u00ab10 000 visninger av innholdet vårt\u00bb."
        ),
        "en": (
            "This is an activity, not a result. What should the activity achieve? "
            "E.g. \u201c10,000 views of our content\u201d."
        ),
    },
    KR_PENDING_TARGET: {
        "sv": (
            "Målvärdet är inte satt än. Det går bra medan ni mäter ett basvärde, "
            "men kom ihåg att sätta målvärdet."
        ),
        "nb": (
            "Målverdien er ikke satt ennå. Det er greit mens dere måler et utgangspunkt, "
            "men husk å sette målverdien."
        ),
        "en": (
            "The target is not set yet. That is fine while you measure a baseline, "
            "but remember to set the target."
        ),
    },
    KR_ROUTINE: {
        "sv": (
            "Det här låter som ordinarie drift. Rutinarbete hålls utanför OKR; "
            "ett nyckelresultat visar att ni flyttat er närmare målet."
        ),
        "nb": (
            "Dette høres ut som ordinær drift. Rutinearbeid holdes utenfor OKR; "
            "et nøkkelresultat viser at dere har kommet nærmere målet."
        ),
        "en": (
            "This sounds like business as usual. Routine work stays out of OKRs; "
            "a key result shows that you moved closer to the objective."
        ),
    },
    TOO_MANY_OBJECTIVES: {
        "sv": (
            "Ni har {count} mål. Oftast räcker {min} till {max} mål per kvartal "
            "– fokusera på det viktigaste."
        ),
        "nb": (
            "Dere har {count} mål. Som regel holder det med {min} til {max} mål per kvartal "
            "– fokuser på det viktigste."
        ),
        "en": (
            "You have {count} objectives. {min} to {max} objectives a quarter is usually "
            "enough – focus on what matters most."
        ),
    },
    TOO_FEW_OBJECTIVES: {
        "sv": (
            "Ni har {count} mål. Oftast har man {min} till {max} mål per kvartal: "
            "finns det något mer som är viktigt för strategin?"
        ),
        "nb": (
            "Dere har {count} mål. Som regel har man {min} til {max} mål per kvartal: "
            "er det noe mer som er viktig for strategien?"
        ),
        "en": (
            "You have {count} objective. Usually there are {min} to {max} objectives a "
            "quarter: is there something else that matters for the strategy?"
        ),
    },
    TOO_MANY_KEY_RESULTS: {
        "sv": (
            "\u201d{title}\u201d har {count} nyckelresultat. Oftast räcker {min} till {max}: "
            "behövs alla för att nå målet?"
        ),
        "nb": (
            "\u00ab{title}\u00bb har {count} nøkkelresultater. Som regel holder {min} til "
            "{max}: trengs alle for å nå målet?"
        ),
        "en": (
            "\u201c{title}\u201d has {count} key results. {min} to {max} is usually enough: "
            "is every one needed to reach the objective?"
        ),
    },
    TOO_FEW_KEY_RESULTS: {
        "sv": (
            "\u201d{title}\u201d har {count} nyckelresultat. Oftast behövs {min} till {max} "
            "för att veta att målet är nått."
        ),
        "nb": (
            "\u00ab{title}\u00bb har {count} nøkkelresultat(er). Som regel trengs {min} til "
            "{max} for å vite at målet er nådd."
        ),
        "en": (
            "\u201c{title}\u201d has {count} key result(s). Usually {min} to {max} are "
            "needed to know that the objective is reached."
        ),
    },
    OBJECTIVE_WITHOUT_PARENT: {
        "sv": (
            "\u201d{title}\u201d är inte kopplat till något övergripande mål. Vilket strategiskt "
            "mål eller nyckelresultat stöder det, direkt eller indirekt?"
        ),
        "nb": (
            "\u00ab{title}\u00bb er ikke koblet til noe overordnet mål. Hvilket strategisk mål "
            "eller nøkkelresultat støtter det, direkte eller indirekte?"
        ),
        "en": (
            "\u201c{title}\u201d is not linked to a higher objective. Which strategic "
            "objective or key result does it support, directly or indirectly?"
        ),
    },
}


def _language(language: str | None, text: str = "") -> Language:
    """Normalise a language code ("sv-SE", "no", "nn", "en-GB"); None detects."""
    if language:
        code = language.strip().lower().replace("_", "-").split("-")[0]
        if code in ("nb", "no", "nn"):
            return "nb"
        if code in ("sv", "en"):
            return code  # type: ignore[return-value]
    return detect_language(text)


def message(code: str, language: str | None, **params: object) -> str:
    """The hint text for ``code`` in ``language`` (English if unknown)."""
    templates = MESSAGES[code]
    template = templates.get(_language(language, ""), templates["en"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def _hint(
    code: str, language: Language, subject: int | str | None = None, **params: object
) -> Hint:
    return Hint(code, message(code, language, **params), SEVERITIES[code], subject)


# ---------------------------------------------------------------------------
# Text normalisation and tokens
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Language detection
# ---------------------------------------------------------------------------

# Function words and frequent OKR words that only one of the three languages
# uses (words shared by Swedish and Norwegian, like "på", "med", "vi", "kunder",
# are left out: they do not tell the two apart, the letters do).
_LANG_WORDS: Final[dict[Language, frozenset[str]]] = {
    "sv": _words(
        """och att för till från är inte ska skall våra ett alla fler flera nya bättre
        bästa också samt varje än hur vad när där här sina mot genom senast innan före
        efter mycket ökad ökat öka minska vara vid sig någon några något deras inom utan
        andra nu kunna kommer bli blir inga ingen säljare försäljning omsättning
        intäkter medarbetare anställda användare användarna leverans tillväxt marknad
        marknaden nöjdhet antal procent nyckelkunder möten månad vecka året hemsida
        tjänst tjänster företag bolag varumärke fördubbla halvera dubbla uppnå genomföra
        skapa bygga stärka stärk göra skriva hålla ringa skicka lansera minst över under
        kvartalet kunderna befintliga nöjda snabbare enklare två fyra sju åtta nio tio
        tjugo trettio femtio hundra miljoner kund ärenden hantera genomsnittlig
        visningar innehåll beslutsfattare vardera tyska norska svenska hemsidan färdigt
        redo uppgår merförsäljning rätt mottagare hanteras största hämta generera denna
        detta dessa kampanj utbildning rekrytera jobba arrangera publicera besöka delta
        träffa ringa anordna fram sätt varje vecka veckan mässor tillfredsställelse
        vinna stora stort"""
    ),
    "nb": _words(
        """og å for til fra er ikke skal våre et alle flere nye bedre beste også hver enn
        hvordan hva hvor når der sine gjennom innen før etter mye økt økte øke redusere
        være ved seg noen noe deres uten andre nå kunne bli blir ingen ei selgere salg
        omsetning inntekter medarbeidere ansatte brukere brukerne bruker brukerbasen
        levering vekst marked markedet tilfredshet antall prosent nøkkelkunder møter
        måned uke året nettside hjemmeside tjeneste tjenester bedrift bedrifter selskap
        merkevare doble fordoble halvere oppnå gjennomføre skape bygge styrke gjøre
        skrive holde ringe sende lansere minst over under kvartalet kundene eksisterende
        fornøyde raskere enklere innlegg blogginnlegg syv åtte tjue femti hundre
        millioner kunde saker behandle reduksjon gjennomsnittlig visninger innhold
        beslutningstakere ordreverdi tyske norske svenske nettsiden ferdig klar utgjør
        mersalg riktig mottaker håndteres største spørre hente generere denne dette
        disse kampanje opplæring gjennomfører rekruttere frem jobbe arrangere publisere
        besøke ringe løpet uken omme oppfølging ukentlig messer artikler ansatt
        tilfredshet vinne store stort"""
    ),
    "en": _words(
        """the and to of our by for in with a an is are we new more from per at on all
        customers customer users user increase reduce improve launch their that this be
        will have has its it as than each every into within before after least most best
        better first revenue sales growth market employees satisfaction number percent
        quarter year month week website brand double triple halve achieve create build
        strengthen make write hold call send run meetings posts newsletter existing
        happy faster easier through during get reach here there where were attend trade
        fair fairs prospects demos meet do visit visits calls deals signups sign-ups
        views visitors traffic conversion retention onboarding ship shipped release
        released hire hired recruit features downloads reviews rating average response
        time days weeks months quarters end ready print translated content customer
        clients client tickets cost costs pricing profit awareness selling help strong
        high low top key accounts income spend budget then when which who what how why
        because not up down out one two three four five six seven eight nine ten twenty
        fifty hundred thousand million articles videos blog"""
    ),
}
# Words shared by two of the lists above count for neither.
_SHARED_WORDS: Final[frozenset[str]] = frozenset(
    (_LANG_WORDS["sv"] & _LANG_WORDS["nb"])
    | (_LANG_WORDS["sv"] & _LANG_WORDS["en"])
    | (_LANG_WORDS["nb"] & _LANG_WORDS["en"])
)

# Spelling that belongs to one language: ä/ö are Swedish, æ/ø Norwegian
# (å is both); Norwegian writes "hv-", "gj-", "kj-", "-sjon", "-kk", "-ere"
# verbs and "-ene" plurals; Swedish "-ck", "-era" verbs and "-arna/-erna/-orna"
# plurals; English "th", "w", "ea/ou/ee", "-ing", "-ed", "-ly".
_SPELLING: Final[tuple[tuple[re.Pattern[str], Language, float], ...]] = (
    (re.compile(r"[äö]"), "sv", 2.0),
    (re.compile(r"[æø]"), "nb", 2.0),
    (re.compile(r"^(?:hv|gj|kj)"), "nb", 1.0),
    (re.compile(r"sjon(?:en|er|ene)?$"), "nb", 1.0),
    (re.compile(r"kk"), "nb", 0.5),
    (re.compile(r"[^aeiou]ere$"), "nb", 1.0),
    # Compounds: Swedish "kundmöte", "kundnöjdhet"; Norwegian "kundemøte".
    (re.compile(r"^kunde(?!r$|rna|rnas$|n$|ns$)\w{3,}"), "nb", 1.0),
    (re.compile(r"^kund(?!e)\w{3,}"), "sv", 1.0),
    # Stems of frequent OKR words that differ: "marknad/marked",
    # "försäljning/salg", "fel/feil", "verksamhet/virksomhet".
    (
        re.compile(
            r"^(?:marknad|försälj|felfri|användar|verksamhet|leverans(?!e)|uppfölj|"
            r"webbplats|hemsid|säljar|tjänst)"
        ),
        "sv",
        1.0,
    ),
    (
        re.compile(
            r"^(?:marked|salg|feil|lage$|bedrift|tjenest|selger|bruker|nettsid|"
            r"hjemmesid|merkevar|virksomhet|leveranse|tilbakemelding)"
        ),
        "nb",
        1.0,
    ),
    (re.compile(r"ck"), "sv", 0.5),
    (re.compile(r"(?:arna|erna|orna)$"), "sv", 1.0),
    (re.compile(r"[^aeiou]era$"), "sv", 0.5),
    (re.compile(r"th|w"), "en", 1.0),
    (re.compile(r"ea|ou|ee|oo|igh|[aeo]y$"), "en", 0.5),
    (re.compile(r"c(?![hk])"), "en", 0.3),
    (re.compile(r"^\w{2,}(?<![nr])ing$|^\w{3,}ed$|^\w{3,}ly$"), "en", 0.5),
    (re.compile(r"^\w{2,}[^aeiou]ene$"), "nb", 0.5),
)


def _language_scores(text: str) -> dict[Language, float]:
    scores: dict[Language, float] = {"sv": 0.0, "nb": 0.0, "en": 0.0}
    for token in _tokens(_normalise(text)):
        if token.isdigit():
            continue
        if "å" in token:  # Swedish or Norwegian, not English
            scores["sv"] += 0.5
            scores["nb"] += 0.5
        for lang, words in _LANG_WORDS.items():
            if token in words and token not in _SHARED_WORDS:
                scores[lang] += 1.5
        for pattern, lang, weight in _SPELLING:
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


# ---------------------------------------------------------------------------
# Numbers, dates and placeholders
# ---------------------------------------------------------------------------

# Number words per language. A token counts when it is made up of these parts
# ("tvåhundra", "tjuefem", "twenty-five"). The indefinite articles that double
# as "one" (sv en/ett, nb en/ei/et) are kept apart: they are weak evidence.
_NUMBER_PARTS: Final[dict[Language, str]] = {
    "sv": (
        r"två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tretton|fjorton|femton|"
        r"sexton|sjutton|arton|nitton|tjugo|trettio|fyrtio|femtio|sextio|sjuttio|"
        r"åttio|nittio|hundra|tusen|miljon(?:er)?|miljard(?:er)?|dussin|ett|en"
    ),
    "nb": (
        r"to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|tretten|fjorten|femten|"
        r"seksten|sytten|atten|nitten|tjue|tretti|førti|femti|seksti|sytti|åtti|"
        r"nitti|hundre|tusen|million(?:er)?|milliard(?:er)?|dusin|og|en|ett"
    ),
    "en": (
        r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
        r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
        r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|"
        r"dozens?|and"
    ),
}
_NUMBER_WORD_RE: Final[dict[Language, re.Pattern[str]]] = {
    lang: re.compile(rf"(?:{parts})(?:-?(?:{parts}))*") for lang, parts in _NUMBER_PARTS.items()
}
# Tokens the number regex would accept that are not numbers on their own.
_NOT_NUMBERS: Final = frozenset({"en", "ett", "og", "and", "ei", "et", "one"})
# Articles that also mean "one" (weak evidence) and words for "all"/"none"
# (100% / 0%: measurable, unless the text is only a vague comparison).
_WEAK_QUANTITY: Final[dict[Language, frozenset[str]]] = {
    "sv": _words("en ett alla samtliga varje noll ingen inga inget"),
    "nb": _words("en ei et ett alle samtlige hver null ingen ingenting"),
    "en": _words("a an one all every each zero no none"),
}
# Multipliers: "fördubbla antalet leads" is measurable (2x the baseline).
_MULTIPLIERS: Final[dict[Language, frozenset[str]]] = {
    "sv": _words(
        """fördubbla fördubblas fördubblad fördubblat dubbla dubblera tredubbla halvera
        halveras halverad halverat hälften halva"""
    ),
    "nb": _words(
        """doble dobles doblet dobling fordoble fordoblet tredoble halvere halveres halvert
        halvering halvparten"""
    ),
    "en": _words("double doubled doubling triple tripled halve halved halving half twice"),
}

_MONTHS: Final = (
    r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
    r"november|december|januar|februar|mai|august|desember|january|february|march|"
    r"june|july|october"
)
_MONTH_ABBR: Final = r"jan|feb|mar|apr|jun|jul|aug|sept?|okt|oct|nov|dec|des|may"
# Dates and periods: "15/2", "2025-03-01", "15.2.", "1 februari", "1. mars",
# "March 1st", "Q1", "H2", "K3", "T1" (tertial), "vecka 12", "uke 12".
_DATE_RES: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"(?<!\d)\d{1,2}\s?/\s?\d{1,2}(?:\s?/\s?\d{2,4})?(?![\d%])"),
    re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)"),
    re.compile(r"(?<!\d)\d{1,2}\.\d{1,2}\.(?:\d{2,4})?(?![\d%])"),
    re.compile(
        rf"(?<!\d)\d{{1,2}}(?:\.|:e|:a|st|nd|rd|th)?\s?(?:of\s)?(?:{_MONTHS}|{_MONTH_ABBR})\b\.?"
    ),
    re.compile(rf"\b(?:{_MONTHS}|{_MONTH_ABBR})\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s?%)"),
    re.compile(r"\b(?:q|h|k|kv|t)\s?[1-4]\b(?:\s?[-/]\s?\d{2,4}\b|\s20\d{2}\b)?"),
    re.compile(r"\b(?:vecka|vecko|veckan|v\.|uke|uka|week|wk)\s?\d{1,2}\b"),
)
_MONTH_RE: Final = re.compile(rf"\b(?:{_MONTHS})\b")
# A deadline without a date: "innan året är slut", "before summer", "by year
# end", "i slutet av kvartalet", "innen utgangen av året".
_TIME_WORDS: Final = (
    r"år|året|årets|årsskiftet|års|kvartal|kvartalet|kvartalets|månaden|månadens|"
    r"veckan|sommaren|sommar|hösten|våren|vintern|jul|julen|påsk|påsken|midsommar|"
    r"måned|måneden|uke|uken|sommeren|høsten|vinteren|påske|nyttår|year|year-end|"
    r"years|quarter|month|week|summer|autumn|fall|spring|winter|christmas|easter"
)
_DEADLINE_RE: Final = re.compile(
    rf"\b(?:senast|innan|före|till|by|before|until|innen|før|ved|"
    rf"slutet av|slutten av|utgangen av|end of)\s(?:\w+\s){{0,3}}?(?:{_TIME_WORDS})\b"
)
# A 4-digit year used as a period ("i 2025", "by 2026", "2025/26").
_YEAR_RE: Final = re.compile(
    r"(?:\b(?:i|in|under|during|för|for|år|året|year|till|by|innen|senast|"
    r"before|innan|før|före|of|av|end|until)\s)(?:(?:\w+\s)?)(?:19|20)\d{2}"
    r"(?:\s?[-/–]\s?\d{2,4})?\b(?!\s?[%\w])|\b(?:19|20)\d{2}\s?$"
)
# A span of time, a period not a quantity: "inom 3 år", "in 2 years".
_SPAN_RE: Final = re.compile(
    r"\b\d+\s?(?:år|års|månader|månaders|månad|veckor|dagar|kvartal|years?|months?|"
    r"weeks?|days?|quarters?|måneder|måneders|uker|dager)\b"
)
# Names with numbers in an objective: a rank ("bli nummer 1", "#1", "number
# one"), a standard ("ISO 27001") or a version ("DPAB 2.0", "version 3").
_NAME_NUMBER_RE: Final = re.compile(
    r"(?:nummer|number|nr\.?|no\.)\s?(?:1|ett|en|én|one)\b|#\s?1\b|"
    r"\b(?:iso|iec|sis)\s?\d+(?:[-:]\d+)*|\b(?:version|versjon|v)\s?\d+(?:\.\d+)*|"
    r"\b\d+\.0\b(?!\s?%)"
)

_PERCENT_RE: Final = re.compile(r"%|\b(?:procent|prosent|percent|per cent|procentenheter)\w*")
_CURRENCY_RE: Final = re.compile(
    r"\d\s?(?:[mkt]?(?:sek|nok|eur|usd|kr)\b|kr\.?|kronor|kroner|miljoner|millioner|"
    r"million|mill?\.?\b|mnkr|mkr|tkr|mn\b|mio\b|bn\b|[k]\b)|[$€£]\s?\d"
)

# A placeholder target: a standalone X / XX / ? / TBD / "okänt" ("NPS på X").
# Letters or digits on either side make it a word ("XING", "box") or a
# product ("3 x 2"), not a placeholder.
_PENDING_RE: Final = re.compile(
    r"(?<![\w\-])(?:x{1,3}|tbd|tba|t\.b\.d\.?|okänt|okänd|ukjent|unknown|n/a)(?![\w]|-\w)"
    r"|(?<![\w?])\?{1,3}(?![\w?])"
)
_PRODUCT_RE: Final = re.compile(r"\d\s?x\s?\d|\d\s?x\b")


def _strip_dates(text: str) -> tuple[str, bool]:
    """Remove dates and periods from ``text``; also say whether any were found."""
    found = False
    for pattern in _DATE_RES:
        text, count = pattern.subn(" ", text)
        found = found or count > 0
    if _MONTH_RE.search(text) or _DEADLINE_RE.search(text):
        found = True
    text, count = _YEAR_RE.subn(" ", text)
    return text, found or count > 0


def _is_number_word(token: str, langs: tuple[Language, ...]) -> bool:
    # Segmentations are ambiguous ("femtio" = "fem"+"tio"), so cap the length
    # to keep backtracking small.
    if token in _NOT_NUMBERS or len(token) > 40:
        return False
    return any(_NUMBER_WORD_RE[lang].fullmatch(token) for lang in langs)


def _quantity_positions(tokens: list[str], langs: tuple[Language, ...]) -> list[int]:
    """Indexes of tokens that state a quantity (digits, number words, 2x/½)."""
    positions = []
    for i, token in enumerate(tokens):
        if (
            token[:1].isdigit()
            or _is_number_word(token, langs)
            or any(token in _MULTIPLIERS[lang] for lang in langs)
        ):
            positions.append(i)
    return positions


def _has_pending_target(text: str) -> bool:
    cleaned = _PRODUCT_RE.sub(" ", text)
    return bool(_PENDING_RE.search(cleaned))


# ---------------------------------------------------------------------------
# Vague comparisons, routine work
# ---------------------------------------------------------------------------

# "Fler kunder", "better satisfaction": a direction without a size. Such a
# text is not measurable even with a date or "all" in it.
_VAGUE: Final[dict[Language, frozenset[str]]] = {
    "sv": _words(
        """fler flera mer mera bättre högre större ökad ökat ökade ökande ökning förbättrad
        förbättrat förbättrade förbättring färre mindre lägre snabbare starkare bredare
        nöjdare gladare effektivare enklare tydligare öka höja minska sänka förbättra
        stärka utöka utveckla maximera optimera"""
    ),
    "nb": _words(
        """flere mer mere bedre høyere større økt økte økende økning forbedret forbedrede
        forbedring færre mindre lavere raskere sterkere bredere fornøydere gladere mer-
        effektiv enklere tydeligere øke heve redusere senke forbedre styrke utvide
        utvikle maksimere optimalisere"""
    ),
    "en": _words(
        """more better higher greater bigger larger increased improved improving increasing
        fewer less lower faster stronger wider happier easier clearer increase raise
        reduce decrease improve strengthen grow boost enhance growth improvement
        maximise maximize optimise optimize develop"""
    ),
}

# Routine work: "enligt ordinarie rutin", "som vanligt", "business as usual",
# "ordinær drift", "løpende" (but "löpande 12 månader" is a rolling window).
_ROUTINE_RES: Final[dict[Language, re.Pattern[str]]] = {
    "sv": re.compile(
        r"\bsom vanligt\b|\bsom (?:vi )?alltid\b|\bsom förut\b|\bsom tidigare\b|"
        r"\b(?:enligt|i enlighet med|efter)\s(?:\w+\s){0,2}rutin(?:en|erna|er)?\b|"
        r"\b(?:ordinarie|vanlig|gällande)\s(?:\w+\s)?(?:rutin\w*|drift\w*|"
        r"arbete\w*|verksamhet\w*)|\b(?:daglig|dagliga|den dagliga)\s(?:drift\w*|arbete\w*)|"
        r"\brutinmässig\w*|\bvardagsarbete\w*|\blöpande(?!\s?\d|\s(?:tolv|tre|sex)\b)"
    ),
    "nb": re.compile(
        r"\bsom vanlig\b|\bsom (?:vi )?alltid\b|\bsom før\b|\bsom tidligere\b|"
        r"\b(?:i henhold til|etter|ifølge)\s(?:\w+\s){0,2}rutine(?:n|ne|r)?\b|"
        r"\b(?:ordinær|ordinære|vanlig|vanlige|gjeldende)\s(?:\w+\s)?"
        r"(?:rutine\w*|drift\w*|arbeid\w*|virksomhet\w*)|"
        r"\b(?:daglig|daglige|den daglige)\s(?:drift\w*|arbeid\w*)|"
        r"\brutinemessig\w*|\bløpende(?!\s?\d|\s(?:tolv|tre|seks)\b)"
    ),
    "en": re.compile(
        r"\bas usual\b|\bbusiness as usual\b|\bbau\b|\bas always\b|\bas before\b|"
        r"\b(?:daily|day-to-day|day to day|everyday|regular|ordinary|normal|routine)\s"
        r"(?:operations?|routines?|work)\b|\bdaily business\b|"
        r"\baccording to (?:\w+\s){0,2}(?:routine|process|procedure)s?\b|"
        r"\broutine work\b|\broutinely\b|\bkeep(?:ing)? the lights on\b"
    ),
}


def _is_routine(text: str) -> bool:
    # All three languages: the phrases are distinct enough not to collide, and
    # a short text ("Drive kundeservice som vanlig") is hard to place.
    return any(pattern.search(text) for pattern in _ROUTINE_RES.values())


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------

# Verbs that name an activity, in the forms a key result starts with
# (infinitive, imperative, present; English base and -ing form). With
# them a key result says what the team will *do*, not what will be true.
_ACTIVITY_VERBS: Final[dict[Language, frozenset[str]]] = {
    "sv": _words(
        """skriva skriv skriver genomföra genomför ringa ringer skicka skickar delta
        deltaga deltar arrangera arrangerar anordna anordnar publicera publicerar göra
        gör träffa träffar besöka besöker jobba jobbar arbeta arbetar posta postar
        blogga bloggar mejla mejlar maila mailar kontakta kontaktar närvara medverka"""
    ),
    "nb": _words(
        """skrive skriv skriver gjennomføre gjennomfør gjennomfører ringe ringer sende
        sender delta deltar arrangere arrangerer publisere publiserer gjøre gjør besøke
        besøker jobbe jobber arbeide arbeider poste poster blogge kontakte kontakter
        treffe treffer"""
    ),
    "en": _words(
        """write writing conduct conducting attend attending organise organize organising
        organizing arrange arranging publish publishing blog blogging email emailing
        e-mail contact contacting participate participating host hosting send sending do
        doing calling visiting posting"""
    ),
}
# Verbs that are an activity only with an activity object: "hålla 10
# kundmöten" but "hålla churn under 5%", "run 4 workshops" but "run costs".
_ACTIVITY_VERBS_WITH_OBJECT: Final[dict[Language, frozenset[str]]] = {
    "sv": _words(
        """hålla håll håller ha har ta tar köra kör producera producerar skapa skapar
        ordna ordnar ge ställa"""
    ),
    "nb": _words(
        """holde hold holder ha har ta tar kjøre kjør produsere produserer lage lag skape
        gi stille"""
    ),
    "en": _words(
        """hold holding have having run running make making produce producing create
        creating give giving present presenting deliver delivering"""
    ),
}
# Forms that are also nouns ("besök på hemsidan", "møte med styret", "post",
# "work"): verbs only when a count, an article or a person follows.
_ACTIVITY_VERBS_AMBIGUOUS: Final[dict[Language, frozenset[str]]] = {
    "sv": _words("besök ring möt möta"),
    "nb": _words("besøk ring møt møte send post jobb"),
    "en": _words("call visit post meet meeting work working"),
}
# What may follow an ambiguous verb form for it to be a verb.
_VERB_FOLLOWERS: Final[dict[Language, frozenset[str]]] = {
    "sv": _words("en ett alla våra varje nya befintliga potentiella kunder kunderna"),
    "nb": _words("en ei et alle våre hver nye eksisterende potensielle kunder kundene"),
    "en": _words(
        """a an all our every each new existing potential prospects customers clients on
        with"""
    ),
}
# "Meet" a target is a result ("meet 99% of SLA deadlines").
_MEET_FORMS: Final = _words("meet meeting möt möta møt møte")
# "Work" is an activity in "work on X" / "jobb med X", a noun otherwise.
_WORK_FORMS: Final = _words("work working jobb")
_MEET_TARGET_RE: Final = re.compile(
    r"\b(?:sla|target|deadline|requirement|expectation|goal|standard|quota|demand|"
    r"budget|kpi|krav|mål|förväntning|forventning)\w*"
)
# Nouns for what an activity produces or is: meetings, posts, events, calls.
# Swedish and Norwegian build compounds ("kundmöten", "blogginnlegg"), so the
# stem may end a longer word.
_ACTIVITY_NOUN_RES: Final[dict[Language, re.Pattern[str]]] = {
    "sv": re.compile(
        r"\w*(?:möte[nt]?|mötena|workshop\w*|seminari\w*|webinar\w*|event\w*|"
        r"evenemang\w*|presentation\w*|föreläsning\w*|samtal\w*|demo(?:n|s|er|erna)?|"
        r"mäss(?:a|an|or|orna)|träff(?:ar|en|arna)?|inlägg\w*|nyhetsbrev\w*|artikel|"
        r"artiklar\w*|video\w*|poddavsnitt\w*|besök\w*|utskick\w*|konferens\w*|"
        r"kampanj(?:er|erna)?)"
    ),
    "nb": re.compile(
        r"\w*(?:møte[rt]?|møtene|workshop\w*|seminar\w*|webinar\w*|arrangement\w*|"
        r"event\w*|presentasjon\w*|foredrag\w*|samtale\w*|demo(?:er|ene)?|messe[rn]?|"
        r"messene|treff(?:et|ene)?|innlegg\w*|nyhetsbrev\w*|artikkel\w*|artikler\w*|"
        r"video\w*|podkast\w*|besøk\w*|utsendelse\w*|konferanse\w*|kampanje(?:r|ne)?)"
    ),
    "en": re.compile(
        r"(?:meeting|workshop|seminar|webinar|event|presentation|talk|call|demo|fair|"
        r"show|post|blogpost|newsletter|article|video|podcast|visit|session|interview|"
        r"mailing|conference|campaign|mailshot)s?"
    ),
}
# Nouns for content a team produces: "5 blogginlägg" alone is an activity.
_OUTPUT_NOUN_RES: Final[dict[Language, re.Pattern[str]]] = {
    "sv": re.compile(r"\w*(?:inlägg|nyhetsbrev|artikel|artiklar|videor|poddavsnitt|utskick)"),
    "nb": re.compile(r"\w*(?:innlegg|nyhetsbrev|artikkel|artikler|videoer|podkaster|utsendelser)"),
    "en": re.compile(
        r"(?:posts|blogposts|newsletters|articles|videos|podcasts|mailings|mailshots)"
    ),
}
# Past participles of activity verbs: "10 kundmöten genomförda", "five blog
# posts written" say the same as the bare activity.
_ACTIVITY_PARTICIPLES: Final[dict[Language, frozenset[str]]] = {
    "sv": _words(
        """skriven skrivet skrivna hållen hållet hållna hållits genomförd genomfört
        genomförda genomförts publicerad publicerat publicerade publicerats skickad
        skickat skickade skickats ringd ringt ringda arrangerad arrangerat arrangerade
        anordnad anordnat anordnade besökt besökta gjord gjort gjorda postad postat
        postade"""
    ),
    "nb": _words(
        """skrevet skrevne holdt gjennomført gjennomførte publisert publiserte sendt sendte
        ringt arrangert arrangerte besøkt besøkte gjort postet"""
    ),
    "en": _words(
        """written held conducted published sent made done organised organized arranged
        visited posted attended hosted"""
    ),
}
# Words before the verb that do not change it: "vi ska", "we will", "att", "å".
_LEAD_FILLERS: Final = _words("vi ska skall skal we will shall we'll att å to i minst at least")
# What turns an activity into a result: an outcome after it ("med en
# genomsnittlig öppningsfrekvens om 60%", "that generate 100 leads").
_OUTCOME_RE: Final = re.compile(
    r"\b(?:som|vilket|hvilket|noe som|that|which)\s(?:\w+\s)?(?:ger|gir|leder|fører|"
    r"resulterar|resulterer|genererar|genererer|skapar|skaper|give|gives|lead|leads|"
    r"result|results|generate|generates|bring|brings|drive|drives|produce|produces|yield|"
    r"yields)\b|\bresulting in\b|\bleading to\b|\bso that\b|\bin order to\b|"
    r"\b(?:för att|for å|to)\s(?:nå|få|generera|skapa|boka|vinna|uppnå|generere|skape|"
    r"booke|vinne|oppnå|reach|get|generate|win|book|secure|achieve|gain|sign|close)\b|"
    r"\bwith an?\s(?:\w+\s){0,2}(?:rate|ratio|share|score)\b|"
    r"\bmed (?:en|ett)?\s?(?:\w+\s){0,2}\w*(?:frekvens|grad|andel|konvertering|rate|nivå)\b"
)
# Words that link an activity with a second, outcome quantity: "... med minst
# 50 deltagare", "... with 1000 views each" (but "och"/"and" do not).
_OUTCOME_LINKS: Final = _words(
    """med with som that which vilket hvilket ger gir giving generating resulting
    leading där der where"""
)


def _strip_fillers(tokens: list[str]) -> list[str]:
    i = 0
    while i < len(tokens) and i < 3 and tokens[i] in _LEAD_FILLERS:
        i += 1
    return tokens[i:]


def _has_activity_noun(tokens: list[str], langs: tuple[Language, ...]) -> bool:
    return any(_ACTIVITY_NOUN_RES[lang].fullmatch(t) for t in tokens for lang in langs)


def _has_outcome(tokens: list[str], text: str, langs: tuple[Language, ...]) -> bool:
    """Does the activity come with a result ("... med 60% öppningsfrekvens")?"""
    if _OUTCOME_RE.search(text):
        return True
    quantities = _quantity_positions(tokens, langs)
    if len(quantities) >= 2:
        between = tokens[quantities[0] + 1 : quantities[-1]]
        if any(t in _OUTCOME_LINKS for t in between):
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
        if verb in _ACTIVITY_VERBS[lang]:
            return True
        if verb in _ACTIVITY_VERBS_WITH_OBJECT[lang] and _has_activity_noun(rest[:4], (lang,)):
            return True
        if verb in _ACTIVITY_VERBS_AMBIGUOUS[lang] and rest:
            following = rest[0]
            if verb in _MEET_FORMS and _MEET_TARGET_RE.search(" ".join(rest[:4])):
                continue  # "meet 99% of SLA deadlines" is a result
            if verb in _WORK_FORMS:
                if following in ("on", "with", "med"):
                    return True  # "work on X", "jobb med X"
                continue
            if (
                following in _VERB_FOLLOWERS[lang]
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
    if any(t in _ACTIVITY_PARTICIPLES[lang] for t in tokens for lang in langs) and (
        _has_activity_noun(tokens, langs)
    ):
        return True
    # "5 blogginlägg", "Fem nyhetsbrev per kvartal": a count of content alone.
    positions = _quantity_positions(tokens, langs)
    first = positions[0] if positions else len(tokens)
    following = tokens[first + 1 : first + 4]
    is_output = any(_OUTPUT_NOUN_RES[lang].fullmatch(t) for t in following for lang in langs)
    return first <= 1 and is_output and len(tokens) <= 5


# ---------------------------------------------------------------------------
# Measurability and metric objectives
# ---------------------------------------------------------------------------


def _is_measurable(text: str, langs: tuple[Language, ...]) -> bool:
    """Can one tell whether the key result was reached?

    Yes with a number (digits, number words, a percentage, "fördubbla"), and
    also with a date or deadline, "alla"/"all" or an article as "one" (a
    deliverable: "Ta fram en plan senast 15/3") unless the text only states a
    direction ("Fler kunder senast 15/2" is still not measurable).
    """
    undated, has_date = _strip_dates(text)
    tokens = _tokens(undated)
    if _PERCENT_RE.search(undated) or _quantity_positions(tokens, langs):
        return True
    weak = has_date or any(t in _WEAK_QUANTITY[lang] for t in tokens for lang in langs)
    vague = any(t in _VAGUE[lang] for t in tokens for lang in langs)
    return weak and not vague


# A change verb with "by/med" and a number: "Öka omsättningen med 20 MSEK".
_CHANGE_BY_RE: Final = re.compile(
    r"\b(?:öka|höja|minska|sänka|växa|øke|heve|redusere|senke|vokse|increase|grow|raise|"
    r"reduce|cut|decrease|lower|boost)\w*\s(?:\w+\s){0,4}(?:med|by|with)\s(?:\w+\s)?\d"
)
# Words that may come before the number of a metric: "minst 50 nya kunder".
_METRIC_LEADS: Final = _words(
    """minst över mer än cirka ca drygt nå uppnå få totalt minimum min oppnå mer enn
    over omtrent rundt at least more than about around reach achieve get hit total"""
)


def _is_metric_objective(text: str, langs: tuple[Language, ...]) -> bool:
    """Is the objective a number rather than a direction?

    "30% försäljningstillväxt", "Increase revenue by 20%", "50 nya kunder",
    "Doble brukerbasen"; not "Kraftigt ökad synlighet ... i Q1" (a period) or
    "Bli en av de tre största i Norden" (a number inside a direction).
    """
    undated, _ = _strip_dates(text)
    undated = _SPAN_RE.sub(" ", undated)
    undated = _NAME_NUMBER_RE.sub(" ", undated)
    tokens = _tokens(undated)
    if not tokens:
        return False
    if _PERCENT_RE.search(undated) or _CURRENCY_RE.search(undated):
        return True
    if _CHANGE_BY_RE.search(undated):
        return True
    words = [t for t in tokens if t not in _METRIC_LEADS]
    if words and any(words[0] in _MULTIPLIERS[lang] for lang in langs):
        return True
    if re.search(r"\b\d+\s?x\b", undated):
        return True  # "10x"
    positions = [i for i, t in enumerate(words) if t[:1].isdigit() or _is_number_word(t, langs)]
    if not positions:
        return False
    return positions[0] <= 1 or len(tokens) <= 5


# ---------------------------------------------------------------------------
# Public linters
# ---------------------------------------------------------------------------


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


def lint_key_result(text: str, language: str | None = None) -> list[Hint]:
    """Hints for one key result title.

    ``kr_pending_target``, ``kr_activity``, ``kr_not_measurable`` and
    ``kr_routine``. The rules are independent, so a text may get several,
    except that a placeholder target ("NPS på X") marks a metric, which is
    therefore not reported as ``kr_not_measurable``.
    """
    normal = _normalise(text)
    if not normal:
        return []
    lang, langs = _languages_for(normal, language)
    hints = []
    pending = _has_pending_target(normal)
    if pending:
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
