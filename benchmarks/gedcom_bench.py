"""Benchmark GEDCOM import parsing and export: `python benchmarks/gedcom_bench.py [PERSONS]`.

Generates a PERSONS-person 5.5.1 file (default 50,000), then prints the streaming parse rate
(records mapped one at a time, as a batch importer consumes them), the whole-document read rate,
peak memory of each (tracemalloc, Python heap) and the time to write 5.5.1 and 7.0.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gedcom_sample import write_sample  # noqa: E402

from cases.genealogy.gedcom import Individual, iter_gedcom, read_gedcom, write_gedcom  # noqa: E402


def _measure(label: str, action):  # type: ignore[no-untyped-def]
    """Run `action` twice: once timed, once under tracemalloc for the peak heap."""
    began = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - began
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, elapsed, peak


def main(persons: int) -> None:
    """Print the figures for one generated file."""
    with tempfile.TemporaryDirectory() as scratch:
        path = write_sample(Path(scratch) / "bench.ged", persons)
        size = path.stat().st_size
        print(f"file: {persons} persons, {size / 1e6:.1f} MB")

        def stream() -> int:
            return sum(1 for record in iter_gedcom(path) if isinstance(record, Individual))

        counted, elapsed, peak = _measure("stream", stream)
        print(f"streaming parse: {counted} persons in {elapsed:.2f} s = {counted / elapsed:,.0f} persons/s, "
              f"peak heap {peak / 1e6:.1f} MB")
        document, elapsed, peak = _measure("read", lambda: read_gedcom(path))
        print(f"read_gedcom (whole document, links and cycles checked): {elapsed:.2f} s = "
              f"{len(document.individuals) / elapsed:,.0f} persons/s, peak heap {peak / 1e6:.1f} MB")
        for version in ("5.5.1", "7.0"):
            text, elapsed, _ = _measure(version, lambda v=version: write_gedcom(document, v))
            print(f"write {version}: {elapsed:.2f} s ({len(text) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
