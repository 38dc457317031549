"""The web chat service: a demo hub-network page with the chat on it, the widget bundle, /healthz.

    python -m webchat.server --host 127.0.0.1 --port 8080 --rasa-url http://127.0.0.1:5005

The widget itself talks to Rasa's socket.io channel directly from the browser; this service
serves files, the calendar files of call deadlines (webchat/calendar.py) and the staff
hand-off page (webchat/handoff_page.py), so it stays up (and says what is wrong) even when Rasa
is down.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from staff import app as staff_app

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
DEFAULT_DIST_DIR = STATIC_DIR / "dist"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
BUNDLE = "widget.js"
# rasa-webchat (npm, the widget of Rasa's demo bots), copied from node_modules by build.sh
RASA_WEBCHAT_BUNDLE = "rasa-webchat.js"

DEFAULT_PORT = 8080
DEFAULT_RASA_URL = "http://127.0.0.1:5005"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebConfig:
    """What the service needs to know; `rasa_url` is the address the *browser* uses."""

    rasa_url: str = DEFAULT_RASA_URL
    dist_dir: Path = DEFAULT_DIST_DIR

    @property
    def bundle(self) -> Path:
        return self.dist_dir / BUNDLE


CONFIG_KEY = web.AppKey("config", WebConfig)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    """The demo page loads only its own files and talks only to Rasa (polling + WebSocket)."""
    rasa = _origin(rasa_url)
    ws = rasa.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: https:",
            f"connect-src 'self' {rasa} {ws}",
            "frame-ancestors 'self'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
    )


def embed_tag(widget_url: str, rasa_url: str) -> str:
    """The one line a hub puts on its page."""
    return (
        f'<script src="{html.escape(widget_url)}" '
        f'data-server="{html.escape(rasa_url)}" defer></script>'
    )


def _template(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


def _not_built(config: WebConfig) -> web.Response:
    body = _template("not_built.html").replace("{bundle}", html.escape(str(config.bundle)))
    return web.Response(status=503, text=body, content_type="text/html")


async def demo_page(request: web.Request) -> web.Response:
    config = request.app[CONFIG_KEY]
    if not config.bundle.is_file():
        return _not_built(config)
    tag = embed_tag(f"{request.scheme}://{request.host}/{BUNDLE}", config.rasa_url)
    body = (
        _template("demo.html").replace("{embed_code}", html.escape(tag)).replace("{embed_tag}", tag)
    )
    return web.Response(
        text=body,
        content_type="text/html",
        headers={"Content-Security-Policy": content_security_policy(config.rasa_url)},
    )


async def rasa_webchat_page(request: web.Request) -> web.Response:
    """The same demo site with rasa-webchat 1.0.1 instead of HubGuide's widget: the client many
    Rasa bots already use, talking to the same socket.io channel."""
    config = request.app[CONFIG_KEY]
    if not (config.dist_dir / RASA_WEBCHAT_BUNDLE).is_file():
        return _not_built(config)
    body = _template("rasa_webchat.html").replace("{rasa_url}", html.escape(config.rasa_url))
    return web.Response(
        text=body,
        content_type="text/html",
        headers={"Content-Security-Policy": content_security_policy(config.rasa_url)},
    )


async def widget(request: web.Request) -> web.StreamResponse:
    """The bundle, embeddable from any origin; revalidated so a rebuild is picked up at once."""
    config = request.app[CONFIG_KEY]
    name = request.match_info.get("name", BUNDLE)
    path = config.dist_dir / name
    if not path.is_file():
        if name != BUNDLE:
            raise web.HTTPNotFound()
        message = f"HubGuide chat: the widget bundle was not built ({config.bundle})."
        return web.Response(
            status=503,
            text=f"console.error({json.dumps(message)});\n",
            content_type="application/javascript",
        )
    return web.FileResponse(
        path,
        headers={
            "Cache-Control": "no-cache",
            "Access-Control-Allow-Origin": "*",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


async def healthz(request: web.Request) -> web.Response:
    """200 when the chat can be served, 503 (with the reason) when the bundle is missing."""
    config = request.app[CONFIG_KEY]
    built = config.bundle.is_file()
    return web.json_response(
        {"status": "ok" if built else "error", "widget": "built" if built else "not built"},
        status=200 if built else 503,
    )


@web.middleware
async def security_headers(request: web.Request, handler):  # type: ignore[no-untyped-def]
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response


def create_app(config: WebConfig | None = None) -> web.Application:
    app = web.Application(middlewares=[security_headers])
    app[CONFIG_KEY] = config or WebConfig()
    app.router.add_get("/", demo_page)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/rasa-webchat", rasa_webchat_page)
    app.router.add_get("/{name:widget\\.js(?:\\.map|\\.LEGAL\\.txt)?}", widget)
    app.router.add_get("/{name:rasa-webchat\\.(?:js|LICENSE\\.txt)}", widget)
    app.router.add_static("/static", STATIC_DIR, follow_symlinks=False)
    # Calendar files of call deadlines, and the hand-off queue's staff page (docs/DESIGN.md).
    from webchat import calendar, feedback, handoff_page

    calendar.add_routes(app)
    handoff_page.add_routes(app)
    feedback.add_routes(app)  # POST /feedback: thumbs votes on answers (webchat/feedback.py)

    # the staff workspace at /staff/ (staff/app.py); it opens the database on first use
    staff_app.mount(app, rasa_url=app[CONFIG_KEY].rasa_url)
    return app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m webchat.server", description="HubGuide web chat server"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("HUBGUIDE_WEB_PORT", DEFAULT_PORT))
    )
    parser.add_argument(
        "--rasa-url",
        default=os.environ.get("HUBGUIDE_RASA_URL", DEFAULT_RASA_URL),
        help="Rasa server URL as the browser reaches it (socket.io channel on /socket.io)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from ops import logs  # JSON lines by default, HUBGUIDE_LOG_FORMAT=text for a terminal

    logs.configure("webchat")
    config = WebConfig(rasa_url=args.rasa_url.rstrip("/"))
    if not config.bundle.is_file():
        logger.warning("widget bundle missing (%s): run webchat/build.sh", config.bundle)
    shown_host = "localhost" if args.host in ("0.0.0.0", "::") else args.host
    url = f"http://{shown_host}:{args.port}/"
    web.run_app(
        create_app(config),
        host=args.host,
        port=args.port,
        print=lambda _: print(f"HubGuide web chat: {url} (Rasa at {config.rasa_url})", flush=True),
    )


if __name__ == "__main__":
    main()
