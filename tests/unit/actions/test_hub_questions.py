"""Services, contacts, hand-off, events, finding hubs, listing calls and bare names."""

from __future__ import annotations

from actions.describe import DescribeSubject
from actions.discovery import FindHub, ListCalls
from actions.hub_questions import AnswerContact, AnswerEvents, AnswerServices, Handoff


def test_services_of_an_innovation_arena(run_action):
    outcome = run_action(
        AnswerServices(), "what does innovationsarena inland offer", "ask_services"
    )
    assert "Meeting rooms" in outcome.text


def test_services_of_a_platform_include_what_its_desks_offer(run_action):
    outcome = run_action(AnswerServices(), "Quels services propose INNOV'EUROMETROPOLIS ?",
                         "ask_services", lang="fr")  # fmt: skip
    text = outcome.text
    assert "appels d'offres internationaux" in text  # its own services
    assert "Ses membres proposent aussi" in text and "Desk Financement" in text
    assert text.index("appels d'offres") < text.index("Desk Financement")


def test_contact_gives_person_phone_and_email(run_action):
    outcome = run_action(
        AnswerContact(), "who do I contact at innovationsarena inland", "ask_contact"
    )
    assert "Roger Filipsson" in outcome.text
    assert "073-034 55 55" in outcome.text
    assert "roger.filipsson@coompanion.se" in outcome.text


def test_handoff_gives_the_responsible_contact_of_the_subject(run_action):
    slots = {"subject_id": "call:ma-clusters-2023", "subject_kind": "call"}
    outcome = run_action(Handoff(), "can I talk to a person", "human_handoff", slots=slots)
    assert "fzaitelhabti@mcinet.gov.ma" in outcome.text


def test_events_in_a_municipality_with_time_span(run_action):
    outcome = run_action(AnswerEvents(), "any events in lycksele?", "ask_events")
    assert "May 31, 2018, 9:00 AM–11:00 AM" in outcome.text
    assert "Skolgatan 11" in outcome.text


def test_hubs_in_a_region(run_action):
    outcome = run_action(FindHub(), "naeringshage i troms", "find_hub")
    assert "Senja Næringshage" in outcome.text
    assert "Halti Næringshage" in outcome.text


def test_open_calls_by_status_entity(run_action):
    entities = [{"entity": "call_status", "value": "open"}]
    outcome = run_action(ListCalls(), "which calls are open", "list_calls", entities=entities)
    assert "1 call for projects is open" in outcome.text
    assert "13 days left" in outcome.text


def test_closed_calls(run_action):
    entities = [{"entity": "call_status", "value": "closed"}]
    outcome = run_action(ListCalls(), "closed calls", "list_calls", entities=entities)
    assert "Bas-Saint-Laurent" in outcome.text


def test_ambiguous_name_becomes_a_choice(run_action):
    outcome = run_action(DescribeSubject(), "næringshage", "inform")
    assert len(outcome.buttons) >= 2
    assert all(button["payload"].startswith("/inform{") for button in outcome.buttons)


def test_bare_hub_name_is_described(run_action):
    outcome = run_action(DescribeSubject(), "digihub", "inform")
    assert "Shawinigan" in outcome.text
    assert outcome.slot("subject_id") == "organisation:qc-digihub-shawinigan"


def test_services_without_a_hub_ask_which_one_and_wait(run_action):
    outcome = run_action(AnswerServices(), "what services do you offer?", "ask_services")
    assert "Which hub or call do you mean?" in outcome.text
    # No arbitrary hubs as buttons: only records the message came close to naming.
    assert all(b["payload"].startswith("/inform{") for b in outcome.buttons)
    assert outcome.slot("pending_intent") == "ask_services"


def test_a_name_every_garden_shares_is_a_choice_not_a_guess(run_action):
    # "næringshagen" ties five gardens; the word they share must not pick the one whose own
    # texts repeat it, and the call they all come from is no answer to "what does it offer?".
    outcome = run_action(AnswerServices(), "Hva tilbyr næringshagen?", "ask_services", lang="nb")
    titles = [button["title"] for button in outcome.buttons]
    assert len(titles) >= 2 and "Næringshagen på Voss" in titles, outcome.text
    assert outcome.slot("pending_intent") == "ask_services"


