"""Repositories: the archives, libraries and websites where a tree's sources are kept."""

from __future__ import annotations

from django.db import transaction

from cases.access import Capability, TreeAccess
from cases.errors import InvalidInput, NotFound
from cases.models import Repository


def repository_create(*, access: TreeAccess, name: str, address: str = "") -> Repository:
    """Record a repository of sources."""
    access.require(Capability.EDIT)
    repository = Repository(tree=access.tree, name=_name(name), address=address.strip())
    repository.save()
    return repository


def repository_update(*, access: TreeAccess, repository: Repository, name: str, address: str = "") -> Repository:
    """Change a repository's name and address."""
    access.require(Capability.EDIT)
    _check(access, repository)
    repository.name, repository.address = _name(name), address.strip()
    repository.save(update_fields=["name", "address"])
    return repository


@transaction.atomic
def repository_delete(*, access: TreeAccess, repository: Repository) -> None:
    """Delete a repository; its sources stay, without a repository."""
    access.require(Capability.EDIT)
    _check(access, repository)
    repository.delete()


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("A repository needs a name.")
    if len(name) > 300:
        raise InvalidInput("The name is too long: at most 300 characters.")
    return name


def _check(access: TreeAccess, repository: Repository) -> None:
    if repository.tree_id != access.tree.pk:
        raise NotFound("No such repository in this tree.")
