"""The fact questions, each about the kind of record that holds the fact, from the seed content:
where, founded, who, members, how many, website, names, programme, duration, about, fallback,
and a bare name after a question."""

from __future__ import annotations

import pytest

from actions.about import AnswerAbout, AnswerFallback
from actions.call_questions import AnswerDuration, AnswerFunding, AnswerProgramme
from actions.describe import DescribeSubject
from actions.fact_questions import (
    AnswerCount,
    AnswerFounded,
    AnswerLocation,
    AnswerMembers,
    AnswerNames,
    AnswerPeople,
    AnswerWebsite,
)
from actions.hub_questions import AnswerContact


def test_location_of_an_arena_with_its_region_country_and_address(run_action):
    outcome = run_action(AnswerLocation(), "where is Innovationsarena Inland?", "ask_location")
    assert "Lycksele (Västerbotten, Sweden)" in outcome.text
    assert "Skolgatan 11" in outcome.text
    assert "no translation" not in outcome.text  # an address is a name, not a text


def test_location_of_an_event(run_action):
    outcome = run_action(AnswerLocation(), "where is the dialogue meeting?", "ask_location")
    assert "Skolgatan 11" in outcome.text and "Lycksele" in outcome.text


def test_location_of_a_place_names_its_region(run_action):
    outcome = run_action(AnswerLocation(), "where is Voss?", "ask_location")
    assert "Vestland" in outcome.text and "Norway" in outcome.text


def test_founding_date_and_unknown_founding_date(run_action):
    outcome = run_action(AnswerFounded(), "when was Innov'Eurometropolis founded?", "ask_founded")
    assert "March 15, 2011" in outcome.text
    unknown = run_action(AnswerFounded(), "when was Coompanion Nord founded?", "ask_founded")
    assert "does not say when it was founded" in unknown.text
    assert "2011" not in unknown.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("who chairs the FORUM?", "Philippe Luyten chairs FORUM"),
        ("who took the initiative for the arena in Lycksele?", "Coompanion took the initiative"),
        ("who coordinates the national network of regional hubs?", "DigiHub coordinates"),
        ("who runs Coompanion Nord?", "Roger Filipsson runs Coompanion Nord"),
    ],
)
def test_people_by_role(run_action, text, expected):
    assert expected in run_action(AnswerPeople(), text, "ask_people").text


def test_people_of_a_person_gives_role_and_what_they_hold(run_action):
    outcome = run_action(AnswerPeople(), "who is Philippe Luyten?", "ask_people")
    assert "Philippe Luyten chairs FORUM" in outcome.text
    assert "Eurometropolitan campus" in outcome.text


def test_members_named_by_kind_word(run_action):
    outcome = run_action(
        AnswerMembers(), "which desks does innov eurometropolis have?", "ask_members"
    )
    assert "Financing desk" in outcome.text and "International desk" in outcome.text
    assert "Logistics" not in outcome.text  # a thematic cluster, not a desk


def test_members_of_a_group_and_what_a_member_belongs_to(run_action):
    group = run_action(
        AnswerMembers(), "which gardens are in Tre næringshager i Troms?", "ask_members"
    )
    assert "Senja Næringshage" in group.text and "Halti Næringshage" in group.text
    member = run_action(
        AnswerMembers(), "which project is Senja Næringshage part of?", "ask_members"
    )
    assert "Three business gardens in Troms" in member.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how many applications did Siva get?", "31 applications"),
        ("how many municipalities does Kraftsenter Sør-Trøndelag cover?", "25 municipalities"),
        ("how many representatives sit in the FORUM?", "80 representatives"),
        ("how many thematic clusters does INNOV'EUROMETROPOLIS have?", "4 thematic clusters"),
    ],
)
def test_counts_chosen_by_what_is_counted(run_action, text, expected):
    assert expected in run_action(AnswerCount(), text, "ask_count").text


def test_website_of_a_platform_through_its_online_platform(run_action):
    outcome = run_action(AnswerWebsite(), "website of innov eurometropolis?", "ask_website")
    assert "https://ssl.astride.fr/innoveurometropolis" in outcome.text


def test_unknown_website_names_who_would_know_and_no_other_url(run_action):
    outcome = run_action(AnswerWebsite(), "website of Coompanion Nord?", "ask_website")
    assert "does not say its website" in outcome.text
    assert "073-034 55 55" in outcome.text and "http" not in outcome.text


