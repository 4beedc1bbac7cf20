"""The coach's hint codes and their texts in Swedish, Norwegian bokmål and English.

No Django here (so no gettext): every code has one template per language, and
a test checks that all three are there. ``message`` fills a template in.
"""

from __future__ import annotations

from typing import Final, Literal

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


def language_code(language: str | None) -> Language | None:
    """Normalise a language code ("sv-SE", "no", "nn", "en-GB"); None for any other."""
    if language:
        code = language.strip().lower().replace("_", "-").split("-")[0]
        if code in ("nb", "no", "nn"):
            return "nb"
        if code in ("sv", "en"):
            return code  # type: ignore[return-value]
    return None


def message(code: str, language: str | None, **params: object) -> str:
    """The hint text for ``code`` in ``language`` (English if unknown)."""
    templates = MESSAGES[code]
    # An unknown language reads as Swedish, as detecting the language of no text does.
    template = templates.get(language_code(language) or "sv", templates["en"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
