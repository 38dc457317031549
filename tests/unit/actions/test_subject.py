"""Which record a message is about: competing candidates, kind words, years, places, context."""

from __future__ import annotations

import pytest

from actions.hub_questions import AnswerContact
from actions.knowledge_access import knowledge_base
from actions.subject import resolve
from actions.vocabulary import compound_head, compounds_named, kinds_named
from tests.unit.actions.conftest import make_tracker

QUESTION_KINDS = ("organisation", "call", "programme", "contact", "event", "place", "service")


@pytest.fixture
def kb(seed_database_url, monkeypatch):
    from actions.knowledge_access import forget_knowledge_base

    monkeypatch.setenv("HUBGUIDE_DATABASE_URL", seed_database_url)
    forget_knowledge_base()
    yield knowledge_base()
    forget_knowledge_base()


def subject_of(kb, text, *, slots=None, preferred=(), kinds=QUESTION_KINDS):
    resolution = resolve(kb, make_tracker(text, "x", slots=slots), kinds, preferred=preferred)
    return resolution


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The word "clusters" names INNOV'EUROMETROPOLIS's thematic clusters too: the call wins.
        ("when does the Moroccan clusters call close?", "call:ma-clusters-2023"),
        ("the press phone of the ministry in Norway", "contact:no-kmd-pressetelefon"),
        ("when is the stakeholder meeting in Lycksele?", "event:se-lycksele-dialogtraff-2018"),
        # A name inside a longer name is the longer name's record, not a choice.
        ("when was INNOV'EUROMETROPOLIS founded?", "organisation:innov-eurometropolis"),
        ("the Voss garden", "organisation:no-voss-naeringshage"),
        ("the arena in Lycksele", "organisation:se-innovationsarena-inland"),
    ],
)
def test_one_candidate_clearly_fits(kb, text, expected):
    resolution = subject_of(kb, text)
    assert not resolution.choices, [c.id for c in resolution.choices]
    assert resolution.subject is not None and resolution.subject.ref == expected


def test_a_kind_word_alone_is_no_name(kb):
    # "desks" is one word of "Projectdesk"; with a subject in context it is a follow-up.
    slots = {"subject_id": "organisation:innov-eurometropolis"}
    resolution = subject_of(kb, "which desks does it have?", slots=slots)
    assert resolution.subject.ref == "organisation:innov-eurometropolis"


def test_a_year_picks_the_call_of_that_year(kb):
    resolution = subject_of(kb, "the 2018 call", preferred=("call", "programme"))
    assert resolution.subject.ref == "call:qc-poles-bas-saint-laurent-2018"


def test_a_generic_word_shared_by_several_records_is_a_choice(kb):
    resolution = subject_of(kb, "næringshage")
    assert len(resolution.choices) > 1


def test_nothing_named_keeps_the_conversations_subject(kb):
    slots = {"subject_id": "call:ma-clusters-2023"}
    resolution = subject_of(kb, "and the deadline?", slots=slots)
    assert resolution.subject.ref == "call:ma-clusters-2023" and not resolution.mentioned


def test_a_country_with_a_kind_word_names_the_one_organisation_of_that_kind(run_action):
    from actions.questions import QUESTIONS

    outcome = run_action(QUESTIONS["ask_location"], "where is the Swedish arena?", "ask_location")
    assert "Innovationsarena Inland is in Lycksele" in outcome.text


def test_a_compound_of_a_name_word_and_a_kind_word_names_the_one_record_of_that_kind(run_action):
    outcome = run_action(AnswerContact(), "Naar welk mailadres stuur ik mijn vragen over de "
                         "clusteroproep?", "ask_contact", lang="nl")  # fmt: skip
    assert "fzaitelhabti@mcinet.gov.ma" in outcome.text


def test_compound_kind_words():
    assert compound_head("kinds", "klyngeutlysningen") == ("klynge", "utlysningen")
    assert compounds_named("de clusteroproep") == [("cluster", "call")]
    assert compound_head("kinds", "huvudkontor") is None  # headquarters: no office record
    assert kinds_named("hva er fristen for klyngeutlysningen")["call"] == 1


def test_a_word_only_one_record_holds_in_its_texts_makes_it_the_subject(kb):
    """ "Gründerakademiet" is no record's name: the Fabrikken garden's description says it."""
    resolution = subject_of(kb, "Vem ligger bakom Gründerakademiet?", slots={"language": "sv"})
    assert resolution.subject.ref == "organisation:no-fabrikken-naeringshage"


