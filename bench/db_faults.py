#!/usr/bin/env python
"""Database faults under load: stop PostgreSQL while users read and write, start it again, and report.

    .venv/bin/python bench/db_faults.py            # the fault run (4 users, 25 s, PostgreSQL down from 5 s to 13 s)
    .venv/bin/python bench/db_faults.py --load     # the load run: 50 users, half reading and half writing, 60 s
    .venv/bin/python bench/db_faults.py --hang 20  # PostgreSQL frozen (SIGSTOP) for 20 s under 16 users

Creates a fresh database on the local PostgreSQL (127.0.0.1:5432, user postgres), loads the demo, starts gunicorn
(2 workers, production settings) on loopback, and runs 4 users (2 reading goal pages, 2 adding evidence) for
25 s; from 5 s to 13 s PostgreSQL is stopped. It prints, per phase, the answers by status and the slowest one,
how long the app took to answer 200 again after PostgreSQL returned, and checks that every write the app
accepted (a 302 after the POST) is in the database and nothing else is: no half-written records.
It stops and starts the machine's PostgreSQL cluster: do not run it while other work uses that database.

--hang SECONDS freezes PostgreSQL instead of stopping it: the server accepts connections and never answers, the
fault that no refused connection reveals. It runs on a PostgreSQL of its own (initdb in a temporary folder, port
HANG_PORT, as the postgres user; never the machine's cluster), under 16 users (8 reading, 8 writing), SIGSTOPs the
postmaster and every backend from 5 s for SECONDS, SIGCONTs them, runs 12 s more, and reports the requests, the 503s
and how many came within 5 s, gunicorn workers killed (must be 0), failures after recovery (must be 0) and whether
every acknowledged write is stored.
"""

import collections
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
DB = f"improvement_faults_{os.getpid()}"
CLUSTER = subprocess.run("ls /etc/postgresql", shell=True, capture_output=True, text=True).stdout.split()[0]
HANG = float(sys.argv[sys.argv.index("--hang") + 1]) if "--hang" in sys.argv else None
HANG_PORT = 55432
PG_PORT = HANG_PORT if HANG else 5432
PG_BIN = Path(f"/usr/lib/postgresql/{CLUSTER}/bin")
ENV = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}", "DJANGO_SECRET_KEY": "faults-bench-only",
       "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_INSECURE_COOKIES": "1", "DJANGO_DEBUG": "0"}
PY = str(ROOT / ".venv" / "bin" / "python")


def psql(sql):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-c", sql], check=True)


def as_postgres(*command):
    return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, command)], check=True, capture_output=True, text=True)


@contextlib.contextmanager
def own_postgres():
    """A PostgreSQL of this run's own, in a temporary folder on HANG_PORT: freezing it touches nothing else."""
    folder = Path(tempfile.mkdtemp(prefix="db-faults-hang-"))
    shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    try:
        as_postgres(PG_BIN / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
        as_postgres(PG_BIN / "pg_ctl", "-D", data, "-l", folder / "log", "-w", "-o",
                    f"-p {HANG_PORT} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        yield data
    finally:
        pids = _postgres_pids(data)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _postgres_pids(data):
    """The postmaster (first line of postmaster.pid) and its children, the backends."""
    try:
        postmaster = int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(postmaster)], capture_output=True, text=True).stdout.split()
    return [postmaster, *map(int, children)]


def freeze(data, sig):
    for pid in _postgres_pids(data):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def postgres(action):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", action, *(["-m", "fast"] if action == "stop" else [])], check=True)


def session(username):
    s = requests.Session()
    page = s.get(f"{BASE}/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    s.post(f"{BASE}/login/", data={"username": username, "password": "improve-demo", "csrfmiddlewaretoken": token},
           headers={"Referer": f"{BASE}/login/"}, allow_redirects=False)
    return s


def main():
    if HANG:
        with own_postgres() as data:
            return run(data)
    return run(None)


