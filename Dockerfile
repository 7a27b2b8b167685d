# Improvement Tracker: gunicorn on a slim Python, as a non-root user. Configure with DATABASE_URL,
# DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS at run time (see README).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Chromium prints the board report to PDF (improvement/pdf.py); fonts for its text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium

RUN useradd --create-home --uid 10001 app
COPY . .
RUN pip install --no-compile . \
 && DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input \
 && chown -R app:app /app
USER app

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, sys, urllib.request as r; host = os.environ['DJANGO_ALLOWED_HOSTS'].split(',')[0]; res = r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': host, 'X-Forwarded-Proto': 'https'}), timeout=4); sys.exit(res.status != 200)"
CMD ["gunicorn", "--config", "gunicorn.conf.py", "improvement.wsgi"]
