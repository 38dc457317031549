"""The eligibility check and "what fits me", run in-process against the seed knowledge base."""

from __future__ import annotations

import pytest
import yaml

from actions.call_questions import AnswerEligibility
from actions.journeys import facts
from actions.journeys.catalogue import MESSAGES_DIR
from actions.journeys.eligibility import (
    AskEligibilityAnswer,
    CheckEligibility,
    EligibilityVerdict,
    ValidateEligibilityForm,
)
from actions.journeys.fit import AskProfileAnswer, StartProfile, ValidateProfileForm, WhatFits
from knowledge.languages import SUPPORTED
from knowledge.query import KnowledgeBase

CLUSTERS = {"subject_id": "call:ma-clusters-2023", "subject_kind": "call"}
FORM = {"eligibility_call": "ma-clusters-2023"}


def followup(outcome) -> str | None:
    return next((e["name"] for e in outcome.events if e.get("event") == "followup"), None)


@pytest.fixture
def kb(seed_database_url: str) -> KnowledgeBase:
    return KnowledgeBase(seed_database_url)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("can a cluster with five years of state support apply?",
         {"organisation_type": "cluster", "years_of_support": 5}),
        ("un cluster avec 9 ans de soutien",
         {"organisation_type": "cluster", "years_of_support": 9}),
        ("kan en klynge med fem års statlig støtte søke", {"organisation_type": "cluster",
                                                           "years_of_support": 5}),
        ("en als het een nieuwe cluster was?", {"organisation_type": "cluster", "stage": "new"}),
        ("ett nytt kluster inom teknik", {"organisation_type": "cluster", "stage": "new",
                                          "sector": "technology"}),
        ("نحن تجمع منذ خمس سنوات", {"organisation_type": "cluster", "years_of_support": 5}),
        ("which calls fit my company?", {}),  # "company" alone says nothing of its kind
    ],
)  # fmt: skip
def test_facts_are_read_in_every_language(kb, text: str, expected: dict) -> None:
    found = {k: v for k, v in facts.read(kb, text).items() if k in expected or k != "place"}
    assert found == expected


def test_a_town_gives_its_region_and_country(kb) -> None:
    found = facts.read(kb, "vi er en næringshage i Voss")
    assert found["country"] == "NO"
    assert found["region"] == ["voss", "vestland"]
    assert found["organisation_type"] == "business_garden"


def test_answers_dont_know_other_fields_and_free_places(kb) -> None:
    assert facts.answer(kb, "I don't know", "sector", None) == (True, None)
    assert facts.answer(kb, "vet ikke", "years_of_support", None) == (True, None)
    assert facts.answer(kb, "12", "years_of_support", None) == (True, 12)
    assert facts.answer(kb, "nope", "existing_label", None) == (True, False)
    assert facts.answer(kb, "x", "sector", "existing") == (False, None)  # another button
    assert facts.answer(kb, "x", "organisation_type", "cooperative") == (True, "cooperative")
    found, value = facts.answer(kb, "Casablanca", "region", None)
    assert found and value == {"place_text": "Casablanca", "region": None}
    known, answered = facts.take(kb, {}, "we are a cluster", "region", None)
    assert known == {"organisation_type": "cluster"} and not answered
    assert facts.take(kb, {}, "what's the weather?", "sector", None) == (None, False)


def test_direct_question_with_facts_answers_at_once(run_action) -> None:
    outcome = run_action(
        CheckEligibility(), "can a cluster with five years of state support apply?",
        "check_eligibility", slots=CLUSTERS,
    )  # fmt: skip
    assert (
        "❌ Not met: Existing clusters must have passed 8 years of State support." in outcome.text
    )
    assert "original in French" in outcome.text and "machine translation" in outcome.text
    assert "(your answer: 5 years)" in outcome.text
    assert "Result: not eligible" in outcome.text
    assert followup(outcome) is None  # decided: nothing more to ask
    assert outcome.slot("applicant_facts") == {
        "organisation_type": "cluster",
        "years_of_support": 5,
    }


def test_what_if_reevaluates_with_remembered_answers(run_action) -> None:
    remembered = {"organisation_type": "cluster", "years_of_support": 5}
    outcome = run_action(
        CheckEligibility(), "and if it were a new cluster?", "check_eligibility",
        slots={**CLUSTERS, "applicant_facts": remembered},
    )  # fmt: skip
    assert outcome.text.count("➖ Does not apply to you") == 2
    assert "Result: not decided yet. Still needed: country, sector." in outcome.text
    assert "not eligible" not in outcome.text
    assert followup(outcome) == "eligibility_form"
    assert outcome.slot("applicant_facts")["stage"] == "new"


def test_an_unknown_never_makes_not_eligible(run_action) -> None:
    outcome = run_action(
        CheckEligibility(), "we are a cluster without a label, can we apply?",
        "check_eligibility", slots={**CLUSTERS, "applicant_facts": {"stage": None}},
    )  # fmt: skip
    # stage "I don't know": the failed label rule may not apply (only existing clusters)
    assert "❔ Unknown: The existing clusters concerned are those labelled" in outcome.text
    assert "(your answer: no)" in outcome.text
    assert "Result: not decided yet" in outcome.text
    assert "it applies only if: stage: existing organisation" in outcome.text


def test_who_can_apply_keeps_the_rule_text(run_action) -> None:
    outcome = run_action(AnswerEligibility(), "who can apply?", "ask_eligibility", slots=CLUSTERS)
    assert "8 years" in outcome.text
    assert "✅" not in outcome.text and "❔" not in outcome.text
    assert followup(outcome) is None


