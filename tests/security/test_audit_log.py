import json
import logging

from django.urls import reverse

from ..helpers import HTMX


def test_every_write_is_logged_with_who_and_when_but_no_personal_data(qisg_client, qisg_user, goal, caplog,
                                                                     django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="improvement.audit"), django_capture_on_commit_callbacks(execute=True):
        qisg_client.post(reverse("goals:evidence_new", args=[3]), {
            "kind": "story", "date": "01/03/2023", "title": "Mrs Example's story", "summary": "Private detail", "link": "", "ambition": ""}, **HTMX)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "improvement.audit"]
    assert len(lines) == 1
    line = lines[0]
    assert (line["event"], line["model"], line["action"], line["user_id"]) == ("write", "goals.evidenceitem", "created", qisg_user.pk)
    assert "Mrs Example" not in caplog.text and "Private detail" not in caplog.text
