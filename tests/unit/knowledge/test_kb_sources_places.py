"""A document's source section and the places saved outside the files (the staff workspace):
the import's checks, the keep-workspace-edits rule, the export, the bot's next answer."""

from __future__ import annotations

import pytest
import yaml

from knowledge import editing
from knowledge.db import make_engine
from knowledge.exporter import export, places_document, source_document
from knowledge.importer import import_paths
from knowledge.query import KnowledgeBase
from knowledge.validation import ContentError

SOURCE = "ma-mic-clusters-2023"
CALL = "ma-clusters-2023"
NEW_NAME = "Sildeland"  # an alternative name of Rogaland no place has


@pytest.fixture
def kb_engine(tmp_path, content_dir):
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.sqlite3'}")
    import_paths(engine, [content_dir])
    yield engine
    engine.dispose()


def _save(engine, kind: str, rid: str, record) -> None:
    with engine.begin() as conn:
        editing.save(conn, kind, rid, record, source_id="")


def _source(engine) -> dict:
    with engine.connect() as conn:
        return editing.find(conn, "sources", SOURCE)[1]


def _place(engine, pid: str = "rogaland") -> dict:
    with engine.connect() as conn:
        return editing.find(conn, "places", pid)[1]


def test_a_saved_source_section_is_cited_in_the_next_answer(kb_engine):
    kb = KnowledgeBase(kb_engine)
    assert kb.call(CALL, "en").source.url is None
    _save(kb_engine, "sources", SOURCE, {**_source(kb_engine), "url": "https://mcinet.gov.ma/"})
    kb._cache_checked = float("-inf")  # the next answer, not one within the same second
    assert kb.call(CALL, "en").source.url == "https://mcinet.gov.ma/"
    title = {**_source(kb_engine)["title"], "en": "Moroccan clusters: the call"}
    _save(kb_engine, "sources", SOURCE, {**_source(kb_engine), "title": title})
    kb._cache_checked = float("-inf")
    assert kb.call(CALL, "en").source.title.value == "Moroccan clusters: the call"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"published": "2023-02-30"}, "published", "invalid date"),
        ({"language": "en"}, "language", "cannot be changed in the workspace"),
        ({"title": None}, "title", "is required"),
        ({"colour": "red"}, None, "colour"),
    ],
)
def test_an_invalid_source_section_is_refused_with_the_import_s_message(
    kb_engine, change, field, message
):
    before = _source(kb_engine)
    with pytest.raises(ContentError) as refused:
        _save(kb_engine, "sources", SOURCE, {**before, **change})
    problems = refused.value.problems
    assert any(message in str(p) and (field is None or p.field == field) for p in problems)
    assert _source(kb_engine) == before


def test_the_import_keeps_a_source_section_saved_in_the_workspace_until_the_file_changes(
    kb_engine, content_dir
):
    _save(kb_engine, "sources", SOURCE, {**_source(kb_engine), "url": "https://mcinet.gov.ma/"})
    bundle, _ = import_paths(kb_engine, [content_dir])
    assert f"sources[{SOURCE}]" in bundle.kept
    assert _source(kb_engine)["url"] == "https://mcinet.gov.ma/"
    path = content_dir / f"{SOURCE}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["source"]["url"] = "https://www.mcinet.gov.ma/fr"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    bundle, _ = import_paths(kb_engine, [content_dir])
    assert bundle.replaced == [f"sources[{SOURCE}]"]
    assert _source(kb_engine)["url"] == "https://www.mcinet.gov.ma/fr"


def test_a_new_name_of_a_region_finds_the_hubs_of_its_municipalities(kb_engine):
    kb = KnowledgeBase(kb_engine)
    in_rogaland = [h.id for h in kb.hubs(region="Rogaland", lang="en")]
    assert in_rogaland and kb.hubs(region=NEW_NAME, lang="en") == []
    place = _place(kb_engine)
    place["names"]["nb"].append(NEW_NAME)
    _save(kb_engine, "places", "rogaland", place)
    kb._cache_checked = float("-inf")
    assert [h.id for h in kb.hubs(region=NEW_NAME, lang="en")] == in_rogaland


