"""The Rasa NLU component adds the detection to every message, training and inference alike."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema  # noqa: E402
from rasa.engine.recipes.default_recipe import DefaultV1Recipe  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.constants import TEXT  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.components.language_detector import LanguageDetector  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def component(tmp_path_factory: pytest.TempPathFactory) -> LanguageDetector:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    context = ExecutionContext(GraphSchema({}), "test-model")
    return LanguageDetector.create(
        LanguageDetector.get_default_config(), storage, Resource("language"), context
    )


def test_is_a_registered_graph_component() -> None:
    assert issubclass(LanguageDetector, GraphComponent)
    registered = DefaultV1Recipe._from_registry(LanguageDetector.__name__)
    assert registered.clazz is LanguageDetector
    assert DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER in registered.types
    assert registered.is_trainable is False


def test_is_first_in_the_pipeline() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    assert config["pipeline"][0]["name"] == "bot.components.language_detector.LanguageDetector"


def test_process_sets_the_language_in_the_parse_output(component: LanguageDetector) -> None:
    message = Message(data={TEXT: "når er søknadsfristen for næringshagen?"})
    component.process([message])
    language = message.get("language")
    assert language["code"] == "nb"
    assert language["reliable"] is True
    assert 0.6 <= language["confidence"] <= 1.0
    assert "language" in message.as_dict_nlu()  # add_to_output: shown by /model/parse


def test_short_messages_are_detected_but_not_reliable(component: LanguageDetector) -> None:
    messages = [Message(data={TEXT: text}) for text in ("merci", "ok", "Voss")]
    component.process(messages)
    found = [m.get("language") for m in messages]
    assert found[0]["code"] == "fr"
    assert found[2]["code"] == "und"
    assert not any(f["reliable"] for f in found)


def test_process_training_data_labels_every_example(component: LanguageDetector) -> None:
    examples = [
        Message(data={TEXT: "tack så mycket", "intent": "thank"}),
        Message(data={TEXT: "wie kan zich aanmelden", "intent": "eligibility"}),
    ]
    data = component.process_training_data(TrainingData(training_examples=examples))
    assert [m.get("language")["code"] for m in data.training_examples] == ["sv", "nl"]


def test_a_message_without_text_is_left_alone(component: LanguageDetector) -> None:
    message = Message(data={"intent": "greet"})
    component.process([message])
    assert message.get("language") is None
