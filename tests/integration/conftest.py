"""Real services for integration tests: PostgreSQL (the test database), a private Redis, worker processes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def require_services() -> None:
    """Skip on a developer machine without PostgreSQL/redis-server; fail in CI."""
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not (os.environ.get("KINSHIP_REDIS_SERVER") or shutil.which("redis-server")):
        missing.append("redis-server")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"integration tests need {', '.join(missing)} in CI")
        pytest.skip(f"needs {', '.join(missing)}")


class RedisServer:
    """A private redis-server on a free loopback port, so a test may stop and restart it."""

    def __init__(self, directory: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = os.environ.get("KINSHIP_REDIS_SERVER") or shutil.which("redis-server")
        # appendonly: queued jobs survive the restart, as they would with the compose file's Redis.
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory),
             "--appendonly", "yes", "--save", ""], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


class Workers:
    """Start and kill `celery worker` processes against the test database and the private Redis."""

    def __init__(self, redis: RedisServer, media_root: Path, data_dir: Path) -> None:
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": redis.url,
            "KINSHIP_MEDIA_ROOT": str(media_root),
            "KINSHIP_DATA_DIR": str(data_dir),
            "KINSHIP_TASKS_EAGER": "0",
            "KINSHIP_TESTING": "1",
            "KINSHIP_BROKER_VISIBILITY_TIMEOUT": "5",
        }
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self) -> subprocess.Popen:
        log = Path(self.env["KINSHIP_DATA_DIR"]) / f"worker-{len(self.processes)}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "kinship_site", "worker", "-Q", "default,gpu", "--pool", "solo",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "INFO",
             "-n", f"test{len(self.processes)}@%h"],
            cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(process)
        self.logs.append(log)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def output(self) -> str:
        return "\n".join(log.read_text()[-3000:] for log in self.logs if log.exists())


@pytest.fixture
def redis_server(tmp_path):
    require_services()
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def workers(redis_server, settings, tmp_path):
    """Workers plus a Celery client in this process pointed at the private Redis (not eager)."""
    from kinship_site.celery import app

    saved = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    app.conf.broker_url = redis_server.url
    app.conf.result_backend = redis_server.url
    app.conf.task_always_eager = False
    _reset_connections(app)
    pool = Workers(redis_server, Path(settings.MEDIA_ROOT), tmp_path / "data")
    yield pool
    pool.stop_all()
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
    _reset_connections(app)


def _reset_connections(app) -> None:
    # Celery caches its broker connection and producer pools; drop them so the new URL is used.
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


def wait_for(predicate, timeout: float = 180.0, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
