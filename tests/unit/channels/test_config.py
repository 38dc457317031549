"""Channels configured from the environment; off (not broken) while their variables are unset."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rasa.core.run import create_http_input_channels

from bot.channels.messenger import MessengerInput
from bot.channels.telegram import TelegramInput
from bot.channels.whatsapp import WhatsAppInput

ROOT = Path(__file__).resolve().parents[3]

CHANNELS = (TelegramInput, MessengerInput, WhatsAppInput)


@pytest.fixture
def no_channel_variables(monkeypatch):
    for channel in CHANNELS:
        for variable in channel.variables.values():
            monkeypatch.delenv(variable, raising=False)


def test_rasa_starts_the_projects_channels_without_their_variables(
    no_channel_variables, caplog
) -> None:
    with caplog.at_level(logging.INFO):
        channels = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    messaging = {c.name(): c for c in channels if isinstance(c, CHANNELS)}
    assert set(messaging) == {"telegram", "messenger", "whatsapp"}
    assert not any(channel.enabled for channel in messaging.values())
    assert all(channel.get_output_channel() is None for channel in messaging.values())
    assert "HUBGUIDE_TELEGRAM_TOKEN, HUBGUIDE_TELEGRAM_SECRET" in caplog.text


def test_variables_turn_a_channel_on_and_credentials_override_them(
    no_channel_variables, monkeypatch
) -> None:
    monkeypatch.setenv("HUBGUIDE_TELEGRAM_TOKEN", "from-env")
    monkeypatch.setenv("HUBGUIDE_TELEGRAM_SECRET", "s")
    channel = TelegramInput.from_credentials(None)
    assert channel.enabled and channel.settings["token"] == "from-env"
    channel = TelegramInput.from_credentials({"token": "from-file"})
    assert channel.settings["token"] == "from-file"
    assert channel.get_output_channel() is channel.get_output_channel()  # no request needed


def test_whatsapp_needs_all_four_settings(no_channel_variables, monkeypatch) -> None:
    for variable in ("TOKEN", "PHONE_NUMBER_ID", "APP_SECRET"):
        monkeypatch.setenv(f"HUBGUIDE_WHATSAPP_{variable}", "x")
    assert not WhatsAppInput.from_credentials(None).enabled
    monkeypatch.setenv("HUBGUIDE_WHATSAPP_VERIFY_TOKEN", "v")
    assert WhatsAppInput.from_credentials(None).enabled
