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


def _measure(action):  # type: ignore[no-untyped-def]
    """Run `action` twice: once timed (wall and CPU seconds), once under tracemalloc for the peak heap.

    CPU seconds are reported too because the shared machine's load changes wall time a lot.
    """
    began, began_cpu = time.perf_counter(), time.process_time()
    result = action()
    elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, elapsed, cpu, peak


def main(persons: int) -> None:
    """Print the figures for one generated file."""
    with tempfile.TemporaryDirectory() as scratch:
        path = write_sample(Path(scratch) / "bench.ged", persons)
        size = path.stat().st_size
        print(f"file: {persons} persons, {size / 1e6:.1f} MB")

        def stream() -> int:
            return sum(1 for record in iter_gedcom(path) if isinstance(record, Individual))

        counted, elapsed, cpu, peak = _measure(stream)
        print(
            f"streaming parse: {counted} persons in {elapsed:.2f} s = {counted / elapsed:,.0f} persons/s "
            f"({counted / cpu:,.0f} per CPU second), peak heap {peak / 1e6:.1f} MB"
        )
        document, elapsed, cpu, peak = _measure(lambda: read_gedcom(path))
        persons_read = len(document.individuals)
        print(
            f"read_gedcom (whole document, links and cycles checked): {elapsed:.2f} s = "
            f"{persons_read / elapsed:,.0f} persons/s ({persons_read / cpu:,.0f} per CPU second), "
            f"peak heap {peak / 1e6:.1f} MB"
        )
        for version in ("5.5.1", "7.0"):
            text, elapsed, cpu, _ = _measure(lambda v=version: write_gedcom(document, v))
            print(f"write {version}: {elapsed:.2f} s, {cpu:.2f} CPU s ({len(text) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
