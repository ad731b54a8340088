"""Trees (workspaces) and who may do what in them."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from cases.genealogy.names import NAME_FORMATS


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"
    CASEWORKER = "caseworker", "Caseworker"
    AUDITOR = "auditor", "Auditor"


class Tree(models.Model):
    """A family-tree workspace: persons, families and photos belong to exactly one tree."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    living_age_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Years after which a person with no recorded death is presumed dead; empty uses the site default.",
    )
    name_format = models.CharField(
        max_length=30,
        blank=True,
        choices=list(NAME_FORMATS.items()),
        help_text="How persons' names are shown in this tree; empty uses the site default.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "name"], name="tree_name_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("tree-chart", kwargs={"tree_id": self.pk})

    @property
    def effective_living_age_limit(self) -> int:
        return self.living_age_limit or settings.KINSHIP_LIVING_AGE_LIMIT

    @property
    def effective_name_format(self) -> str:
        return self.name_format or settings.KINSHIP_NAME_FORMAT


_trees_in_use: contextvars.ContextVar[dict[int, Tree] | None] = contextvars.ContextVar(
    "kinship_trees_in_use", default=None
)


@contextmanager
def trees_in_use() -> Iterator[None]:
    """Let records read their tree's settings from the trees loaded inside the block (one request).

    A page loads its tree once, then shows hundreds of persons reached through families, links
    and history rows; each person's name needs the tree's name format, and asking the database
    for the tree again per person would make every list grow a query per row.
    """
    token = _trees_in_use.set({})
    try:
        yield
    finally:
        _trees_in_use.reset(token)


def tree_in_use_add(tree: Tree) -> None:
    """Remember ``tree`` for the rest of the block opened by :func:`trees_in_use` (nothing outside one)."""
    trees = _trees_in_use.get()
    if trees is not None:
        trees[tree.pk] = tree


def tree_in_use_get(tree_id: int) -> Tree | None:
    """Return the tree loaded in this block with that id, or None."""
    trees = _trees_in_use.get()
    return trees.get(tree_id) if trees is not None else None


class Membership(models.Model):
    """A user's role in one tree, optionally limited to the relatives near one person."""

    tree = models.ForeignKey(Tree, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    can_see_living = models.BooleanField(
        null=True,
        blank=True,
        help_text="Whether living persons' details and photos are shown; empty follows the role.",
    )
    scope_person = models.ForeignKey(
        "cases.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Limit this member to the relatives of this person…",
    )
    scope_depth = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="…within this many steps (parent, child or partner).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tree", "user"], name="membership_unique_user_per_tree"),
            models.CheckConstraint(
                condition=(
                    models.Q(scope_person__isnull=True, scope_depth__isnull=True)
                    | models.Q(scope_person__isnull=False, scope_depth__isnull=False)
                ),
                name="membership_scope_person_and_depth_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.role} in {self.tree}"

    def clean(self) -> None:
        if self.scope_person_id and self.scope_person.tree_id != self.tree_id:
            raise ValidationError({"scope_person": "The scope person must belong to this tree."})
