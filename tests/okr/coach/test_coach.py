"""Tests for okr.coach, the OKR coach (pure text heuristics, no Django, no database).

The examples come from the method (docs/okr-quality.md), the reference company DPAB
(docs/dpab.md) and texts written for these tests in Swedish, Norwegian bokmål and
English.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okr.coach import (
    CODES,
    LANGUAGES,
    MESSAGES,
    Hint,
    ObjectiveInput,
    detect_language,
    lint_key_result,
    lint_objective,
    lint_objective_set,
    message,
)

LANGS_AND_DETECT = [None, "sv", "nb", "en"]


def codes(hints: list[Hint]) -> set[str]:
    return {hint.code for hint in hints}


# ---------------------------------------------------------------------------
# Good OKRs get no hint
# ---------------------------------------------------------------------------

# Every key result of the method and of DPAB (Swedish).
GOOD_KEY_RESULTS_SV = [
    "Skicka 3 nyhetsbrev till befintliga kunder med en genomsnittlig öppningsfrekvens om 60%",
    "10% av våra kunder deltar i ett event vi anordnar under kvartalet",
    "Rekrytera 2 norska säljare",
    "Ta fram ett kampanjkoncept färdigt att lansera 1 februari",
    "Lansera översatt hemsida senast 15/2",
    "Ta fram och leverera rapport om volym och precision för 25 största kunder",
    "Hämta ett NPS-basvärde genom att fråga 100 kunder",
    "Nå 1000 beslutsfattare med vårt budskap",
    "Generera 100 nya leads genom denna kampanj",
    "10 säljare genomgår utbildning i lösningsförsäljning",
    "Plan för merförsäljning redo att sättas i handling 28 februari",
    "Produktkatalog på norska till tryck senast 15/3",
    "Fakturering nya kunder uppgår till 4MSEK",
    "Merförsäljning om 1,5MSEK till befintliga kunder",
    "100% av all post går till rätt mottagare",
    "100% av all post hanteras",
    "30% minskning i snitthanteringstid för ett brev",
    "20MSEK försäljning till nya kunder",
    "Öka värdet av befintliga kunder med 20%",
    "5% churn",
    "10 nya norska kunder innan året är slut",
    "3 validerade säljstrategier för den norska marknaden",
    "20MSEK försäljning på den tyska marknaden",
    "5 nya tyska nyckelkunder med ordervärde över 1MSEK vardera",
    "100k organiska visningar av innehåll på XING",
    "200 leads från mässor i Tyskland",
    "20% känner igen varumärket vid marknadsundersökning i slutet av kvartalet",
    # Written for the tests.
    "10 000 visningar av vårt innehåll",
    "Minska churn från 15% till 5%",
    "Svarstid i supporten under 2 timmar",
    "90% av ärendena lösta vid första kontakt",
    "Ny prismodell lanserad senast 31 mars",
    "Avtal med tre nya återförsäljare",
    "Kundnöjdhet på minst 4,5 av 5",
    "Andelen digitala fakturor ökar från 40% till 70%",
    "1 500 nya prenumeranter på nyhetsbrevet",
    "Hålla 3 webbinarier med minst 50 deltagare vardera",
    "Fördubbla antalet leads",
    "Noll reklamationer från nyckelkunder",
    "Alla säljare certifierade i det nya CRM-systemet",
    "Löpande 12 månaders NPS över 40",
    "Rekrytera en norsk säljare",
    "Möte med styrelsen genomfört senast 1 mars",
    "Besök på hemsidan ökar till 10 000 per månad",
    "Migrering till nytt ekonomisystem klar senast 30 juni",
    "Tio nya återförsäljare i Sverige",
    "Andel nöjda kunder över 80 procent",
    "Tre nya partneravtal signerade",
    "Ledtid från order till leverans under 48 timmar",
    "Ny CRM i drift senast vecka 40",
    "Kundportalen lanserad innan sommaren",
    "Sjukfrånvaron under 4%",
]

GOOD_KEY_RESULTS_NB = [
    "Sende 3 nyhetsbrev til eksisterende kunder med en gjennomsnittlig åpningsrate på 60 %",
    "10 % av kundene våre deltar på et arrangement vi holder i løpet av kvartalet",
    "Rekruttere 2 norske selgere",
    "Lansere oversatt nettside innen 15/2",
    "Lansere oversatt nettside innen 15. februar",
    "Nå 1000 beslutningstakere med budskapet vårt",
    "Generere 100 nye leads gjennom denne kampanjen",
    "20 MNOK i salg til nye kunder",
    "10 nye norske kunder innen året er omme",
    "Produktkatalog på norsk til trykk innen 15. mars",
    "Hente en NPS-baseline ved å spørre 100 kunder",
    "30 % reduksjon i gjennomsnittlig behandlingstid per brev",
    "Øke verdien av eksisterende kunder med 20 %",
    "Holde kundefrafallet under 5 %",
    "10 selgere gjennomfører opplæring i løsningssalg",
    "100 % av all post går til riktig mottaker",
    "Redusere churn fra 15 % til 5 %",
    "Svartid i kundeservice under 2 timer",
    "Ny prismodell lansert innen 31. mars",
    "Avtale med tre nye forhandlere",
    "Kundetilfredshet på minst 4,5 av 5",
    "1 500 nye abonnenter på nyhetsbrevet",
    "10 000 visninger av innholdet vårt",
    "Halvere svartiden i kundeservice",
    "Løpende 12 måneders NPS over 40",
    "Andel fornøyde kunder over 80 prosent",
    "Tre nye partneravtaler signert",
    "Ledetid fra ordre til levering under 48 timer",
    "Ny CRM i drift innen uke 40",
    "Kundeportalen lansert før sommeren",
    "Sykefraværet under 4 %",
]

GOOD_KEY_RESULTS_EN = [
    "Send 3 newsletters to existing customers with an average open rate of 60%",
    "10% of our customers attend an event we host during the quarter",
    "Hire 2 Norwegian sales reps",
    "Launch the translated website by 15 February",
    "Launch the translated website by Feb 15",
    "Reach 1,000 decision makers with our message",
    "Generate 100 new leads through this campaign",
    "SEK 20M in sales to new customers",
    "10 new Norwegian customers before the end of the year",
    "Product catalogue in Norwegian ready for print by March 15",
    "Get an NPS baseline by asking 100 customers",
    "30% reduction in average handling time per letter",
    "Increase the value of existing customers by 20%",
    "Meet 99% of delivery deadlines",
    "Hold churn below 5%",
    "Call center answer rate above 90%",
    "Run-rate revenue of SEK 5M",
    "100k organic views of content on XING",
    "Write 5 blog posts that generate 500 sign-ups",
    "Reduce churn from 15% to 5%",
    "90% of tickets resolved on first contact",
    "New pricing model launched by March 31",
    "Contracts signed with three new resellers",
    "Customer satisfaction of at least 4.5 out of 5",
    "Monthly recurring revenue grows from $50k to $80k",
    "Newsletter open rate above 40%",
    "Migration to the new ERP completed by end of Q2",
    "Double the number of trial sign-ups",
    "Zero critical incidents in production",
    "10,000 views of our content",
    "Average rating of 4.5 in the app store",
    "Share of satisfied customers above eighty percent",
    "Three new partner agreements signed",
    "Lead time from order to delivery under 48 hours",
    "New CRM live by week 40",
    "Customer portal launched before summer",
    "Sick leave below 4%",
]

GOOD_OBJECTIVES = [
    # DPAB and the method (Swedish).
    ("Kommande år vårt starkaste tillväxtår någonsin", "sv"),
    ("Leverera branschens bästa upplevelse", "sv"),
    ("Marknadstest i Norge", "sv"),
    ("Leverera det marknadsmaterial som behövs för säljtester i Norge", "sv"),
    ("Stärk relationen till våra befintliga kunder", "sv"),
    ("Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter", "sv"),
    ("Aggressiv försäljningstillväxt", "sv"),
    ("Stå rustade för framtida ökad tillväxttakt", "sv"),
    ("Felfri hantering", "sv"),
    ("Överträffa våra kunders förväntningar", "sv"),
    ("Internationell expansion genom etablering i Tyskland under året", "sv"),
    ("Kraftigt ökad synlighet på tyska marknaden i Q1", "sv"),
    ("Bli en av de tre största aktörerna i Norden", "sv"),
    ("Bli nummer 1 i Norden", "sv"),
    ("Bli marknadsledande inom 3 år", "sv"),
    ("Göra det enkelt att vara kund hos oss", "sv"),
    ("Bli ISO 27001-certifierade", "sv"),
    # Norwegian.
    ("Vårt sterkeste vekstår noensinne", "nb"),
    ("Markedstest i Norge", "nb"),
    ("Kraftig økt synlighet i det tyske markedet i Q1", "nb"),
    ("Internasjonal ekspansjon gjennom etablering i Tyskland i løpet av året", "nb"),
    ("Bli den foretrukne partneren for digital post i Norge", "nb"),
    ("Bli kundenes selvsagte valg i Norden", "nb"),
    ("Styrke relasjonen til våre eksisterende kunder, fordi de er grunnlaget for veksten", "nb"),
    # English.
    ("Our strongest year of growth ever", "en"),
    ("Strongly increased visibility in the German market in Q1", "en"),
    ("International expansion by establishing ourselves in Germany during the year", "en"),
    ("Become the number one partner for digital mail", "en"),
    ("Become the market leader in 2026", "en"),
    ("Make it effortless to be our customer, because happy customers stay", "en"),
    ("Lansera vår nya tjänst i tre länder", "sv"),
    ("Lansere den nye tjenesten vår i tre land", "nb"),
    ("Launch our new service in three countries", "en"),
    ("Vi blir kundenes førstevalg for digital post, fordi de sparer tid med oss", "nb"),
]


@pytest.mark.parametrize("language", ["sv", None])
@pytest.mark.parametrize("text", GOOD_KEY_RESULTS_SV)
def test_good_swedish_key_results_get_no_hint(text, language):
    assert lint_key_result(text, language) == []


@pytest.mark.parametrize("language", ["nb", None])
@pytest.mark.parametrize("text", GOOD_KEY_RESULTS_NB)
def test_good_norwegian_key_results_get_no_hint(text, language):
    assert lint_key_result(text, language) == []


@pytest.mark.parametrize("language", ["en", None])
@pytest.mark.parametrize("text", GOOD_KEY_RESULTS_EN)
def test_good_english_key_results_get_no_hint(text, language):
    assert lint_key_result(text, language) == []


@pytest.mark.parametrize("language", [None, "sv", "nb", "en"])
def test_pending_nps_gets_only_the_pending_hint(language):
    hints = lint_key_result("Rullande 3-månaders NPS på X", language)
    assert [hint.code for hint in hints] == ["kr_pending_target"]
    assert hints[0].severity == "info"


@pytest.mark.parametrize(("text", "language"), GOOD_OBJECTIVES)
def test_good_objectives_get_no_hint(text, language):
    assert lint_objective(text, language) == []
    assert lint_objective(text, None) == []


# ---------------------------------------------------------------------------
# Each code fires on its symptom
# ---------------------------------------------------------------------------

METRIC_OBJECTIVES = [
    ("30% försäljningstillväxt", "sv"),
    ("Öka omsättningen med 20%", "sv"),
    ("50 nya kunder", "sv"),
    ("Fördubbla antalet användare", "sv"),
    ("Tredubbla antalet prenumeranter", "sv"),
    ("Minst 100 nya kunder i Norge under året", "sv"),
    ("Nå 1 miljon användare", "sv"),
    ("100 MSEK i omsättning", "sv"),
    ("Tio nya kunder i Norge", "sv"),
    ("Doble brukerbasen", "nb"),
    ("50 nye kunder", "nb"),
    ("Øke omsetningen med 15 millioner kroner", "nb"),
    ("Redusere kostnadene med 15 %", "nb"),
    ("Omsetning på 100 MNOK", "nb"),
    ("Halvere ledetiden", "nb"),
    ("Vinne to store kontrakter i offentlig sektor", "nb"),
    ("25 % vekst i salget", "nb"),
    ("Increase revenue by 20%", "en"),
    ("50 new customers", "en"),
    ("Double our user base", "en"),
    ("Reach 10,000 active users", "en"),
    ("Grow ARR to $5M", "en"),
    ("Reduce costs by 15%", "en"),
    ("Öka antalet betalande kunder med 40 procent", "sv"),
    ("NPS över 50", "sv"),
    ("Øke antall betalende kunder med 40 prosent", "nb"),
    ("Grow paying customers by 40 percent", "en"),
    ("Halve the number of complaints", "en"),
]


@pytest.mark.parametrize(("text", "language"), METRIC_OBJECTIVES)
def test_objective_is_metric(text, language):
    assert codes(lint_objective(text, language)) == {"objective_is_metric"}
    assert codes(lint_objective(text, None)) == {"objective_is_metric"}


ROUTINE_OBJECTIVES = [
    ("Leverera leads enligt ordinarie rutin", "sv"),
    ("Drift som vanligt", "sv"),
    ("Löpande uppföljning av kundärenden", "sv"),
    ("Drive kundeservice som vanlig", "nb"),
    ("Ordinær drift av lageret", "nb"),
    ("Business as usual in the support team", "en"),
    ("Keep daily operations running", "en"),
]


@pytest.mark.parametrize(("text", "language"), ROUTINE_OBJECTIVES)
def test_objective_routine(text, language):
    assert codes(lint_objective(text, language)) == {"objective_routine"}
    assert codes(lint_objective(text, None)) == {"objective_routine"}


NOT_MEASURABLE = [
    ("Fler kunder i Norge", "sv"),
    ("Bättre kundnöjdhet", "sv"),
    ("Nöjdare kunder", "sv"),
    ("Förbättrad intern kommunikation", "sv"),
    ("Starkare varumärke i Tyskland", "sv"),
    ("Öka försäljningen till befintliga kunder", "sv"),
    ("Ökad kännedom om varumärket", "sv"),
    ("Fler kunder senast 15/2", "sv"),  # a date, but still no size
    ("Flere kunder i Norge", "nb"),
    ("Bedre kundetilfredshet", "nb"),
    ("Økt kjennskap til merkevaren", "nb"),
    ("Sterkere merkevare i Tyskland", "nb"),
    ("Fornøyde medarbeidere", "nb"),
    ("Kortere leveringstid", "nb"),
    ("More customers in Norway", "en"),
    ("Better customer satisfaction", "en"),
    ("Improved internal communication", "en"),
    ("Higher conversion on the website", "en"),
    ("Increase sales to existing customers", "en"),
    ("Increased brand awareness by the end of the quarter", "en"),
    ("Stronger relationships with key accounts", "en"),
    ("Tydligare ansvarsfördelning i teamet", "sv"),
    ("Kunderna upplever oss som experter", "sv"),
    ("Tydeligere ansvarsfordeling i teamet", "nb"),
    ("Kundene opplever oss som eksperter", "nb"),
    ("Høyere kvalitet i leveransene", "nb"),
    ("Clearer responsibilities in the team", "en"),
    ("Customers see us as experts", "en"),
]


@pytest.mark.parametrize(("text", "language"), NOT_MEASURABLE)
def test_kr_not_measurable(text, language):
    assert codes(lint_key_result(text, language)) == {"kr_not_measurable"}
    assert codes(lint_key_result(text, None)) == {"kr_not_measurable"}


ACTIVITIES = [
    ("Skriva fem blogginlägg", "sv"),
    ("Hålla 10 kundmöten", "sv"),
    ("Ringa 50 kunder", "sv"),
    ("Ring 40 kunder", "sv"),
    ("Skriv 4 artiklar", "sv"),
    ("Ha 20 möten med potentiella kunder", "sv"),
    ("Delta på 3 mässor", "sv"),
    ("Publicera 12 inlägg på LinkedIn", "sv"),
    ("Vi ska genomföra 4 workshops", "sv"),
    ("Besöka 30 kunder i Norge", "sv"),
    ("Arrangera 2 kundevent", "sv"),
    ("Anordna fyra frukostseminarier", "sv"),
    ("Skicka 5 nyhetsbrev", "sv"),
    ("Skicka ut ett nyhetsbrev varje månad", "sv"),
    ("Skriva 3 pressmeddelanden", "sv"),
    ("Genomföra 20 säljsamtal per vecka", "sv"),
    ("Ta 15 kundmöten i Oslo", "sv"),
    ("10 kundmöten genomförda", "sv"),
    ("Fem blogginlägg publicerade", "sv"),
    ("5 blogginlägg", "sv"),
    ("Ringa 50% av kunderna", "sv"),
    ("Skrive fem blogginnlegg", "nb"),
    ("Holde 10 kundemøter", "nb"),
    ("Holde fire frokostseminarer", "nb"),
    ("Ringe 50 kunder", "nb"),
    ("Ringe alle eksisterende kunder", "nb"),
    ("Delta på 3 messer", "nb"),
    ("Publisere 12 innlegg på LinkedIn", "nb"),
    ("Gjennomføre 4 workshops med kunder", "nb"),
    ("Besøke 30 kunder", "nb"),
    ("Arrangere to kundearrangementer", "nb"),
    ("Sende 5 nyhetsbrev", "nb"),
    ("Sende ut nyhetsbrev hver måned", "nb"),
    ("Møte 20 potensielle kunder", "nb"),
    ("Vi skal skrive ti artikler", "nb"),
    ("Gjennomføre 20 salgssamtaler per uke", "nb"),
    ("10 kundemøter gjennomført", "nb"),
    ("Write five blog posts", "en"),
    ("Hold 10 customer meetings", "en"),
    ("Call 50 customers", "en"),
    ("Attend 3 trade fairs", "en"),
    ("Publish 12 posts on LinkedIn", "en"),
    ("Run 4 workshops", "en"),
    ("Conduct 5 customer interviews", "en"),
    ("Visit 30 customers", "en"),
    ("Organise 2 customer events", "en"),
    ("Organize two webinars", "en"),
    ("Send 5 newsletters", "en"),
    ("Meet 20 prospects", "en"),
    ("Writing ten articles", "en"),
    ("We will post 3 videos a week", "en"),
    ("Do 10 demos", "en"),
    ("Make 50 sales calls", "en"),
    ("Give 5 talks at conferences", "en"),
    ("5 blog posts written", "en"),
    ("Post on LinkedIn twice a week", "en"),
    ("Publishing 8 case studies", "en"),
    ("Conduct 20 sales calls per week", "en"),
]


@pytest.mark.parametrize(("text", "language"), ACTIVITIES)
def test_kr_activity(text, language):
    assert codes(lint_key_result(text, language)) == {"kr_activity"}
    assert codes(lint_key_result(text, None)) == {"kr_activity"}


# Activities without any number: both hints apply.
ACTIVITIES_WITHOUT_NUMBER = [
    ("Jobba med kundnöjdhet", "sv"),
    ("Genomföra kundundersökning", "sv"),
    ("Ha veckomöten med säljteamet", "sv"),
    ("Jobbe med kundetilfredshet", "nb"),
    ("Gjennomføre kundeundersøkelse", "nb"),
    ("Work on customer satisfaction", "en"),
    ("Organise monthly webinars", "en"),
    ("Have weekly meetings with the sales team", "en"),
]


@pytest.mark.parametrize(("text", "language"), ACTIVITIES_WITHOUT_NUMBER)
def test_kr_activity_without_number(text, language):
    assert codes(lint_key_result(text, language)) == {"kr_activity", "kr_not_measurable"}


PENDING = [
    ("NPS på X", "sv"),
    ("NPS på XX", "sv"),
    ("Kundnöjdhet (CSAT) på X", "sv"),
    ("Svarsfrekvens X %", "sv"),
    ("Antal aktiva användare: okänt", "sv"),
    ("Churn ned til XX %", "nb"),
    ("NPS på ? innen utgangen av året", "nb"),
    ("Kundetilfredshet på ?", "nb"),
    ("Svartid på ukjent", "nb"),
    ("NPS of X", "en"),
    ("Churn under X%", "en"),
    ("Net revenue retention of X%", "en"),
    ("Average handling time TBD", "en"),
    ("NPS: tbd", "en"),
]


@pytest.mark.parametrize(("text", "language"), PENDING)
def test_kr_pending_target(text, language):
    assert codes(lint_key_result(text, language)) == {"kr_pending_target"}
    assert codes(lint_key_result(text, None)) == {"kr_pending_target"}


@pytest.mark.parametrize(
    "text",
    [
        "100k organiska visningar av innehåll på XING",
        "Leverera 500 box till kunder",
        "Expand to 3 new markets with 2x revenue",
        "Produktmix 3 x 2 i butik: 40% av försäljningen",
        "Svarstid 24/7 i 95% av fallen",
        "Vad är målet?",
    ],
)
def test_no_pending_target_in_words_or_products(text):
    assert "kr_pending_target" not in codes(lint_key_result(text, None))


ROUTINE_KEY_RESULTS = [
    ("Hantera 500 ärenden i veckan som vanligt", "sv"),
    ("Fakturera 200 kunder i ordinarie drift", "sv"),
    ("Behandle 500 saker i uken som vanlig", "nb"),
    ("Løpende oppfølging av 40 kunder", "nb"),
    ("Handle 500 tickets a week as usual", "en"),
    ("Support 300 users per day as part of daily operations", "en"),
]


@pytest.mark.parametrize(("text", "language"), ROUTINE_KEY_RESULTS)
def test_kr_routine(text, language):
    assert codes(lint_key_result(text, language)) == {"kr_routine"}
    assert codes(lint_key_result(text, None)) == {"kr_routine"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Leverera leads enligt ordinarie rutin", "sv"),
        ("Besvara supportärenden som vanligt", "sv"),
        ("Sköta den dagliga driften av lagret", "sv"),
        ("Fakturere kunder etter fast rutine", "nb"),
        ("Keep doing the monthly payroll as usual", "en"),
    ],
)
def test_kr_routine_without_number(text, language):
    assert codes(lint_key_result(text, language)) == {"kr_routine", "kr_not_measurable"}


# ---------------------------------------------------------------------------
# Messages and hints
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CODES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_has_a_message_in_every_language(code, language):
    text = MESSAGES[code][language]
    assert text.strip()
    rendered = message(code, language, count=6, min=2, max=4, title="Felfri hantering")
    assert "{" not in rendered and "}" not in rendered


@pytest.mark.parametrize("code", sorted(CODES))
def test_messages_are_translated(code):
    texts = MESSAGES[code]
    assert set(texts) == set(LANGUAGES)
    assert len(set(texts.values())) == 3


def test_messages_cover_exactly_the_codes():
    assert set(MESSAGES) == set(CODES)


@pytest.mark.parametrize(
    ("language", "word"),
    [("sv", "åstadkomma"), ("nb", "oppnå"), ("en", "achieve")],
)
def test_hint_message_is_in_the_requested_language(language, word):
    # The organisation's language decides, whatever language the text is in.
    (hint,) = lint_key_result("Skriva fem blogginlägg", language)
    assert hint.code == "kr_activity"
    assert word in hint.message
    assert hint.message == MESSAGES["kr_activity"][language]


def test_activity_message_suggests_a_result():
    assert "10 000 visningar av vårt innehåll" in MESSAGES["kr_activity"]["sv"]


def test_detected_language_is_used_for_messages():
    (hint,) = lint_key_result("More customers in Norway", None)
    assert hint.message == MESSAGES["kr_not_measurable"]["en"]
    (hint,) = lint_key_result("Flere kunder i Norge", None)
    assert hint.message == MESSAGES["kr_not_measurable"]["nb"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv-SE", "sv"), ("no", "nb"), ("nn", "nb"), ("nb_NO", "nb"), ("en-GB", "en"), ("EN", "en")],
)
def test_language_codes_are_normalised(language, expected):
    (hint,) = lint_key_result("Bättre kundnöjdhet", language)
    assert hint.message == MESSAGES["kr_not_measurable"][expected]


def test_unknown_language_falls_back_to_detection():
    (hint,) = lint_key_result("Better customer satisfaction", "de")
    assert hint.message == MESSAGES["kr_not_measurable"]["en"]


def test_hint_is_frozen():
    hint = Hint("kr_activity", "x", "warning")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hint.code = "other"  # type: ignore[misc]
    assert hint.subject is None


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_gets_no_hint(text):
    assert lint_key_result(text, "sv") == []
    assert lint_objective(text, None) == []


# ---------------------------------------------------------------------------
# Language detection
# ---------------------------------------------------------------------------

DETECT = [
    ("Fler kunder i Norge", "sv"),
    ("Bättre kundnöjdhet", "sv"),
    ("Skriva fem blogginlägg", "sv"),
    ("Marknadstest i Norge", "sv"),
    ("50 nya kunder", "sv"),
    ("Rekrytera 2 norska säljare", "sv"),
    ("Vi ska bli bäst på kundservice i Norden", "sv"),
    ("Alla medarbetare förstår strategin", "sv"),
    ("Kunden ska alltid få svar inom en timme", "sv"),
    ("Leverera leads enligt ordinarie rutin", "sv"),
    ("Kommande år vårt starkaste tillväxtår någonsin", "sv"),
    ("NPS på X", "sv"),  # no signal either way: Swedish by default
    ("Flere kunder i Norge", "nb"),
    ("Doble brukerbasen", "nb"),
    ("Skrive fem blogginnlegg", "nb"),
    ("Markedstest i Norge", "nb"),
    ("50 nye kunder", "nb"),
    ("Rekruttere 2 norske selgere", "nb"),
    ("Vi skal bli best på kundeservice i Norden", "nb"),
    ("Alle medarbeidere forstår strategien", "nb"),
    ("Feilfri håndtering", "nb"),
    ("Lage en ny prisstrategi", "nb"),
    ("Hvordan vi jobber sammen", "nb"),
    ("Gjøre det enkelt å være kunde hos oss", "nb"),
    ("More customers in Norway", "en"),
    ("Better customer satisfaction", "en"),
    ("Write five blog posts", "en"),
    ("Market test in Norway", "en"),
    ("50 new customers", "en"),
    ("Increase revenue by 20%", "en"),
    ("Hire 2 Norwegian sales reps", "en"),
    ("Every employee understands the strategy", "en"),
    ("Attend 3 trade fairs", "en"),
    ("Do 10 demos", "en"),
    ("Ship the mobile app", "en"),
]


@pytest.mark.parametrize(("text", "language"), DETECT)
def test_detect_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "123", "!!!", "X"])
def test_detect_language_without_signal_is_swedish(text):
    assert detect_language(text) == "sv"


# ---------------------------------------------------------------------------
# Set-level rules
# ---------------------------------------------------------------------------


def objective(title="Mål", krs=2, parent=True) -> ObjectiveInput:
    return ObjectiveInput(
        title=title, key_result_titles=[f"KR {i}" for i in range(krs)], has_parent=parent
    )


def test_good_team_quarter_gets_no_hint():
    # DPAB's Marknad team, first quarter.
    marknad = [
        ObjectiveInput(
            "Leverera det marknadsmaterial som behövs för säljtester i Norge",
            [
                "Lansera översatt hemsida senast 15/2",
                "Produktkatalog på norska till tryck senast 15/3",
            ],
            has_parent=True,
        ),
        ObjectiveInput(
            "Stärk relationen till våra befintliga kunder",
            [
                "Skicka 3 nyhetsbrev till befintliga kunder med en genomsnittlig "
                "öppningsfrekvens om 60%",
                "10% av våra kunder deltar i ett event vi anordnar under kvartalet",
            ],
            has_parent=True,
        ),
        ObjectiveInput(
            "Bygg förtroende för DPABs leverans på ett sätt som genererar nya kontakter",
            [
                "Ta fram ett kampanjkoncept färdigt att lansera 1 februari",
                "Nå 1000 beslutsfattare med vårt budskap",
                "Generera 100 nya leads genom denna kampanj",
            ],
            has_parent=True,
        ),
    ]
    assert lint_objective_set(marknad, "sv") == []
    assert lint_objective_set(marknad, None) == []


def test_strategic_objectives_need_no_parent():
    strategic = [objective(parent=False) for _ in range(3)]
    assert lint_objective_set(strategic, "sv", level="strategic") == []


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, set()),  # nothing written yet: no hint
        (1, {"too_few_objectives"}),
        (2, set()),
        (4, set()),
        (5, {"too_many_objectives"}),
        (6, {"too_many_objectives"}),
    ],
)
def test_objective_count(count, expected):
    hints = lint_objective_set([objective() for _ in range(count)], "sv")
    assert codes(hints) == expected
    assert all(hint.subject is None for hint in hints)


@pytest.mark.parametrize(
    ("krs", "expected"),
    [
        (0, {"too_few_key_results"}),
        (1, {"too_few_key_results"}),
        (2, set()),
        (5, set()),
        (6, {"too_many_key_results"}),
        (7, {"too_many_key_results"}),
    ],
)
def test_key_result_count(krs, expected):
    hints = lint_objective_set([objective(), objective("Felfri hantering", krs)], "sv")
    assert codes(hints) == expected
    for hint in hints:
        assert hint.subject == 1
        assert "Felfri hantering" in hint.message
        assert str(krs) in hint.message


def test_objective_without_parent_on_team_level():
    hints = lint_objective_set([objective(), objective("Felfri hantering", parent=False)], "en")
    assert [(hint.code, hint.subject) for hint in hints] == [("objective_without_parent", 1)]
    assert hints[0].message.startswith("\u201cFelfri hantering\u201d")
    assert hints[0].severity == "warning"


def test_set_rules_do_not_include_item_hints():
    bad = [objective("30% försäljningstillväxt"), objective("Fler kunder")]
    assert lint_objective_set(bad, "sv") == []


def test_too_many_objectives_message_in_each_language():
    six = [objective() for _ in range(6)]
    for language in LANGUAGES:
        (hint,) = lint_objective_set(six, language)
        assert hint.code == "too_many_objectives"
        assert "6" in hint.message and "2" in hint.message and "4" in hint.message
        assert hint.message == message("too_many_objectives", language, count=6, min=2, max=4)


# ---------------------------------------------------------------------------
# Properties: never raise, only known codes
# ---------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


languages = st.sampled_from(LANGS_AND_DETECT)
# Random text, plus text built from OKR-ish words, digits and symbols so the
# rules' own paths get exercised too.
okr_words = st.sampled_from(
    _words(
        """X XX ? % 15/2 Q1 1 februari 10 000 fem tio to ti one ten skriva skicka hålla
        holde møte meet call post work on med with som that kunder customers möten
        blogginlägg innlegg posts fler flere more bättre senast innen by som vanligt as
        usual löpande rutin TBD okänt MSEK kr $ 2x fördubbla doble double nummer
        genomförda written , . - – «» å ä ö æ ø"""
    )
)
texts = st.one_of(
    st.text(),
    st.lists(okr_words, max_size=12).map(" ".join),
    st.lists(st.one_of(okr_words, st.text(max_size=5)), max_size=12).map(" ".join),
)


def check_hints(hints: list[Hint]) -> None:
    assert isinstance(hints, list)
    for hint in hints:
        assert isinstance(hint, Hint)
        assert hint.code in CODES
        assert hint.severity in ("info", "warning")
        assert hint.message.strip()
    assert len({hint.code for hint in hints}) == len(hints)  # no duplicates


@given(texts, languages)
def test_lint_key_result_never_raises(text, language):
    check_hints(lint_key_result(text, language))


@given(texts, languages)
def test_lint_objective_never_raises(text, language):
    check_hints(lint_objective(text, language))


@given(st.text())
def test_detect_language_always_answers(text):
    assert detect_language(text) in LANGUAGES


@given(
    st.lists(
        st.builds(
            ObjectiveInput,
            title=texts,
            key_result_titles=st.lists(texts, max_size=8),
            has_parent=st.booleans(),
        ),
        max_size=8,
    ),
    languages,
    st.sampled_from(["team", "strategic", "personal"]),
)
def test_lint_objective_set_never_raises(objectives, language, level):
    hints = lint_objective_set(objectives, language, level=level)
    for hint in hints:
        assert hint.code in CODES
        assert hint.subject is None or 0 <= hint.subject < len(objectives)
