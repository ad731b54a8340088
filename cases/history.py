"""Record every write to a lineage record as a :class:`~cases.models.RecordChange`, from model signals.

Why signals, against the house rule of no writes in signals: the history must catch every service
that writes these rows, including ones written later by other people, without each of them
remembering to call a recorder. The signals only append history rows; no lineage data is written here.

The acting user comes from a context variable: :class:`~cases.middleware.ChangeHistoryMiddleware`
sets it for each request (read lazily, so DRF's token authentication, which runs inside the view,
is seen), :func:`acting_as` for workers and commands. Bulk inserts (the GEDCOM loader) send no
signals; a finished import is recorded as one summary change instead.
"""

from __future__ import annotations

import contextvars
import datetime
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from cases.models import (
    ChangeAction,
    ChildLink,
    Citation,
    Event,
    Face,
    Family,
    GedcomImport,
    ImportState,
    Note,
    Person,
    PersonName,
    Photo,
    RecordChange,
    RecordChangePerson,
    RecordType,
    Repository,
    Source,
    Tree,
)

DERIVED_FIELDS = frozenset({"id", "created_at", "updated_at", "estimated_birth_year"})
"""Kept out of snapshots: the key, timestamps and what the services compute from other fields."""

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("kinship_history_actor", default=None)
_reverting: contextvars.ContextVar[RecordChange | None] = contextvars.ContextVar(
    "kinship_history_reverting", default=None
)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute the record changes made inside the block to ``user`` (workers, commands, tests)."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def request_actor(request: Any) -> Iterator[None]:
    """Attribute changes to the request's user as known when each change is written (after DRF auth)."""
    token = _actor.set(request)
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def reverting(change: RecordChange) -> Iterator[None]:
    """Mark the writes inside the block as the revert of ``change``."""
    token = _reverting.set(change)
    try:
        yield
    finally:
        _reverting.reset(token)


def current_user() -> Any:
    """Return the acting user, or None for the system (no request, no ``acting_as``, anonymous)."""
    actor = _actor.get()
    if actor is not None and hasattr(actor, "META"):  # a request: its user may have been set since
        actor = getattr(actor, "user", None)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Return the record's own stored fields as JSON-ready values, keyed by attribute name."""
    return {
        field.attname: json_value(field.value_from_object(instance))
        for field in instance._meta.concrete_fields
        if field.attname not in DERIVED_FIELDS
    }


