"""Benchmark the four chart kinds and the lazy branch endpoint on trees of growing size.

Prints, per tree size and view, the SQL query count and the median server time (Django's test
client, in process), and how many persons the page carries. The query counts must not grow with
the tree; the persons carried depend only on the generations asked for.

    .venv/bin/python benchmarks/chart_bench.py [--sizes 1000 10000] [--repeat 9]

Uses a throw-away SQLite database unless DATABASE_URL is set (then a test database is created
there and dropped afterwards). The trees are tree_bench's: couples with three children each.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from tree_bench import build_tree  # noqa: E402  (sets Django up)


def measure(client: Client, url: str, repeat: int) -> tuple[int, float, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times), response.content


def carried(content: bytes, page: bool) -> int:
    """Count the persons a response carries (the page's JSON, or the branch's)."""
    if page:
        text, opening = content.decode(), '<script id="chart-data" type="application/json">'
        start = text.index(opening) + len(opening)
        data = json.loads(text[start : text.index("</script>", start)])["root"]
    else:
        data = json.loads(content)["person"]
    stack, count = [data], 0
    while stack:
        person = stack.pop()
        if not person:
            continue
        count += 1
        stack.extend(person["parents"] or [])
        for family in person["families"] or []:
            stack.append(family["partner"])
            stack.extend(family["children"])
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    setup_test_environment()
    # Keep one connection for the whole run (as TestCase does), so query logs are not reset.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        print(f"database: {connection.vendor}")
        print(f"{'persons':>8} {'view':<34} {'queries':>7} {'median ms':>9} {'persons sent':>12}")
        for size in args.sizes:
            user, tree, focus, _ = build_tree(size)
            client = Client()
            client.force_login(user)
            page = reverse("tree-chart", kwargs={"tree_id": tree.pk})
            branch = reverse("tree-chart-branch", kwargs={"tree_id": tree.pk})
            views = [
                (f"{kind} (default generations)", f"{page}?kind={kind}&focus={focus.pk}", True)
                for kind in ("hourglass", "pedigree", "descendants", "fan")
            ]
            views += [
                ("hourglass 6 up / 6 down", f"{page}?kind=hourglass&focus={focus.pk}&up=6&down=6", True),
                ("branch up, 2 generations", f"{branch}?person={focus.pk}&direction=up&generations=2", False),
                ("branch down, 2 generations", f"{branch}?person={focus.pk}&direction=down&generations=2", False),
            ]
            for name, url, is_page in views:
                count, median, content = measure(client, url, args.repeat)
                print(f"{size:>8} {name:<34} {count:>7} {median:>9.1f} {carried(content, is_page):>12}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
