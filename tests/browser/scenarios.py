"""What each browser test says and what it expects back, per assistant profile.

`hubguide` is the real bot (tests/conftest.py `rasa_stack`), with facts from the seed documents;
`stock` is a stock `rasa init` bot used while building the widget (HUBGUIDE_STOCK_BOT), whose
utter_greet carries the buttons "Great"/"Sad" and whose utter_iamabot contains markup and links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Check = Callable[[list[str]], None]

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
LATIN_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]")


def replied(texts: list[str]) -> None:
    assert texts and all(t.strip() for t in texts), f"expected a reply, got {texts!r}"


def contains(*needles: str) -> Check:
    def check(texts: list[str]) -> None:
        joined = "\n".join(texts)
        for needle in needles:
            assert needle.casefold() in joined.casefold(), f"{needle!r} not in reply {joined!r}"

    return check


def mostly_arabic(texts: list[str]) -> None:
    joined = "\n".join(texts)
    arabic, latin = len(ARABIC_LETTER.findall(joined)), len(LATIN_LETTER.findall(joined))
    assert arabic > latin, f"expected an Arabic reply, got {joined!r}"


def all_of(*checks: Check) -> Check:
    def check(texts: list[str]) -> None:
        for c in checks:
            c(texts)

    return check


@dataclass(frozen=True)
class Conversation:
    locale: str  # the browser's language (navigator.language)
    first: str
    expect_first: Check
    follow_up: str
    expect_follow_up: Check
    bot_dir: str | None  # the direction every bot bubble must have; None = not checked
    link_href: str | None = None  # a link the follow-up answer must make clickable


@dataclass(frozen=True)
class ButtonChoice:
    locale: str
    ask: str  # a message the bot answers with a choice list
    min_buttons: int
    expect_choice_reply: Callable[[str, list[str]], None]  # (chosen title, reply texts)


@dataclass(frozen=True)
class Profile:
    french: Conversation
    arabic: Conversation
    buttons: ButtonChoice
    simple: str  # any message the bot answers (reload, new conversation, offline tests)
    bot_markup: tuple[str, str] | None  # (message, literal markup the reply must show)


def _names_chosen_hub(title: str, texts: list[str]) -> None:
    """HubGuide answers about the hub that was picked, by its name."""
    replied(texts)
    assert title.casefold() in "\n".join(texts).casefold(), f"{title!r} not in {texts!r}"


def _stock_choice(title: str, texts: list[str]) -> None:
    assert title == "Great" and "Great, carry on!" in texts, texts


PROFILES = {
    # Expectations on the real HubGuide bot (seed 004: Moroccan clusters call, deadline
    # 14 June 2023, contact fzaitelhabti@mcinet.gov.ma; seed 001: several "næringshager").
    "hubguide": Profile(
        french=Conversation(
            locale="fr-FR",
            first="Bonjour ! Quelle est la date limite de l'appel à projets pour les clusters "
            "marocains ?",
            expect_first=contains("14 juin 2023"),
            follow_up="Et qui dois-je contacter ?",
            expect_follow_up=contains("fzaitelhabti@mcinet.gov.ma"),
            bot_dir="ltr",
            link_href="mailto:fzaitelhabti@mcinet.gov.ma",
        ),
        arabic=Conversation(
            locale="ar",
            first="متى آخر أجل لدعوة الكلسترات المغربية؟",
            expect_first=all_of(mostly_arabic, contains("يونيو 2023")),
            follow_up="ومن أتصل به؟",
            expect_follow_up=all_of(mostly_arabic, contains("fzaitelhabti@mcinet.gov.ma")),
            bot_dir="rtl",
            link_href="mailto:fzaitelhabti@mcinet.gov.ma",
        ),
        buttons=ButtonChoice(
            locale="nb-NO",
            ask="Hva tilbyr næringshagen?",
            min_buttons=2,
            expect_choice_reply=_names_chosen_hub,
        ),
        simple="Hei",
        bot_markup=None,
    ),
    # A stock `rasa init` bot answers in English whatever the language: the widget must still
    # show the user's Arabic right to left and the bot's English left to right.
    "stock": Profile(
        french=Conversation(
            locale="fr-FR",
            first="bonjour",
            expect_first=replied,
            follow_up="are you a bot?",
            expect_follow_up=contains("I am a bot"),
            bot_dir="ltr",
            link_href="mailto:help@example.org",
        ),
        arabic=Conversation(
            locale="ar",
            first="مرحبا",
            expect_first=replied,
            follow_up="هل أنت روبوت؟",
            expect_follow_up=replied,
            bot_dir="ltr",
        ),
        buttons=ButtonChoice(
            locale="en-GB", ask="hello", min_buttons=2, expect_choice_reply=_stock_choice
        ),
        simple="hello",
        bot_markup=("are you a bot?", "<b>not bold</b>"),
    ),
}
