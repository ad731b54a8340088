"""The web process never imports torch: its WSGI app and every view of every URL load without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = """
import json, sys
import kinship_site.wsgi
from django.urls import get_resolver

def views(resolver):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from views(pattern)
        else:
            yield pattern.callback

callbacks = list(views(get_resolver()))
import cases.api.serializers, cases.api.case_serializers, cases.pages.generation_form
print(json.dumps({"views": len(callbacks), "heavy": sorted(m for m in ("torch", "torchvision") if m in sys.modules)}))
"""


def test_wsgi_app_and_every_view_load_without_torch():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kinship_site.settings_test"}
    done = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["views"] > 50
    assert report["heavy"] == []
