"""What the synthetic corpus and the query set are made of: fixed word lists (common English and
Spanish words, roughly by frequency, and terms of the program's field) and the seeded Lexicon
built from them and the vocabulary (Zipfian background words, phrases per topic and audience).

May import: library.vocab.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from library.vocab import Vocabulary

TAIL_WORDS = 40_000  # pseudo-words after the real ones: the Zipfian long tail
ZIPF_S, ZIPF_Q = 1.1, 2.7  # Zipf-Mandelbrot: weight of rank r is 1 / (r + q) ** s


def _split(text: str) -> list[str]:
    """The whitespace-separated words of a block of text."""
    return text.split()


def _phrases(text: str) -> list[str]:
    """The '|'-separated phrases of a block of text, with spaces tidied."""
    return [" ".join(p.split()) for p in text.split("|") if p.strip()]


# The head of the Zipfian background, most frequent first; the tail is seeded pseudo-words.
ENGLISH = _split(
    """
the of and to a in is that for it as was with be by on not he this are or his from at which but
have an they you were her she there been one all we their has would when if so no will more can
who them what some do other its about out into than then only time may these could any also two
first new like our after most made over such where many used must through years back much should
well people even because good each those how just very between same both state under while still
life last own great long work world part year day years way information program school family
children child parents community training services support public report local national place
another against during without before high right case system group number often however small
area around end important point government different help best law local young given large every
water home order second later less several need able come early office program period found
however fact within among form family health service plan next set put human per become member
whether local present along problem open possible house country power since number law hand
general social level days per across give until rather among side making almost enough taken
process research policy experience study interest practice available major told going though
history action example name various further personal following ways together thing approach
agency agencies staff role team teams response information efforts resources practices based
provide provided provides including include includes within issues issue need needs current
key early data results review staff individual use used using develop development identify
identified ensure efforts related specific particular across support supported supports areas
federal state states county city tribal community communities partner partners partnership
jurisdiction jurisdictions department departments office offices officer officers contact
contacts report reports reported reporting record records question questions answer answers
time times week weeks month months hour hours minute minutes morning evening night today
policy policies procedure procedures protocol protocols guidance guideline guidelines standard
standards model models framework frameworks strategy strategies goal goals outcome outcomes
measure measures evaluation evaluations assessment assessments survey surveys finding findings
recommendation recommendations lesson lessons challenge challenges barrier barriers gap gaps
opportunity opportunities priority priorities step steps phase phases stage stages task tasks
meeting meetings session sessions conference conferences workshop workshops presentation
participant participants speaker speakers panel panels audience audiences attendee attendees
school schools teacher teachers student students classroom classrooms parent parents caregiver
caregivers guardian guardians relative relatives friend friends neighbor neighbors adult adults
youth young person persons individual individuals victim victims survivor survivors witness
witnesses suspect suspects offender offenders family families home homes household households
phone phones call calls message messages text texts email emails website websites online
internet app apps platform platforms account accounts profile profiles image images video videos
photo photos device devices computer computers network networks social media post posts
safety safe risk risks danger dangerous concern concerns harm harmful threat threats warning
signs sign behavior behaviors change changes pattern patterns history background context
legal court courts judge judges attorney attorneys law laws statute statutes rule rules order
orders custody agreement agreements document documents file files form forms copy copies
medical health mental physical emotional care treatment therapy counseling provider providers
hospital hospitals clinic clinics doctor doctors nurse nurses exam exams evidence examination
investigation investigations investigator investigators detective detectives agent agents
patrol supervisor supervisors command commander chief sheriff deputy deputies dispatcher
dispatch center centers hotline hotlines line lines number numbers resource resources tool
tools guide guides checklist checklists sheet sheets brochure brochures poster posters kit
kits packet packets manual manuals curriculum curricula course courses module modules lesson
immediately quickly carefully clearly directly together early late often always never usually
sometimes rarely already soon again also only just even still yet almost nearly about around
"""
)

ENGLISH_STOP = frozenset(
    _split(
        """a an and are as at be but by for from has have he her his if in into is it its no not of on
    or our she so than that the their them then there these they this those to was we were what
    when where which while who will with would you your can could may should must do does did
    been being had how i me my all any each other some such only own same also just very"""
    )
)

SPANISH = _split(
    """
de la que el en y a los se del las un por con no una su para es al lo como más pero sus le ya o
este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos
durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro
otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo
nosotros niño niña niños niñas hijo hija hijos familia familias padre madre padres escuela
policía caso casos ayuda apoyo información programa servicios comunidad seguridad riesgo
persona personas joven jóvenes adulto adultos tiempo día días semana horas año años país estado
gobierno ley leyes tribunal juez agencia oficina centro llamada teléfono mensaje foto fotos
internet redes sociales cuenta cuentas video imagen imágenes dispositivo escuela maestro
maestros estudiante estudiantes salud médico médica hospital atención cuidado emocional
consejo consejos guía hoja recursos pasos paso plan preguntas pregunta respuesta respuestas
importante necesario posible primero primera siguiente nuevo nueva mismo misma cada otro
hacer puede pueden debe deben tiene tienen hablar llamar buscar encontrar proteger ayudar saber
"""
)

# Phrases of the field beyond the vocabulary's own keywords and synonyms (English, then Spanish).
DOMAIN_EN = _phrases(
    """