def run(hang_data):
    load = "--load" in sys.argv
    readers, writers = (25, 25) if load else (8, 8) if HANG else (2, 2)
    psql(f"CREATE DATABASE {DB}")
    server = None
    try:
        subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
        subprocess.run([PY, "manage.py", "seed_demo"], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env={**ENV, "DJANGO_STATIC_ROOT": "/tmp/faults-static"}, check=True)
        server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py", "improvement.wsgi"],
                                  cwd=ROOT, env={**ENV, "GUNICORN_BIND": f"127.0.0.1:{PORT}", "GUNICORN_WORKERS": "2",
                                                 "DJANGO_STATIC_ROOT": "/tmp/faults-static"},
                                  stdout=subprocess.DEVNULL, stderr=open(f"/tmp/{DB}-gunicorn.log", "w"))
        for _ in range(50):
            try:
                if requests.get(f"{BASE}/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        results = []  # (t, kind, status, seconds)
        accepted = []
        stop_at, restart_at, end_at = (60, 60, 60) if load else (5, 5 + HANG, 17 + HANG) if HANG else (5, 13, 25)
        done = threading.Event()

        # every user logs in before the clock starts: a login refused by the fault would leave a user who only
        # ever sees the login page
        reader_sessions = [session("board") for _ in range(readers)]
        writer_sessions = [session("qisg") for _ in range(writers)]
        start = time.monotonic()

        def reader(s):
            while not done.is_set():
                t0 = time.monotonic()
                try:
                    status = s.get(f"{BASE}/goals/3/", timeout=15).status_code
                except requests.RequestException:
                    status = "error"
                results.append((t0 - start, "read", status, time.monotonic() - t0))

        def writer(n, s):
            i = 0
            while not done.is_set():
                i += 1
                title = f"Fault test {n}-{i}"
                t0 = time.monotonic()
                try:
                    form = s.get(f"{BASE}/goals/3/evidence/new/", timeout=15)
                    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
                    if form.status_code != 200 or not token:
                        status = form.status_code
                    else:
                        r = s.post(f"{BASE}/goals/3/evidence/new/", allow_redirects=False, timeout=15,
                                   headers={"Referer": f"{BASE}/goals/3/evidence/new/"},
                                   data={"csrfmiddlewaretoken": token.group(1), "kind": "other", "date": "01/03/2023",
                                         "title": title, "summary": "Written during a database fault test.", "link": "", "ambition": ""})
                        status = r.status_code
                        if status == 302 and r.headers.get("Location", "").startswith("/login/"):
                            status = "logged out"  # not a write: the session was lost
                        elif status == 302:
                            accepted.append(title)
                except requests.RequestException:
                    status = "error"
                results.append((t0 - start, "write", status, time.monotonic() - t0))

        threads = ([threading.Thread(target=reader, args=(s,)) for s in reader_sessions]
                   + [threading.Thread(target=writer, args=(n, s)) for n, s in enumerate(writer_sessions)])
        for t in threads:
            t.start()
        time.sleep(stop_at)
        if HANG:
            freeze(hang_data, signal.SIGSTOP)
            time.sleep(restart_at - stop_at)
            freeze(hang_data, signal.SIGCONT)
        elif not load:
            postgres("stop")
            time.sleep(restart_at - stop_at)
            postgres("start")
        back = time.monotonic() - start
        time.sleep(end_at - restart_at)
        done.set()
        for t in threads:
            t.join()

        phases = {"before": (0, stop_at), "database down": (stop_at, restart_at), "after": (restart_at, end_at + 30)}
        print(f"{'phase':<15} {'answers by status':<40} {'slowest':>8}")
        for name, (lo, hi) in phases.items():
            rows = [r for r in results if lo <= r[0] < hi]
            statuses = collections.Counter(str(r[2]) for r in rows)
            print(f"{name:<15} {dict(sorted(statuses.items()))!s:<40} {max((r[3] for r in rows), default=0):>7.2f}s")
        first_ok = min((r[0] for r in results if r[0] >= back and r[2] == 200), default=None)
        if not load:
            print(f"first 200 after PostgreSQL returned: {first_ok - back:.2f} s" if first_ok else "never recovered")
        query = subprocess.run([PY, "manage.py", "shell", "-c",
                                "from goals.models import EvidenceItem; print('\\n'.join(EvidenceItem.objects.filter(title__startswith='Fault test').values_list('title', flat=True)))"],
                               cwd=ROOT, env=ENV, capture_output=True, text=True)
        if query.returncode:
            print(query.stderr[-2000:])
        stored = query.stdout.split("\n")
        stored = {t for t in stored if t.startswith("Fault test")}
        print(f"writes accepted: {len(accepted)}; in the database: {len(stored)}; accepted but missing: "
              f"{len(set(accepted) - stored)}; stored but not acknowledged: {len(stored - set(accepted))}")
        # The outage runs from the stop until the app's first 200 after PostgreSQL returned: a request counts in
        # it if it was still running at the stop. "After recovery" is every request sent from then on, and none
        # of them may fail.
        recovered_at = first_ok if first_ok is not None else float("inf")
        failed = [r for r in results if r[2] not in (200, 302)]
        before = [r for r in failed if r[0] + r[3] < stop_at]
        after = [r for r in failed if r[0] >= recovered_at]
        during = [r for r in failed if r not in before and r not in after]
        print(f"requests sent: {len(results)}; failed before the fault: {len(before)}; failed during the outage: {len(during)} "
              f"({dict(collections.Counter(str(r[2]) for r in during))}); failed after recovery: {len(after)}")
        if HANG:
            # requests sent while PostgreSQL was frozen; those already running at the freeze also waited before it
            unavailable = [r for r in during if r[2] == 503 and r[0] >= stop_at]
            in_flight = [r for r in during if r[0] < stop_at]
            log = Path(f"/tmp/{DB}-gunicorn.log").read_text()
            deaths = len(re.findall(r"WORKER TIMEOUT|was sent SIGKILL|exited with code", log))
            print(f"PostgreSQL frozen for {HANG:g} s. Requests sent meanwhile that failed: {len(unavailable)} 503s, "
                  f"{sum(r[3] <= 5 for r in unavailable)} of them within 5 s (slowest {max((r[3] for r in unavailable), default=0):.2f} s); "
                  f"running at the freeze: {len(in_flight)} (all 503: {all(r[2] == 503 for r in in_flight)}, slowest "
                  f"{max((r[3] for r in in_flight), default=0):.2f} s); other failures {len(during) - len(unavailable) - len(in_flight)}; "
                  f"worker deaths {deaths}; failed after recovery {len(after)}; every acknowledged write stored: {set(accepted) <= stored}")
            ok = (first_ok is not None and set(accepted) <= stored and not before and not after and deaths == 0
                  and len(unavailable) + len(in_flight) == len(during) and all(r[2] == 503 for r in in_flight)
                  and all(r[3] <= 5 for r in unavailable))
        elif load:
            ok = set(accepted) == stored and not failed
        else:
            # A write in flight when PostgreSQL stopped may have committed with its answer lost (a 503): it is stored
            # whole, not acknowledged. Every acknowledged write must be stored.
            ok = (first_ok is not None and set(accepted) <= stored and not before and not after
                  and all(r[2] == 503 for r in during if r[2] != "error"))
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        if server:
            server.terminate()
            server.wait()
        if not HANG:  # the machine's cluster, stopped by the fault run
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", "start"], capture_output=True)
            time.sleep(1)
            psql(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    sys.exit(main())
