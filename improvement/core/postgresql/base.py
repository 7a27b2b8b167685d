"""Django's PostgreSQL backend with a deadline on every wait for the database (settings.DB_DEADLINE, seconds).

A PostgreSQL that is down refuses connections (a 503 at once), but one that hangs (frozen, swapping, a network that
drops packets) accepts them and never answers: every request would wait until gunicorn kills its worker. The server's
own statement_timeout (settings) stops a slow query, but a frozen server enforces nothing, and TCP keepalives are
answered by its kernel. So the client keeps its own deadline: a watchdog thread cuts the socket of a connection that
has waited longer than that for a statement, a commit or a rollback (1 s for the health check's SELECT 1); psycopg
then raises OperationalError and the request gets the 503 page (improvement.core.views.server_error).

After a cut, or a connection attempt that timed out, the workers do not try again for BACKOFF_SECONDS: requests
meanwhile get their 503 at once instead of each waiting out a deadline of its own (behind which others queue); the
first request after that tries again, and a success ends it for every worker.
"""

import contextlib
import hashlib
import heapq
import itertools
import logging
import os
import socket
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)
HEALTH_CHECK_SECONDS = 1
BACKOFF_SECONDS = 2


class Backoff:
    """When PostgreSQL last failed to answer, shared by the workers of this machine through a small file (each worker
    is a process): one finding it hung spares the others their own timeouts, and one finding it back ends the wait for
    all. Read only when a new connection is made (connections are kept for a minute)."""

    def __init__(self, database):
        where = hashlib.sha256(f"{database['HOST']}:{database['PORT']}/{database['NAME']}".encode()).hexdigest()[:16]
        self.path = Path(tempfile.gettempdir()) / f"improvement-db-backoff-{where}"

    def trip(self):
        with contextlib.suppress(OSError):
            self.path.write_text(str(time.time() + BACKOFF_SECONDS))

    def waiting(self):
        try:
            return time.time() < float(self.path.read_text() or 0)
        except (OSError, ValueError):
            return False

    def reset(self):
        with contextlib.suppress(OSError):
            self.path.unlink()



class Watchdog:
    """One thread per process (started in the process that needs it: gunicorn forks after loading the app)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._heap = []  # (deadline, number, connection, what to call when it is cut)
        self._armed = set()
        self._numbers = itertools.count()
        self._pid = None

    def arm(self, connection, seconds, on_cut):
        with self._condition:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._heap.clear()
                self._armed.clear()
                threading.Thread(target=self._run, name="database-deadline", daemon=True).start()
            number = next(self._numbers)
            heapq.heappush(self._heap, (time.monotonic() + seconds, number, connection, on_cut))
            self._armed.add(number)
            self._condition.notify()
            return number

    def disarm(self, number):
        with self._condition:
            self._armed.discard(number)

    def _run(self):
        while True:
            with self._condition:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._condition.wait()
                    continue
                deadline, number, connection, on_cut = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                heapq.heappop(self._heap)
                self._armed.discard(number)
            if _cut(connection):
                on_cut()


def _cut(connection):
    try:
        fd = connection.pgconn.socket
    except Exception:  # closed meanwhile
        return False
    logger.warning("PostgreSQL did not answer within the deadline: the connection is cut (the request gets a 503).")
    with socket.socket(fileno=os.dup(fd)) as sock:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    return True


WATCHDOG = Watchdog()


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backoff = Backoff(self.settings_dict)
        self.execute_wrappers.append(self._within_deadline)

    def get_new_connection(self, conn_params):
        if not getattr(settings, "DB_DEADLINE", 0):
            return super().get_new_connection(conn_params)
        if self.backoff.waiting():
            raise base.Database.OperationalError("PostgreSQL did not answer a moment ago: not trying again yet")
        try:
            connection = super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            self.backoff.trip()
            raise
        self.backoff.reset()
        return connection

    @contextlib.contextmanager
    def deadline(self, seconds=None):
        seconds = getattr(settings, "DB_DEADLINE", 0) if seconds is None else seconds
        if not seconds or self.connection is None:
            yield
            return
        number = WATCHDOG.arm(self.connection, seconds, self.backoff.trip)
        try:
            yield
        finally:
            WATCHDOG.disarm(number)

    def _within_deadline(self, execute, sql, params, many, context):
        with self.deadline(getattr(settings, "DB_DEADLINE", 0) and settings.DB_DEADLINE + 0.5):
            return execute(sql, params, many, context)

    def is_usable(self):
        with self.deadline(HEALTH_CHECK_SECONDS if getattr(settings, "DB_DEADLINE", 0) else 0):
            return super().is_usable()

    def _commit(self):
        with self.deadline():
            return super()._commit()

    def _rollback(self):
        with self.deadline():
            return super()._rollback()
