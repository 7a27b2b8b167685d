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


def audit_lines(caplog):
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "improvement.audit"]


def test_a_training_import_is_logged_with_who_imported_and_how_many(qisg_client, qisg_user, caplog,
                                                                    django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from training.models import PendingUpload

    from ..factories import StrategyFactory
    from ..training.factories import course
    from ..training.helpers import training_csv

    StrategyFactory()
    course("LIM Foundation")  # a new installation has no course: its strategy file names them
    data = training_csv("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,2023-01-17,",
                        "10000002,Ben Okafor,Nursing,Ward 7,LIM Foundation,2023-01-18,")
    url = reverse("training:import_training")
    qisg_client.post(url, {"file": SimpleUploadedFile("records.csv", data, content_type="text/csv")})
    with caplog.at_level(logging.INFO, logger="improvement.audit"), django_capture_on_commit_callbacks(execute=True):
        confirm = {"upload": PendingUpload.objects.get().pk, "new_unit": ["Ward 7"], "units-unit_0": "yes"}
        assert qisg_client.post(url, confirm).status_code == 302
    lines = [line for line in audit_lines(caplog) if line["model"].startswith("training.")]
    assert {(line["model"], line["action"], line.get("count", 1), line["user_id"]) for line in lines} == {
        ("training.importrun", "created", 1, qisg_user.pk),
        ("training.unit", "created", 1, qisg_user.pk),
        ("training.learner", "created", 2, qisg_user.pk),
        ("training.completion", "created", 2, qisg_user.pk),
    }
    assert "Amira" not in caplog.text and "10000001" not in caplog.text


def test_one_partner_edit_is_one_audit_line(client, make_user, caplog, django_capture_on_commit_callbacks):
    from ..partners.factories import PartnerFactory

    partner = PartnerFactory()
    admin = make_user("partneradmin")
    client.force_login(admin)
    data = {"full_name": "New Name", "display_name": partner.display_name, "cohort": partner.cohort_id, "email": "",
            "phone": "", "joined_on": "01/04/2022", "credit_consent": "False", "consent_recorded_on": "", "learner": "",
            "version": partner.version}
    with caplog.at_level(logging.INFO, logger="improvement.audit"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partners:partner_edit", args=[partner.pk]), data)
    assert response.status_code == 302
    lines = audit_lines(caplog)
    assert [(line["model"], line["action"], line["object_id"], line["user_id"]) for line in lines] == [
        ("partners.partner", "changed", partner.pk, admin.pk)]
    assert "New Name" not in caplog.text
