"""``manage.py serve``: the embedded default — a supervised Celery worker and the web server together.

The worker runs in its own process group; a thread restarts it whenever it dies, and the worker is
stopped (SIGTERM, then SIGKILL) when ``serve`` exits, on Ctrl-C or SIGTERM alike. On Linux the
worker is also told to die with ``serve`` should ``serve`` itself be killed. The worker uses a
prefork pool of one process, because the solo pool enforces no task time limits.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)

RESTART_DELAY_SECONDS = (1, 2, 5, 10, 30)
"""Pauses before restarting a worker that keeps dying, so a broken one does not spin."""


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM this (worker) process when its parent dies; elsewhere do nothing."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    os.setsid()  # its own process group, so stopping it also stops its pool's children


class WorkerSupervisor:
    """Start the worker, restart it when it dies, stop it on request."""

    def __init__(self, command: list[str], out) -> None:
        self.command = command
        self.out = out
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)

    def start(self) -> None:
        self._spawn()
        self._thread.start()

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self.process = subprocess.Popen(self.command, env=os.environ.copy(), preexec_fn=_die_with_parent)
            self.out.write(f"Started worker (pid {self.process.pid}).")

    def _watch(self) -> None:
        failures = 0
        while not self._stopping.wait(1.0):
            process = self.process
            if process is None or process.poll() is None:
                continue
            if self._stopping.is_set():
                return
            started = time.monotonic()
            delay = RESTART_DELAY_SECONDS[min(failures, len(RESTART_DELAY_SECONDS) - 1)]
            self.out.write(f"Worker (pid {process.pid}) exited with {process.returncode}; restarting in {delay} s.")
            if self._stopping.wait(delay):
                return
            self._spawn()
            self.restarts += 1
            # A worker that lived a while resets the back-off; one that dies at once lengthens it.
            failures = failures + 1 if time.monotonic() - started < 60 else 0

    def stop(self, timeout: float = 30) -> None:
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        self.out.write(f"Stopped worker (pid {process.pid}).")


class Command(BaseCommand):
    help = "Serve Kinship on 127.0.0.1:8000 with a supervised background worker (embedded default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a worker.")

    def handle(self, *args, **options) -> None:
        if not settings.PRODUCTION:
            # WhiteNoise serves from the finders here, yet warns at start-up when STATIC_ROOT is missing.
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        supervisor = None
        if not options["no_worker"] and not settings.CELERY_TASK_ALWAYS_EAGER:
            command = [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kinship_site",
                "worker",
                "-Q",
                "default,gpu",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
            ]
            supervisor = WorkerSupervisor(command, self.stdout)
            supervisor.start()
        # SIGTERM (a service manager, `kill`) ends serve like Ctrl-C does, through the finally below.
        # SIGINT is set too: a shell starts background jobs with it ignored, and Python then keeps
        # it ignored, so `kill -INT` (or a script's Ctrl-C) left serve and its worker running.
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        signal.signal(signal.SIGINT, _raise_keyboard_interrupt)
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            if supervisor is not None:
                supervisor.stop()


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