def test_a_place_added_and_moved_keeps_the_organisations_terms(kb_engine):
    kb = KnowledgeBase(kb_engine)
    voss_hubs = [h.id for h in kb.hubs(municipality="Voss", lang="en")]
    assert voss_hubs
    added = {"kind": "region", "country": "NO", "names": {"nb": ["Vossafjell"]}}
    _save(kb_engine, "places", "vossafjell", added)
    _save(kb_engine, "places", "voss", {**_place(kb_engine, "voss"), "parent": "vossafjell"})
    kb._cache_checked = float("-inf")
    assert [h.id for h in kb.hubs(region="Vossafjell", lang="en")] == voss_hubs
    assert kb.hubs(region="Vestland", lang="en") == [] or all(
        h.id not in voss_hubs for h in kb.hubs(region="Vestland", lang="en")
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"parent": "atlantis"}, "parent", "refers to a missing place 'atlantis'"),
        ({"iso": "SE-AC"}, "iso", "is not an ISO 3166-2 subdivision of NO"),
        ({"kind": "planet"}, "kind", "must be one of"),
        ({"names": {"xx": ["Foo"]}}, "names.xx", "unknown language code"),
        ({"parent": "rabat-sale-kenitra"}, "parent", "is in another country (MA)"),
    ],
)
def test_an_invalid_place_is_refused_with_the_import_s_message(kb_engine, change, field, message):
    before = places_document(kb_engine.connect())
    with pytest.raises(ContentError) as refused:
        _save(kb_engine, "places", "rogaland", {**_place(kb_engine), **change})
    problems = refused.value.problems
    assert any(message in p.message and p.field == field for p in problems), problems
    with kb_engine.connect() as conn:
        assert places_document(conn) == before


def test_a_place_with_places_in_it_cannot_be_removed(kb_engine):
    with pytest.raises(ContentError, match="refers to a missing place 'vestland'"):
        _save(kb_engine, "places", "vestland", None)
    _save(kb_engine, "places", "voss", None)
    assert _place(kb_engine, "vestland")


def test_the_import_keeps_workspace_places_and_says_so(kb_engine, content_dir, tmp_path):
    from knowledge.validation import PLACES_FILE

    place = _place(kb_engine)
    place["names"]["nb"].append(NEW_NAME)
    _save(kb_engine, "places", "rogaland", place)
    nyby = {"kind": "municipality", "country": "NO", "parent": "rogaland"}
    nyby["names"] = {"nb": ["Nyby"]}
    _save(kb_engine, "places", "nyby", nyby)
    bundle, _ = import_paths(kb_engine, [content_dir])
    assert {"places[rogaland]", "places[nyby]"} <= set(bundle.kept)
    assert NEW_NAME in _place(kb_engine)["names"]["nb"] and _place(kb_engine, "nyby")
    # the file's version of the place changes: the file wins, and the import says so
    data = yaml.safe_load(PLACES_FILE.read_text())
    for item in data["places"]:
        if item["id"] == "rogaland":
            item["names"]["en"] = ["Rogaland", "Rogaland county"]
    changed = tmp_path / "places.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True))
    bundle, _ = import_paths(kb_engine, [content_dir], places=changed)
    assert bundle.replaced == ["places[rogaland]"]
    assert NEW_NAME not in _place(kb_engine)["names"]["nb"]
    assert "Rogaland county" in _place(kb_engine)["names"]["en"]
    assert _place(kb_engine, "nyby")  # added in the workspace: stays


def test_an_export_with_workspace_edits_re_imports_to_the_same_content(kb_engine, tmp_path):
    place = _place(kb_engine)
    place["names"]["nb"].append(NEW_NAME)
    _save(kb_engine, "places", "rogaland", place)
    _save(kb_engine, "sources", SOURCE, {**_source(kb_engine), "published": {"year": 2023}})
    out = tmp_path / "export"
    names = {p.name for p in export(kb_engine, out)}
    assert "places.yaml" in names and f"{SOURCE}.yaml" in names
    copy = make_engine(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    import_paths(copy, [out])  # the folder's places.yaml is its places file
    with kb_engine.connect() as a, copy.connect() as b:
        assert places_document(a) == places_document(b)
        assert source_document(a, SOURCE) == source_document(b, SOURCE)
        assert source_document(b, SOURCE)["source"]["published"] == {"year": 2023}
    copy.dispose()


def test_a_record_save_keeps_the_workspace_places(kb_engine):
    """A record's save validates against the stored places, not knowledge/places.yaml."""
    place = _place(kb_engine)
    place["names"]["nb"].append(NEW_NAME)
    _save(kb_engine, "places", "rogaland", place)
    with kb_engine.begin() as conn:
        sid, call = editing.find(conn, "calls", CALL)
        editing.save(conn, "calls", CALL, {**call, "year": 2024}, source_id=sid)
    assert NEW_NAME in _place(kb_engine)["names"]["nb"]


def test_the_name_index_of_a_new_revision_reads_that_revision_s_places(kb_engine):
    """The index is rebuilt at once after a save; the places it reads must be the saved ones
    even when the small-table cache looked at the revision less than a second ago."""
    kb = KnowledgeBase(kb_engine)
    assert kb.place_id(NEW_NAME, "region") is None  # index and place cache of this revision
    place = _place(kb_engine)
    place["names"]["nb"].append(NEW_NAME)
    _save(kb_engine, "places", "rogaland", place)
    assert [m.id for m in kb.mentions(f"hubs in {NEW_NAME}", kinds=("place",))][:1] == [
        "region:rogaland"
    ]
