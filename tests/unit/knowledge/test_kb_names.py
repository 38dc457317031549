"""Name folding and the fuzzy index, without a database."""

from __future__ import annotations

from knowledge.names import Entry, NameIndex, fold, tokens


def test_fold_accents_nordic_letters_punctuation_and_case():
    assert fold("Næringshagen på Voss") == "naeringshagen pa voss"
    assert fold("Røros  ÆRØ") == "roros aero"
    assert fold("INNOV’EUROMETROPOLIS") == "innov eurometropolis"
    assert fold("Pôle régional d'innovation") == "pole regional d innovation"
    assert fold("Västerbotten") == "vasterbotten"
    assert fold("الْعَرَبِيَّة") == "العربيه"  # taa marbuta folds to haa, as chat writers type it


def test_tokens_spell_out_saint():
    assert tokens("Bas-St-Laurent") == ["bas", "saint", "laurent"]


def _index() -> NameIndex:
    forms = [
        (Entry("organisation", "voss", "Næringshagen på Voss"), "Næringshagen på Voss"),
        (Entry("organisation", "roros", "Røros Næringshage"), "Røros Næringshage"),
        (Entry("organisation", "innov", "INNOV'EUROMETROPOLIS"), "INNOV'EUROMETROPOLIS"),
        (Entry("call", "clusters", "Clusters marocains 2023"), "Clusters marocains 2023"),
        (Entry("place", "municipality:lycksele", "Lycksele"), "Lycksele"),
        (Entry("organisation", "arena", "Innovationsarena Inland"), "Innovationsarena Inland"),
    ]
    return NameIndex(forms)


def test_search_is_typo_spacing_and_order_tolerant():
    index = _index()
    assert index.search("naeringshage voss")[0].id == "voss"
    assert index.search("innov euro metropolis")[0].id == "innov"
    assert index.search("roros naringshage")[0].id == "roros"
    assert index.search("lyckesle")[0].id == "municipality:lycksele"
    assert index.search("clusters maroc")[0].id == "clusters"


def test_search_filters_kinds_and_rejects_unrelated_text():
    index = _index()
    assert [h.kind for h in index.search("voss", kinds={"call"})] == []
    assert index.search("weather forecast tomorrow") == []


def test_mentions_finds_a_name_written_in_several_words():
    index = _index()
    assert index.mentions("talk to a human about innov euro metropolis")[0].id == "innov"


def test_mentions_strips_the_arabic_article():
    forms = [(Entry("call", "ma", "تجمعات (كلسترات) مغربية"), "دعم إنشاء تجمعات (كلسترات) مغربية")]
    assert NameIndex(forms).mentions("متى آخر أجل لدعوة الكلسترات المغربية؟")[0].id == "ma"


def test_mentions_finds_names_inside_a_message():
    index = _index()
    assert index.mentions("naeringshagen pa voss?")[0].id == "voss"
    ids = [h.id for h in index.mentions("any events in Lyksele next week?")]
    assert ids[0] == "municipality:lycksele"
    assert index.mentions("hello, how are you?") == []


def test_mentions_find_a_name_word_inside_a_compound():
    """Dutch and the Nordic languages join "cluster" and "call" into one word."""
    index = _index()
    assert index.mentions("wanneer sluit de clusteroproep", min_score=20)[0].id == "clusters"
    assert (
        index.mentions("er det lyckseleprosjektet", min_score=20)[0].id == "municipality:lycksele"
    )


def test_a_compound_of_unknown_words_names_nothing():
    assert _index().mentions("hva koster en parkeringsplass", min_score=20) == []


def test_ids_with_word_finds_records_of_a_kind_by_one_name_word():
    assert _index().ids_with_word("call", {"clusters"}) == {"clusters"}
    assert _index().ids_with_word("organisation", {"clusters"}) == set()


def test_a_short_word_matches_a_name_one_edit_away_not_two():
    forms = [
        (Entry("place", "country:ca", "Canada"), "كندا"),
        (Entry("organisation", "voss", "Voss"), "Voss"),
    ]
    index = NameIndex(forms)
    assert index.search("نداء") == []  # "a call" is two edits from "Canada"
    assert index.mentions("ما الهدف من هذا النداء؟") == []
    assert index.search("Vosz")[0].id == "voss"  # one letter wrong
