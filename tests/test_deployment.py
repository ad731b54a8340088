"""docker-compose.yml and the Dockerfile, checked by reading (no Docker engine runs here)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service_with_health_checks():
    services = _compose()["services"]
    assert {"postgres", "redis", "minio", "web", "worker", "worker-gpu"} <= set(services)
    for name in ("postgres", "redis", "minio", "web", "worker", "worker-gpu"):
        assert "healthcheck" in services[name], name


def test_gpu_worker_reserves_a_gpu_and_consumes_the_gpu_queue():
    gpu = _compose()["services"]["worker-gpu"]
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]
    command = gpu["command"]
    assert command[command.index("-Q") + 1] == "gpu"
    cpu = _compose()["services"]["worker"]["command"]
    assert cpu[cpu.index("-Q") + 1] == "default,gpu"  # CPU fallback for generation


def test_app_services_use_production_settings_without_default_secrets():
    services = _compose()["services"]
    for name in ("web", "worker", "worker-gpu"):
        env = services[name]["environment"]
        assert env["KINSHIP_MODE"] == "production"
        assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://")
        assert env["KINSHIP_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert set(services[name]["depends_on"]) == {"postgres", "redis", "minio-init"}


def test_one_dockerfile_builds_every_app_service():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "torch==2.13.0" in dockerfile and "collectstatic" in dockerfile
    assert "USER kinship" in dockerfile
    for name in ("web", "worker", "worker-gpu"):
        assert _compose()["services"][name]["build"]["context"] == "."
