"""Benchmark GEDCOM import into the database and export from it.

    .venv/bin/python benchmarks/gedcom_import_bench.py [--sizes 10000 50000]

For each size, generates a 5.5.1 file (benchmarks/gedcom_sample.py), imports it into a fresh tree
with the real service (one transaction, bulk inserts, estimated birth years refreshed) and prints
persons/s, the peak Python heap of the import (tracemalloc, measured on a second import into
another tree so timing runs untraced) and the time to export 5.5.1 and 7.0. Compare the peak
across sizes: it should grow only by the per-row keys the importer holds (xref → id maps), not
with the file.

Uses a throw-away SQLite database unless DATABASE_URL is set (then a test database is created
there and dropped afterwards).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
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
from django.test.utils import setup_test_environment  # noqa: E402
from gedcom_sample import write_sample  # noqa: E402


def _tree(user, name: str):
    from cases.access import tree_access_get
    from cases.services.trees import tree_create

    return tree_access_get(user=user, tree_id=tree_create(name=name, owner=user).pk)


def run(size: int, scratch: Path, user) -> None:
    from cases.models import Person
    from cases.services.gedcom import gedcom_export, gedcom_import

    path = write_sample(scratch / f"bench-{size}.ged", size)
    access = _tree(user, f"Bench {size}")
    began, began_cpu = time.perf_counter(), time.process_time()
    result = gedcom_import(access=access, path=path)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    imported = Person.objects.filter(tree=access.tree).count()
    assert imported == result["counts"]["persons"], (imported, result["counts"])
    print(
        f"{size:>7} persons ({path.stat().st_size / 1e6:.1f} MB): import {elapsed:.2f} s = "
        f"{imported / elapsed:,.0f} persons/s ({imported / cpu:,.0f} per CPU second); "
        f"rows: {', '.join(f'{n} {k}' for k, n in result['counts'].items() if n)}"
    )

    traced = _tree(user, f"Bench {size} traced")
    tracemalloc.start()
    gedcom_import(access=traced, path=path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{size:>7} persons: import peak Python heap {peak / 1e6:.1f} MB ({peak / size:,.0f} bytes/person)")

    for version in ("5.5.1", "7.0"):
        began = time.perf_counter()
        exported = gedcom_export(access=access, version=version)
        print(
            f"{size:>7} persons: export {version} {time.perf_counter() - began:.2f} s "
            f"({len(exported.content) / 1e6:.1f} MB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    args = parser.parse_args()
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old_config = runner.setup_databases()
    try:
        print(f"database: {connection.vendor}")
        user = get_user_model().objects.create_user("gedcom-bench", password="x")
        with tempfile.TemporaryDirectory() as scratch:
            for size in args.sizes:
                run(size, Path(scratch), user)
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
