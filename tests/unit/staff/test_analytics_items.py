"""What one item of the analytics is (a user message and the answers to it), and the grouping
of similar unanswered questions (RapidFuzz + agglomerative clustering)."""

from __future__ import annotations

from datetime import datetime

from ops.tracker_events import Event
from staff import analytics


def user(sender, t, text, lang=None):
    parse = {"language": {"code": lang}} if lang else {}
    return Event(sender, "user", t, None, {"text": text, "parse_data": parse})


def bot(sender, t, text, **metadata):
    return Event(sender, "bot", t, None, {"text": text, "metadata": metadata})


def slot(sender, t, name, value):
    return Event(sender, "slot", t, None, {"name": name, "value": value})


EVENTS = [
    user("a", 1.0, "hello", "en"),
    slot("a", 1.1, "language", "fr"),
    bot("a", 1.2, "Bonjour"),
    user("a", 2.0, "blah blah"),
    bot("a", 2.2, "Pouvez-vous reformuler ?", utter_action="utter_please_rephrase"),
    user("b", 3.0, "who funds it", "nb"),
    slot("b", 3.1, "subject_id", "call:x-1"),
    bot("b", 3.2, "Vet ikke.", hubguide_unknown=True),
    bot("b", 3.3, "Spør Innovasjon Norge."),
    user("b", 4.0, "where is it"),
    slot("b", 4.1, "subject_id", "place:voss"),
    bot("b", 4.2, "Voss."),
    user("b", 5.0, "gibberish"),
    bot("b", 5.2, "Please rephrase.", utter_action="utter_please_rephrase"),
]


def test_items_are_user_messages_with_their_answers_language_record_and_problems():
    marks = {("b", 4.0): ("ada", datetime(2026, 1, 1))}
    found = analytics.items(EVENTS, {("b", 3.3): "down", ("a", 1.2): "up"}, marks)
    assert [(i.conversation_id, i.text) for i in found] == [
        ("a", "hello"),
        ("a", "blah blah"),
        ("b", "who funds it"),
        ("b", "where is it"),
        ("b", "gibberish"),
    ]
    hello, blah, funds, where, gibberish = found
    assert hello.language == "fr" and hello.up and not hello.problems  # the slot wins
    assert blah.language == "fr" and blah.problems == ("fallback",)
    assert funds.language == "nb" and funds.record == "call:x-1"
    assert funds.problems == ("unknown", "down")
    assert [text for _, text in funds.answers] == ["Vet ikke.", "Spør Innovasjon Norge."]
    assert where.record == "place:voss" and where.handled == marks[("b", 4.0)]
    assert gibberish.record is None and gibberish.language == "nb"  # the answer named none
    assert analytics.unanswered(found) == [gibberish, funds, blah]


def test_counts_per_key():
    found = analytics.items(EVENTS, {("b", 3.3): "down"})
    rows = dict(analytics.counts_by(found, lambda i: i.language))
    assert rows["fr"] == analytics.Counts(messages=2, fallback=1)
    assert rows["nb"] == analytics.Counts(messages=3, fallback=1, unknown=1, down=1)


def test_similar_questions_are_grouped_and_the_largest_group_comes_first():
    texts = [
        "what is the deadline for the cluster call",
        "What's the deadline for the cluster call?",
        "deadline for the cluster call please",
        "hvem finansierer Senja næringshage",
        "Hvem finansierer Senja Næringshage?",
        "order me a pizza",
    ]
    found = [analytics.Item(f"c{n}", float(n), text, fallback=True) for n, text in enumerate(texts)]
    groups = analytics.group_similar(found)
    sizes = [len(g.items) for g in groups]
    assert sizes == [3, 2, 1]
    assert {i.text for i in groups[0].items} == set(texts[:3])
    assert {i.text for i in groups[1].items} == set(texts[3:5])
    assert groups[0].label in texts[:3]


def test_no_or_one_question():
    assert analytics.group_similar([]) == []
    one = analytics.Item("c", 1.0, "only one", unknown=True)
    assert [len(g.items) for g in analytics.group_similar([one])] == [1]
