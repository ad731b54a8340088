"""Settings come from the environment: embedded default, PostgreSQL/Redis/S3 switches, production."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'], 'broker': settings.CELERY_BROKER_URL,"
    "'cache': settings.CACHES['default']['BACKEND'], 'storage': settings.STORAGES['default']['BACKEND'],"
    "'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, 'eager': settings.CELERY_TASK_ALWAYS_EAGER}))"
)


def _run(tmp_path: Path, code: str | None = None, args: list[str] | None = None, **env: str):
    own = ("KINSHIP_", "DJANGO_", "DATABASE_URL", "REDIS_URL")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    clean.update({"KINSHIP_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "kinship_site.settings", **env})
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *(args or [])]
    return subprocess.run(command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def test_embedded_default_needs_no_server(tmp_path):
    result = _run(tmp_path, PROBE)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["db"] == "django.db.backends.sqlite3"
    assert facts["broker"] == "filesystem://"
    assert facts["storage"] == "django.core.files.storage.FileSystemStorage"
    assert facts["eager"] is False  # a real worker runs jobs beside the web server
    assert facts["debug"] is False and "*" not in facts["hosts"]
    # Importing the settings and starting Django write nothing: no data folder, no key, no broker folders.
    assert not (tmp_path / "data").exists()


KEY_PROBE = "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"


def test_manage_py_makes_a_private_key_once_and_the_settings_read_it(tmp_path):
    key_file = tmp_path / "data" / "secret_key"
    assert _run(tmp_path, args=["check"]).returncode == 0
    assert key_file.stat().st_mode & 0o077 == 0  # per-install secret, private
    key = key_file.read_text()
    assert len(key) >= 50
    assert _run(tmp_path, args=["check"]).returncode == 0
    assert key_file.read_text() == key  # kept: sessions and tokens depend on it
    assert _run(tmp_path, KEY_PROBE).stdout.strip() == key


def test_fresh_data_dir_migrates_through_manage_py(tmp_path):
    result = _run(tmp_path, args=["migrate", "--noinput"])
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "kinship.sqlite3").stat().st_size > 0
    assert (tmp_path / "data" / "secret_key").exists()


def test_manage_py_writes_no_key_in_production_or_when_one_is_given(tmp_path):
    given = _run(tmp_path, KEY_PROBE, DJANGO_SECRET_KEY="g" * 60)
    assert given.stdout.strip() == "g" * 60
    _run(tmp_path, args=["check"], DJANGO_SECRET_KEY="g" * 60)
    assert _run(tmp_path, args=["check"], KINSHIP_MODE="production").returncode != 0  # refused: no key
    assert not (tmp_path / "data" / "secret_key").exists()


def test_settings_do_not_guess_a_test_run_from_loaded_modules(tmp_path):
    result = _run(tmp_path, "import pytest;" + PROBE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["eager"] is False


def test_celery_makes_the_file_broker_folders_under_the_data_dir(tmp_path):
    code = (
        "import django; django.setup(); from kinship_site.celery import app; app.finalize();"
        "print(app.conf.broker_transport_options['control_folder'])"
    )
    result = _run(tmp_path, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "data" / "celery" / "control")
    for name in ("queue", "processed", "control", "results"):
        assert (tmp_path / "data" / "celery" / name).is_dir()


def test_services_switched_by_environment(tmp_path):
    result = _run(
        tmp_path,
        PROBE,
        DATABASE_URL="postgres://k:p@db:5432/kinship",
        REDIS_URL="redis://cache:6379/0",
        KINSHIP_S3_BUCKET="media",
    )
    facts = json.loads(result.stdout)
    assert facts["db"] == "django.db.backends.postgresql"
    assert facts["broker"] == "redis://cache:6379/0"
    assert facts["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert facts["storage"] == "storages.backends.s3.S3Storage"


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_insecure_defaults(tmp_path, missing):
    env = {
        "KINSHIP_MODE": "production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "kinship.example.org",
        "DATABASE_URL": "postgres://k:p@db:5432/kinship",
    }
    env.pop(missing)
    result = _run(tmp_path, PROBE, **env)
    assert result.returncode != 0 and missing in result.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _run(
        tmp_path,
        args=["check", "--deploy", "--fail-level", "WARNING"],
        KINSHIP_MODE="production",
        DJANGO_SECRET_KEY="k" * 64 + "-Zq9",
        DJANGO_ALLOWED_HOSTS="kinship.example.org",
        DATABASE_URL="postgres://k:p@db:5432/kinship",
        REDIS_URL="redis://cache:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["changeme", "secret", "django-insecure-abc123", "build-only-not-secret"])
def test_production_refuses_placeholder_secret_keys(tmp_path, key):
    result = _run(
        tmp_path,
        PROBE,
        KINSHIP_MODE="production",
        DJANGO_SECRET_KEY=key,
        DJANGO_ALLOWED_HOSTS="kinship.example.org",
        DATABASE_URL="postgres://k:p@db:5432/kinship",
    )
    assert result.returncode != 0 and "placeholder" in result.stderr


TIME_LIMITS_PROBE = (
    "import json, django; django.setup(); from kinship_site.celery import app; app.loader.import_default_modules();"
    "print(json.dumps({n: [t.soft_time_limit, t.time_limit] for n, t in app.tasks.items()"
    " if n.startswith('workers.')}))"
)


def test_every_task_has_a_soft_and_a_hard_time_limit_set_per_kind(tmp_path):
    result = _run(tmp_path, TIME_LIMITS_PROBE, KINSHIP_TIME_LIMIT_GEDCOM_PREVIEW="20,25")
    limits = json.loads(result.stdout.strip().splitlines()[-1])
    assert {
        "workers.tasks.gedcom.gedcom_preview_task",
        "workers.tasks.gedcom.gedcom_import_task",
        "workers.tasks.generation.generation_run_task",
        "workers.tasks.photos.photo_detect_faces_task",
    } <= set(limits)
    for name, (soft, hard) in limits.items():
        assert soft and hard and soft < hard, f"{name}: soft {soft}, hard {hard}"
    assert limits["workers.tasks.gedcom.gedcom_preview_task"] == [20, 25]


START_PROBE = "import django; django.setup(); from django.core.wsgi import get_wsgi_application; get_wsgi_application()"


def test_starting_django_writes_nothing(tmp_path):
    """django.setup() and loading the web handler (apps' ready(), middleware) create no folder or file."""
    folders = {"KINSHIP_STATIC_ROOT": tmp_path / "static", "KINSHIP_MEDIA_ROOT": tmp_path / "media"}
    result = _run(tmp_path, START_PROBE, **{name: str(path) for name, path in folders.items()})
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []  # no data folder, no static or media folder


def test_serve_makes_the_static_folder_it_needs(tmp_path, monkeypatch, settings):
    """``serve`` (not start-up) makes STATIC_ROOT, so WhiteNoise does not warn that it is missing."""
    from django.core.management import call_command

    from cases.management.commands import serve

    settings.STATIC_ROOT = tmp_path / "static"
    started = []
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: started.append(args))
    call_command("serve", "--no-worker", "--addrport", "127.0.0.1:0")
    assert started == [("runserver", "127.0.0.1:0")]
    assert (tmp_path / "static").is_dir()


STATIC_EDIT_PROBE = """
import os
from pathlib import Path
from django.conf import settings
folder = Path(os.environ["PROBE_ASSETS"])
(folder / "probe.css").write_text("body { color: red; } /* a longer first version */")
settings.STATICFILES_DIRS = [folder]
settings.ALLOWED_HOSTS = ["testserver"]
import django
django.setup()
from django.test import Client
client = Client()
for text in (None, "p { margin: 0; }"):
    if text:
        (folder / "probe.css").write_text(text)
    response = client.get("/static/probe.css")
    body = b"".join(response.streaming_content)
    print(response.status_code, response["Content-Length"], len(body), body.decode())
"""


def test_a_static_file_edited_while_serving_is_served_whole(tmp_path):
    """The embedded default reads a stylesheet's size per request (an edit left the page loading forever)."""
    folder = tmp_path / "assets"
    folder.mkdir()
    result = _run(tmp_path, STATIC_EDIT_PROBE, PROBE_ASSETS=str(folder))
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.strip().splitlines()
    assert first.split()[:3] == ["200", "49", "49"], first
    assert second == "200 16 16 p { margin: 0; }"