def test_events_of_what_an_organisation_launched_and_meetings_it_offers(run_action):
    outcome = run_action(AnswerEvents(), "any events at Coompanion?", "ask_events")
    assert "Events of Innovationsarena Inland" in outcome.text and "May 31, 2018" in outcome.text
    question = "Does Innov'Eurometropolis put on any events where I could meet people?"
    outcome = run_action(AnswerEvents(), question, "ask_events")
    assert "I have no event recorded" in outcome.text and "Seminars and conferences" in outcome.text


def test_an_event_named_among_a_towns_events_is_the_one_answered(run_action):
    """ "When is the dialogträff in Lycksele?": that event, and it becomes the subject."""
    outcome = run_action(AnswerEvents(), "when is the dialogträff in Lycksele?", "ask_events")
    assert "Dialogue meeting" in outcome.text and "Mötesplats Lycksele (" not in outcome.text
    assert outcome.slot("subject_id") == "event:se-lycksele-dialogtraff-2018"


def test_a_hub_question_that_names_a_call_lists_the_calls_of_its_place(run_action):
    outcome = run_action(FindHub(), "any call for industrial clusters running in Morocco?",
                         "find_hub")  # fmt: skip
    assert "June 14, 2023" in outcome.text
    assert "Division" not in outcome.text  # not the hubs of Morocco


def test_a_call_asked_as_open_that_is_closed_is_shown_closed(run_action):
    entities = [{"entity": "call_status", "value": "open"}]
    outcome = run_action(ListCalls(), "is the Quebec poles call still open?", "list_calls",
                         entities=entities)  # fmt: skip
    assert "closed" in outcome.text and "April 30, 2018" in outcome.text
    assert "is open" not in outcome.text


def test_a_groups_members_without_a_place_of_their_own_are_found_where_it_works(run_action):
    outcome = run_action(FindHub(), "business gardens in Trøndelag?", "find_hub")
    # recorded with no municipality: they work where their county project does
    assert "Trøndersk Kystkompetanse" in outcome.text
    assert "Nasjonalparken Næringshage" in outcome.text
    assert "part of Kraftsenter Sør-Trøndelag" in outcome.text


def test_of_a_region_and_its_country_the_region_narrows_the_search(run_action):
    outcome = run_action(FindHub(), "innovation spaces in Västerbotten in Sweden", "find_hub")
    assert "for Västerbotten" in outcome.text
    assert "Coompanion Nord" not in outcome.text  # a Swedish hub outside the region


def test_an_arabic_place_name_has_its_latin_name_beside_it(run_action):
    outcome = run_action(FindHub(), "هل توجد حاضنة في Lycksele؟", "find_hub", lang="ar")
    assert "(Lycksele)" in outcome.text


def test_events_narrowed_to_the_day_the_question_names(run_action):
    outcome = run_action(AnswerEvents(), "que se passe-t-il à Lycksele le 31 mai ?", "ask_events",
                         lang="fr")  # fmt: skip
    assert "Skolgatan 11" in outcome.text
    assert "Mötesplats Lycksele (en suédois" not in outcome.text  # no date: not that day's
    assert outcome.slot("subject_id") == "event:se-lycksele-dialogtraff-2018"


def test_services_of_an_organisation_without_any_are_those_of_what_it_launched(run_action):
    outcome = run_action(AnswerServices(), "what does Coompanion offer?", "ask_services")
    assert "Innovationsarena Inland" in outcome.text and "Office" in outcome.text


def test_a_services_question_asking_what_a_group_brings_together_gets_its_members(run_action):
    outcome = run_action(AnswerServices(), "what kinds of actors does INNOV'EUROMETROPOLIS bring "
                         "together?", "ask_services")  # fmt: skip
    assert "brings together" in outcome.text and "researchers" in outcome.text
