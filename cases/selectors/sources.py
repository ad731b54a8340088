"""Reads of a tree's sources and repositories."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from cases.access import TreeAccess
from cases.models import Repository, Source


def source_list(*, access: TreeAccess) -> QuerySet[Source]:
    """Return the tree's sources with their repository and how often each is cited (one query)."""
    return (
        Source.objects.filter(tree=access.tree)
        .select_related("repository")
        .annotate(citation_count=Count("citations"))
        .order_by("title", "pk")
    )


def repository_list(*, access: TreeAccess) -> QuerySet[Repository]:
    """Return the tree's repositories with how many sources each holds (one query)."""
    return Repository.objects.filter(tree=access.tree).annotate(source_count=Count("sources")).order_by("name", "pk")
