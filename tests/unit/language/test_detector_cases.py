"""The detector on the cases issue 11 names: proper names, accent-less spellings, Swedish against
Norwegian, unsupported languages, texts without a language; and on the public development texts
(the check half, when ../shared/data/langid-dev is there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import langid_bench
from bot.language.codes import SUPPORTED
from bot.language.conversation import decide
from bot.language.detector import Detector, get_detector
from bot.language.names import NameMask

NAMES = NameMask(
    [
        "Næringshagen i Salten",
        "Kjell Olav Hansen",
        "Innovasjon Norge",
        "Skellefteå Science Park",
        "Vestland",
    ]
)


@pytest.fixture(scope="module")
def detector() -> Detector:
    return get_detector()


# -- proper names never decide ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("quand ouvre Næringshagen i Salten ?", "fr"),
        ("c'est quoi Innovasjon Norge", "fr"),
        ("qui est Kjell Olav Hansen ?", "fr"),
        ("who runs Skellefteå Science Park these days?", "en"),
        ("wie is de contactpersoon in Vestland", "nl"),
        ("hur kontaktar jag Innovasjon Norge", "sv"),
    ],
)
def test_known_names_do_not_decide(detector: Detector, text: str, code: str) -> None:
    assert detector.detect(text, NAMES).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Quelle est la date limite pour Innovasjon Norge Vestland ?", "fr"),
        ("Næringshage Nord up in Troms, did it use to go by another name?", "en"),
        ("Wanneer sluit de oproep van Næringshagen på Voss?", "nl"),
        ("Var ligger Næringshagen?", "sv"),
    ],
)
def test_capitalised_names_do_not_decide_without_the_knowledge_base(
    detector: Detector, text: str, code: str
) -> None:
    assert detector.detect(text).code == code


@pytest.mark.parametrize("text", ["Skellefteå", "Næringshagen i Salten", "Kjell Olav Hansen?"])
def test_a_message_that_is_only_a_name_never_switches(detector: Detector, text: str) -> None:
    for names in (None, NAMES):
        result = detector.detect(text, names)
        assert not result.reliable
        assert decide("fr", result).code == "fr"


# -- spellings without accents ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("date limite pour l'appel a projets ?", "fr"),
        ("ou se trouve le bureau", "fr"),
        ("qui peut deposer un dossier", "fr"),
        ("a quelle date ferme l'appel", "fr"),
        ("nar ar sista ansokningsdag", "sv"),
        ("kan jag soka", "sv"),
        ("vem kan soka bidrag", "sv"),
        ("hvem kan soke", "nb"),
        ("nar er soknadsfristen", "nb"),
        ("kan jeg soke pa utlysningen", "nb"),
    ],
)
def test_spellings_without_accents(detector: Detector, text: str, code: str) -> None:
    assert detector.detect(text).code == code


# -- Swedish and Norwegian ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Var ligger kontoret?", "sv"),  # "var" + verb: where (Swedish), not was
        ("var finns kontoret", "sv"),
        ("hvor ligger kontoret", "nb"),
        ("var det noe mer", "nb"),  # "var" + subject: was
        ("jag vill inte", "sv"),
        ("jeg vet ikke", "nb"),
        ("dessa", "sv"),
        ("disse", "nb"),
        ("inte", "sv"),
        ("ikke", "nb"),
        ("antal anställda", "sv"),
        ("antall ansatte", "nb"),
        ("hur ansöker jag", "sv"),
        ("hvordan søker jeg", "nb"),
        ("kva tid går fristen ut", "nb"),  # Nynorsk counts as Norwegian
        ("Företaget har sitt säte i Umeå och arbetar med förnybar energi.", "sv"),
        ("Bedriften holder til i Bodø og jobber med fornybar energi.", "nb"),
        ("Verksemda held til i Førde og arbeider med fornybar energi.", "nb"),
    ],
)
def test_swedish_and_norwegian_apart(detector: Detector, text: str, code: str) -> None:
    assert detector.detect(text).code == code


# -- languages the bot does not speak -----------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("hvad koster det at deltage", "da"),
        ("Virksomheden har hovedsæde i Aarhus og arbejder med vedvarende energi.", "da"),
        ("was kostet die Teilnahme", "de"),
        ("¿cuánto cuesta participar en el programa?", "es"),
        ("chi può partecipare al bando di quest'anno?", "it"),
        ("quem pode participar no programa de aceleração?", "pt"),
    ],
)
def test_unsupported_languages_are_recognised(detector: Detector, text: str, code: str) -> None:
    result = detector.detect(text)
    assert result.code == code
    assert result.reliable


def test_a_danish_sentence_keeps_a_norwegian_conversation(detector: Detector) -> None:
    result = detector.detect("Virksomheden har hovedsæde i Aarhus og arbejder med energi.")
    assert result.code == "da"
    assert decide("nb", result).code == "nb"


# -- texts without a language -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["", "12:30", "+47 22 33 44 55", "😀😀", "www.digihub.no", "post@hub.no", "... ?!"]
)
def test_texts_without_language(detector: Detector, text: str) -> None:
    result = detector.detect(text)
    assert result.code == "und"
    assert not result.reliable


@pytest.mark.parametrize("text", ["ok", "super", "hallo", "DigiHub", "budget", "ok ok"])
def test_shared_words_never_switch(detector: Detector, text: str) -> None:
    result = detector.detect(text)
    assert not result.reliable
    for current in SUPPORTED:
        assert decide(current, result).code == current


def test_no_short_chat_message_flips_an_established_conversation(detector: Detector) -> None:
    rows = langid_bench.load(langid_bench.DATA) + langid_bench.load(langid_bench.DATA / "dev")
    figures = langid_bench.sticky(detector, [r for r in rows if r["length_bucket"] == "1-2"])
    assert figures["short_messages_fed"] > 5000
    assert figures["short_flips"] == 0, figures["short_flip_examples"]


# -- the public development texts -------------------------------------------------------------
PUBLIC = langid_bench.PUBLIC


@pytest.mark.skipif(not (PUBLIC / "sentences").is_dir(), reason="no ../shared/data/langid-dev")
def test_public_texts_check_half(detector: Detector) -> None:
    rows = [
        row
        for row in langid_bench.load_public(Path(PUBLIC), "check")
        if row["length_bucket"] in ("2 words", "sentence")
    ]
    result = langid_bench.evaluate(lambda text: detector.detect(text).code, rows)
    assert result["average_six"]["2 words"] >= 0.96
    assert result["average_six"]["sentence"] >= 0.995
    assert result["sv_as_nb"]["sentence"] <= 0.005
    assert result["nb_as_sv"]["sentence"] <= 0.005
    assert result["accuracy"]["da"]["sentence"] >= 0.94  # Danish still recognised
    assert result["accuracy"]["de"]["sentence"] >= 0.98
