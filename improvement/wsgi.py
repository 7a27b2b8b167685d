import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")
os.environ.setdefault("DJANGO_DB_DEADLINE", "3")  # web requests wait at most this for PostgreSQL (settings.py)
application = get_wsgi_application()

from improvement.warmup import warm_up  # noqa: E402  (needs the settings configured above)

warm_up()
