"""Queries per request of each benchmarked page, on the database of DATABASE_URL, as JSON on stdout.

Each page is requested through Django's test client (logged in as its user) inside CaptureQueriesContext,
so the count includes everything a real request does: session, user, permissions, the view, the session save.
It is counted twice: just after the data changed ("cold": the cached board pages are built again, the
count that must not grow with the data) and once more ("warm": served from the cache).
bench/run calls it at demo scale and again at trust scale on the same database.

    DATABASE_URL=postgres://… DJANGO_SECRET_KEY=… DJANGO_ALLOWED_HOSTS=testserver .venv/bin/python bench/queries.py
"""

import json
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from improvement.api.models import ApiToken, Scope  # noqa: E402
from improvement.core.stamp import replace_stamp  # noqa: E402
from improvement.demo.scale import bench_pages  # noqa: E402


def count(client, label, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{label} ({url}) answered {response.status_code}")
    return len(context.captured_queries)


def main():
    users = get_user_model().objects
    clients = {}
    counts = {}
    for label, username, url in bench_pages():
        if username == "api" and username not in clients:  # a service's token, not a session
            clients[username] = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(f'bench-queries-{uuid.uuid4().hex[:8]}', Scope.READ)[1]}")
        elif username not in clients:
            clients[username] = Client()
            clients[username].force_login(users.get(username=username))
        clients[username].get(url)  # once to warm up (first-request caches, template loading)
        replace_stamp()  # as a write replaces it
        counts[label] = {"cold": count(clients[username], label, url), "warm": count(clients[username], label, url)}
    json.dump(counts, sys.stdout)
    print()


if __name__ == "__main__":
    main()
