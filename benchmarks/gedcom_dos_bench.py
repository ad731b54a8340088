"""Benchmark the GEDCOM denial-of-service cases of issue 13: long CONT runs and a big .ged inside a zip.

    .venv/bin/python benchmarks/gedcom_dos_bench.py [--cont 25000 50000 100000 200000] [--zip-persons 80000]

1. CONT: parses a note of N CONT lines (`iter_gedcom`) and prints the time and the time per line;
   a linear parser keeps the time per line flat as N grows (the quadratic one grew with N).
2. Zip: writes a generated .ged (benchmarks/gedcom_sample.py) and a .zip holding it, then runs the
   import preview (`gedcom_preview`: the whole file parsed, counted and checked, nothing written) on
   each in a fresh process, printing the peak RSS over the process's baseline and the peak Python
   heap (tracemalloc, in a separate run so timing is untraced).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))


def cont_case(lines: int) -> tuple[float, int]:
    from cases.genealogy.gedcom import Note, iter_gedcom

    text = (
        "0 HEAD\n1 GEDC\n2 VERS 5.5.1\n1 CHAR UTF-8\n0 @N1@ NOTE start\n"
        + "1 CONT a line of a very long note, as a hostile file might send it\n" * lines
        + "0 TRLR\n"
    )
    began = time.perf_counter()
    notes = [r for r in iter_gedcom(text.encode()) if isinstance(r, Note)]
    return time.perf_counter() - began, len(notes[0].text)


def preview_in_child(path: Path, traced: bool) -> dict:
    """Run the preview of `path` in a fresh interpreter; return its figures."""
    code = f"""
import json, os, resource, sys, time, tracemalloc
sys.path.insert(0, {str(ROOT)!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinship_site.settings")
import django
django.setup()
from cases.services.gedcom import gedcom_preview
import cases.services.gedcom.preview, cases.imaging  # everything imported before the baseline
def rss():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmRSS"))
baseline = rss()
if {traced}:
    tracemalloc.start()
began = time.perf_counter()
preview = gedcom_preview(path=__import__("pathlib").Path({str(path)!r}))
elapsed = time.perf_counter() - began
heap = tracemalloc.get_traced_memory()[1] if {traced} else 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"baseline": baseline, "peak": peak, "heap": heap, "seconds": elapsed,
                  "persons": preview["counts"]["persons"]}}))
"""
    env = {**os.environ, "KINSHIP_DATA_DIR": tempfile.mkdtemp(prefix="kinship-bench-")}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cont", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000])
    parser.add_argument("--zip-persons", type=int, default=80_000)
    args = parser.parse_args()

    print("CONT lines in one note (iter_gedcom):")
    for lines in args.cont:
        seconds, length = cont_case(lines)
        print(
            f"  {lines:>8,} lines: {seconds:6.2f} s, {seconds / lines * 1e6:5.1f} µs/line ({length / 1e6:.1f} M chars)"
        )

    from gedcom_sample import write_sample

    with tempfile.TemporaryDirectory() as scratch:
        ged = write_sample(Path(scratch) / "big.ged", args.zip_persons)
        archive = Path(scratch) / "big.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
            out.write(ged, "family/big.ged")
        print(
            f"zip case: {args.zip_persons:,} persons, .ged {ged.stat().st_size / 1e6:.1f} MB, "
            f".zip {archive.stat().st_size / 1e6:.2f} MB"
        )
        for label, path in ((".ged", ged), (".zip", archive)):
            plain = preview_in_child(path, traced=False)
            traced = preview_in_child(path, traced=True)
            print(
                f"  preview of the {label}: {plain['seconds']:.1f} s, process RSS {plain['baseline'] / 1e6:.0f} MB "
                f"at start → peak {plain['peak'] / 1e6:.0f} MB "
                f"(+{(plain['peak'] - plain['baseline']) / 1e6:.0f} MB); "
                f"peak Python heap {traced['heap'] / 1e6:.1f} MB; {plain['persons']:,} persons"
            )


if __name__ == "__main__":
    main()