def test_former_name_and_abbreviation(run_action):
    outcome = run_action(AnswerNames(), "what was Næringshage Nord called before?", "ask_names")
    assert "Næringshagen i Målselv" in outcome.text
    outcome = run_action(AnswerNames(), "what does MIC stand for?", "ask_names")
    assert "Ministère de l’Industrie et du Commerce" in outcome.text


def test_programme_of_a_call_and_its_framework(run_action):
    outcome = run_action(
        AnswerProgramme(), "which programme is the Bas-Saint-Laurent call part of?", "ask_programme"
    )
    assert "Regional innovation hubs and national network" in outcome.text
    assert "Government Action Plan for Entrepreneurship 2017-2022" in outcome.text


def test_duration_of_a_programme_and_of_one_project(run_action):
    programme = run_action(
        AnswerDuration(), "how long does the Québec hubs funding last?", "ask_duration"
    )
    assert "4 years" in programme.text
    project = run_action(
        AnswerDuration(), "over how many years does the Voss garden get its money?", "ask_duration"
    )
    assert "3 years" in project.text


def test_one_projects_grant_is_not_the_programme_total(run_action):
    outcome = run_action(AnswerFunding(), "how much did Fabrikken Næringshage get?", "ask_funding")
    assert "NOK4,000,000" in outcome.text
    assert "30,000,000" not in outcome.text


def test_per_recipient_and_year_amount_without_naming_a_call(run_action):
    outcome = run_action(
        AnswerFunding(), "how much does each regional hub in Québec get per year?", "ask_funding"
    )
    assert "CA$400,000" in outcome.text


def test_about_answers_with_the_subjects_own_sentence(run_action):
    outcome = run_action(AnswerAbout(), "what will the Voss business garden develop?", "ask_about")
    assert "competence centre" in outcome.text
    assert outcome.slot("subject_id") == "organisation:no-voss-naeringshage"


def test_tell_me_about_makes_the_subject_for_follow_ups(run_action):
    outcome = run_action(AnswerAbout(), "tell me about Innovationsarena Inland", "ask_about")
    assert "innovation arena" in outcome.text
    assert outcome.slot("subject_id") == "organisation:se-innovationsarena-inland"


def test_fallback_about_a_named_subject_is_unknown_with_who_would_know(run_action):
    outcome = run_action(
        AnswerFallback(), "does Innovationsarena Inland have parking?", "out_of_scope"
    )
    assert "does not say that" in outcome.text and "Roger Filipsson" in outcome.text


def test_fallback_without_a_known_subject_is_the_domain_reply(run_action):
    outcome = run_action(AnswerFallback(), "what's the weather like tomorrow", "out_of_scope")
    assert [m["response"] for m in outcome.messages] == ["utter_out_of_scope"]
    unsure = run_action(AnswerFallback(), "xqzt vlorp", "nlu_fallback")
    assert unsure.messages[0]["response"] == "utter_please_rephrase"


def test_a_bare_name_after_a_question_asks_it_about_that_name(run_action):
    slots = {"subject_id": "organisation:no-voss-naeringshage", "last_question": "ask_funding"}
    outcome = run_action(DescribeSubject(), "and Fabrikken?", "inform", slots=slots)
    assert "NOK4,000,000" in outcome.text


def test_a_question_about_a_hub_after_a_call_asks_the_calls_issuer(run_action):
    from actions.hub_questions import AnswerServices

    slots = {"subject_id": "call:ma-clusters-2023", "subject_kind": "call"}
    outcome = run_action(AnswerServices(), "what does it offer?", "ask_services", slots=slots)
    assert "Ministry of Industry and Trade" in outcome.text
    assert outcome.slot("subject_id") == "organisation:ma-mic"


def test_a_question_about_a_person_no_fact_answers_gets_who_they_are(run_action):
    from actions.about import AnswerFallback

    slots = {"person_id": "contact:qc-jean-damour", "subject_id": "contact:qc-jean-damour",
             "subject_kind": "contact"}  # fmt: skip
    outcome = run_action(AnswerFallback(), "what else is he minister for?", "out_of_scope",
                         slots=slots)  # fmt: skip
    assert "Jean D'Amour" in outcome.text
    assert "Maritime" in outcome.text or "maritime" in outcome.text, outcome.text


def test_a_count_the_network_of_a_hub_states_answers_for_the_hub(run_action):
    from actions.fact_questions import AnswerCount

    question = "How many of these regional innovation poles are going to be created across Québec?"
    outcome = run_action(AnswerCount(), question, "ask_count")
    assert "18 regional hubs" in outcome.text and "National network" in outcome.text


