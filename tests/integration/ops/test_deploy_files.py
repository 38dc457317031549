"""The deployment files of a real cluster (deploy/): the Kubernetes manifests against the
Kubernetes schemas (kubernetes-validate --strict), the compose file against the compose-spec
schema (check-jsonschema's copy), both from PyPI, pinned in requirements/validate.txt and
installed into var/validate-venv by ops/install_validators.sh. Each validator is also shown a
broken file, so a validator that passes everything would fail here. `docker compose config` is
not run: the development machines have no Docker Compose. Skips with the reason when the
validators cannot be installed (no package registry)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
VENV_BIN = ROOT / "var" / "validate-venv" / "bin"
MANIFESTS = sorted((DEPLOY / "kubernetes").glob("*.yaml"))


@pytest.fixture(scope="module")
def validators() -> Path:
    result = subprocess.run(
        ["bash", str(ROOT / "ops" / "install_validators.sh")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.skip(f"validators could not be installed: {(result.stderr or result.stdout)[-400:]}")
    return VENV_BIN


def run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_kubernetes_manifests_are_valid(validators: Path) -> None:
    assert MANIFESTS
    result = run([str(validators / "kubernetes-validate"), "--strict", *map(str, MANIFESTS)])
    assert result.returncode == 0, result.stdout + result.stderr
    kinds = {
        document["kind"]
        for path in MANIFESTS
        for document in yaml.safe_load_all(path.read_text())
        if document
    }
    assert {"Deployment", "Service", "Ingress", "Job", "ConfigMap"} <= kinds


def test_kubernetes_validate_rejects_a_broken_manifest(validators: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    document = yaml.safe_load((DEPLOY / "kubernetes" / "rasa.yaml").read_text().split("---")[0])
    document["spec"]["replicas"] = "two"
    document["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy2"] = "Always"
    broken.write_text(yaml.safe_dump(document))
    result = run([str(validators / "kubernetes-validate"), "--strict", str(broken)])
    assert result.returncode != 0, result.stdout


def test_the_compose_file_is_valid(validators: Path) -> None:
    compose = DEPLOY / "compose.yaml"
    result = run(
        [
            str(validators / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(compose),
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    services = yaml.safe_load(compose.read_text())["services"]
    assert services["rasa"]["deploy"]["replicas"] == 2
    assert services["actions"]["deploy"]["replicas"] == 2
    # Only nginx publishes ports, and on loopback only.
    published = {name: s.get("ports", []) for name, s in services.items() if s.get("ports")}
    assert list(published) == ["nginx"]
    assert all(port.startswith("127.0.0.1:") for port in published["nginx"])


def test_check_jsonschema_rejects_a_broken_compose_file(validators: Path, tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    broken.write_text(yaml.safe_dump({"services": {"rasa": {"image": "x", "replicas": "two"}}}))
    schema = ["--builtin-schema", "vendor.compose-spec"]
    result = run([str(validators / "check-jsonschema"), *schema, str(broken)])
    assert result.returncode != 0, result.stdout


def test_the_replicas_share_postgresql_and_an_atomic_redis_lock_store() -> None:
    endpoints = yaml.safe_load((DEPLOY / "endpoints.yml").read_text())
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["lock_store"]["type"] == "ops.lock_store.AtomicRedisLockStore"
    # Secrets come from the environment, never from the file.
    assert endpoints["tracker_store"]["password"].startswith("${")
    assert endpoints["lock_store"]["password"].startswith("${")
    nginx = (DEPLOY / "nginx.conf").read_text()
    for line in (
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "ip_hash;",
    ):
        assert line in nginx
