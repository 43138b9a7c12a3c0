"""Fixtures of the Solr tests: one SolrCloud harness per session, and a 2x2 collection of documents.

Without Java the Solr tests are skipped, unless MECP_REQUIRE_SOLR=1 (CI sets it), which makes a
missing harness a failure: CI must not pass with the Solr tests skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from library.models import Document
from library.solr.admin import SolrAdmin, new_collection_name
from library.solr.client import SolrClient
from library.solr.configset import build_configset
from library.solr.fields import to_solr
from library.vocab import load_vocabulary
from tests.conftest import VOCABULARY
from tests.solr.harness import REQUIRE, Harness, HarnessError, build_launcher, unavailable

ALIAS = "library-test"

DOCUMENTS = (
    Document(
        id="guides/first-hours", title="The First Hours When Your Child Is Missing",
        path="guides/first-hours.html", format="html", type="guide", date="2019-03-04",
        topics=("missing-investigations",), audiences=("families",),
        summary="What parents should do in the first hours after a child goes missing.",
        body="Call 911 at once. There is no waiting period to report a missing child. Your child "
        "will be entered into NCIC. Keep a recent photo of your child ready for the police.",
    ),
    Document(
        id="reports/response-teams", title="Response Teams in the Field: A Report",
        path="reports/response-teams.pdf", format="pdf", type="report", date="2016-06",
        topics=("abduction",), audiences=("law-enforcement",), page_count=12, file_size=48213,
        body="The child abduction response team brings investigators together in the first "
        "hours after an abduction. Agencies that train <b>together</b> deploy faster & better.",
    ),
    Document(
        id="fact-sheets/sextortion", title="Sextortion: What Young People Should Know",
        path="fact-sheets/sextortion.pdf", format="pdf", type="fact-sheet", date="2023",
        topics=("exploitation", "technology"), audiences=("youth",),
        body="If someone threatens to share images of you, do not pay. Tell a trusted adult and "
        "report it to the CyberTipline.",
    ),
    Document(
        id="families/guia-regreso", title="Cuando su hijo regresa a casa", language="es",
        path="families/guia-regreso.md", format="md", type="guide", date="2019-11-12",
        topics=("recovery-reunification",), audiences=("families",),
        body="Cuando su hijo desaparecido regresa a casa, la familia necesita tiempo. Los niños "
        "pueden sentir miedo y confusión. Busque apoyo para toda la familia.",
    ),
    Document(
        id="newsletters/spring-2011", title="MECP News, Spring 2011",
        path="newsletters/spring-2011.html", format="html", type="newsletter", date="2011-04-01",
        topics=("amber-alert", "tribal", "runaway-youth"), audiences=("law-enforcement",),
        body="In this issue: AMBER Alert in Indian Country, runaway youth and trafficking. Tribal "
        "communities joined the AMBER Alert plan of their state.",
    ),
    Document(
        id="training/interview-course", title="Interviewing Children: A Two-Day Course",
        path="training/interview-course.txt", format="txt", type="training",
        topics=("forensic-interviewing",), audiences=("advocacy-centers",), has_text=True,
        body="A course for CAC staff and multidisciplinary team members on interviewing children.",
    ),
)  # fmt: skip


@pytest.fixture(scope="session")
def solr_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """The SolrCloud harness, built if need be and started once for the whole session."""
    reason = unavailable()
    if reason:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{REQUIRE}=1 but {reason}")
        pytest.skip(reason)
    try:
        build_launcher()
        harness = Harness(tmp_path_factory.mktemp("solr") / "cluster")
    except HarnessError as exc:
        pytest.fail(str(exc))
    try:
        yield harness
    finally:
        harness.close()


@pytest.fixture(scope="session")
def solr_client(solr_harness: Harness) -> Iterator[SolrClient]:
    """A client of every node of the harness."""
    with SolrClient(solr_harness.nodes) as client:
        yield client


@pytest.fixture(scope="session")
def solr_admin(solr_client: SolrClient) -> SolrAdmin:
    """The admin calls on the harness."""
    return SolrAdmin(solr_client)


@pytest.fixture(scope="session")
def configset(solr_admin: SolrAdmin) -> str:
    """The project's configset, made from the bundled vocabulary and uploaded; its name."""
    return solr_admin.upload_configset(build_configset(load_vocabulary(VOCABULARY)))


@pytest.fixture(scope="session")
def collection(solr_admin: SolrAdmin, configset: str) -> str:
    """A 2 shards x 2 replicas collection holding DOCUMENTS, committed; its name."""
    name = new_collection_name(ALIAS)
    solr_admin.create_collection(name, configset, shards=2, replicas=2)
    solr_admin.client.post(f"{name}/update", body=[to_solr(d) for d in DOCUMENTS])
    solr_admin.commit(name)
    return name
