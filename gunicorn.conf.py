"""gunicorn settings for Improvement Tracker (used by the Docker image and bench/run).

workers: 2 per core + 1 (the usual for sync workers on I/O-bound Django); override with GUNICORN_WORKERS.
timeout: 60 s, long enough for the board report's PDF (Chromium takes a few seconds) and no longer, so a stuck
  worker is recycled; graceful_timeout lets requests in flight finish on a deploy.
max_requests: recycle each worker after ~1000 requests (with jitter) to bound memory growth.
preload_app: the app is imported once, before the workers fork; a recycled worker starts at once instead of
  importing Django, plotly and the apps again (about a second of CPU, felt by every request in flight).
access log: path without the query string, so that searches (a partner's name in ?q=) never reach the logs.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 60
graceful_timeout = 30
keepalive = 5
max_requests = 1000
max_requests_jitter = 100
preload_app = True
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
errorlog = "-"