def json_value(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def shown_keys(model: type[models.Model], before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Return the changed keys worth showing, in the model's field order (PostgreSQL's jsonb keeps no order).

    A date's parsed range follows its recorded text, so it is left out when the text is shown.
    """
    order = {field.attname: index for index, field in enumerate(model._meta.concrete_fields)}
    keys = sorted({*before, *after}, key=lambda key: (order.get(key, len(order)), key))
    changed = [key for key in keys if before.get(key) != after.get(key)]
    return [key for key in changed if not (key.endswith(("_start", "_end")) and key.rsplit("_", 1)[0] in changed)]


def field_label(model: type[models.Model], key: str) -> str:
    """Return the readable label of a snapshot key ("partner1_id" → "Partner1")."""
    try:
        name = str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:  # a key from an older version of the model
        name = key.replace("_", " ")
    name = re.sub(r"(?<=[a-z])(\d+)$", r" \1", name)  # "partner1" → "partner 1"
    return name[:1].upper() + name[1:]


def _stored(model: type[models.Model], pk: Any) -> dict[str, Any] | None:
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname not in DERIVED_FIELDS]
    row = model._default_manager.filter(pk=pk).values(*attnames).first()
    return None if row is None else {key: json_value(value) for key, value in row.items()}


@dataclass(frozen=True)
class Tracked:
    """How one model's rows are named and placed: its record type, its tree, the persons it concerns."""

    record_type: str
    tree_id: Callable[[dict[str, Any]], int | None]
    person_ids: Callable[[dict[str, Any]], set[int]]


def _partners(family_id: int | None) -> set[int]:
    if not family_id:
        return set()
    row = Family.objects.filter(pk=family_id).values_list("partner1_id", "partner2_id").first()
    return {p for p in (row or ()) if p}


def _attached(values: dict[str, Any]) -> set[int]:
    return ({values["person_id"]} if values.get("person_id") else set()) | _partners(values.get("family_id"))


def _tree_of(model: type[models.Model], key: str) -> Callable[[dict[str, Any]], int | None]:
    return lambda values: model.objects.filter(pk=values.get(key)).values_list("tree_id", flat=True).first()


TRACKED: dict[type[models.Model], Tracked] = {
    Person: Tracked(RecordType.PERSON, lambda v: v["tree_id"], lambda v: {v["id"]}),
    PersonName: Tracked(RecordType.ALTERNATE_NAME, _tree_of(Person, "person_id"), lambda v: {v["person_id"]}),
    Family: Tracked(
        RecordType.FAMILY,
        lambda v: v["tree_id"],
        lambda v: {p for p in (v.get("partner1_id"), v.get("partner2_id")) if p},
    ),
    ChildLink: Tracked(
        RecordType.CHILD_LINK, _tree_of(Family, "family_id"), lambda v: {v["child_id"]} | _partners(v["family_id"])
    ),
    Event: Tracked(RecordType.EVENT, lambda v: v["tree_id"], _attached),
    Note: Tracked(RecordType.NOTE, lambda v: v["tree_id"], _attached),
    Repository: Tracked(RecordType.REPOSITORY, lambda v: v["tree_id"], lambda v: set()),
    Source: Tracked(RecordType.SOURCE, lambda v: v["tree_id"], lambda v: set()),
    Citation: Tracked(RecordType.CITATION, _tree_of(Source, "source_id"), _attached),
    Face: Tracked(
        RecordType.FACE, _tree_of(Photo, "photo_id"), lambda v: {v["person_id"]} if v.get("person_id") else set()
    ),
}
MODEL_OF_TYPE: dict[str, type[models.Model]] = {spec.record_type: model for model, spec in TRACKED.items()}


def _on_pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None or instance._state.adding:
        instance._history_before = None
        return
    instance._history_before = _stored(sender, instance.pk)


def _on_post_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if raw:
        return
    before = None if created else getattr(instance, "_history_before", None)
    after = snapshot(instance)
    if before is not None and update_fields is not None:
        # Only these columns were written; the rest of the instance may be stale.
        written = {instance._meta.get_field(name).attname for name in update_fields}
        after = {key: (after[key] if key in written else value) for key, value in before.items()}
    if before is not None and before == after:
        return  # only derived fields (an estimate, a timestamp) changed: not a user's change
    if sender is Face and not (before or {}).get("person_id") and not after.get("person_id"):
        return  # a face nobody is assigned to is detection output, not a lineage record
    _record(sender, instance, before=before, after=after)


def _on_pre_delete(sender: type[models.Model], instance: models.Model, origin: Any = None, **kwargs: Any) -> None:
    if _tree_deletion(origin):
        return
    values = snapshot(instance)
    values["id"] = instance.pk
    spec = TRACKED[sender]
    instance._history_deleted = (values, spec.tree_id(values), spec.person_ids(values))
    if sender is Person:
        # These references are cleared by the database cascade without signals; record them so a
        # revert of the deletion can put them back.
        instance._history_cleared = [
            (model, obj, snapshot(obj))
            for model, queryset in (
                (Family, Family.objects.filter(partner1=instance) | Family.objects.filter(partner2=instance)),
                (Face, Face.objects.filter(person=instance)),
            )
            for obj in queryset
        ]


def _on_post_delete(sender: type[models.Model], instance: models.Model, origin: Any = None, **kwargs: Any) -> None:
    saved = getattr(instance, "_history_deleted", None)
    if saved is None or _tree_deletion(origin):
        return
    values, tree_id, person_ids = saved
    if sender is Face and not values.get("person_id"):
        return
    batch = _batch_of(origin)
    for model, obj, before in getattr(instance, "_history_cleared", ()):
        after = {
            key: (None if value == instance.pk and key in ("partner1_id", "partner2_id", "person_id") else value)
            for key, value in before.items()
        }
        if after != before:
            _record(model, obj, before=before, after=after, batch=batch)
    values.pop("id")
    _record(
        sender,
        instance,
        before=values,
        after=None,
        batch=batch,
        tree_id=tree_id,
        person_ids=person_ids | {instance.pk} if sender is Person else person_ids,
    )


def _tree_deletion(origin: Any) -> bool:
    # A deleted tree takes its history with it; recording its rows' deletions would refer to it.
    return isinstance(origin, Tree) or getattr(origin, "model", None) is Tree


def _batch_of(origin: Any) -> str:
    """Return one id shared by a deletion and the rows it cascaded to (the same ``origin`` object)."""
    if origin is None:
        return uuid.uuid4().hex
    batch = getattr(origin, "_history_batch", None)
    if batch is None:
        batch = uuid.uuid4().hex
        try:
            origin._history_batch = batch
        except AttributeError:
            pass
    return batch


def _record(
    model: type[models.Model],
    instance: models.Model,
    *,
    before: dict | None,
    after: dict | None,
    batch: str = "",
    tree_id: int | None = None,
    person_ids: set[int] | None = None,
) -> RecordChange | None:
    spec = TRACKED[model]
    values = {**(before or {}), **(after or {}), "id": instance.pk}
    if tree_id is None:
        tree_id = spec.tree_id(values)
    if tree_id is None:
        return None
    if person_ids is None:
        person_ids = set().union(*(spec.person_ids({**snap, "id": instance.pk}) for snap in (before, after) if snap))
    reverting_change = _reverting.get()
    if reverting_change is not None and (reverting_change.record_type, reverting_change.object_id) != (
        spec.record_type,
        instance.pk,
    ):
        reverting_change = None  # a row the revert's deletion cascaded to: an ordinary deletion
    if reverting_change is not None:
        action = ChangeAction.REVERT
    else:
        action = (
            ChangeAction.CREATE if before is None else ChangeAction.DELETE if after is None else ChangeAction.UPDATE
        )
    user = current_user()
    change = RecordChange.objects.create(
        tree_id=tree_id,
        user=user,
        username=user.get_username() if user else "",
        record_type=spec.record_type,
        object_id=instance.pk,
        action=action,
        before=before,
        after=after,
        summary=_summary(model, instance, before, after, reverting_change),
        reverts=reverting_change,
        batch=batch,
    )
    RecordChangePerson.objects.bulk_create(
        [RecordChangePerson(change=change, person_id=pk) for pk in sorted(p for p in person_ids if p)]
    )
    return change


def _summary(
    model: type[models.Model],
    instance: models.Model,
    before: dict | None,
    after: dict | None,
    reverting_change: RecordChange | None,
) -> str:
    verb = "Created" if before is None else "Deleted" if after is None else "Changed"
    if model is Face:  # a face's own text names the photo's title, which says nothing here
        label = f"#{instance.pk} on photo #{instance.photo_id}"
    else:
        try:
            label = str(instance)
        except models.ObjectDoesNotExist:
            label = f"#{instance.pk}"
    kind = str(RecordType(TRACKED[model].record_type).label).lower()
    text = f"{verb} {kind} “{label}”"
    if before is not None and after is not None:
        keys = shown_keys(model, before, after)
        text += ": " + ", ".join(field_label(model, key) for key in keys)
    if reverting_change is not None:
        text = f"Reverted change #{reverting_change.pk}: {text[0].lower()}{text[1:]}"
    return text[:300]


def _on_gedcom_pre_save(sender: type[models.Model], instance: GedcomImport, **kwargs: Any) -> None:
    instance._history_was_done = (
        bool(instance.pk) and GedcomImport.objects.filter(pk=instance.pk, state=ImportState.DONE).exists()
    )


def _on_gedcom_post_save(sender: type[models.Model], instance: GedcomImport, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.state != ImportState.DONE or getattr(instance, "_history_was_done", True):
        return
    user = current_user() or instance.created_by
    result = instance.result or {}
    counts = ", ".join(
        f"{count} {kind.replace('_', ' ')}"
        for kind, count in result.get("counts", result).items()
        if isinstance(count, int) and count
    )
    RecordChange.objects.create(
        tree_id=instance.tree_id,
        user=user,
        username=user.get_username() if user else "",
        record_type=RecordType.GEDCOM_IMPORT,
        object_id=instance.pk,
        action=ChangeAction.IMPORT,
        before=None,
        after=instance.result or {},
        summary=(f"Imported GEDCOM file “{instance.original_name or 'upload'}”" + (f": {counts}" if counts else ""))[
            :300
        ],
    )


def connect() -> None:
    """Connect the recorders (from ``CasesConfig.ready``); ``dispatch_uid`` keeps it idempotent."""
    for model in TRACKED:
        label = model._meta.label_lower
        pre_save.connect(_on_pre_save, sender=model, dispatch_uid=f"history-pre-save-{label}")
        post_save.connect(_on_post_save, sender=model, dispatch_uid=f"history-post-save-{label}")
        pre_delete.connect(_on_pre_delete, sender=model, dispatch_uid=f"history-pre-delete-{label}")
        post_delete.connect(_on_post_delete, sender=model, dispatch_uid=f"history-post-delete-{label}")
    pre_save.connect(_on_gedcom_pre_save, sender=GedcomImport, dispatch_uid="history-gedcom-pre-save")
    post_save.connect(_on_gedcom_post_save, sender=GedcomImport, dispatch_uid="history-gedcom-post-save")
