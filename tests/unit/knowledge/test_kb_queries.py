"""The seeds' key facts are queryable through ``KnowledgeBase``, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from kb_helpers import needs_source

UTC = timezone.utc


def _top(kb, text, kind):
    matches = kb.search(text, kinds=[kind])
    assert matches, f"nothing found for {text!r}"
    return matches[0]


# ----------------------------------------------------------------------------- Morocco
def test_moroccan_clusters_call_closes_2023_06_14_15_00_casablanca(kb):
    needs_source("ma-mic-clusters-2023")
    match = _top(kb, "clusters maroc 2023", "call")
    call = kb.call(match.id, "fr")
    assert call.deadline.at == datetime(2023, 6, 14, 15, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
    assert call.timezone == "Africa/Casablanca"
    assert call.deadline.isoformat() == "2023-06-14T15:00:00+01:00"
    assert call.status_at(datetime(2023, 6, 14, 13, 59, tzinfo=UTC)) == "open"
    assert call.status_at(datetime(2023, 6, 14, 14, 0, tzinfo=UTC)) == "closed"
    assert call.source.file == "004_b849c5ac1eaad6ef.txt"
    assert call.source.language == "fr"
    assert "14 juin 2023" in call.evidence["deadline"]
    fields = {c.field: c for c in call.criteria}
    assert fields["existing_label"].value is True
    assert fields["years_of_support"].value == 8
    assert (
        "8 ans" in fields["years_of_support"].text.value
        or fields["years_of_support"].text.lang != "fr"
    )


def test_moroccan_call_contact_and_ministry(kb):
    needs_source("ma-mic-clusters-2023")
    call = kb.call(_top(kb, "clusters maroc 2023", "call").id, "en")
    contacts = kb.contacts_for(call.id, "en")
    assert any(c.email == "fzaitelhabti@mcinet.gov.ma" for c in contacts)
    assert any("05 37 73 93 46" in c.phones for c in contacts)
    ministry = kb.organisation(_top(kb, "MIC", "organisation").id, "fr")
    assert ministry.kind == "ministry" and ministry.country == "MA"
    assert call.issuer_id == ministry.id


def test_status_lists_relative_to_an_injected_clock(kb):
    needs_source("ma-mic-clusters-2023")
    call_id = _top(kb, "clusters maroc 2023", "call").id
    before = datetime(2023, 6, 1, tzinfo=UTC)
    after = datetime(2023, 7, 1, tzinfo=UTC)
    assert call_id in [c.id for c in kb.calls(status="open", now=before, lang="en")]
    assert call_id not in [c.id for c in kb.calls(status="open", now=after, lang="en")]
    closed = kb.calls(status="closed", now=after, lang="en")
    assert call_id in [c.id for c in closed]
    assert all(c.status == "closed" for c in closed)
    everything = kb.calls(status=None, now=after, lang="en")
    assert {c.status for c in everything} <= {"open", "upcoming", "closed", "unknown"}
    with pytest.raises(ValueError):
        kb.calls(status="open", now=datetime(2023, 1, 1), lang="en")


# ----------------------------------------------------------------------------- Québec
def test_quebec_call_date_only_deadline_closes_at_end_of_day(kb):
    needs_source("qc-poles-regionaux-innovation-2018")
    call = kb.call(_top(kb, "appel poles bas saint laurent 2018", "call").id, "fr")
    assert call.deadline.precision == "date"
    assert call.deadline.date.isoformat() == "2018-04-30"
    assert call.timezone == "America/Toronto"
    assert call.status_at(datetime(2018, 5, 1, 3, 59, tzinfo=UTC)) == "open"  # 23:59 EDT
    assert call.status_at(datetime(2018, 5, 1, 4, 0, tzinfo=UTC)) == "closed"


def test_quebec_hub_network_and_programme(kb):
    needs_source("qc-poles-regionaux-innovation-2018")
    hub = kb.organisation(_top(kb, "pole bas st laurent", "organisation").id, "fr")
    assert hub.kind == "regional_hub"
    assert hub.parent_id is not None
    assert kb.search("digihub", kinds=["organisation"])[0].name.startswith("DigiHub")
    progs = [
        kb.programme(m.id, "fr")
        for m in kb.search("poles regionaux innovation", kinds=["programme"])
    ]
    caps = [p.max_per_recipient_per_year for p in progs if p.max_per_recipient_per_year]
    assert caps and caps[0].value == Decimal(400000) and caps[0].currency == "CAD"
    hubs = kb.hubs(region="Bas-Saint-Laurent", lang="fr")
    assert hub.id in [h.id for h in hubs]


# ----------------------------------------------------------------------------- Norway
def test_norwegian_business_gardens_and_selected_projects(kb):
    needs_source("no-kmd-aktive-naeringshager")
    voss = _top(kb, "naeringshage voss", "organisation")
    assert "Voss" in voss.name
    garden = kb.organisation(voss.id, "nb")
    assert garden.country == "NO"
    assert voss.id in [h.id for h in kb.hubs(country="NO", lang="nb")]
    assert voss.id in [h.id for h in kb.hubs(country="Norvège", lang="fr")]
    calls = kb.calls(status=None, now=datetime(2024, 1, 1, tzinfo=UTC), lang="nb")
    siva = [c for c in calls if c.applications_received == 31]
    assert siva, "the Siva call with 31 applications"
    amounts = sorted(s.amount.value for s in siva[0].selected)
    assert amounts == [Decimal(3500000), Decimal(4000000)] + [Decimal(6000000)] * 3
    assert all(s.amount.currency == "NOK" for s in siva[0].selected)
    assert siva[0].status == "unknown"  # the source gives no deadline


def test_mentions_in_norwegian_message(kb):
    needs_source("no-kmd-aktive-naeringshager")
    found = kb.mentions("naeringshagen pa voss?")
    assert found and "Voss" in found[0].name


# ----------------------------------------------------------------------------- Eurometropolis
def test_innov_eurometropolis_platform_desks_and_clusters(kb):
    needs_source("innov")
    platform = kb.organisation(_top(kb, "innov euro metropolis", "organisation").id, "nl")
    assert platform.kind == "innovation_platform"
    desk = kb.organisation(_top(kb, "financieringsdesk", "organisation").id, "nl")
    assert desk.kind == "desk"
    logistics = kb.hubs(sector="logistiek", lang="nl", kinds=["thematic_cluster"])
    assert logistics, "the Logistiek thematic cluster"


# ----------------------------------------------------------------------------- Sweden
def test_innovationsarena_inland_event_and_contacts(kb):
    needs_source("se-region-vasterbotten")
    arena = kb.organisation(_top(kb, "innovationsarena inland", "organisation").id, "sv")
    assert arena.kind == "innovation_arena"
    events = [e for e in kb.events_for("municipality:lycksele", "sv") if e.start]
    assert events
    start = events[0].start
    assert start.at == datetime(2018, 5, 31, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    people = {m.name for m in kb.search("thomas hartman", kinds=["contact"])}
    assert "Thomas Hartman" in people
    hartman = kb.contact(kb.search("thomas hartman", kinds=["contact"])[0].id, "sv")
    assert hartman.email == "thomas.hartman@regionvasterbotten.se"
    assert "070-666 49 95" in hartman.phones


# ----------------------------------------------------------------------------- general
def test_every_view_carries_its_source(kb):
    now = datetime(2024, 1, 1, tzinfo=UTC)
    for call in kb.calls(status=None, now=now, lang="en"):
        assert call.source.title.value and call.source.file
        assert call.source.excerpt
    for hub in kb.hubs(lang="en"):
        assert hub.source.id and hub.source.excerpt


def test_text_falls_back_to_the_original_marked_with_its_language(kb):
    needs_source("ma-mic-clusters-2023")
    call_id = _top(kb, "clusters maroc 2023", "call").id
    fr = kb.call(call_id, "fr").title
    assert fr.lang == "fr" and fr.is_original and not fr.machine
    for lang in ("en", "nb", "nl", "sv", "ar"):
        text = kb.call(call_id, lang).title
        assert (text.lang == lang and not text.is_original) or (
            text.lang == "fr" and text.is_original
        )
    # A proper name written in French only ("DigiHub"): every language gets the original.
    hub = kb.organisation(_top(kb, "DigiHub", "organisation").id, "ar")
    assert hub.name.lang == "fr" and hub.name.is_original
    # A ministry's name translated by a machine: the translation, marked as such.
    ministry = kb.organisation(_top(kb, "MIC", "organisation").id, "ar")
    assert ministry.name.lang == "ar" and ministry.name.machine and not ministry.name.is_original


def test_mentions_chat_message_finds_call_and_place(kb):
    needs_source("ma-mic-clusters-2023")
    found = kb.mentions("what is the deadline for the clusters call in morocco?")
    kinds = {m.kind for m in found}
    assert {"call", "place"} <= kinds
    assert kb.mentions("thanks, bye!") == []


def test_revision_change_rebuilds_the_name_index(kb, content_dir):
    from knowledge.importer import import_paths

    index = kb.name_index()
    assert kb.name_index() is index
    import_paths(kb.engine, [content_dir])
    assert kb.name_index() is not index


def test_unknown_ids_give_none(kb):
    assert kb.call("no-such-call", "en") is None
    assert kb.organisation("no-such-org", "en") is None
    assert kb.programme("no-such-programme", "en") is None
    assert kb.contacts_for("no-such-thing", "en") == []


def test_background_rebuild_keeps_answering_from_the_previous_index(kb, content_dir):
    import time as _time

    from knowledge.importer import import_paths
    from knowledge.query import KnowledgeBase

    server = KnowledgeBase(kb.engine, background_rebuild=True)
    first = server.name_index()
    import_paths(kb.engine, [content_dir])
    assert server.name_index() is first  # still answering while the new index is built
    deadline = _time.monotonic() + 30
    while server.name_index() is first and _time.monotonic() < deadline:
        _time.sleep(0.05)
    assert server.name_index() is not first


def test_search_results_carry_their_source(kb):
    needs_source("no-kmd-aktive-naeringshager")
    match = kb.search("naeringshage voss")[0]
    assert match.source is not None
    assert match.source.file == "001_c80df88c6d35884a.txt" and match.source.language == "nb"


def test_calls_by_participant_source_and_place_and_their_counts(kb):
    now = datetime(2023, 6, 1, 12, tzinfo=timezone.utc)
    voss = [
        c.id for c in kb.calls(status=None, now=now, lang="en", participant="no-voss-naeringshage")
    ]
    assert voss == ["no-siva-naeringshager-utviklingsprosjekter"]
    quebec = kb.calls(status=None, now=now, lang="en", source="qc-poles-regionaux-innovation-2018")
    assert [c.id for c in quebec] == ["qc-poles-bas-saint-laurent-2018"]
    morocco = kb.calls(status=None, now=now, lang="en", place="country:ma")
    assert [c.id for c in morocco] == ["ma-clusters-2023"]
    assert [
        c.id for c in kb.calls(status=None, now=now, lang="en", place="municipality:voss")
    ] == voss
    assert kb.count_calls(status="open", now=now) == 1
    assert kb.count_calls(status=None, now=now) == 3
    assert kb.count_hubs(country="NO") == len(kb.hubs(country="NO", lang="en"))