law enforcement agency | child advocacy center | multidisciplinary team | case manager |
missing persons unit | investigative lead | juvenile justice | victim notification |
national center for missing and exploited children | office of juvenile justice |
department of justice | grant program | technical assistance | training curriculum |
interagency agreement | mutual aid | command post | canvass the neighborhood |
last known location | physical description | recent photograph | cell phone records |
digital evidence | search warrant | chain of custody | crime scene | field interview |
risk assessment | safety planning | trauma response | family liaison | media release |
public information officer | tip line | community volunteers | search and rescue |
child protective services | foster care | group home | school resource officer |
attendance records | social worker | court appointed advocate | protective order |
immigration status | tribal police | state clearinghouse | regional task force |
internet crimes against children | peer review | case review | after action report |
lessons learned | best practices | promising practices | data collection | case study
"""
)

DOMAIN_ES = _phrases(
    """
agencia de policía | centro de defensa infantil | equipo multidisciplinario |
fotografía reciente | descripción física | última ubicación conocida | línea de ayuda |
servicios de protección infantil | orden de protección | plan de seguridad |
apoyo a la familia | trabajador social | información para padres | recursos comunitarios
"""
)

SYLLABLES = _split(
    """
ba be bi bo bu ca ce co cu da de di do du fa fe fi fo ga ge go ha he hi ho ka ke ki la le li
lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu
va ve vi vo za zo bra bre bri cla cle cli dra dre fra fre gra gre pla ple pra pre pri tra tre
tri sta ste sti sto stra an en in on un ar er ir or ur al el il ol ul as es is os us
"""
)

ENDINGS = _split("n r s t l m nd nt rt st ng ck th ss x")

SITE_LINKS = (
    "Home", "About the Program", "Publications", "Training", "Events", "For Families",
    "Contact Us", "Site Map", "Privacy Policy", "Accessibility", "FOIA", "Español",
)  # fmt: skip

SEASONS = ("Spring", "Summer", "Fall", "Winter")


@dataclass(frozen=True, slots=True)
class Language:
    """A background vocabulary with cumulative Zipf weights, and general domain phrases."""

    code: str
    words: tuple[str, ...]
    cum_weights: tuple[float, ...]
    general: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything a document is drawn from."""

    languages: dict[str, Language]
    phrases: dict[tuple[str, str, str], tuple[str, ...]]  # (kind, term id, lang) -> phrases
    labels: dict[tuple[str, str], str]  # (kind, term id) -> label
    topic_weights: dict[str, float]
    audience_weights: dict[str, float]


def build_lexicon(vocab: Vocabulary, seed: int) -> Lexicon:
    """Background vocabularies, per-term phrases and facet weights from the vocabulary."""
    tail = _pseudo_words(random.Random(f"{seed}:tail"), TAIL_WORDS)
    phrases: dict[tuple[str, str, str], tuple[str, ...]] = {}
    labels: dict[tuple[str, str], str] = {}
    for kind in ("topics", "audiences", "types"):
        for term in vocab.kind(kind).values():
            labels[kind, term.id] = term.label
            found = [k for k, _w in term.keywords] + list(term.synonyms) + [term.label.lower()]
            for lang in ("en", "es"):
                phrases[kind, term.id, lang] = tuple(
                    p for p in found if is_spanish(p) == (lang == "es")
                ) or (term.label.lower(),)
    extra = [s for s, _ in vocab.acronyms] + [x for group in vocab.equivalents for x in group]
    languages = {
        "en": _language("en", ENGLISH, tail, DOMAIN_EN + [p for p in extra if not is_spanish(p)]),
        "es": _language("es", SPANISH, tail, DOMAIN_ES + [p for p in extra if is_spanish(p)]),
    }
    topics = list(vocab.topics)
    audiences = list(vocab.audiences)
    return Lexicon(
        languages=languages,
        phrases=phrases,
        labels=labels,
        topic_weights={t: 1 / (i + 1.5) for i, t in enumerate(topics)},
        audience_weights={a: 1 / (i + 1.0) ** 0.7 for i, a in enumerate(audiences)},
    )


_SPANISH_MARKS = frozenset(("de", "la", "el", "los", "las", "del", "en", "su", "para", "una",
                            "trata", "secuestro", "fugado", "denuncia", "alerta", "alertas"))  # fmt: skip


def is_spanish(phrase: str) -> bool:
    """True for a Spanish phrase (accents or Spanish function words)."""
    return any(c in "áéíóúñ¿¡" for c in phrase) or bool(_SPANISH_MARKS & set(phrase.split()))


def _language(code: str, head: list[str], tail: list[str], general: list[str]) -> Language:
    """Real words first, pseudo-words after, with cumulative Zipf-Mandelbrot weights."""
    words = tuple(dict.fromkeys(head + tail))
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / (rank + ZIPF_Q) ** ZIPF_S
        cum.append(total)
    return Language(code, words, tuple(cum), tuple(p.strip() for p in general if p.strip()))


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Pronounceable made-up words of 2-4 syllables."""
    seen: dict[str, None] = {}
    while len(seen) < count:
        word = "".join(rng.choices(SYLLABLES, k=rng.choice((2, 2, 3, 3, 3, 4))))
        seen[word + (rng.choice(ENDINGS) if rng.random() < 0.4 else "")] = None
    return list(seen)
