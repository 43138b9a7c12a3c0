"""Blueprint `guides`: the pages that lead people to what they need, by who they are.

/for/<audience> ("I am a ..."): an audience's key publications and a search filtered to it. It
also builds the families page's sections, one per situation a family may be in (pages.families
renders them). Every heading is marked for translation. May import: flask, flask_babel, library, params, index_access.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response

from library.facets import selected
from library.index import LibraryIndex
from library.models import MAX_PER_PAGE, SearchHit, SearchRequest, Sort
from library.search import search
from webapp.index_access import get_index

bp = Blueprint("guides", __name__)

FAMILY_AUDIENCE = "families"
FAMILY_TYPES = ("guide", "fact-sheet", "checklist")
# The "I am a ..." entries of the home page, in the order people look for them: audience id ->
# (what the reader says of themselves, the heading of their page).
AUDIENCE_ENTRIES = {
    "families": (
        lazy_gettext("I am a parent or family member"), lazy_gettext("For families"),
    ),
    "law-enforcement": (
        lazy_gettext("I work in law enforcement"), lazy_gettext("For law enforcement"),
    ),
    "prosecutors": (lazy_gettext("I am a prosecutor"), lazy_gettext("For prosecutors")),
    "child-welfare": (
        lazy_gettext("I work in child protection"), lazy_gettext("For child protection"),
    ),
    "medical": (
        lazy_gettext("I am a medical provider"), lazy_gettext("For medical providers"),
    ),
    "advocacy-centers": (
        lazy_gettext("I work at a children's advocacy center"),
        lazy_gettext("For children's advocacy centers"),
    ),
    "educators": (lazy_gettext("I am an educator"), lazy_gettext("For educators")),
}  # fmt: skip
# What to read first: practical tools, then training, then everything else by date.
KEY_TYPES = ("checklist", "guide", "fact-sheet")
TRAINING_TYPES = ("training", "webinar")
KEY_COUNT = 6
SITUATION_COUNT = 4


@dataclass(frozen=True, slots=True)
class Situation:
    """A section of the families page: the situation, and how to find its guides."""

    anchor: str
    heading: str  # lazy strings: translated when rendered
    advice: str
    topics: tuple[str, ...]
    words: str  # ranking words: they order the section's guides, the topic picks them


SITUATIONS = (
    Situation(
        "missing-now",
        lazy_gettext("My child is missing right now"),
        lazy_gettext(
            "Call 911 first: there is no waiting period. Then call 1-800-THE-LOST. "
            "These guides walk you through the first hours and days."
        ),
        ("missing-investigations",),
        "first 48 hours what to do child is missing primeras horas",
    ),
    Situation(
        "came-home",
        lazy_gettext("My child has come home"),
        lazy_gettext("What to expect in the first meeting, the first days and the months after."),
        ("recovery-reunification",),
        "child comes home reunification regresa a casa",
    ),
    Situation(
        "ran-away",
        lazy_gettext("My teen has run away"),
        lazy_gettext("Report it right away: a teen who runs away is a missing child."),
        ("runaway-youth",),
        "teen runs away runaway se va de casa",
    ),
    Situation(
        "taken-by-parent",
        lazy_gettext("My child was taken by a parent or relative"),
        lazy_gettext("Custody orders, the courts and children taken to another country."),
        ("abduction",),
        "family abduction parent custody hague",
    ),
    Situation(
        "threatened-online",
        lazy_gettext("Someone is threatening my child online"),
        lazy_gettext(
            "Do not pay and do not delete the messages. Here is what to do, step by step."
        ),
        ("exploitation",),
        "sextortion threatened online images sextorsión",
    ),
    Situation(
        "sibling-missing",
        lazy_gettext("A brother or sister is missing"),
        lazy_gettext("Help for the other children in the family, and for you."),
        ("victim-support",),
        "brother sister siblings other children",
    ),
)


def family_sections(lib: LibraryIndex, lang: str) -> list[tuple[Situation, tuple[SearchHit, ...]]]:
    """Each situation with its family guides, those in the page's language first."""
    sections = []
    for situation in SITUATIONS:
        result = search(
            lib,
            SearchRequest(
                q=situation.words,
                per_page=SITUATION_COUNT * 2,
                facets=selected(
                    topic=situation.topics, audience=(FAMILY_AUDIENCE,), type=FAMILY_TYPES
                ),
            ),
        )
        hits = sorted(result.hits, key=lambda hit: hit.language != lang)  # stable: rank kept
        sections.append((situation, tuple(hits[:SITUATION_COUNT])))
    return sections


def all_family_guides(lib: LibraryIndex, lang: str) -> tuple[SearchHit, ...]:
    """Every guide, fact sheet and checklist for families in one language, by title."""
    request = SearchRequest(
        sort=Sort.TITLE,
        per_page=MAX_PER_PAGE,
        facets=selected(audience=(FAMILY_AUDIENCE,), type=FAMILY_TYPES, language=(lang,)),
    )
    return search(lib, request).hits


@bp.get("/for/<audience>")
def audience(audience: str) -> str | Response:
    """An audience's key publications, its training, its newest, and a search filtered to it."""
    lib = get_index()
    if audience not in lib.vocabulary.audiences:
        abort(404)
    chosen = (audience,)
    if audience == FAMILY_AUDIENCE:
        return redirect(url_for("pages.families"))
    key = search(
        lib,
        SearchRequest(
            sort=Sort.NEWEST, per_page=KEY_COUNT, facets=selected(audience=chosen, type=KEY_TYPES)
        ),
    )
    training = search(
        lib,
        SearchRequest(
            sort=Sort.NEWEST, per_page=4, facets=selected(audience=chosen, type=TRAINING_TYPES)
        ),
    )
    newest = search(
        lib, SearchRequest(sort=Sort.NEWEST, per_page=KEY_COUNT, facets=selected(audience=chosen))
    )
    heading = AUDIENCE_ENTRIES.get(audience, (None, None))[1]
    return render_template(
        "audience.html", audience=audience, heading=heading, key=key, training=training,
        newest=newest,
        vocab=lib.vocabulary,
    )  # fmt: skip
