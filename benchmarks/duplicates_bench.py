"""Benchmark the duplicate finder on trees of growing size with realistic, repetitive names.

Prints, per tree size, the SQL query count and median time of ``person_duplicates`` as the pages
call it (the best 200 pairs), and the number of pairs found in all. The query count must not grow
with the tree; the time should grow about linearly (persons are compared only inside phonetic
blocks and near their birth dates, never all against all).

    .venv/bin/python benchmarks/duplicates_bench.py [--sizes 1000 10000] [--repeat 3]

Uses a throw-away SQLite database unless DATABASE_URL is set (then a test database is created
there and dropped afterwards).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KINSHIP_DATA_DIR", tempfile.mkdtemp(prefix="kinship-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinship_site.settings")

import django  # noqa: E402

from kinship_site.embedded import embedded_data_prepare  # noqa: E402

embedded_data_prepare()  # an entry point, as manage.py is: the data folder and its key
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

GIVEN = [
    "John",
    "Mary",
    "William",
    "Elizabeth",
    "James",
    "Sarah",
    "Thomas",
    "Ann",
    "George",
    "Jane",
    "Henry",
    "Margaret",
    "Charles",
    "Alice",
    "Robert",
    "Emma",
    "Edward",
    "Martha",
    "Joseph",
    "Catherine",
]
SURNAMES = [
    "Smith",
    "Smyth",
    "Jones",
    "Brown",
    "Taylor",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Hughes",
    "Edwards",
    "Turner",
    "Hill",
    "Moore",
    "Cooper",
    "Ward",
    "Morris",
    "King",
]


def build_tree(size: int):
    """Create ``size`` persons with common English names over two centuries; about 3% recorded twice."""
    from cases.models import Person
    from cases.services.trees import tree_create

    rng = random.Random(size)
    user = get_user_model().objects.create_user(f"dup{size}", password="x")
    tree = tree_create(name=f"Duplicates {size}", owner=user)
    people = []
    for _ in range(size):
        year = rng.randint(1750, 1950)
        sex = rng.choice("MF")
        people.append(
            Person(
                tree=tree,
                given_names=rng.choice(GIVEN),
                surname=rng.choice(SURNAMES),
                sex=sex,
                birth_date=str(year),
                birth_date_start=datetime.date(year, 1, 1),
                birth_date_end=datetime.date(year, 12, 31),
            )
        )
    people += [
        Person(
            tree=tree,
            given_names=p.given_names,
            surname=p.surname.upper(),
            sex=p.sex,
            birth_date=f"ABT {p.birth_date}",
            birth_date_start=p.birth_date_start - datetime.timedelta(days=1000),
            birth_date_end=p.birth_date_end + datetime.timedelta(days=1000),
        )
        for p in rng.sample(people, size * 3 // 100)
    ]
    Person.objects.bulk_create(people, batch_size=1000)
    return user, tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        from cases.access import tree_access_get
        from cases.selectors.duplicates import person_duplicates

        print(f"{'persons':>8} {'queries':>8} {'median s':>9} {'pairs':>6}")
        for size in args.sizes:
            user, tree = build_tree(size)
            times, queries, found = [], 0, []
            for _ in range(args.repeat):
                access = tree_access_get(user=user, tree_id=tree.pk)
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    person_duplicates(access=access)
                    times.append(time.perf_counter() - started)
                queries = len(captured)
            found = person_duplicates(access=access, limit=100_000)
            print(f"{tree.persons.count():>8} {queries:>8} {statistics.median(times):>9.3f} {len(found):>6}")
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
