"""GEDCOM imports as jobs: upload, preview, confirm, import (one transaction), progress."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, GedcomRejected, InvalidInput, NotFound
from cases.genealogy.gedcom import GedcomError
from cases.models import GedcomImport, ImportState
from cases.services.gedcom.inputs import gedcom_open
from cases.services.gedcom.loader import TreeLoader
from cases.services.gedcom.preview import MAX_LISTED, gedcom_scan
from cases.services.persons import persons_refresh_estimated_birth
from cases.services.recovery import Heartbeat, gedcom_heartbeat, heartbeat_is_stale
from cases.services.tasks import GEDCOM_IMPORT, GEDCOM_PREVIEW, task_enqueue_on_commit

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2 << 30
ALLOWED_SUFFIXES = (".ged", ".zip", ".gdz")


def gedcom_upload(
    *, access: TreeAccess, upload: IO[bytes], original_name: str, force: bool = False, preview_now: bool = False
) -> GedcomImport:
    """Store an uploaded .ged/.zip/.gdz and queue its preview (or run it now, for the command line)."""
    access.require(Capability.EDIT)
    if not original_name.lower().endswith(ALLOWED_SUFFIXES):
        raise InvalidInput("Upload a GEDCOM file: .ged, or a .zip / .gdz with its media.")
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    if size == 0:
        raise InvalidInput("The file is empty.")
    if size > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"The file is {size / 1e9:.1f} GB; the limit is {MAX_UPLOAD_BYTES / 1e9:.0f} GB.")
    sha256 = digest.hexdigest()
    _refuse_reimport(access, sha256, force=force)
    upload.seek(0)
    job = GedcomImport(
        tree=access.tree, original_name=original_name[:255], sha256=sha256, force=force, created_by=access.user
    )
    job.file.save(original_name, File(upload), save=False)
    try:
        with transaction.atomic():
            job.save()
            if not preview_now:
                task_enqueue_on_commit(name=GEDCOM_PREVIEW, args=(job.pk,))
    except Exception:
        default_storage.delete(job.file.name)
        raise
    if preview_now:
        return gedcom_import_preview(import_id=job.pk)
    return job


def gedcom_preview(*, path: Path, access: TreeAccess | None = None) -> dict[str, Any]:
    """Return the preview of a file (counts, warnings, duplicates of the tree's persons); writes nothing."""
    try:
        return gedcom_scan(path=path, tree=access.tree if access else None)
    except GedcomError as error:
        raise GedcomRejected(str(error), extra={"line": error.line}) from error


def gedcom_import_preview(*, import_id: int) -> GedcomImport:
    """Compute and store the preview of an uploaded import (worker side); failures are stored, not raised."""
    job = _claim(import_id, ImportState.UPLOADED)
    if job is None:
        return GedcomImport.objects.get(pk=import_id)
    try:
        with _local_file(job) as path, _heartbeat(job):
            preview = gedcom_scan(path=path, tree=job.tree)
    except GedcomError as error:
        return _fail(job, str(error))
    job.preview = preview
    job.state = ImportState.PREVIEWED
    job.heartbeat_at, job.attempts = None, 0  # the import, once confirmed, is a stage of its own
    job.save(update_fields=["preview", "state", "heartbeat_at", "attempts", "updated_at"])
    return job


def gedcom_import_confirm(*, access: TreeAccess, gedcom_import: GedcomImport) -> GedcomImport:
    """Accept a previewed import and queue it as a background job."""
    access.require(Capability.EDIT)
    if gedcom_import.tree_id != access.tree.pk:
        raise NotFound("No such import in this tree.")
    with transaction.atomic():
        job = GedcomImport.objects.select_for_update().get(pk=gedcom_import.pk)
        if job.state != ImportState.PREVIEWED:
            raise Conflict(f"This import is {job.get_state_display().lower()}; only a previewed import can start.")
        _refuse_reimport(access, job.sha256, force=job.force, exclude=job.pk)
        job.state = ImportState.IMPORTING
        job.progress = 0
        job.heartbeat_at, job.attempts = None, 0
        job.save(update_fields=["state", "progress", "heartbeat_at", "attempts", "updated_at"])
        task_enqueue_on_commit(name=GEDCOM_IMPORT, args=(job.pk,))
    return job


def gedcom_import_run(*, import_id: int, access: TreeAccess | None = None) -> GedcomImport:
    """Run a confirmed import (worker side): all rows in one transaction, files removed on failure."""
    from cases.access import tree_access_get

    job = _claim(import_id, ImportState.IMPORTING)
    if job is None:
        return GedcomImport.objects.get(pk=import_id)
    if access is None:
        access = tree_access_get(user=job.created_by, tree_id=job.tree_id)
    try:
        # The rows and the job's "done" commit together: a worker killed between two commits left
        # the rows stored and the job "importing", and the sweep's rerun imported everything twice.
        with _local_file(job) as path, _heartbeat(job), transaction.atomic():
            job.result = gedcom_import(
                access=access,
                path=path,
                sha256=job.sha256,
                force=job.force,
                exclude=job.pk,
                progress_key=progress_key(job.pk),
            )
            job.state = ImportState.DONE
            job.progress = 100
            job.finished_at = timezone.now()
            job.save(update_fields=["result", "state", "progress", "finished_at", "updated_at"])
    except GedcomRejected as error:
        return _fail(job, error.message)
    except Conflict as error:
        return _fail(job, error.message)
    cache.delete(progress_key(job.pk))
    return job


def gedcom_import(
    *,
    access: TreeAccess,
    path: Path,
    sha256: str = "",
    force: bool = False,
    exclude: int | None = None,
    progress_key: str = "",
) -> dict[str, Any]:
    """Import a .ged/.zip/.gdz into the tree in ONE transaction; return counts and warnings.

    On any error nothing stays behind: the transaction rolls back and the photo files already
    written to storage are deleted. Raises GedcomRejected (with the line) for unusable input and
    Conflict when the same file was already imported into this tree.
    """
    access.require(Capability.EDIT)
    if sha256:
        _refuse_reimport(access, sha256, force=force, exclude=exclude)
    saved: list[str] = []
    total = 0
    collecting = gc.isenabled()
    # Millions of short-lived acyclic objects otherwise trigger full collections over the ever-growing
    # xref maps again and again, making the import slower per person as the file grows.
    gc.disable()
    try:
        with transaction.atomic(), gedcom_open(path) as source:
            if progress_key:
                total = _count_records(path)

            def report(percent: int) -> None:
                cache.set(progress_key, percent, 3600)

            loader = TreeLoader(
                tree=access.tree,
                user=access.user,
                media=source.media,
                is_archive=source.is_archive,
                saved_files=saved,
                progress=report if progress_key else None,
            )
            loader.load(source.records, total=total)
            _, header_extra, read_issues = source.header()
            loader.finish(header_extra=header_extra)
            # Recorded births were stored with the rows; only the others need relatives' dates.
            # (A long id list would outgrow SQLite's query parameters; the whole tree is then cheaper anyway.)
            few = len(loader.without_birth) <= 5000
            persons_refresh_estimated_birth(tree_id=access.tree.pk, person_ids=loader.without_birth if few else None)
    except GedcomError as error:
        _delete_files(saved)
        raise GedcomRejected(str(error), extra={"line": error.line}) from error
    except BaseException:
        _delete_files(saved)
        raise
    finally:
        if collecting:
            gc.enable()
    issues = list(read_issues) + loader.issues
    return {
        "counts": loader.counter.counts,
        "warning_count": len(issues),
        "warnings": [{"line": i.line, "message": i.message} for i in issues[:MAX_LISTED]],
        "media_not_attached_count": len(loader.media_not_attached),
        "media_not_attached": loader.media_not_attached[:MAX_LISTED],
    }


def gedcom_import_progress(*, gedcom_import: GedcomImport) -> int:
    """Return the percentage done (a running import reports through the cache, outside its transaction)."""
    if gedcom_import.state == ImportState.IMPORTING:
        return int(cache.get(progress_key(gedcom_import.pk), 0))
    return gedcom_import.progress


def progress_key(import_id: int) -> str:
    return f"kinship:gedcom-import:{import_id}:progress"


def gedcom_mark_failed(*, import_id: int, message: str) -> None:
    """Record that an import or preview failed for a reason the user cannot fix (worker side)."""
    GedcomImport.objects.filter(pk=import_id).exclude(state=ImportState.DONE).update(
        state=ImportState.FAILED, error=message, finished_at=timezone.now()
    )


def _claim(import_id: int, state: str) -> GedcomImport | None:
    """Claim a preview or import for this worker; None when it moved on or a live worker already holds it.

    The heartbeat stamped here and while the work runs tells the workers' sweep that this worker is alive
    (cases/services/recovery.py); a second message for the same stage (a lost one sent again) is skipped.
    """
    with transaction.atomic():
        job = GedcomImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or job.state != state:
            return None
        if job.heartbeat_at is not None and not heartbeat_is_stale(job.heartbeat_at):
            return None
        job.heartbeat_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["heartbeat_at", "attempts", "updated_at"])
    return GedcomImport.objects.select_related("tree", "created_by").get(pk=import_id)


