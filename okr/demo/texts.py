"""What DPAB's leadership said at its reviews and quarter closes, for the demo. Data only.

The year as docs/dpab.md tells it ("How the year went"): Q1 far from many targets
and Produktion asking for resources; a delivery manager in Q2; close to zero
errors in Q3; a new, cheaper competitor and the larger review of the year in
Q4. okr/demo/history.py writes them.

``REVIEWS[quarter][n]`` are the decisions and notes of the n-th review held in
that quarter: team name (``None``: the strategic OKRs) -> [(kind, text, author)].
A quarter has at most seven biweekly reviews.
"""

from __future__ import annotations

Entries = dict[str | None, list[tuple[str, str, str]]]

REVIEWS: dict[int, list[Entries]] = {
    1: [
        {
            None: [
                ("note", "Alla teams OKR:er sitter nu på anslagstavlan i kontorets kök.", "vilma")
            ],
            "Produktion": [
                ("note", "Vi mäter felsorteringen varje vecka från och med nu.", "pernilla")
            ],
        },
        {
            "Marknad": [
                ("note", "Kampanjkonceptet är klart och lanseras som planerat.", "mats"),
            ],
            "Produktion": [
                (
                    "note",
                    "Felsorteringen har inte minskat än; Pär tar fram siffror per kund.",
                    "pernilla",
                ),
            ],
            "Försäljning": [
                ("decision", "Rekryteringen av norska säljare startar nu, inte i mars.", "vilma"),
            ],
        },
        {
            "Marknad": [
                ("decision", "Översättningen av hemsidan går före nyhetsbrevet.", "vilma"),
            ],
            "Försäljning": [
                (
                    "note",
                    "Faktureringen ligger efter: två stora affärer har skjutits till mars.",
                    "fredrika",
                ),
            ],
            None: [
                (
                    "note",
                    "NPS har fortfarande inget basvärde; Produktion frågar 100 kunder.",
                    "vilma",
                ),
            ],
        },
        {
            "Produktion": [
                (
                    "decision",
                    "Produktion får resurser: vi anställer en leveransansvarig i Q2.",
                    "vilma",
                ),
                ("note", "Rapporten till de 25 största kunderna hinns inte med i Q1.", "pernilla"),
            ],
            "Marknad": [
                ("note", "Hemsidan är lanserad på norska.", "per"),
            ],
        },
        {
            "Marknad": [
                (
                    "decision",
                    "Produktkatalogen flyttas till Q2; den norska säljaren använder hemsidan "
                    "så länge.",
                    "mats",
                ),
            ],
            "Försäljning": [
                (
                    "note",
                    "Planen för merförsäljning är redo; utbildningen i lösningsförsäljning är "
                    "halvvägs.",
                    "fredrika",
                ),
            ],
        },
        {
            None: [
                (
                    "decision",
                    "Varje team tar med en kort återblick på kvartalet till nästa möte.",
                    "vilma",
                ),
            ],
            "Produktion": [
                ("note", "Felsorteringen minskar, men vi är långt från noll.", "pernilla"),
            ],
        },
        {
            None: [
                (
                    "note",
                    "Mycket värdefullt arbete gjordes som inte stod i OKR:erna; vi tar med det "
                    "till nästa kvartal.",
                    "vilma",
                ),
            ],
        },
    ],
    2: [
        {
            "Produktion": [
                (
                    "note",
                    "Vår nya leveransansvariga har börjat och går igenom hela flödet med Pär.",
                    "pernilla",
                ),
            ],
            "Marknad": [
                ("note", "Produktkatalogen på norska är tryckt och hos säljarna.", "mats"),
            ],
        },
        {
            "Marknad": [
                (
                    "decision",
                    "Första nyhetsbrevet går ut nästa vecka; vi följer öppningsfrekvensen per "
                    "kundgrupp.",
                    "mats",
                ),
            ],
            "Försäljning": [
                ("note", "Affärerna som sköts upp i mars är nu fakturerade.", "fredrika"),
            ],
        },
        {
            "Produktion": [
                (
                    "decision",
                    "Felsorterad post följs upp varje dag i stället för varje vecka.",
                    "pernilla",
                ),
            ],
        },
        {
            "Försäljning": [
                (
                    "note",
                    "Merförsäljningen går trögt; vi prövar planen på tio befintliga kunder först.",
                    "johan",
                ),
            ],
            "Marknad": [
                ("note", "Eventet är bokat och inbjudan har gått ut till alla kunder.", "per"),
            ],
        },
        {
            None: [
                (
                    "decision",
                    "Vi håller fast vid 20MSEK; Marknad hjälper Försäljning med kundcase.",
                    "vilma",
                ),
            ],
        },
        {
            "Produktion": [
                ("note", "Andelen post till rätt mottagare ökar varje vecka.", "par"),
            ],
            "Marknad": [
                ("note", "Andra nyhetsbrevet är skickat.", "per"),
            ],
        },
        {
            None: [
                (
                    "note",
                    "Återblick på kvartalet vid nästa möte: vad tar vi med oss?",
                    "vilma",
                ),
            ],
        },
    ],
    3: [
        {
            "Produktion": [
                (
                    "note",
                    "Felsorteringen är nästan noll sedan leveransansvarig kom på plats.",
                    "pernilla",
                ),
            ],
        },
        {
            "Försäljning": [
                ("note", "De norska säljarna har fått sina första kunder.", "fredrika"),
            ],
            "Marknad": [
                (
                    "decision",
                    "Eventet efter sommaren hålls både i Stockholm och i Oslo.",
                    "mats",
                ),
            ],
        },
        {
            None: [
                (
                    "decision",
                    "Teamens OKR-dokument på anslagstavlan uppdateras efter varje avstämning.",
                    "vilma",
                ),
            ],
        },
        {
            "Produktion": [
                ("note", "En hel vecka utan felsorterad post, för första gången.", "par"),
            ],
            "Försäljning": [
                ("note", "Faktureringen till nya kunder ligger före plan.", "fredrika"),
            ],
        },
        {
            "Marknad": [
                ("note", "Tredje nyhetsbrevet är skickat.", "per"),
            ],
        },
        {
            None: [
                (
                    "note",
                    "Teamen som förut skyllde på varandra för sena leveranser förstår nu vad "
                    "de andra kämpar med.",
                    "vilma",
                ),
            ],
        },
        {
            "Försäljning": [
                (
                    "decision",
                    "Utbildningen i lösningsförsäljning fortsätter för de nya säljarna.",
                    "fredrika",
                ),
            ],
        },
    ],
    4: [
        {
            None: [
                (
                    "note",
                    "En ny konkurrent erbjuder en liknande tjänst till ett mycket lägre pris: "
                    "de har automatiserat brevhanteringen.",
                    "vilma",
                ),
            ],
        },
        {
            "Produktion": [
                (
                    "decision",
                    "Produktion utreder hur mer av brevhanteringen kan automatiseras.",
                    "pernilla",
                ),
            ],
            "Försäljning": [
                ("note", "Två kunder har frågat om konkurrentens priser.", "fredrika"),
            ],
        },
        {
            "Marknad": [
                ("note", "Eventet samlade fler kunder än förra gången.", "per"),
            ],
        },
        {
            None: [
                (
                    "decision",
                    "Vilma samlar ledningen till en större genomgång av årets arbete i december.",
                    "vilma",
                ),
            ],
        },
        {
            "Försäljning": [
                ("note", "Fler norska kunder: vi närmar oss årets mål.", "fredrika"),
            ],
            "Produktion": [
                ("note", "Felfri hantering håller i sig.", "pernilla"),
            ],
        },
        {
            None: [
                (
                    "decision",
                    "Vi behåller metoden och prövar individuella OKR:er nästa år.",
                    "vilma",
                ),
            ],
        },
        {
            None: [
                ("note", "Nästa års strategi utgår från den nya konkurrenten.", "vilma"),
            ],
        },
    ],
}