def test_a_count_of_another_record_of_the_same_document_is_no_answer(run_action):
    from actions.fact_questions import AnswerCount

    # Kraftsenter's gardens cover 25 municipalities; Fabrikken is not one of them.
    outcome = run_action(AnswerCount(), "how many municipalities does Fabrikken Næringshage serve?",
                         "ask_count")  # fmt: skip
    assert "25 municipalities" not in outcome.text and "does not say" in outcome.text


def test_a_count_the_knowledge_base_does_not_hold_is_unknown_not_another_count(run_action):
    from actions.fact_questions import AnswerCount

    question = "Il y aura combien de postes de travail dans l'arène de Lycksele ?"
    outcome = run_action(AnswerCount(), question, "ask_count", lang="fr")
    assert "membre" not in outcome.text and "n'indique pas" in outcome.text, outcome.text


def test_a_networks_online_platform_one_level_down(run_action):
    from actions.fact_questions import AnswerWebsite

    question = "is there an online place to share info with companies of the eurometropolis?"
    outcome = run_action(AnswerWebsite(), question, "ask_website")
    assert "https://ssl.astride.fr/innoveurometropolis" in outcome.text


def test_of_two_ministries_the_one_whose_programme_speaks_of_the_question(run_action):
    from actions.about import AnswerAbout

    question = "What is the ministry aiming for with the cluster concept?"
    outcome = run_action(AnswerAbout(), question, "ask_about")
    assert "governance structure" in outcome.text and not outcome.buttons


def test_the_role_asked_for_is_found_in_the_organisations_behind_a_call(run_action):
    from actions.fact_questions import AnswerPeople

    question = "Which minister spoke about the new money for the business gardens?"
    outcome = run_action(AnswerPeople(), question, "ask_people")
    assert "Jan Tore Sanner is the minister in charge" in outcome.text
    assert outcome.slot("person_id") == "contact:no-jan-tore-sanner"


def test_the_organisation_named_as_the_one_holder_of_a_role_becomes_the_subject(run_action):
    """ "Who builds the national network?" "DigiHub." … "where is it based?" is about DigiHub."""
    outcome = run_action(AnswerPeople(), "Qui a été chargé de bâtir le réseau national des pôles ?",
                         "ask_people", lang="fr")  # fmt: skip
    assert "DigiHub" in outcome.text
    assert outcome.slot("subject_id") == "organisation:qc-digihub-shawinigan"


def test_the_person_whose_role_the_question_describes(run_action):
    text = "who looks after external relations and communications at Region Vasterbotten?"
    for action, intent in ((AnswerPeople(), "ask_people"), (AnswerMembers(), "ask_members")):
        outcome = run_action(action, text, intent)  # a guessed intent: no confidence
        assert "Thomas Hartman" in outcome.text, intent
        assert "Olivia Collin" not in outcome.text, intent


def test_who_is_in_a_kind_of_member_describes_those_members(run_action):
    outcome = run_action(
        AnswerMembers(), "who works in the desks of the Eurometropolis platform?", "ask_members"
    )
    assert "One of the four desks" in outcome.text
    assert "brings together" not in outcome.text


def test_people_named_together_stand_for_the_record_they_all_hold_a_role_in(run_action):
    outcome = run_action(AnswerFounded(), "when was the platform of Aubry, Demotte and De Clerck "
                         "founded?", "ask_founded")  # fmt: skip
    assert "15 March 2011" in outcome.text or "March 15, 2011" in outcome.text
    assert outcome.buttons == []


def test_a_guessed_fact_question_that_asks_where_gets_where(run_action):
    outcome = run_action(
        AnswerFounded(), "in which area is the Swedish arena active?", "ask_founded"
    )  # fmt: skip (no confidence: a guess)
    assert "Lycksele" in outcome.text
    assert "founded" not in outcome.text


def test_a_guessed_who_question_that_asks_what_for_gets_the_aims(run_action):
    outcome = run_action(AnswerPeople(), "what does the garden in Voss want to achieve with the "
                         "money?", "ask_people")  # fmt: skip
    assert "The knowledge base does not say" not in outcome.text
    assert "Voss" in outcome.text


def test_the_name_of_a_scheme_an_organisations_texts_describe(run_action):
    outcome = run_action(AnswerNames(), "what is the name of the programme the Voss garden runs "
                         "for newly established firms?", "ask_names")  # fmt: skip
    assert "Gründerhjelpa" in outcome.text
    outcome = run_action(
        AnswerNames(),
        "Voss runs a scheme for newly started businesses: what is it called?",
        "ask_names",
    )  # fmt: skip (Voss the municipality: its one garden)
    assert "Gründerhjelpa" in outcome.text