def _heartbeat(job: GedcomImport) -> Heartbeat:
    return Heartbeat(lambda: gedcom_heartbeat(import_id=job.pk), name=f"heartbeat-gedcom-{job.pk}")


def _refuse_reimport(access: TreeAccess, sha256: str, *, force: bool, exclude: int | None = None) -> None:
    done = GedcomImport.objects.filter(sha256=sha256, state=ImportState.DONE).exclude(pk=exclude)
    if done.filter(tree=access.tree).exists():
        raise Conflict(
            "This exact file was already imported into this tree; importing it again would duplicate "
            "every person. Import it into a new tree if you want a second copy."
        )
    # Only trees this user belongs to count: another tenant's import must not show through, even its existence.
    other = done.filter(tree__memberships__user=access.user).select_related("tree").first()
    if other is not None and not force:
        raise Conflict(
            f"This exact file was already imported into the tree “{other.tree.name}”. Confirm with "
            "force to import it into this tree as well."
        )


def _fail(job: GedcomImport, message: str) -> GedcomImport:
    job.state = ImportState.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at", "updated_at"])
    return job


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _count_records(path: Path) -> int:
    """Count level-0 lines cheaply (for progress), without parsing."""
    from cases.services.gedcom.inputs import is_archive

    if is_archive(path):
        return 0
    count = 0
    with open(path, "rb") as handle:
        for line in handle:
            if line[:2] in (b"0 ", b"\xef\xbb") or line.lstrip()[:2] == b"0 ":
                count += 1
    return count


@contextlib.contextmanager
def _local_file(job: GedcomImport) -> Iterator[Path]:
    """Yield a local path to the uploaded file (a temporary copy when the storage is remote)."""
    try:
        local = Path(job.file.path)
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with tempfile.NamedTemporaryFile(suffix=Path(job.file.name).suffix) as copy, job.file.open("rb") as source:
        shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)
