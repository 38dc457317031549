"""Facts the seeds state beyond calls: places as a hierarchy, roles, figures, founding dates,
former names, programme frameworks and durations, and a record's best-matching sentences.
On SQLite and PostgreSQL."""

from __future__ import annotations

from kb_helpers import needs_source


def _org(kb, name):
    found = kb.search(name, kinds=["organisation"])
    assert found, f"no organisation for {name!r}"
    return kb.organisation(found[0].id, "en")


# ----------------------------------------------------------------------------- places
def test_a_region_finds_the_hubs_of_its_municipalities(kb):
    needs_source("no-kmd-aktive-naeringshager")
    # Voss is recorded as a municipality only; places.yaml puts it in Vestland.
    ids = {h.id for h in kb.hubs(region="Vestland", lang="en")}
    assert ids == {"no-voss-naeringshage"}
    assert kb.count_hubs(region="region:vestland") == 1


def test_a_former_county_and_its_district_lie_in_todays_county(kb):
    needs_source("no-kmd-aktive-naeringshager")
    in_trondelag = {h.id for h in kb.hubs(region="Trøndelag", lang="en")}
    # Røros (municipality in Sør-Trøndelag), Orkdalsregionen (district) and the group named
    # after the county are all in Trøndelag; Rogaland's gardens are not.
    assert {"no-roros-naeringshage", "no-orkdalsregionen-naeringshage",
            "no-kraftsenter-sor-trondelag"} <= in_trondelag  # fmt: skip
    assert not in_trondelag & {"no-suldal-naeringshage", "no-voss-naeringshage"}


def test_region_names_in_other_languages_and_without_accents(kb):
    needs_source("se-region-vasterbotten-innovationsarena-inland")
    for name in ("Västerbotten", "Vasterbottens lan", "فاستربوتن"):
        assert "se-innovationsarena-inland" in {h.id for h in kb.hubs(region=name, lang="en")}


def test_an_organisation_knows_every_place_it_lies_in(kb):
    needs_source("se-region-vasterbotten-innovationsarena-inland")
    arena = _org(kb, "Innovationsarena Inland")
    assert [p.id for p in arena.places][:2] == ["municipality:lycksele", "region:vasterbotten"]
    chain = kb.place_chain("municipality:umea", "sv")
    assert [p.name for p in chain] == ["Umeå", "Västerbotten", "Sverige"]


def test_events_in_a_region_include_those_of_its_municipalities(kb):
    needs_source("se-region-vasterbotten-innovationsarena-inland")
    ids = {e.id for e in kb.events_for("region:vasterbotten", "en")}
    assert "se-lycksele-dialogtraff-2018" in ids
    assert kb.events_for("region:rogaland", "en") == []


def test_an_event_is_found_by_its_own_id(kb):
    needs_source("se-region-vasterbotten-innovationsarena-inland")
    event = kb.event("se-lycksele-dialogtraff-2018", "sv")
    assert event.place.municipality == "Lycksele"
    assert event.start.at.hour == 9


# ----------------------------------------------------------------------------- roles
def test_roles_name_their_holders(kb):
    needs_source("innov-eurometropolis")
    forum = _org(kb, "FORUM")
    assert [(r.role, r.holder_name.value) for r in forum.roles] == [("chair", "Philippe Luyten")]
    platform = _org(kb, "INNOV'EUROMETROPOLIS")
    initiators = {r.holder_name.value for r in platform.roles if r.role == "initiator"}
    assert initiators == {"Rudy Demotte", "Stefaan De Clerck", "Martine Aubry"}


def test_a_role_held_by_a_group_without_record_is_its_text(kb):
    needs_source("se-region-vasterbotten-innovationsarena-inland")
    arena = _org(kb, "Innovationsarena Inland")
    owner = next(r for r in arena.roles if r.role == "owner")
    assert owner.holder_id is None and "stakeholders" in owner.holder_name.value
    initiator = next(r for r in arena.roles if r.role == "initiator")
    assert (initiator.holder_kind, initiator.holder_id) == ("organisation", "se-coompanion")


def test_what_a_person_holds(kb):
    needs_source("innov-eurometropolis")
    held = {(role, record) for role, _kind, record, _name in kb.roles_held(
        "innov-philippe-luyten", "en")}  # fmt: skip
    assert held == {("chair", "eurometropool-forum"), ("chair", "eurometropolitan-campus")}


