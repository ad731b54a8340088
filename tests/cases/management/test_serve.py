"""``serve`` supervises its worker: restarts it when it dies, stops it (and only it) on exit."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cases.management.commands.serve import WorkerSupervisor

ROOT = Path(__file__).resolve().parents[3]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child not yet reaped counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[1][0] != "Z"


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_supervisor_restarts_a_killed_worker_and_stops_it():
    out = io.StringIO()
    supervisor = WorkerSupervisor([sys.executable, "-c", "import time; time.sleep(120)"], out)
    supervisor.start()
    try:
        first = supervisor.process.pid
        os.kill(first, signal.SIGKILL)
        assert _wait(lambda: supervisor.process.pid != first and supervisor.process.poll() is None, 10), out.getvalue()
        assert supervisor.restarts == 1 and "restarting" in out.getvalue()
        second = supervisor.process.pid
    finally:
        supervisor.stop(timeout=10)
    assert not _alive(second) and "Stopped worker" in out.getvalue()
    time.sleep(1.5)  # the watch thread has stopped: nothing comes back after stop()
    assert supervisor.process.pid == second and supervisor.restarts == 1


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_restarts_its_worker_and_leaves_nothing_behind(tmp_path, stop_signal):
    """A real `manage.py serve` on the embedded default: SIGKILL its worker, then stop serve."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "KINSHIP_DATA_DIR": str(tmp_path),
        "KINSHIP_TASKS_EAGER": "0",
        "DJANGO_SETTINGS_MODULE": "kinship_site.settings",
        "OMP_NUM_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "KINSHIP_TESTING"):
        env.pop(name, None)
    log = tmp_path / "serve.log"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--addrport", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # As a shell starts a background job: with SIGINT ignored (serve must still stop on it).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )

    def worker_pids() -> list[int]:
        return [int(pid) for pid in re.findall(r"Started worker \(pid (\d+)\)", log.read_text())]

    try:
        assert _wait(lambda: len(worker_pids()) == 1, 30), log.read_text()
        first = worker_pids()[0]
        assert _wait(lambda: "ready." in log.read_text(), 90), log.read_text()
        os.killpg(first, signal.SIGKILL)
        assert _wait(lambda: len(worker_pids()) == 2, 30), log.read_text()
        second = worker_pids()[1]
        assert _wait(lambda: log.read_text().count("ready.") >= 2, 90), log.read_text()
        assert _alive(second) and serve.poll() is None
        serve.send_signal(stop_signal)
        serve.wait(timeout=60)
        assert _wait(lambda: not _alive(second), 10), "serve left its worker behind"
        assert "Stopped worker" in log.read_text()
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        for pid in worker_pids():
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)