def test_am_i_eligible_starts_the_form_even_as_ask_eligibility(run_action) -> None:
    outcome = run_action(AnswerEligibility(), "am I eligible?", "ask_eligibility", slots=CLUSTERS)
    assert "Let's check whether you can apply" in outcome.text
    assert "8 years" in outcome.text  # the rule's own words first
    assert followup(outcome) == "eligibility_form"


def test_a_who_question_taken_for_a_check_quotes_the_rules(run_action) -> None:
    outcome = run_action(
        CheckEligibility(), "qui peut postuler à l'appel clusters ?", "check_eligibility", lang="fr"
    )
    assert "8 ans" in outcome.text and "❔" not in outcome.text


@pytest.mark.parametrize("lang", SUPPORTED)
def test_the_form_asks_what_the_criteria_need_with_buttons(run_action, lang: str) -> None:
    outcome = run_action(
        AskEligibilityAnswer(), "", "inform", lang=lang,
        slots={**FORM, "applicant_facts": {"organisation_type": "cluster", "country": "MA"}},
    )  # fmt: skip
    assert outcome.slot("eligibility_field") == "sector"
    payloads = [b["payload"] for b in outcome.buttons]
    assert '/inform{"answer": "industry"}' in payloads
    assert '/inform{"answer": "dont_know"}' in payloads


def test_validation_reads_an_answer_or_leaves_the_message_to_the_rules(run_action) -> None:
    slots = {**FORM, "eligibility_field": "sector", "applicant_facts": {"country": "MA"}}
    dont_know = run_action(ValidateEligibilityForm(), "je ne sais pas", "deny", slots=slots)
    assert dont_know.slot("applicant_facts") == {"country": "MA", "sector": None}
    assert dont_know.slot("eligibility_answer") is None  # more to ask
    assert run_action(ValidateEligibilityForm(), "what's the weather", "out_of_scope",
                      slots=slots).events == []  # fmt: skip
    last = {**FORM, "eligibility_field": "years_of_support", "applicant_facts": {
        "organisation_type": "cluster", "country": "MA", "sector": "industry",
        "stage": "existing", "existing_label": True}}  # fmt: skip
    done = run_action(ValidateEligibilityForm(), "9", "inform", slots=last)
    assert done.slot("eligibility_answer") == "done"


def test_verdict_lists_every_criterion(run_action) -> None:
    answers = {"organisation_type": "cluster", "country": "MA", "sector": "industry",
               "stage": "existing", "existing_label": True, "years_of_support": 9}  # fmt: skip
    outcome = run_action(
        EligibilityVerdict(), "9", "inform", lang="fr", slots={**FORM, "applicant_facts": answers}
    )
    assert outcome.text.count("✅ Rempli") == 5
    assert "Résultat : selon ces critères, vous êtes éligible." in outcome.text


def test_profile_starts_with_what_the_message_says(run_action) -> None:
    outcome = run_action(StartProfile(), "what fits a cluster in Morocco?", "find_fit")
    assert outcome.slot("applicant_facts")["organisation_type"] == "cluster"
    assert followup(outcome) == "profile_form"
    asked = run_action(AskProfileAnswer(), "", "inform",
                       slots={"applicant_facts": outcome.slot("applicant_facts")})  # fmt: skip
    assert asked.slot("profile_field") == "region"
    validated = run_action(
        ValidateProfileForm(),
        "no idea",
        "deny",
        slots={"profile_field": "region", "applicant_facts": outcome.slot("applicant_facts")},
    )
    assert validated.slot("applicant_facts")["region"] is None


def test_what_fits_ranks_open_fitting_calls_first_and_says_why(run_action) -> None:
    profile = {"country": "MA", "place": "country:ma", "organisation_type": "cluster",
               "sector": "industry", "stage": "new"}  # fmt: skip
    outcome = run_action(WhatFits(), "new", "inform", slots={"applicant_facts": profile})
    lines = outcome.text.splitlines()
    first = next(line for line in lines if line.startswith("• Call"))
    assert "Moroccan clusters" in first and "13 days left" in first
    assert "Fits: type of organisation: cluster, country: Morocco, sector: industry" in first
    assert "Hubs that serve you:" in outcome.text
    assert "serves Morocco" in outcome.text


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    import string

    def shape(lang: str) -> dict:
        data = yaml.safe_load((MESSAGES_DIR / f"{lang}.yml").read_text(encoding="utf-8"))
        out = {}
        for key, value in data.items():
            texts = value.values() if isinstance(value, dict) else [value]
            out[key] = {f for t in texts for _, f, _, _ in string.Formatter().parse(t) if f}
        return out

    english = shape("en")
    for lang in SUPPORTED:
        assert shape(lang) == english, lang


def test_hubs_of_a_sector_are_found_by_the_words_of_every_language(run_action) -> None:
    profile = {"country": None, "organisation_type": None, "sector": "agriculture", "stage": None}
    outcome = run_action(WhatFits(), "x", "inform", lang="nb", slots={"applicant_facts": profile})
    assert "Agro-voeding/gezondheid" in outcome.text
    assert "jobber med landbruk og mat" in outcome.text


def test_without_a_subject_the_check_asks_which_call_then_resumes(run_action) -> None:
    from actions.describe import DescribeSubject

    asked = run_action(AnswerEligibility(), "am I eligible?", "ask_eligibility")
    assert asked.slot("pending_intent") == "check_eligibility"
    payload = next(b["payload"] for b in asked.buttons if "ma-clusters-2023" in b["payload"])
    assert payload.startswith("/inform")
    chosen = run_action(
        DescribeSubject(), payload, "inform", slots={"pending_intent": "check_eligibility"},
        entities=[{"entity": "subject_id", "value": "call:ma-clusters-2023"}],
    )  # fmt: skip
    assert "Let's check whether you can apply" in chosen.text
    assert followup(chosen) == "eligibility_form"
