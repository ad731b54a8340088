"""Settings for the test suite (pytest.ini names this module): the environment's settings, test defaults on top."""

from kinship_site.settings import *  # noqa: F403
from kinship_site.settings import env_bool

TESTING = True
# Tests never run manage.py, so no data folder or key file is made for them (kinship_site.embedded).
SECRET_KEY = SECRET_KEY or "kinship-tests-only-never-a-server-key"  # noqa: F405
# Tasks run in process unless a test (or KINSHIP_TASKS_EAGER=0) starts real workers.
CELERY_TASK_ALWAYS_EAGER = env_bool("KINSHIP_TASKS_EAGER", True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Many tests log in within a minute; the log-in throttle's own tests set a low rate themselves.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "10000/min"}}  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # The test database is a shared-cache in-memory SQLite, where a second writer fails at once instead
    # of waiting: the heartbeat thread would break a job run in process. Recovery tests beat explicitly.
    KINSHIP_JOB_HEARTBEAT_SECONDS = 3600