# ----------------------------------------------------------------------------- other facts
def test_figures_founding_date_and_former_names(kb):
    needs_source("innov-eurometropolis")
    needs_source("no-kmd-aktive-naeringshager")
    assert {(f.what, f.value) for f in _org(kb, "FORUM").figures} == {("representatives", 80)}
    kraftsenter = _org(kb, "Kraftsenter Sør-Trøndelag")
    assert {(f.what, f.value) for f in kraftsenter.figures} == {
        ("municipalities", 25),
        ("counties", 3),
    }
    founded = _org(kb, "INNOV'EUROMETROPOLIS").founded
    assert (founded.year, founded.month, founded.day) == (2011, 3, 15)
    nord = _org(kb, "Næringshage Nord")
    assert nord.former_names == ("Næringshagen i Målselv",)
    # The former name still finds the garden.
    assert kb.search("Næringshagen i Målselv", kinds=["organisation"])[0].id == nord.id


def test_programme_framework_and_duration(kb):
    needs_source("qc-poles-regionaux-innovation-2018")
    programme = kb.programme("qc-poles-regionaux-innovation", "en")
    assert programme.part_of == "qc-plan-action-entrepreneuriat-2017-2022"
    assert programme.duration_years == 4
    assert {(f.what, f.value) for f in programme.figures} == {("regional_hubs", 18)}


def test_a_translated_name_keeps_the_original_beside_it(kb):
    needs_source("no-kmd-aktive-naeringshager")
    ministry = kb.organisation("no-kmd", "en")
    assert ministry.name.value == "Ministry of Local Government and Modernisation"
    assert ministry.name.original == "Kommunal- og moderniseringsdepartementet"
    assert kb.organisation("no-kmd", "nb").name.original is None


def test_contacts_of_a_cooperative_include_its_regional_branch(kb):
    needs_source("se-region-vasterbotten-innovationsarena-inland")
    # Coompanion names no contact; Roger Filipsson runs its branch Coompanion Nord.
    assert [c.person for c in kb.contacts_for("se-coompanion", "en")] == ["Roger Filipsson"]


# ----------------------------------------------------------------------------- passages
def test_passages_rank_the_subjects_own_sentences(kb):
    needs_source("no-kmd-aktive-naeringshager")
    found = kb.passages(
        "organisation", "no-voss-naeringshage", "what will they develop?", "en", ignore=["Voss"]
    )
    assert found and "competence centre" in found[0].text.value
    assert found[0].source.id == "no-kmd-aktive-naeringshager"


def test_passages_are_empty_when_no_sentence_shares_a_word(kb):
    needs_source("se-region-vasterbotten-innovationsarena-inland")
    assert kb.passages("organisation", "se-innovationsarena-inland", "parking spaces", "en") == []


def test_passages_fall_back_to_the_original_sentences(kb):
    needs_source("se-region-vasterbotten-innovationsarena-inland")
    found = kb.passages("organisation", "se-innovationsarena-inland", "kontorsplatser", "en")
    assert found and found[0].text.lang == "sv"


def test_a_country_is_found_by_its_adjective_in_every_language(seed_database_url) -> None:
    from knowledge.db import make_engine
    from knowledge.query import KnowledgeBase

    kb = KnowledgeBase(make_engine(seed_database_url))
    texts = ["the Moroccan call", "les clusters marocains", "de Marokkaanse oproep"]
    texts += ["den marockanska utlysningen", "den marokkanske utlysningen", "الدعوة المغربية"]
    for text in texts:
        found = kb.mentions(text, kinds=["place"], min_score=80)
        assert [m.id for m in found][:1] == ["country:ma"], (text, found)


def test_a_records_sentence_index_is_reused_and_ranks_alike(kb):
    """The index of a record's sentences is built once per revision and language."""
    question = "what will the Voss garden develop?"
    first = kb.passages("organisation", "no-voss-naeringshage", question, "en", limit=2)
    again = kb.passages("organisation", "no-voss-naeringshage", question, "en", limit=2)
    assert first and [p.text.value for p in first] == [p.text.value for p in again]
    indexes = kb._cached("sentence-indexes", dict)
    assert ("organisation", "no-voss-naeringshage", "en", False) in indexes


def test_a_large_knowledge_base_matches_no_message_against_record_texts(kb, monkeypatch):
    """Past the bound, the record-by-record index would hold the message for minutes."""
    import knowledge.query.passages as passages

    assert kb.records_by_text("Who is behind Gründerakademiet?", "en")
    monkeypatch.setattr(passages, "TEXT_FIT_MAX_RECORDS", 3)
    assert kb.records_by_text("Who is behind Gründerakademiet?", "en") == []
