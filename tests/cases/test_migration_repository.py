"""Migration 0013: each distinct free-text repository of a tree becomes one Repository, and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0012_audit_access_log")]
AFTER = [("cases", "0013_editfamily_repository")]


@pytest.mark.django_db(transaction=True)
def test_repository_text_becomes_records_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="migrator")
    Tree, Source = old.get_model("cases", "Tree"), old.get_model("cases", "Source")
    first, second = (Tree.objects.create(name=name, created_by=user) for name in ("First", "Second"))
    for tree, title, repository in (
        (first, "A", "County Archives"),
        (first, "B", "County Archives "),
        (first, "C", ""),
        (second, "D", "County Archives"),
    ):
        Source.objects.create(tree=tree, title=title, repository=repository)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        Repository, Source = new.get_model("cases", "Repository"), new.get_model("cases", "Source")
        assert sorted(Repository.objects.values_list("tree__name", "name")) == [
            ("First", "County Archives"),
            ("Second", "County Archives"),
        ]
        repositories = dict(Source.objects.values_list("title", "repository__tree__name"))
        assert repositories == {"A": "First", "B": "First", "C": None, "D": "Second"}
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        assert dict(old.get_model("cases", "Source").objects.values_list("title", "repository")) == {
            "A": "County Archives",
            "B": "County Archives",
            "C": "",
            "D": "County Archives",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
