"""Benchmark the pages and API views a genealogist uses (charts, person and family pages, editing, history,
duplicates, sources, search, places, surnames, relationships) on trees of growing size.

Prints, per tree size, the SQL query count and the median server time of each view (Django's
test client, in process). The query counts must not grow with the tree.

    .venv/bin/python benchmarks/tree_bench.py [--sizes 500 5000] [--repeat 15]

Uses a throw-away SQLite database unless DATABASE_URL is set (then a test database is created
there and dropped afterwards).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KINSHIP_DATA_DIR", tempfile.mkdtemp(prefix="kinship-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinship_site.settings")
os.environ.setdefault("KINSHIP_TASKS_EAGER", "1")

import django  # noqa: E402

from kinship_site.embedded import embedded_data_prepare  # noqa: E402

embedded_data_prepare()  # an entry point, as manage.py is: the data folder and its key
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


def build_tree(size: int):
    """Create a tree of about ``size`` persons: couples with three children each, generation by generation."""
    from cases.models import ChildLink, Family, Person
    from cases.services.persons import persons_refresh_estimated_birth
    from cases.services.trees import tree_create

    user = get_user_model().objects.create_user(f"bench{size}", password="x")
    tree = tree_create(name=f"Bench {size}", owner=user)
    people = [
        Person(
            tree=tree,
            given_names=f"P{i}",
            surname=f"S{i % 97}",
            sex="MF"[i % 2],
            birth_place=("Lyon, Rhône, France", "Boston, Massachusetts, USA")[i % 2],
            birth_date=str(1700 + i // 20),
            birth_date_start=datetime.date(1700 + i // 20, 1, 1),
            birth_date_end=datetime.date(1700 + i // 20, 12, 31),
        )
        for i in range(size)
    ]
    Person.objects.bulk_create(people, batch_size=1000)
    people = list(Person.objects.filter(tree=tree).order_by("pk"))
    families, links = [], []
    child_cursor = 2
    for index in range(0, size, 2):
        if child_cursor + 3 > size:
            break
        families.append(Family(tree=tree, partner1=people[index], partner2=people[index + 1]))
    Family.objects.bulk_create(families, batch_size=1000)
    for family in Family.objects.filter(tree=tree).order_by("pk"):
        for order in range(3):
            if child_cursor >= size:
                break
            links.append(ChildLink(family=family, child=people[child_cursor], order=order))
            child_cursor += 1
    ChildLink.objects.bulk_create(links, batch_size=1000)
    persons_refresh_estimated_birth(tree_id=tree.pk)
    return user, tree, people[size // 2], people[size // 2 + 7]


def measure(client, url: str, repeat: int) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # now: later requests reset the connection's query log
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    from django.test import Client

    setup_test_environment()
    # Keep one connection for the whole run (as TestCase does), so query logs are not reset.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        print(f"database: {connection.vendor}")
        print(f"{'persons':>8} {'view':<18} {'queries':>8} {'median ms':>10}", flush=True)
        for size in args.sizes:
            user, tree, focus, other = build_tree(size)
            family = focus.parent_links.get().family
            client = Client()
            client.force_login(user)
            views = {
                "tree chart page": reverse("tree-chart", kwargs={"tree_id": tree.pk}) + f"?focus={focus.pk}",
                "person page": reverse("person-detail", kwargs={"tree_id": tree.pk, "person_id": focus.pk}),
                "person list API": reverse("api-person-list", kwargs={"tree_id": tree.pk}),
                "search page": reverse("person-list", kwargs={"tree_id": tree.pk}) + "?q=P1+S1&born_from=1750",
                "soundex search": reverse("person-list", kwargs={"tree_id": tree.pk}) + "?q=S12&phonetic=1",
                "surname index": reverse("surname-list", kwargs={"tree_id": tree.pk}),
                "place list": reverse("place-list", kwargs={"tree_id": tree.pk}),
                "place page": reverse("place-detail", kwargs={"tree_id": tree.pk}) + "?name=France",
                "relationship": reverse("relationship", kwargs={"tree_id": tree.pk}) + f"?a={focus.pk}&b={other.pk}",
                "timeline API": reverse("api-person-timeline", kwargs={"tree_id": tree.pk, "person_id": focus.pk}),
                "family page": reverse("family-detail", kwargs={"tree_id": tree.pk, "family_id": family.pk}),
                "person edit page": reverse("person-edit", kwargs={"tree_id": tree.pk, "person_id": focus.pk}),
                "history page": reverse("tree-history", kwargs={"tree_id": tree.pk}),
                "duplicates page": reverse("duplicate-list", kwargs={"tree_id": tree.pk}),
                "sources page": reverse("source-list", kwargs={"tree_id": tree.pk}),
                "chart API": reverse("api-chart", kwargs={"tree_id": tree.pk}) + f"?focus={focus.pk}",
                "chart branch": reverse("tree-chart-branch", kwargs={"tree_id": tree.pk})
                + f"?person={focus.pk}&direction=up",
            }
            for kind in ("pedigree", "descendants", "fan"):
                views[f"{kind} chart"] = (
                    reverse("tree-chart", kwargs={"tree_id": tree.pk}) + f"?focus={focus.pk}&kind={kind}"
                )
            for name, url in views.items():
                count, median = measure(client, url, args.repeat)
                print(f"{size:>8} {name:<18} {count:>8} {median:>10.1f}", flush=True)
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
