"""The cluster's generated files (ops/cluster.py) without starting anything: nginx's config
(checked by `nginx -t` when nginx is installed), the replicas' endpoints file, distinct ports."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from ops.cluster import NGINX, ClusterSettings, endpoints_yaml, free_ports, nginx_conf


def test_free_ports_are_all_different_and_avoid_the_given_ones() -> None:
    ports = free_ports(40, avoid={5005})
    assert len(set(ports)) == 40 and 5005 not in ports


def test_the_endpoints_file_holds_no_password_and_uses_the_atomic_lock_store() -> None:
    settings = ClusterSettings(
        postgres_url="postgresql://hub:s3cret@db.internal:5433",
        redis_url="redis://:r3dis@cache.internal:6380/2",
        tracker_database="conversations_x",
        lock_store="atomic",
    )
    text = endpoints_yaml(settings, "http://127.0.0.1:5999")
    assert "s3cret" not in text and "r3dis" not in text
    endpoints = yaml.safe_load(text)
    assert endpoints["tracker_store"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 5433,
        "db": "conversations_x",
        "username": "hub",
        "password": "${HUBGUIDE_TRACKER_DB_PASSWORD}",
    }
    lock = endpoints["lock_store"]
    assert lock["type"] == "ops.lock_store.AtomicRedisLockStore"
    assert (lock["url"], lock["port"], lock["db"]) == ("cache.internal", 6380, 2)
    assert lock["password"] == "${HUBGUIDE_REDIS_PASSWORD}"
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:5999/webhook"
    stock = yaml.safe_load(endpoints_yaml(ClusterSettings(lock_store="redis"), "http://x"))
    assert stock["lock_store"]["type"] == "redis"


def config(tmp_path: Path, bind: str = "127.0.0.1") -> str:
    return nginx_conf(
        tmp_path,
        bind=bind,
        rasa_port=15005,
        web_port=18080,
        actions_port=15055,
        replicas=[16001, 16002],
        action_servers=[17001, 17002],
        web_backend=18081,
    )


def test_nginx_listens_on_loopback_and_proxies_websockets_and_the_client_address(
    tmp_path: Path,
) -> None:
    text = config(tmp_path)
    listens = [line.split()[1] for line in text.splitlines() if line.strip().startswith("listen")]
    assert listens == ["127.0.0.1:15005;", "127.0.0.1:18080;", "127.0.0.1:15055;"]
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    for port in (16001, 16002, 17001, 17002, 18081):
        assert f"server 127.0.0.1:{port}" in text
    # Opened by HUBGUIDE_BIND: the public ports only, never the action servers' port.
    opened = config(tmp_path, bind="0.0.0.0")
    assert "listen 0.0.0.0:15005;" in opened and "listen 127.0.0.1:15055;" in opened


@pytest.mark.skipif(not NGINX.exists(), reason="nginx is not installed (ops/install_nginx.sh)")
def test_nginx_accepts_the_generated_config(tmp_path: Path) -> None:
    (tmp_path / "nginx-temp").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(config(tmp_path))
    result = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
