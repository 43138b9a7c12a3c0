"""The README's JSON API example is what the bundled corpus answers."""

from __future__ import annotations

import json
import re

from library.index import LibraryIndex
from library.models import SearchRequest, document_url
from library.search import search
from tests.test_docs import README


def test_the_api_example_is_what_the_bundled_corpus_answers(corpus_lib: LibraryIndex) -> None:
    """The README's /api/search example: its counts and first result, from a real search."""
    after = README.split("`GET /api/search?q=amber+alert` on the bundled corpus:", 1)[1]
    example = after.split("```json", 1)[1].split("```", 1)[0]
    shown = {
        key: json.loads(value)
        for key, value in re.findall(r'"(total|partial|fallback|query)": ([^,}]+)', example)
    }
    found = search(corpus_lib, SearchRequest(q="amber alert")).to_dict(document_url)
    assert shown == {key: found[key] for key in shown}
    assert len(shown) == 4
    assert f'"id": "{found["results"][0]["id"]}"' in example
    assert f'"score": {found["results"][0]["score"]}' in example
