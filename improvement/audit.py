"""A structured log line for every write (who, what, when), without personal data: ids and model names only.

Fed by django-simple-history, which records every create, change and delete of an audited model.
"""

import json
import logging

logger = logging.getLogger("improvement.audit")
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def log_write(sender, instance, history_instance, **kwargs):
    logger.info(json.dumps({
        "event": "write",
        "model": instance._meta.label_lower,
        "object_id": instance.pk,
        "action": ACTIONS.get(history_instance.history_type, history_instance.history_type),
        "user_id": history_instance.history_user_id,
        "at": history_instance.history_date.isoformat(),
    }, sort_keys=True))
