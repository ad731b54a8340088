"""Which generation engines this installation can run, and why one cannot (web process).

StyleGene runs only when ``KINSHIP_CHECKPOINT_DIR`` names a folder whose checkpoints verify.
Verifying reads the checkpoint files with torch, which the web process never imports, so it runs
once in a child process and the answer is cached, keyed by the folder's file names, sizes and
modification times: a replaced or added file is verified again.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from cases.errors import UnprocessableInput

ENGINE_LABELS: dict[str, str] = {"auto": "automatic", "offline": "offline", "stylegene": "StyleGene"}
"""The engines a job may name (``auto``: StyleGene when it can run, else offline), named for people."""

VERIFY_TIMEOUT_SECONDS = 900
"""Reading the released checkpoints (about 4 GB) takes minutes on a slow disk."""

_CHECK = (
    "import json, sys\n"
    "from pathlib import Path\n"
    "from genetics.registry import checkpoint_problems\n"
    "print(json.dumps(checkpoint_problems(Path(sys.argv[1]))))\n"
)


class EngineNotAvailable(UnprocessableInput):
    """A job named an engine this installation cannot run."""

    code = "engine_unavailable"


def engine_availability() -> dict[str, str | None]:
    """Return each engine a job may name with None when it can run, else a sentence saying why not."""
    return {"auto": None, "offline": None, "stylegene": _stylegene_problem()}


def engine_check(*, engine: str) -> None:
    """Raise EngineNotAvailable with the reason when a job may not ask for ``engine``."""
    if engine in ("", "auto"):
        return
    if engine not in ENGINE_LABELS:
        raise EngineNotAvailable(f"There is no “{engine}” engine; choose one of {', '.join(ENGINE_LABELS)}.")
    problem = engine_availability()[engine]
    if problem:
        raise EngineNotAvailable(f"The {ENGINE_LABELS[engine]} engine cannot be used here: {problem}")


def _stylegene_problem() -> str | None:
    folder_setting = settings.KINSHIP_CHECKPOINT_DIR
    if not folder_setting:
        return "no checkpoint folder is configured (set KINSHIP_CHECKPOINT_DIR to the folder of the released files)."
    folder = Path(folder_setting)
    if not folder.is_dir():
        return f"the checkpoint folder {folder} (KINSHIP_CHECKPOINT_DIR) does not exist."
    key = "kinship:stylegene-checkpoints:" + _folder_signature(folder)
    cached = cache.get(key)
    if cached is not None:
        return cached["problem"]
    problem = checkpoint_problems_isolated(folder)
    cache.set(key, {"problem": problem}, timeout=None)
    return problem


def checkpoint_problems_isolated(folder: Path) -> str | None:
    """Return why ``folder``'s checkpoints cannot be used, verified in a child process (torch stays out)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHECK, str(folder)],
            capture_output=True,
            text=True,
            timeout=VERIFY_TIMEOUT_SECONDS,
            cwd=settings.BASE_DIR,
        )
    except subprocess.TimeoutExpired:
        return f"verifying the checkpoints in {folder} took longer than {VERIFY_TIMEOUT_SECONDS} seconds."
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"the checkpoints in {folder} could not be verified ({last})."
    problem = json.loads(done.stdout.strip().splitlines()[-1])
    return f"the checkpoints in {folder} do not verify: {problem}" if problem else None


def _folder_signature(folder: Path) -> str:
    entries = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file())
    return hashlib.sha256(json.dumps([str(folder.resolve()), entries]).encode()).hexdigest()[:32]