def test_when_a_call_began_is_its_dates_not_its_issuers_founding(run_action):
    outcome = run_action(AnswerFounded(), "what year is the Moroccan clusters call for?",
                         "ask_founded")  # fmt: skip
    assert "2023" in outcome.text
    assert "founded" not in outcome.text


def test_a_message_not_understood_that_asks_for_a_call_lists_the_calls(run_action):
    outcome = run_action(AnswerFallback(), "the Moroccan ministry of industry, any call running "
                         "for clusters?", "nlu_fallback")  # fmt: skip
    assert "June 14, 2023" in outcome.text


def test_the_person_a_calls_source_quotes_in_the_role_asked(run_action):
    slots = {"subject_id": "call:qc-poles-bas-saint-laurent-2018", "subject_kind": "call"}
    outcome = run_action(AnswerPeople(), "which minister is responsible for that region?",
                         "ask_people", slots=slots)  # fmt: skip
    assert "Jean D'Amour" in outcome.text


def test_who_holds_a_role_for_a_place_is_asked_of_its_one_call(run_action):
    outcome = run_action(AnswerPeople(), "who is funding the business garden projects in Norway?",
                         "ask_people")  # fmt: skip
    assert "Siva" in outcome.text or "SIVA" in outcome.text


def test_a_guessed_question_that_asks_who_holds_a_role_gets_the_holder(run_action):
    outcome = run_action(
        AnswerFounded(), "who coordinates the national network of poles?", "ask_founded"
    )  # fmt: skip (a guess)
    assert "DigiHub" in outcome.text


def test_where_a_call_is_for_is_the_place_its_rules_require(run_action):
    outcome = run_action(AnswerLocation(), "the call in Quebec, which region is it for?",
                         "ask_location")  # fmt: skip
    assert "is for applicants in Bas-Saint-Laurent" in outcome.text


def test_a_programme_tied_with_the_network_its_announcement_creates_stands_for_both(run_action):
    outcome = run_action(AnswerAbout(), "vilket syfte har de regionala innovationspolerna?",
                         "ask_about", lang="sv")  # fmt: skip
    assert outcome.buttons == []
    assert outcome.slot("subject_id") == "programme:qc-poles-regionaux-innovation"


def test_where_an_organisation_is_includes_a_group_it_is_part_of_elsewhere(run_action):
    outcome = run_action(AnswerLocation(), "where is Region Västerbotten present?", "ask_location")
    assert "Umeå" in outcome.text and "Brussels" in outcome.text
    outcome = run_action(AnswerLocation(), "where is Røros Næringshage?", "ask_location")
    assert "part of" not in outcome.text  # its project works in the same county


def test_an_arabic_answer_gives_each_place_its_latin_name_once(run_action):
    outcome = run_action(AnswerPeople(), "من هو Jean D'Amour؟", "ask_people", lang="ar")
    assert "باس سان لوران (Bas-Saint-Laurent)" in outcome.text
    assert outcome.text.count("(Bas-Saint-Laurent)") == 1


def test_who_holds_a_role_in_a_town_with_one_hub_is_asked_of_that_hub(run_action):
    outcome = run_action(AnswerPeople(), "who will be the owner in Lycksele?", "ask_people")
    assert "group of stakeholders" in outcome.text


def test_a_guessed_contact_question_that_asks_who_holds_a_role_gets_the_holder(run_action):
    outcome = run_action(
        AnswerContact(), "who is going to own Innovationsarena Inland?", "ask_contact"
    )  # fmt: skip (no confidence: a guess)
    assert "group of stakeholders" in outcome.text


def test_a_message_not_understood_that_asks_where_a_named_record_is(run_action):
    outcome = run_action(AnswerFallback(), "Innovationsarena Inland, where??", "nlu_fallback")
    assert "Lycksele" in outcome.text


def test_an_answer_found_by_a_word_of_a_records_texts_says_whose_texts(run_action):
    outcome = run_action(AnswerAbout(), "what's Gründerakademiet?", "ask_about")
    assert "Fabrikken" in outcome.text


def test_what_a_record_described_by_its_kind_is_called(run_action):
    outcome = run_action(AnswerNames(), "what is the advisory council of the Eurometropolis "
                         "called?", "ask_names")  # fmt: skip
    assert "It is called FORUM" in outcome.text