# quarter -> team -> what the team learnt (written when the quarter is closed).
RETROSPECTIVES: dict[int, dict[str, str]] = {
    1: {
        "Produktion": "Vi såg tidigt att vi skulle missa felfri hantering och bad om resurser; "
        "en leveransansvarig börjar i Q2.",
        "Marknad": "Mycket värdefullt arbete gjordes utanför OKR:erna. Nästa kvartal: färre mål, "
        "och resultat i stället för aktiviteter.",
        "Försäljning": "Nya kunder kom sent i kvartalet; vi följer upp pipelinen varannan vecka.",
    },
    2: {
        "Produktion": "Med en leveransansvarig på plats minskade felsorteringen; vi fortsätter "
        "mot felfri hantering.",
        "Marknad": "Nyhetsbreven fungerade; eventet behövde mer tid. Färre aktiviteter, mer "
        "uppföljning.",
        "Försäljning": "De uppskjutna affärerna kom in; merförsäljningen behöver en tydligare plan.",
    },
    3: {
        "Produktion": "Vi kom mycket nära felfri hantering. Nu gäller det att hålla nivån.",
        "Marknad": "Kunderna öppnar nyhetsbreven, och eventet nådde fler än vi trodde.",
        "Försäljning": "Norge har börjat ge kunder; säljstrategierna där behöver valideras.",
    },
    4: {
        "Produktion": "Felfri hantering höll hela kvartalet. Konkurrensen gör att vi måste "
        "automatisera mer.",
        "Marknad": "Starkare relation till kunderna, men vi mäter ännu inte effekten på churn.",
        "Försäljning": "Bästa kvartalet hittills för nya kunder; merförsäljningen halkade efter.",
    },
}

# Leadership's note on a closed year (docs/dpab.md: "en större genomgång av årets arbete").
YEAR_RETROSPECTIVE = (
    "Vilma samlade ledningen till en större genomgång av årets arbete. Vi har behållit metoden "
    "och har redan påbörjat diskussionen om hur det skulle kunna se ut med individuella OKRer "
    "på prov."
)
