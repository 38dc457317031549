"""The staff page is off without its token, and wants the token as the Basic password."""

from __future__ import annotations

import base64

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from webchat.handoff_page import TOKEN_VARIABLE, form_token, staff_name


def request(user: str | None = None, password: str | None = None) -> web.Request:
    headers = {}
    if user is not None:
        credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
    return make_mocked_request("GET", "/handoff/", headers=headers)


def test_off_without_a_token(monkeypatch) -> None:
    monkeypatch.delenv(TOKEN_VARIABLE, raising=False)
    with pytest.raises(web.HTTPForbidden):
        staff_name(request("Amina", ""))


def test_the_token_is_the_password_and_the_user_is_the_name(monkeypatch) -> None:
    monkeypatch.setenv(TOKEN_VARIABLE, "t0ken")
    assert staff_name(request("Amina", "t0ken")) == "Amina"
    for wrong in (request(), request("Amina", "nope"), request("", "t0ken")):
        with pytest.raises(web.HTTPUnauthorized):
            staff_name(wrong)


def test_form_tokens_are_per_case_and_per_secret() -> None:
    assert form_token(1, "a") != form_token(2, "a") != form_token(1, "b")
