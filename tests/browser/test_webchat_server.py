"""The aiohttp service around the widget: page, bundle, health, and what happens unbuilt."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from webchat.server import WebConfig, create_app, parse_args

RASA = "http://rasa.example:5005"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    (tmp_path / "widget.js").write_text("/* bundle */", encoding="utf-8")
    (tmp_path / "widget.js.map").write_text("{}", encoding="utf-8")
    return tmp_path


async def fetch(client: TestClient, path: str):
    """GET with the body read, so that no request is left half-served."""
    response = await client.get(path)
    await response.read()
    response.release()
    return response


async def client_for(dist: Path) -> TestClient:
    client = TestClient(TestServer(create_app(WebConfig(rasa_url=RASA, dist_dir=dist))))
    await client.start_server()
    return client


async def test_demo_page_embeds_the_widget_with_one_script_tag(built: Path) -> None:
    client = await client_for(built)
    try:
        response = await client.get("/")
        assert response.status == 200
        page = await response.text()
        host = f"http://{client.host}:{client.port}"
        tag = f'<script src="{host}/widget.js" data-server="{RASA}" defer></script>'
        assert tag in page  # the live embed ...
        assert tag.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in page
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert f"connect-src 'self' {RASA} ws://rasa.example:5005" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        await client.close()


async def test_bundle_is_served_fresh_to_any_origin(built: Path) -> None:
    client = await client_for(built)
    try:
        response = await client.get("/widget.js")
        assert response.status == 200
        assert await response.text() == "/* bundle */"
        assert response.headers["Content-Type"].startswith(("application/javascript", "text/"))
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert (await fetch(client, "/widget.js.map")).status == 200
        assert (await fetch(client, "/widget.jsx")).status == 404
        assert (await fetch(client, "/static/demo.css")).status == 200
        health = await client.get("/healthz")
        assert health.status == 200
        assert (await health.json()) == {"status": "ok", "widget": "built"}
    finally:
        await client.close()


async def test_unbuilt_bundle_is_explained(tmp_path: Path) -> None:
    client = await client_for(tmp_path)
    try:
        page = await client.get("/")
        assert page.status == 503
        assert "webchat/build.sh" in await page.text()
        script = await client.get("/widget.js")
        assert script.status == 503
        assert "console.error" in await script.text()
        health = await client.get("/healthz")
        assert health.status == 503
        assert (await health.json())["widget"] == "not built"
    finally:
        await client.close()


def test_port_and_rasa_url_default_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("HUBGUIDE_WEB_PORT", "9191")
    monkeypatch.setenv("HUBGUIDE_RASA_URL", "http://10.0.0.5:5005")
    args = parse_args([])
    assert (args.port, args.rasa_url) == (9191, "http://10.0.0.5:5005")
    args = parse_args(["--port", "8081", "--rasa-url", RASA])
    assert (args.port, args.rasa_url) == (8081, RASA)
