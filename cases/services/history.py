"""Reverting recorded changes of lineage records (the changes themselves are recorded by ``cases.history``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError

from cases.access import Capability, TreeAccess
from cases.errors import Conflict, InvalidInput, NotFound
from cases.history import MODEL_OF_TYPE, field_label, json_value, reverting
from cases.models import ChildLink, Family, Person, RecordChange, RecordType
from cases.services.families import descendant_ids
from cases.services.persons import person_delete, persons_refresh_estimated_birth

REFRESH_ESTIMATES = frozenset({RecordType.PERSON, RecordType.FAMILY, RecordType.CHILD_LINK})
"""Record types whose revert can move the derived birth-year estimates (and so who counts as living)."""


@transaction.atomic
def change_revert(*, access: TreeAccess, change: RecordChange) -> RecordChange:
    """Undo one change: restore an update's old values, delete a creation, recreate a deletion.

    Reverting a deletion also brings back what that deletion removed with it (names, links, notes,
    partner places). Return the change that records the revert.
    """
    access.require(Capability.EDIT)
    if change.tree_id != access.tree.pk:
        raise NotFound("No such change in this tree.")
    _check_visible(access, change)
    revert = _revert_one(access, change)
    if change.after is None:
        for dependant in _cascaded(change):
            _revert_one(access, dependant)
    if change.record_type in REFRESH_ESTIMATES:
        persons_refresh_estimated_birth(
            tree_id=access.tree.pk, person_ids=list(change.persons.values_list("person_id", flat=True))
        )
    return revert


def _revert_one(access: TreeAccess, change: RecordChange) -> RecordChange:
    model = MODEL_OF_TYPE.get(change.record_type)
    if model is None:
        raise InvalidInput(f"{change.get_record_type_display()} changes cannot be reverted here.")
    done = change.reverted_by.order_by("pk").first()
    if done is not None:
        raise Conflict(f"Change #{change.pk} was already reverted by change #{done.pk}; revert that one to redo it.")
    current = model._default_manager.select_for_update().filter(pk=change.object_id).first()
    with reverting(change):
        if change.before is None:
            _require_unchanged(change, current, list(change.after))
            _delete(access, current)
        elif change.after is None:
            if current is not None:
                raise Conflict(f"This {model._meta.verbose_name} exists again; there is nothing to recreate.")
            _recreate(access, change, model)
        else:
            keys = [key for key in change.after if change.before.get(key) != change.after.get(key)]
            _require_unchanged(change, current, keys)
            _check_references(change, model, {key: change.before.get(key) for key in keys})
            for key in keys:
                setattr(current, key, model._meta.get_field(key).to_python(change.before.get(key)))
            _check_lineage(access, current)
            names = [model._meta.get_field(key).name for key in keys]
            if any(field.name == "updated_at" for field in model._meta.concrete_fields):
                names.append("updated_at")
            current.save(update_fields=names)
    record = change.reverted_by.order_by("-pk").first()
    if record is None:  # the write changed nothing recordable (it cannot happen for a checked change)
        raise Conflict(f"Change #{change.pk} left nothing to revert.")
    return record


def _delete(access: TreeAccess, current: models.Model) -> None:
    """Delete a record a revert un-creates, with the same refusals as deleting it by hand."""
    if isinstance(current, Person):
        person_delete(access=access, person=current)  # refuses a case's missing person or a scope's centre
        return
    try:
        with transaction.atomic():
            current.delete()
    except ProtectedError as error:
        raise Conflict(
            f"This {current._meta.verbose_name} is needed by other records (a generation job, "
            "say) and cannot be removed."
        ) from error


def _require_unchanged(change: RecordChange, current: models.Model | None, keys: list[str]) -> None:
    """Refuse when the record is gone or its fields no longer hold what ``change`` left there."""
    label = change.get_record_type_display().lower()
    if current is None:
        raise Conflict(
            f"The {label} has been deleted since change #{change.pk}; revert its deletion first{_newer_hint(change)}."
        )
    stale = [key for key in keys if _json(current, key) != change.after.get(key)]
    if stale:
        labels = ", ".join(field_label(type(current), key) for key in stale)
        raise Conflict(
            f"The {label} has been changed again since change #{change.pk} ({labels}); "
            f"revert the newer change first{_newer_hint(change)}."
        )


def _newer_hint(change: RecordChange) -> str:
    newer = (
        RecordChange.objects.filter(
            tree_id=change.tree_id, record_type=change.record_type, object_id=change.object_id, pk__gt=change.pk
        )
        .order_by("-pk")
        .first()
    )
    return f" (change #{newer.pk})" if newer else ""


def _json(instance: models.Model, key: str) -> Any:
    return json_value(instance._meta.get_field(key).value_from_object(instance))


def _check_references(change: RecordChange, model: type[models.Model], values: dict[str, Any]) -> None:
    """Refuse to point at a record that is gone (a deleted partner, person or source)."""
    for field in model._meta.concrete_fields:
        if not field.is_relation or values.get(field.attname) is None:
            continue
        related = field.related_model
        if not related._default_manager.filter(pk=values[field.attname]).exists():
            label = field_label(model, field.attname)
            raise Conflict(
                f"The {related._meta.verbose_name} this {model._meta.verbose_name} referred to "
                f"({label} #{values[field.attname]}) no longer exists; revert its deletion first."
            )


def _recreate(access: TreeAccess, change: RecordChange, model: type[models.Model]) -> None:
    _check_references(change, model, change.before)
    instance = model(pk=change.object_id)
    for key, value in change.before.items():
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:  # a field since removed from the model: nothing to restore
            continue
        setattr(instance, key, field.to_python(value))
    _check_lineage(access, instance)
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError as error:
        raise Conflict(
            f"The {model._meta.verbose_name} cannot be recreated: it would clash with a record "
            "made since (the same child twice, say)."
        ) from error


def _check_lineage(access: TreeAccess, instance: models.Model) -> None:
    """Refuse a revert that would make someone their own ancestor (links may have changed since)."""
    if isinstance(instance, ChildLink):
        family = Family.objects.filter(pk=instance.family_id).first()
        partners = {p for p in (family.partner1_id, family.partner2_id) if p} if family else set()
        children = {instance.child_id}
    elif isinstance(instance, Family):
        partners = {p for p in (instance.partner1_id, instance.partner2_id) if p}
        children = set(ChildLink.objects.filter(family_id=instance.pk).values_list("child_id", flat=True))
    else:
        return
    if partners & children or any(
        partners & descendant_ids(tree_id=access.tree.pk, person_id=child) for child in children
    ):
        raise Conflict(
            "Reverting this would make someone their own ancestor with the links recorded since; "
            "revert the newer link changes first."
        )


def _cascaded(change: RecordChange) -> list[RecordChange]:
    """Return the unreverted changes written by the same deletion that pointed at the deleted record."""
    if not change.batch:
        return []
    model = MODEL_OF_TYPE[change.record_type]
    result = []
    # One batch is one deletion's origin object, so its rows are that deletion's, in whatever order
    # Django's collector sent them.
    for other in (
        RecordChange.objects.filter(tree_id=change.tree_id, batch=change.batch, reverted_by__isnull=True)
        .exclude(pk=change.pk)
        .order_by("pk")
    ):
        other_model = MODEL_OF_TYPE.get(other.record_type)
        if other_model is None or other.before is None:
            continue
        if any(
            field.is_relation and field.related_model is model and other.before.get(field.attname) == change.object_id
            for field in other_model._meta.concrete_fields
        ):
            result.append(other)
    return result


def _check_visible(access: TreeAccess, change: RecordChange) -> None:
    from cases.selectors.history import change_hidden

    if change_hidden(access=access, change=change):
        raise NotFound("No such change in this tree.")
