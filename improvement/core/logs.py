"""Filters for Django's request log (settings.LOGGING): what it writes must be worth reading and hold no data."""

import logging
import re

from django.db import IntegrityError

DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx (a 403 for a page the role may not see, a 404) is the client's doing: one line, no traceback."""

    def filter(self, record):
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class NoClashingValues(logging.Filter):
    """PostgreSQL's IntegrityError names the values that clashed ("Key (full_name)=(…) already exists"): personal data,
    kept out of the log. The traceback and the constraint's name stay."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, IntegrityError):
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = DETAIL.sub(r"\1 (the values are not logged)", text)
            record.exc_info = None
        return True