def test_common_words_of_a_message_that_names_nothing_make_no_subject(kb):
    for text in ("what is the big idea behind it?", "how many people work there?",
                 "what is the deadline?"):  # fmt: skip
        assert subject_of(kb, text).subject is None, text


def test_a_kind_word_in_a_clause_after_the_name_does_not_move_the_subject(kb):
    """The network the DigiHub builds is named after it, in a clause: the DigiHub is asked."""
    texts = ("The DigiHub that's building the poles network, which town is it in?",
             "In welke stad zit de DigiHub die het landelijke netwerk moet bouwen?")  # fmt: skip
    for text in texts:
        assert subject_of(kb, text).subject.ref == "organisation:qc-digihub-shawinigan", text


def test_a_kind_word_before_the_name_names_its_part(kb):
    resolution = subject_of(kb, "Comment s'appelle l'assemblée consultative de l'Eurométropole ?")
    assert resolution.subject.ref == "organisation:eurometropool-forum"


def test_a_kind_word_names_the_one_call_whose_name_holds_it_in_any_language(kb):
    """ "كلاستر" (cluster, Darija) is a word of no name in Arabic, but the clusters call's
    French and English names hold "clusters"."""
    tracker = make_tracker("شحال من كلاستر غادي يختارو هاد العام؟", "x", lang="ar")
    resolution = resolve(kb, tracker, QUESTION_KINDS, preferred=("call", "programme"))
    assert resolution.subject.ref == "call:ma-clusters-2023"


def test_a_rare_word_of_a_record_outweighs_a_kind_word(kb):
    resolution = subject_of(kb, "Gründerhjelpa, c'est le programme de quelle næringshage ?",
                            slots={"language": "fr"}, preferred=("programme", "call"))  # fmt: skip
    assert resolution.subject.ref == "organisation:no-voss-naeringshage"


def test_a_stem_that_is_a_function_word_names_no_kind():
    """Dutch "overheid" (government) stems to "over", a preposition."""
    assert kinds_named("over hoeveel jaar is dat gespreid?") == {}
    assert kinds_named("de overheid van Québec") == {"government": 1}


def test_a_message_that_says_call_asks_for_the_one_call_its_other_kind_word_names(kb):
    """ "The cluster idea in this call": "call" and "cluster" name the clusters call, though no
    name is written and a word only another record's texts hold ("concept") is in it."""
    tracker = make_tracker("ما معنى مفهوم cluster في هذا النداء؟", "x", lang="ar")
    assert resolve(kb, tracker, QUESTION_KINDS).subject.ref == "call:ma-clusters-2023"


def test_a_place_with_the_word_call_names_the_one_call_of_that_place(kb):
    resolution = subject_of(kb, "tell me about the call in Quebec")
    assert resolution.subject.ref == "call:qc-poles-bas-saint-laurent-2018"


def test_a_verb_whose_stem_is_a_kind_word_names_no_kind():
    assert "call" not in kinds_named("what is it called?")
    assert "call" not in kinds_named("comment s'appelle ce programme ?")
    assert "call" in kinds_named("is the call open?")


def test_a_record_named_whole_outweighs_a_preferred_kind_named_by_a_kind_word(kb):
    """ "Meetings" names an event kind, and the arena's dialogue meeting has it in its name; the
    platform named in full is still what the question is about."""
    resolution = subject_of(kb, "does innov eurometropolis hold real meetings or only online?",
                            preferred=("event",))  # fmt: skip
    assert resolution.subject.ref == "organisation:innov-eurometropolis"


def test_such_a_cluster_keeps_the_conversations_call(kb):
    """ "Ett sånt kluster": "sånt" (such) is a function word, not the cluster "santé"."""
    slots = {"subject_id": "call:ma-clusters-2023", "subject_kind": "call", "language": "sv"}
    resolution = subject_of(kb, "får ett sånt kluster vara nytt?", slots=slots,
                            preferred=("call", "programme"))  # fmt: skip
    assert resolution.subject.ref == "call:ma-clusters-2023"


def test_owner_words_in_the_future_tense():
    from actions.vocabulary import roles_named

    assert "owner" in roles_named("à qui appartiendra l'arène ?")


def test_a_look_alike_of_a_word_of_a_record_named_whole_names_nothing(kb):
    """ "innov" belongs to INNOV'EUROMETROPOLIS, named in full; that it also starts
    "innovationsarenan" does not make the arena (named by a kind word) a rival."""
    tracker = make_tracker("من يلتقي في فضاء Innov'Eurometropolis؟", "x", lang="ar")
    resolution = resolve(kb, tracker, QUESTION_KINDS)
    assert resolution.subject.ref == "organisation:innov-eurometropolis"
