"""The coach's per-language word lists and patterns (Swedish, Norwegian bokmål, English).

Data only: the checks that read them live in ``okr.coach.rules``. Each list
says why it exists; the texts are lowercased before they are matched.
"""

from __future__ import annotations

import re
from typing import Final

from okr.coach.messages import Language


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string (easier to read and edit than a list)."""
    return frozenset(text.split())


# Function words and frequent OKR words that only one of the three languages
# uses (words shared by Swedish and Norwegian, like "på", "med", "vi", "kunder",
# are left out: they do not tell the two apart, the letters do).
LANG_WORDS: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set(
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
    "nb": word_set(
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
    "en": word_set(
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
SHARED_WORDS: Final[frozenset[str]] = frozenset(
    (LANG_WORDS["sv"] & LANG_WORDS["nb"])
    | (LANG_WORDS["sv"] & LANG_WORDS["en"])
    | (LANG_WORDS["nb"] & LANG_WORDS["en"])
)

# Spelling that belongs to one language: ä/ö are Swedish, æ/ø Norwegian
# (å is both); Norwegian writes "hv-", "gj-", "kj-", "-sjon", "-kk", "-ere"
# verbs and "-ene" plurals; Swedish "-ck", "-era" verbs and "-arna/-erna/-orna"
# plurals; English "th", "w", "ea/ou/ee", "-ing", "-ed", "-ly".
SPELLING: Final[tuple[tuple[re.Pattern[str], Language, float], ...]] = (
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

# Number words per language. A token counts when it is made up of these parts
# ("tvåhundra", "tjuefem", "twenty-five"). The indefinite articles that double
# as "one" (sv en/ett, nb en/ei/et) are kept apart: they are weak evidence.
NUMBER_PARTS: Final[dict[Language, str]] = {
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
NUMBER_WORD_RE: Final[dict[Language, re.Pattern[str]]] = {
    lang: re.compile(rf"(?:{parts})(?:-?(?:{parts}))*") for lang, parts in NUMBER_PARTS.items()
}

# Tokens the number regex would accept that are not numbers on their own.
NOT_NUMBERS: Final = frozenset({"en", "ett", "og", "and", "ei", "et", "one"})

# Articles that also mean "one" (weak evidence) and words for "all"/"none"
# (100% / 0%: measurable, unless the text is only a vague comparison).
WEAK_QUANTITY: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set("en ett alla samtliga varje noll ingen inga inget"),
    "nb": word_set("en ei et ett alle samtlige hver null ingen ingenting"),
    "en": word_set("a an one all every each zero no none"),
}

# Multipliers: "fördubbla antalet leads" is measurable (2x the baseline).
MULTIPLIERS: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set(
        """fördubbla fördubblas fördubblad fördubblat dubbla dubblera tredubbla halvera
        halveras halverad halverat hälften halva"""
    ),
    "nb": word_set(
        """doble dobles doblet dobling fordoble fordoblet tredoble halvere halveres halvert
        halvering halvparten"""
    ),
    "en": word_set("double doubled doubling triple tripled halve halved halving half twice"),
}
MONTHS: Final = (
    r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
    r"november|december|januar|februar|mai|august|desember|january|february|march|"
    r"june|july|october"
)
MONTH_ABBR: Final = r"jan|feb|mar|apr|jun|jul|aug|sept?|okt|oct|nov|dec|des|may"

# Dates and periods: "15/2", "2025-03-01", "15.2.", "1 februari", "1. mars",
# "March 1st", "Q1", "H2", "K3", "T1" (tertial), "vecka 12", "uke 12".
DATE_RES: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"(?<!\d)\d{1,2}\s?/\s?\d{1,2}(?:\s?/\s?\d{2,4})?(?![\d%])"),
    re.compile(r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)"),
    re.compile(r"(?<!\d)\d{1,2}\.\d{1,2}\.(?:\d{2,4})?(?![\d%])"),
    re.compile(
        rf"(?<!\d)\d{{1,2}}(?:\.|:e|:a|st|nd|rd|th)?\s?(?:of\s)?(?:{MONTHS}|{MONTH_ABBR})\b\.?"
    ),
    re.compile(rf"\b(?:{MONTHS}|{MONTH_ABBR})\.?\s\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s?%)"),
    re.compile(r"\b(?:q|h|k|kv|t)\s?[1-4]\b(?:\s?[-/]\s?\d{2,4}\b|\s20\d{2}\b)?"),
    re.compile(r"\b(?:vecka|vecko|veckan|v\.|uke|uka|week|wk)\s?\d{1,2}\b"),
)
MONTH_RE: Final = re.compile(rf"\b(?:{MONTHS})\b")

# A deadline without a date: "innan året är slut", "before summer", "by year
# end", "i slutet av kvartalet", "innen utgangen av året".
TIME_WORDS: Final = (
    r"år|året|årets|årsskiftet|års|kvartal|kvartalet|kvartalets|månaden|månadens|"
    r"veckan|sommaren|sommar|hösten|våren|vintern|jul|julen|påsk|påsken|midsommar|"
    r"måned|måneden|uke|uken|sommeren|høsten|vinteren|påske|nyttår|year|year-end|"
    r"years|quarter|month|week|summer|autumn|fall|spring|winter|christmas|easter"
)
DEADLINE_RE: Final = re.compile(
    rf"\b(?:senast|innan|före|till|by|before|until|innen|før|ved|"
    rf"slutet av|slutten av|utgangen av|end of)\s(?:\w+\s){{0,3}}?(?:{TIME_WORDS})\b"
)

# A 4-digit year used as a period ("i 2025", "by 2026", "2025/26").
YEAR_RE: Final = re.compile(
    r"(?:\b(?:i|in|under|during|för|for|år|året|year|till|by|innen|senast|"
    r"before|innan|før|före|of|av|end|until)\s)(?:(?:\w+\s)?)(?:19|20)\d{2}"
    r"(?:\s?[-/–]\s?\d{2,4})?\b(?!\s?[%\w])|\b(?:19|20)\d{2}\s?$"
)

# A span of time, a period not a quantity: "inom 3 år", "in 2 years".
SPAN_RE: Final = re.compile(
    r"\b\d+\s?(?:år|års|månader|månaders|månad|veckor|dagar|kvartal|years?|months?|"
    r"weeks?|days?|quarters?|måneder|måneders|uker|dager)\b"
)

# Names with numbers in an objective: a rank ("bli nummer 1", "#1", "number
# one"), a standard ("ISO 27001") or a version ("DPAB 2.0", "version 3").
NAME_NUMBER_RE: Final = re.compile(
    r"(?:nummer|number|nr\.?|no\.)\s?(?:1|ett|en|én|one)\b|#\s?1\b|"
    r"\b(?:iso|iec|sis)\s?\d+(?:[-:]\d+)*|\b(?:version|versjon|v)\s?\d+(?:\.\d+)*|"
    r"\b\d+\.0\b(?!\s?%)"
)
PERCENT_RE: Final = re.compile(r"%|\b(?:procent|prosent|percent|per cent|procentenheter)\w*")
CURRENCY_RE: Final = re.compile(
    r"\d\s?(?:[mkt]?(?:sek|nok|eur|usd|kr)\b|kr\.?|kronor|kroner|miljoner|millioner|"
    r"million|mill?\.?\b|mnkr|mkr|tkr|mn\b|mio\b|bn\b|[k]\b)|[$€£]\s?\d"
)

# A placeholder target: a standalone X / XX / ? / TBD / "okänt" ("NPS på X").
# Letters or digits on either side make it a word ("XING", "box") or a
# product ("3 x 2"), not a placeholder.
PENDING_RE: Final = re.compile(
    r"(?<![\w\-])(?:x{1,3}|tbd|tba|t\.b\.d\.?|okänt|okänd|ukjent|unknown|n/a)(?![\w]|-\w)"
    r"|(?<![\w?])\?{1,3}(?![\w?])"
)
PRODUCT_RE: Final = re.compile(r"\d\s?x\s?\d|\d\s?x\b")

# "Fler kunder", "better satisfaction": a direction without a size. Such a
# text is not measurable even with a date or "all" in it.
VAGUE: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set(
        """fler flera mer mera bättre högre större ökad ökat ökade ökande ökning förbättrad
        förbättrat förbättrade förbättring färre mindre lägre snabbare starkare bredare
        nöjdare gladare effektivare enklare tydligare öka höja minska sänka förbättra
        stärka utöka utveckla maximera optimera"""
    ),
    "nb": word_set(
        """flere mer mere bedre høyere større økt økte økende økning forbedret forbedrede
        forbedring færre mindre lavere raskere sterkere bredere fornøydere gladere mer-
        effektiv enklere tydeligere øke heve redusere senke forbedre styrke utvide
        utvikle maksimere optimalisere"""
    ),
    "en": word_set(
        """more better higher greater bigger larger increased improved improving increasing
        fewer less lower faster stronger wider happier easier clearer increase raise
        reduce decrease improve strengthen grow boost enhance growth improvement
        maximise maximize optimise optimize develop"""
    ),
}

# Routine work: "enligt ordinarie rutin", "som vanligt", "business as usual",
# "ordinær drift", "løpende" (but "löpande 12 månader" is a rolling window).
ROUTINE_RES: Final[dict[Language, re.Pattern[str]]] = {
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

# Verbs that name an activity, in the forms a key result starts with
# (infinitive, imperative, present; English base and -ing form). With
# them a key result says what the team will *do*, not what will be true.
ACTIVITY_VERBS: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set(
        """skriva skriv skriver genomföra genomför ringa ringer skicka skickar delta
        deltaga deltar arrangera arrangerar anordna anordnar publicera publicerar göra
        gör träffa träffar besöka besöker jobba jobbar arbeta arbetar posta postar
        blogga bloggar mejla mejlar maila mailar kontakta kontaktar närvara medverka"""
    ),
    "nb": word_set(
        """skrive skriv skriver gjennomføre gjennomfør gjennomfører ringe ringer sende
        sender delta deltar arrangere arrangerer publisere publiserer gjøre gjør besøke
        besøker jobbe jobber arbeide arbeider poste poster blogge kontakte kontakter
        treffe treffer"""
    ),
    "en": word_set(
        """write writing conduct conducting attend attending organise organize organising
        organizing arrange arranging publish publishing blog blogging email emailing
        e-mail contact contacting participate participating host hosting send sending do
        doing calling visiting posting"""
    ),
}

# Verbs that are an activity only with an activity object: "hålla 10
# kundmöten" but "hålla churn under 5%", "run 4 workshops" but "run costs".
ACTIVITY_VERBS_WITH_OBJECT: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set(
        """hålla håll håller ha har ta tar köra kör producera producerar skapa skapar
        ordna ordnar ge ställa"""
    ),
    "nb": word_set(
        """holde hold holder ha har ta tar kjøre kjør produsere produserer lage lag skape
        gi stille"""
    ),
    "en": word_set(
        """hold holding have having run running make making produce producing create
        creating give giving present presenting deliver delivering"""
    ),
}

# Forms that are also nouns ("besök på hemsidan", "møte med styret", "post",
# "work"): verbs only when a count, an article or a person follows.
ACTIVITY_VERBS_AMBIGUOUS: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set("besök ring möt möta"),
    "nb": word_set("besøk ring møt møte send post jobb"),
    "en": word_set("call visit post meet meeting work working"),
}

# What may follow an ambiguous verb form for it to be a verb.
VERB_FOLLOWERS: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set("en ett alla våra varje nya befintliga potentiella kunder kunderna"),
    "nb": word_set("en ei et alle våre hver nye eksisterende potensielle kunder kundene"),
    "en": word_set(
        """a an all our every each new existing potential prospects customers clients on
        with"""
    ),
}

# "Meet" a target is a result ("meet 99% of SLA deadlines").
MEET_FORMS: Final = word_set("meet meeting möt möta møt møte")

# "Work" is an activity in "work on X" / "jobb med X", a noun otherwise.
WORK_FORMS: Final = word_set("work working jobb")
MEET_TARGET_RE: Final = re.compile(
    r"\b(?:sla|target|deadline|requirement|expectation|goal|standard|quota|demand|"
    r"budget|kpi|krav|mål|förväntning|forventning)\w*"
)

# Nouns for what an activity produces or is: meetings, posts, events, calls.
# Swedish and Norwegian build compounds ("kundmöten", "blogginnlegg"), so the
# stem may end a longer word.
ACTIVITY_NOUN_RES: Final[dict[Language, re.Pattern[str]]] = {
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
OUTPUT_NOUN_RES: Final[dict[Language, re.Pattern[str]]] = {
    "sv": re.compile(r"\w*(?:inlägg|nyhetsbrev|artikel|artiklar|videor|poddavsnitt|utskick)"),
    "nb": re.compile(r"\w*(?:innlegg|nyhetsbrev|artikkel|artikler|videoer|podkaster|utsendelser)"),
    "en": re.compile(
        r"(?:posts|blogposts|newsletters|articles|videos|podcasts|mailings|mailshots)"
    ),
}

# Past participles of activity verbs: "10 kundmöten genomförda", "five blog
# posts written" say the same as the bare activity.
ACTIVITY_PARTICIPLES: Final[dict[Language, frozenset[str]]] = {
    "sv": word_set(
        """skriven skrivet skrivna hållen hållet hållna hållits genomförd genomfört
        genomförda genomförts publicerad publicerat publicerade publicerats skickad
        skickat skickade skickats ringd ringt ringda arrangerad arrangerat arrangerade
        anordnad anordnat anordnade besökt besökta gjord gjort gjorda postad postat
        postade"""
    ),
    "nb": word_set(
        """skrevet skrevne holdt gjennomført gjennomførte publisert publiserte sendt sendte
        ringt arrangert arrangerte besøkt besøkte gjort postet"""
    ),
    "en": word_set(
        """written held conducted published sent made done organised organized arranged
        visited posted attended hosted"""
    ),
}

# Words before the verb that do not change it: "vi ska", "we will", "att", "å".
LEAD_FILLERS: Final = word_set("vi ska skall skal we will shall we'll att å to i minst at least")

# What turns an activity into a result: an outcome after it ("med en
# genomsnittlig öppningsfrekvens om 60%", "that generate 100 leads").
OUTCOME_RE: Final = re.compile(
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
OUTCOME_LINKS: Final = word_set(
    """med with som that which vilket hvilket ger gir giving generating resulting
    leading där der where"""
)

# A change verb with "by/med" and a number: "Öka omsättningen med 20 MSEK".
CHANGE_BY_RE: Final = re.compile(
    r"\b(?:öka|höja|minska|sänka|växa|øke|heve|redusere|senke|vokse|increase|grow|raise|"
    r"reduce|cut|decrease|lower|boost)\w*\s(?:\w+\s){0,4}(?:med|by|with)\s(?:\w+\s)?\d"
)

# Words that may come before the number of a metric: "minst 50 nya kunder".
METRIC_LEADS: Final = word_set(
    """minst över mer än cirka ca drygt nå uppnå få totalt minimum min oppnå mer enn
    over omtrent rundt at least more than about around reach achieve get hit total"""
)
