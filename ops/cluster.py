"""Several replicas on one machine: `make cluster`, the cluster tests and the load benchmark.

PostgreSQL holds the knowledge base and Rasa's tracker store (two databases), Redis Rasa's lock
store; two Rasa replicas and two action servers run behind nginx, which also serves the web
chat. Everything listens on 127.0.0.1 (nginx's public ports follow HUBGUIDE_BIND, as `make run`
does); the internal ports are free ones. The pieces:

- `ClusterSettings`: where PostgreSQL and Redis are, the database names, the ports.
- `endpoints_yaml()`: the Rasa endpoints file for the replicas (written to the work folder;
  passwords are not written, Rasa reads them from the environment).
- `nginx_conf()`: nginx's config (least connections for REST, sticky for socket.io with the
  WebSocket upgrade, X-Forwarded-For set to the address nginx saw).

A replica killed while it holds a conversation's lock delays that conversation's next message by
at most Rasa's TICKET_LOCK_LIFETIME (seconds, 60 by default; pass it in `Cluster.env`).
- `Cluster`: prepares the databases, starts and stops the servers (ops/stack.py's `Server` and
  `Stack`), `with Cluster(...) as cluster:`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ops.stack import (
    BIND_VARIABLE,
    DEFAULT_PORTS,
    ORIGINS_VARIABLE,
    PORT_VARIABLES,
    ROOT,
    TOKEN_VARIABLE,
    Server,
    Stack,
)

NGINX = Path("/usr/sbin/nginx")
INSTALL_NGINX = ROOT / "ops" / "install_nginx.sh"
CONTENT = ROOT / "knowledge" / "content"
POSTGRES_VARIABLE = "HUBGUIDE_POSTGRES_URL"  # server only, no database: postgresql://u:p@h:port
REDIS_VARIABLE = "HUBGUIDE_REDIS_URL"  # redis://[:password@]host:port/db
KB_DATABASE_VARIABLE = "HUBGUIDE_CLUSTER_KB_DB"
TRACKER_DATABASE_VARIABLE = "HUBGUIDE_CLUSTER_TRACKER_DB"
# The lock store class: "atomic" (ops/lock_store.py, the default) or "redis" (Rasa's own, whose
# tickets are not issued atomically: RasaHQ/rasa#9213).
LOCK_STORE_VARIABLE = "HUBGUIDE_LOCK_STORE"
LOCK_STORES = {"atomic": "ops.lock_store.AtomicRedisLockStore", "redis": "redis"}
# Each replica serves its Prometheus metrics on its own port: replica i gets this port + i.
RASA_METRICS_VARIABLE = "HUBGUIDE_RASA_METRICS_PORT"
# Signs the web chat's conversation ids (bot/channels/limits.py): one for all replicas.
SESSION_SECRET_VARIABLE = "HUBGUIDE_SESSION_SECRET"
# Read by Rasa when it reads the endpoints file (`${…}`), so that no password is written to disk.
TRACKER_PASSWORD_VARIABLE = "HUBGUIDE_TRACKER_DB_PASSWORD"
REDIS_PASSWORD_VARIABLE = "HUBGUIDE_REDIS_PASSWORD"


def free_ports(count: int, avoid: set[int] = frozenset()) -> list[int]:
    """`count` different free TCP ports on loopback, none of them in `avoid` (free_port() twice
    in a row may give the same port: the sockets here are held open until all are chosen)."""
    sockets, ports = [], []
    try:
        while len(ports) < count:
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
            port = sock.getsockname()[1]
            if port not in avoid:
                ports.append(port)
    finally:
        for sock in sockets:
            sock.close()
    return ports


@dataclass(frozen=True)
class Service:
    """Host, port, user and password of PostgreSQL or Redis, from a URL."""

    host: str
    port: int
    user: str | None = None
    password: str | None = None
    database: str | None = None

    @classmethod
    def parse(cls, url: str, default_port: int) -> Service:
        parts = urlsplit(url)
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or default_port,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            database=parts.path.lstrip("/") or None,
        )

    def reachable(self, timeout: float = 2.0) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=timeout):
                return True
        except OSError:
            return False


@dataclass
class ClusterSettings:
    """What a cluster runs on. Defaults: this machine's PostgreSQL and Redis, `make run`'s
    public ports (5005 for Rasa, 8080 for the web chat, now served by nginx)."""

    postgres_url: str = field(
        default_factory=lambda: os.environ.get(
            POSTGRES_VARIABLE, "postgresql://postgres@127.0.0.1:5432"
        )
    )
    redis_url: str = field(
        default_factory=lambda: os.environ.get(REDIS_VARIABLE, "redis://127.0.0.1:6379/0")
    )
    kb_database: str = field(
        default_factory=lambda: os.environ.get(KB_DATABASE_VARIABLE, "hubguide")
    )
    tracker_database: str = field(
        default_factory=lambda: os.environ.get(TRACKER_DATABASE_VARIABLE, "hubguide_conversations")
    )
    # Alphanumeric (Rasa drops any other prefix): keeps several clusters apart in one Redis.
    lock_key_prefix: str = "hubguide"
    lock_store: str = field(default_factory=lambda: os.environ.get(LOCK_STORE_VARIABLE, "atomic"))
    replicas: int = 2
    # nginx's public ports; the replicas', action servers' and web chat's are free ones.
    rasa_port: int = field(
        default_factory=lambda: int(os.environ.get(PORT_VARIABLES["rasa"], DEFAULT_PORTS["rasa"]))
    )
    web_port: int = field(
        default_factory=lambda: int(os.environ.get(PORT_VARIABLES["web"], DEFAULT_PORTS["web"]))
    )
    bind: str = field(default_factory=lambda: os.environ.get(BIND_VARIABLE, "127.0.0.1"))

    @property
    def postgres(self) -> Service:
        return Service.parse(self.postgres_url, 5432)

    @property
    def redis(self) -> Service:
        return Service.parse(self.redis_url, 6379)

    def database_url(self, database: str) -> str:
        """SQLAlchemy URL of `database` on the PostgreSQL server (with its password)."""
        parts = urlsplit(self.postgres_url)
        return f"postgresql+psycopg2://{parts.netloc}/{database}"

    @property
    def kb_url(self) -> str:
        return self.database_url(self.kb_database)

    def unavailable_reason(self) -> str | None:
        """Why the cluster cannot start here (PostgreSQL, Redis or nginx missing), or None."""
        pg, redis = self.postgres, self.redis
        if not pg.reachable():
            return f"PostgreSQL on {pg.host}:{pg.port} not reachable"
        if not redis.reachable():
            return f"Redis on {redis.host}:{redis.port} not reachable"
        if not NGINX.exists():
            return f"{NGINX} missing (bash ops/install_nginx.sh installs it)"
        if self.lock_store not in LOCK_STORES:
            return f"{LOCK_STORE_VARIABLE} must be one of {', '.join(LOCK_STORES)}"
        return None


def ensure_nginx() -> str | None:
    """Installs nginx when missing (ops/install_nginx.sh); None, or why there is none."""
    if NGINX.exists():
        return None
    result = subprocess.run(
        ["bash", str(INSTALL_NGINX)], capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0 or not NGINX.exists():
        return f"nginx could not be installed: {(result.stderr or result.stdout)[-500:]}"
    return None


def ensure_database(settings: ClusterSettings, database: str) -> bool:
    """Creates `database` on the PostgreSQL server unless it exists; True when it was made."""
    import psycopg2

    pg = settings.postgres
    connection = psycopg2.connect(
        host=pg.host, port=pg.port, user=pg.user, password=pg.password, dbname="postgres"
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{database}"')
            return True
    finally:
        connection.close()


def import_knowledge(url: str, content: Path = CONTENT) -> int:
    """`hubguide kb import` into `url` (validates, migrates, one transaction): the revision."""
    from knowledge.db import make_engine
    from knowledge.importer import import_paths

    engine = make_engine(url)
    try:
        _, revision = import_paths(engine, [content])
    finally:
        engine.dispose()
    return revision


def endpoints_yaml(settings: ClusterSettings, actions_url: str) -> str:
    """The replicas' endpoints file: actions behind nginx, PostgreSQL tracker store, Redis
    lock store. Passwords stay in the environment (`${…}`, expanded by Rasa)."""
    pg, redis = settings.postgres, settings.redis
    lines = [
        "# Generated by ops/cluster.py for the replicas of `make cluster`: do not edit.",
        "action_endpoint:",
        f"  url: {actions_url}/webhook",
        "  enable_selective_domain: true",
        "tracker_store:",
        "  type: SQL",
        "  dialect: postgresql",
        f"  url: {pg.host}",
        f"  port: {pg.port}",
        f"  db: {settings.tracker_database}",
    ]
    if pg.user:
        lines.append(f"  username: {pg.user}")
    if pg.password:
        lines.append(f"  password: ${{{TRACKER_PASSWORD_VARIABLE}}}")
    lines += [
        "lock_store:",
        f"  type: {LOCK_STORES[settings.lock_store]}",
        f"  url: {redis.host}",
        f"  port: {redis.port}",
        f"  db: {int(redis.database or 0)}",
        f"  key_prefix: {settings.lock_key_prefix}",
    ]
    if redis.password:
        lines.append(f"  password: ${{{REDIS_PASSWORD_VARIABLE}}}")
    return "\n".join(lines) + "\n"


def nginx_conf(
    work: Path,
    *,
    bind: str,
    rasa_port: int,
    web_port: int,
    actions_port: int,
    replicas: list[int],
    action_servers: list[int],
    web_backend: int,
) -> str:
    """nginx in front of the replicas (REST round robin, socket.io sticky per client address
    with the WebSocket upgrade), the web chat, and, on loopback, the action servers."""

    def servers(ports: list[int]) -> str:
        return "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports
        )

    temp = work / "nginx-temp"
    proxy_common = """
            proxy_set_header Host $host;
            # nginx is the edge: the address it saw, never one a client wrote itself (the
            # per-address rate limit reads the first X-Forwarded-For address).
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;"""
    return f"""# Generated by ops/cluster.py (`make cluster`): do not edit.
