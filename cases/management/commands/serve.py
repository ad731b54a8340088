"""``manage.py serve``: the embedded default — a Celery worker and the web server together."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Kinship on 127.0.0.1:8000 with a background worker (embedded default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a worker.")

    def handle(self, *args, **options) -> None:
        worker = None
        if not options["no_worker"] and not settings.CELERY_TASK_ALWAYS_EAGER:
            command = [sys.executable, "-m", "celery", "-A", "kinship_site", "worker", "-Q", "default,gpu",
                       "--pool", "solo", "--loglevel", "INFO"]
            worker = subprocess.Popen(command, env=os.environ.copy())
            self.stdout.write(f"Started worker (pid {worker.pid}).")
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
