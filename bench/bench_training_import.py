"""Times the training import of a generated CSV (100,000 rows by default) on the database of DATABASE_URL.

    createdb / psql -c "CREATE DATABASE bench_training"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_training DJANGO_DEBUG=1 \
        .venv/bin/python bench/bench_training_import.py [--rows 100000]

It migrates that database, empties its training records, writes the CSV to a temporary file (20,000 staff,
five completions each, 5% leavers, 40 units), then times: the check (the page's preview), the import, and a
re-import of the same file (all duplicates). It prints the times and the process's peak memory.
"""

import argparse
import csv
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from training import importer  # noqa: E402
from improvement.demo.training import DEMO_COURSES, seed_courses  # noqa: E402
from training.models import Completion, FeedbackResponse, Learner, Unit  # noqa: E402

GROUPS = ["Nursing", "Administration", "Medical", "Allied Health", "Other", "Quality partner"]


def write_csv(path, rows, seed=1):
    rng = random.Random(seed)
    people = max(1, rows // 5)
    courses = [name for name, _ in DEMO_COURSES]
    start = datetime.date(2019, 11, 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(importer.TRAINING_COLUMNS)
        written = 0
        for person in range(people):
            number = str(50000000 + person)
            group = rng.choice(GROUPS)
            unit = "" if group == "Quality partner" else f"Clinical service unit {rng.randint(1, 40)}"
            left = start + datetime.timedelta(days=rng.randint(1500, 1800)) if rng.random() < 0.05 else None
            for i in range(5):
                if written == rows:
                    return
                day = start + datetime.timedelta(days=rng.randint(0, 1400) // 5 * 5 + i)
                date = day.isoformat() if i % 2 else day.strftime("%d/%m/%Y")
                writer.writerow([number, f"Person {person}", group, unit, courses[i % len(courses)], date, left.isoformat() if left else ""])
                written += 1


def timed(label, function):
    began = time.perf_counter()
    report = function()
    seconds = time.perf_counter() - began
    print(f"{label:<34} {seconds:7.2f} s   {', '.join(f'{k.split(' (')[0].lower()}: {v}' for k, v in report.counts.items() if v)}")
    assert report.ok, report.file_error or report.errors[:5]
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed_courses()  # the demo's courses: a fresh migrate creates none
    Completion.objects.all().delete()
    Learner.objects.all().delete()
    Unit.objects.all().delete()
    FeedbackResponse.objects.all().delete()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "training.csv"
        write_csv(path, args.rows)
        size = path.stat().st_size
        print(f"{args.rows:,} rows, {size / 1024 / 1024:.1f} MB, on {connection.vendor} ({connection.settings_dict['NAME']})")
        check = timed("check (preview, writes nothing)", lambda: importer.check("training", importer.file_chunks(path)))
        first = timed("import into an empty database", lambda: importer.import_file("training", importer.file_chunks(path)))
        again = timed("re-import (all duplicates)", lambda: importer.import_file("training", importer.file_chunks(path)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB; check + import as the page does them: {check + first:.1f} s")
    print(f"rows in the database: {Completion.objects.count():,} completions, {Learner.objects.count():,} learners")


if __name__ == "__main__":
    main()