worker_processes 1;
pid {work / "nginx.pid"};
error_log {work / "nginx-error.log"} warn;
events {{
    worker_connections 2048;
}}
http {{
    log_format upstream '$remote_addr [$time_local] "$request" $status '
                        'upstream=$upstream_addr $request_time s';
    access_log {work / "nginx-access.log"} upstream;
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    server_tokens off;
    # Bodies and answers stay in memory: nothing is written under the temp paths (nginx's
    # workers run as nobody and may not even reach this folder).
    client_max_body_size 64k;
    client_body_buffer_size 64k;
    proxy_max_temp_file_size 0;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' close;
    }}
    upstream rasa {{
        least_conn;
{servers(replicas)}
        keepalive 64;
    }}
    # socket.io's polling requests of one session must reach the replica holding it.
    upstream rasa_socketio {{
        ip_hash;
{servers(replicas)}
    }}
    upstream actions {{
        least_conn;
{servers(action_servers)}
        keepalive 32;
    }}
    upstream webchat {{
        server 127.0.0.1:{web_backend};
    }}

    server {{
        listen {bind}:{rasa_port};
        location /socket.io/ {{
            proxy_pass http://rasa_socketio;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;{proxy_common}
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
        }}
        location / {{
            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";{proxy_common}
            # A replica that is down: the request goes to the other one (POST too, as long as
            # nothing was sent to the dead one).
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
    server {{
        listen {bind}:{web_port};
        location / {{
            proxy_pass http://webchat;
            proxy_http_version 1.1;
            proxy_set_header Connection "";{proxy_common}
        }}
    }}
    # The action servers, for the replicas only: loopback, always.
    server {{
        listen 127.0.0.1:{actions_port};
        location = /nginx-health {{
            access_log off;
            return 200 "ok\\n";
        }}
        # Rasa sends the whole conversation with every action call.
        client_max_body_size 32m;
        client_body_buffer_size 32m;
        location / {{
            proxy_pass http://actions;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


@dataclass
class Cluster:
    """PostgreSQL + Redis + N Rasa replicas + N action servers + web chat behind nginx."""

    model: Path
    work: Path
    settings: ClusterSettings = field(default_factory=ClusterSettings)
    env: dict[str, str] = field(default_factory=dict)
    web: bool = True
    # a scheduler beside each replica's action server (ops/scheduler.py)
    schedulers: bool = False
    import_kb: bool = True
    token: str = ""
    replicas: list[Stack] = field(default_factory=list)
    servers: list[Server] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.work = Path(self.work)
        self.token = (
            self.token or self.env.get(TOKEN_VARIABLE) or os.environ.get(TOKEN_VARIABLE, "")
        )
        # nginx's port for the action servers, the web chat's, then each replica's Rasa and
        # action server: all different, and none of nginx's public ports.
        public = {self.settings.rasa_port, self.settings.web_port}
        self._ports = free_ports(2 + 2 * self.settings.replicas, avoid=public)
        self.actions_port, self.web_backend_port = self._ports[:2]
        if not self.token:
            import secrets

            self.token = secrets.token_urlsafe(24)
        # Every replica must accept the web chat's conversation ids the others signed.
        self.session_secret = (
            self.env.get(SESSION_SECRET_VARIABLE) or os.environ.get(SESSION_SECRET_VARIABLE) or ""
        )
        if not self.session_secret:
            import secrets

            self.session_secret = secrets.token_urlsafe(32)

    # --- addresses ---------------------------------------------------------------------------

    @property
    def rasa_url(self) -> str:
        """nginx in front of the replicas: what clients use."""
        return f"http://127.0.0.1:{self.settings.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.web_port}"

    @property
    def origins(self) -> list[str]:
        configured = self.env.get(ORIGINS_VARIABLE) or os.environ.get(ORIGINS_VARIABLE, "")
        if configured.strip():
            return [origin.strip() for origin in configured.split(",") if origin.strip()]
        port = self.settings.web_port
        return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]

    def replica(self, index: int) -> Server:
        """The Rasa server of replica `index` (0-based), e.g. to stop it."""
        return self.replicas[index].server(f"Rasa server {index + 1}")

    def replica_url(self, index: int) -> str:
        """Replica `index` directly, past nginx."""
        return self.replicas[index].rasa_url

    # --- preparing ---------------------------------------------------------------------------

    def prepare(self) -> None:
        """Databases (made when missing), the knowledge base, the endpoints and nginx files."""
        self.work.mkdir(parents=True, exist_ok=True)
        settings = self.settings
        ensure_database(settings, settings.kb_database)
        ensure_database(settings, settings.tracker_database)
        if self.import_kb:
            import_knowledge(settings.kb_url)
        self.endpoints_file.write_text(
            endpoints_yaml(settings, f"http://127.0.0.1:{self.actions_port}")
        )
        self.replicas = [self._replica(index) for index in range(settings.replicas)]
        (self.work / "nginx-temp").mkdir(exist_ok=True)
        self.nginx_file.write_text(
            nginx_conf(
                self.work,
                bind=settings.bind,
                rasa_port=settings.rasa_port,
                web_port=settings.web_port,
                actions_port=self.actions_port,
                replicas=[stack.ports["rasa"] for stack in self.replicas],
                action_servers=[stack.ports["actions"] for stack in self.replicas],
                web_backend=self.web_backend_port,
            )
        )

    @property
    def endpoints_file(self) -> Path:
        return self.work / "endpoints.yml"

    @property
    def nginx_file(self) -> Path:
        return self.work / "nginx.conf"

    def _environment(self) -> dict[str, str]:
        settings = self.settings
        env = {
            "HUBGUIDE_DATABASE_URL": settings.kb_url,
            ORIGINS_VARIABLE: ",".join(self.origins),
            # The messaging channels remember provider message ids there (bot/channels/dedupe.py).
            REDIS_VARIABLE: settings.redis_url,
            **self.env,
            SESSION_SECRET_VARIABLE: self.session_secret,
        }
        if settings.postgres.password:
            env[TRACKER_PASSWORD_VARIABLE] = settings.postgres.password
        if settings.redis.password:
            env[REDIS_PASSWORD_VARIABLE] = settings.redis.password
        return env

    def _replica(self, index: int) -> Stack:
        env = self._environment()
        metrics_port = env.get(RASA_METRICS_VARIABLE) or os.environ.get(RASA_METRICS_VARIABLE)
        if metrics_port:
            env[RASA_METRICS_VARIABLE] = str(int(metrics_port) + index)
        return Stack(
            model=self.model,
            log_dir=self.work / f"replica-{index + 1}",
            ports={
                "rasa": self._ports[2 + 2 * index],
                "actions": self._ports[3 + 2 * index],
                "web": self.settings.web_port,
                "scheduler": free_ports(1, avoid=set(self._ports))[0],
            },
            env=env,
            host="127.0.0.1",  # behind nginx: loopback, always
            token=self.token,
            endpoints=str(self.endpoints_file),
        )

    def _web_stack(self) -> Stack:
        """The web chat on a loopback port; the page it serves talks to nginx."""
        return Stack(
            model=self.model,
            log_dir=self.work,
            ports={"rasa": self.settings.rasa_port, "web": self.web_backend_port},
            env=self._environment(),
            host="127.0.0.1",
            token=self.token,
        )

    def nginx_server(self) -> Server:
        return Server(
            "nginx",
            [
                str(NGINX),
                "-p",
                str(self.work),
                "-c",
                str(self.nginx_file),
                "-e",
                str(self.work / "nginx-error.log"),
                "-g",
                "daemon off;",
            ],
            dict(os.environ),
            self.work / "nginx.log",
            f"http://127.0.0.1:{self.actions_port}/nginx-health",
        )

    def check_nginx_config(self) -> None:
        result = subprocess.run(
            [
                *(str(NGINX), "-t", "-p", str(self.work), "-c", str(self.nginx_file)),
                *("-e", str(self.work / "nginx-error.log")),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"nginx rejects {self.nginx_file}:\n{result.stderr}")

    # --- running -----------------------------------------------------------------------------

    def start(self, timeout: float = 300.0) -> Cluster:
        if not self.replicas:
            self.prepare()
        self.check_nginx_config()
        for index, stack in enumerate(self.replicas, start=1):
            actions, rasa = stack.action_server(), stack.rasa_server()
            actions.name, rasa.name = f"action server {index}", f"Rasa server {index}"
            stack.servers.extend([actions, rasa])
            self.servers.extend([actions, rasa])
            if self.schedulers:  # one per replica: they claim each reminder/notice once
                scheduler = stack.scheduler_server()
                scheduler.name = f"scheduler {index}"
                scheduler.env["HUBGUIDE_RASA_URL"] = self.rasa_url
                stack.servers.append(scheduler)
                self.servers.append(scheduler)
        if self.web:
            self.servers.append(self._web_stack().web_server())
        self.servers.append(self.nginx_server())
        try:
            for server in self.servers:
                server.start()
            self.wait_ready(self.servers, timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self, servers: list[Server], timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        pending = list(servers)
        while pending:
            for server in list(pending):
                server.check_alive()
                if server.is_ready():
                    pending.remove(server)
            if pending and time.monotonic() > deadline:
                names = ", ".join(server.name for server in pending)
                raise TimeoutError(f"{names} not ready after {timeout:.0f} s (logs in {self.work})")
            time.sleep(0.25)

    def stop(self) -> None:
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()
        for stack in self.replicas:
            stack.servers.clear()
        shutil.rmtree(self.work / "nginx-temp", ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def drop_lock_keys(settings: ClusterSettings) -> int:
    """Removes the cluster's lock keys from Redis (throwaway clusters of tests and benchmarks)."""
    import redis

    service = settings.redis
    client = redis.Redis(
        host=service.host,
        port=service.port,
        db=int(service.database or 0),
        password=service.password,
    )
    try:
        keys = list(client.scan_iter(f"{settings.lock_key_prefix}:*", count=500))
        return client.delete(*keys) if keys else 0
    finally:
        client.close()
