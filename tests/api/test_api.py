"""The JSON API: tokens, every endpoint × token × verb, reading, writing measure points, and its schema."""

import csv
import datetime
import io
import json
import logging
import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from goals.measures.charts import analyse_measure
from goals.models import Measure, MeasurePoint
from improvement.api.models import ApiToken, Scope, hash_token

from ..factories import AmbitionFactory, EvidenceFactory, GoalFactory, MeasureFactory, ProgressUpdateFactory
from ..partners.factories import ContributionFactory, PartnerFactory, RoleFactory

VALUES = [5.6, 5.4, 5.9, 6.1, 5.2, 5.8, 5.5, 5.7, 6.0, 5.3, 5.6, 5.9, 4.1, 4.3, 4.0, 4.2, 4.4, 4.1, 3.9, 4.2]


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def tokens(db):
    """A raw token of each kind: read, write, revoked (a write token), expired (a write token); none is None."""
    _, read = ApiToken.issue("bi-read", Scope.READ)
    _, write = ApiToken.issue("warehouse", Scope.WRITE)
    revoked, revoked_raw = ApiToken.issue("old-warehouse", Scope.WRITE)
    revoked.revoked_at = timezone.now() - datetime.timedelta(minutes=1)
    revoked.save()
    _, expired = ApiToken.issue("trial", Scope.WRITE, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    return {"none": None, "read": read, "write": write, "revoked": revoked_raw, "expired": expired}


@pytest.fixture
def data(db):
    goal = GoalFactory(number=5, title="Safer care")
    AmbitionFactory(goal=goal, text="Fewer falls")
    ProgressUpdateFactory(goal=goal, status="at_risk")
    EvidenceFactory(goal=goal, kind="award", title="Falls team award", summary="Shortlisted nationally", date=datetime.date(2024, 3, 1))
    EvidenceFactory(goal=goal, kind="story", title="A patient's story", date=datetime.date(2023, 2, 1))
    measure = MeasureFactory(goal=goal, name="Falls", target=5.5, on_dashboard=True, values=VALUES)
    derived = Measure.objects.create(name="Active partners", unit="partners", improvement_direction="increase", goal=goal,
                                     source="derived", derived_from="partners.active_partners", series_kind="snapshot")
    return {"goal": goal, "measure": measure, "derived": derived}


def read_urls(data):
    m = data["measure"].pk
    return [reverse("api:strategy"), reverse("api:goals"), reverse("api:ambitions"), reverse("api:measures"),
            reverse("api:measure", args=[m]), reverse("api:points", args=[m]), reverse("api:evidence"),
            reverse("api:headline_figures")]


def points_body(*points):
    return json.dumps({"points": [{"date": d, "value": v} for d, v in points]})


def post_points(client, measure, body, raw):
    headers = bearer(raw) if raw else {}
    return client.post(reverse("api:points_add", args=[measure.pk]), body, content_type="application/json", **headers)


# ------------------------------------------------------------------------------------------ tokens × verbs

READ_EXPECTED = {"none": 401, "read": 200, "write": 200, "revoked": 401, "expired": 401}
WRITE_EXPECTED = {"none": 401, "read": 403, "write": 200, "revoked": 401, "expired": 401}


@pytest.mark.parametrize("kind", list(READ_EXPECTED))
def test_every_endpoint_answers_each_token_and_verb_as_the_rules_say(client, tokens, data, kind):
    raw = tokens[kind]
    headers = bearer(raw) if raw else {}
    failures = []
    for url in read_urls(data):
        checks = [("GET", client.get(url, **headers), READ_EXPECTED[kind])]
        if url != reverse("api:points", args=[data["measure"].pk]):  # that path also takes POST (below)
            checks.append(("POST", client.post(url, "{}", content_type="application/json", **headers), 405))
        checks += [("PUT", client.put(url, "{}", content_type="application/json", **headers), 405),
                   ("DELETE", client.delete(url, **headers), 405)]
        failures += [f"{verb} {url} with {kind}: {r.status_code}, expected {want}" for verb, r, want in checks if r.status_code != want]
    response = post_points(client, data["measure"], points_body(("2024-01-31", 4.25)), raw)
    if response.status_code != WRITE_EXPECTED[kind]:
        failures.append(f"POST points with {kind}: {response.status_code}, expected {WRITE_EXPECTED[kind]}")
    assert not failures, "\n".join(failures)
    assert MeasurePoint.objects.filter(measure=data["measure"], date=datetime.date(2024, 1, 31)).exists() == (kind == "write")


def test_an_answer_without_a_valid_token_says_how_to_send_one(client, tokens, data):
    for headers in ({}, bearer("it_not-a-real-token"), {"HTTP_AUTHORIZATION": "Basic d2g6cGFzcw=="}, bearer(tokens["revoked"])):
        response = client.get(reverse("api:measures"), **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert "Authorization: Bearer" in response.json()["detail"]


def test_a_read_token_writing_is_refused_with_403_and_its_name(client, tokens, data):
    response = post_points(client, data["measure"], points_body(("2024-01-31", 4.25)), tokens["read"])
    assert response.status_code == 403
    assert "bi-read" in response.json()["detail"] and "may only read" in response.json()["detail"]


@pytest.mark.parametrize("role", ["board", "qisg", "admin"])
def test_a_browser_session_does_not_authenticate_the_api(client, make_user, data, role):
    client.force_login(make_user(role))
    assert client.get(reverse("api:measures")).status_code == 401
    # a logged-in page posting (no CSRF token needed for the API, so none must be enough to write): nothing written
    response = post_points(client, data["measure"], points_body(("2024-01-31", 4.25)), None)
    assert response.status_code == 401
    assert not MeasurePoint.objects.filter(date=datetime.date(2024, 1, 31)).exists()


def test_calls_are_limited_per_token(client, tokens, data, settings):
    settings.API_RATE_LIMIT = "3/m"
    url = reverse("api:strategy")
    responses = [client.get(url, **bearer(tokens["read"])) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 0 < int(responses[-1]["Retry-After"]) <= 60
    assert client.get(url, **bearer(tokens["write"])).status_code == 200  # another token has its own count


def test_create_api_token_prints_the_token_once_alone_on_its_last_line_and_keeps_only_its_hash(client, data):
    out = io.StringIO()
    call_command("create_api_token", "power-bi", "--scope", "read", stdout=out)
    lines = out.getvalue().strip().splitlines()
    raw = lines[-1]
    assert raw.startswith("it_") and " " not in raw and len(raw) > 40
    assert raw not in "\n".join(lines[:-1])
    token = ApiToken.objects.get(name="power-bi")
    assert token.scope == "read" and token.key_hash == hash_token(raw) and raw not in (token.key_hash, token.key_start)
    assert client.get(reverse("api:measures"), **bearer(raw)).status_code == 200
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_api_token", "power-bi", "--scope", "write", stdout=io.StringIO())


def test_a_token_given_an_expiry_is_refused_after_it(client, data):
    out = io.StringIO()
    call_command("create_api_token", "trial", "--scope", "read", "--expires-in-days", "30", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    assert client.get(reverse("api:strategy"), **bearer(raw)).status_code == 200
    ApiToken.objects.filter(name="trial").update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("api:strategy"), **bearer(raw)).status_code == 401


def test_the_site_admin_lists_and_revokes_tokens(admin_client, client, tokens, data):
    listing = admin_client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert "warehouse" in listing and "bi-read" in listing and tokens["write"] not in listing
    token = ApiToken.objects.get(name="warehouse")
    response = admin_client.post(reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert client.get(reverse("api:strategy"), **bearer(tokens["write"])).status_code == 401
    assert client.get(reverse("api:strategy"), **bearer(tokens["read"])).status_code == 200


# ------------------------------------------------------------------------------------------ reading


def test_goals_carry_their_current_status_and_judgement_date(client, tokens, data):
    (goal,) = client.get(reverse("api:goals"), **bearer(tokens["read"])).json()
    assert (goal["number"], goal["status"], goal["status_label"]) == (5, "at_risk", "At risk")
    assert goal["judged_on"] == "2023-11-19" and goal["judged_period_end"] == "2023-10-31"
    assert goal["judgement_is_old"] is True  # judged for year 1, read in a later year


def test_measures_say_their_id_and_whether_they_are_derived(client, tokens, data):
    body = client.get(reverse("api:measures"), **bearer(tokens["read"])).json()
    assert body["count"] == 2
    by_name = {m["name"]: m for m in body["items"]}
    assert by_name["Falls"]["id"] == data["measure"].pk and by_name["Falls"]["derived"] is False
    assert by_name["Active partners"]["derived"] is True
    assert by_name["Falls"]["points_url"] == reverse("api:points", args=[data["measure"].pk])


def test_points_carry_the_spc_engines_results_per_point(client, tokens, data):
    body = client.get(reverse("api:points", args=[data["measure"].pk]), **bearer(tokens["read"])).json()
    engine = analyse_measure(data["measure"]).result.points
    assert body["count"] == len(VALUES) == len(engine)
    for got, want in zip(body["items"], engine):
        assert (got["date"], got["value"], got["mean"], got["lower_limit"], got["upper_limit"], got["point_type"]) == (
            want.date.isoformat(), want.value, want.mean, want.lpl, want.upl, want.point_type)
    assert any(p["point_type"] == "special_cause_improvement" for p in body["items"])  # the step down in falls
    detail = client.get(reverse("api:measure", args=[data["measure"].pk]), **bearer(tokens["read"])).json()
    assert detail["spc_applies"] is True and detail["points"] == len(VALUES) and detail["variation"] == "special_cause_improvement"


def test_points_are_paged_and_filtered_by_date(client, tokens, data):
    url = reverse("api:points", args=[data["measure"].pk])
    body = client.get(url, {"from": "2022-03-01", "to": "2022-06-30", "limit": 2, "offset": 1}, **bearer(tokens["read"])).json()
    assert body["count"] == 4
    assert [p["date"] for p in body["items"]] == ["2022-04-01", "2022-05-01"]
    response = client.get(url, {"from": "31/03/2022"}, **bearer(tokens["read"]))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "from"
    assert client.get(url, {"limit": 5000}, **bearer(tokens["read"])).status_code == 422


def test_evidence_filters_by_goal_kind_and_date(client, tokens, data):
    url = reverse("api:evidence")
    assert [e["title"] for e in client.get(url, **bearer(tokens["read"])).json()["items"]] == ["Falls team award", "A patient's story"]
    assert client.get(url, {"kind": "award"}, **bearer(tokens["read"])).json()["count"] == 1
    assert client.get(url, {"from": "2024-01-01"}, **bearer(tokens["read"])).json()["count"] == 1
    assert client.get(url, {"to": "2023-12-31", "goal": 5}, **bearer(tokens["read"])).json()["count"] == 1
    assert client.get(url, {"goal": 4}, **bearer(tokens["read"])).json()["count"] == 0
    response = client.get(url, {"kind": "gossip"}, **bearer(tokens["read"]))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"


def test_headline_figures_are_the_dashboards_csv_numbers(client, tokens, data, board_client):
    api_rows = client.get(reverse("api:headline_figures"), **bearer(tokens["read"])).json()
    csv_rows = list(csv.DictReader(io.StringIO(board_client.get(reverse("dashboard_export")).content.decode("utf-8-sig"))))
    assert len(api_rows) == len(csv_rows) > 0
    for got, want in zip(api_rows, csv_rows):
        assert (str(got["year"]), got["figure"], "" if got["value"] is None else str(got["value"]), got["variation"]) == (
            want["Strategy year"], want["Figure"], want["Value"], want["Variation"])
    year_one = client.get(reverse("api:headline_figures"), {"year": 1}, **bearer(tokens["read"])).json()
    assert {row["year"] for row in year_one} == {1}


def test_no_partner_email_phone_or_name_in_any_answer(client, tokens, data):
    partners = [PartnerFactory(full_name=f"Private Person {i}", email=f"private{i}@example.org", phone=f"07700 90012{i}") for i in range(3)]
    RoleFactory(partner=partners[0])
    evidence = EvidenceFactory(goal=data["goal"], title="Partner-led session", kind="partnership")
    ContributionFactory(partner=partners[1], goal=data["goal"], evidence=evidence)
    seen, bodies = set(), []
    queue = read_urls(data) + [reverse("api:points", args=[data["derived"].pk]), reverse("api:measure", args=[data["derived"].pk])]
    while queue:  # crawl: every URL named in an answer is read too
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, {"limit": 1000}, **bearer(tokens["read"]))
        assert response.status_code == 200, url
        text = response.content.decode()
        bodies.append(text)
        queue += [u for u in _api_urls(response.json()) if u not in seen]
    everything = "\n".join(bodies)
    assert "Partner-led session" in everything
    for partner in partners:
        assert partner.email not in everything and partner.phone not in everything and partner.full_name not in everything
    assert "@" not in everything


def _api_urls(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _api_urls(v)
    elif isinstance(value, list):
        for v in value:
            yield from _api_urls(v)
    elif isinstance(value, str) and value.startswith("/api/v1/"):
        yield value


# ------------------------------------------------------------------------------------------ writing


def test_writing_points_is_idempotent_and_a_changed_value_replaces_it_keeping_history(client, tokens, data):
    measure = data["measure"]
    body = points_body(("2024-01-31", 4.25), ("2024-02-29", 4.5))
    assert post_points(client, measure, body, tokens["write"]).json() == {"added": 2, "updated": 0, "unchanged": 0}
    assert post_points(client, measure, body, tokens["write"]).json() == {"added": 0, "updated": 0, "unchanged": 2}
    assert MeasurePoint.objects.filter(measure=measure, date__year=2024).count() == 2
    changed = post_points(client, measure, points_body(("2024-01-31", 4.75)), tokens["write"])
    assert changed.json() == {"added": 0, "updated": 1, "unchanged": 0}
    point = MeasurePoint.objects.get(measure=measure, date=datetime.date(2024, 1, 31))
    assert point.value == 4.75
    assert [h.value for h in point.changes.order_by("history_date")] == [4.25, 4.75]
    assert client.get(reverse("api:points", args=[measure.pk]), {"from": "2024-01-01"}, **bearer(tokens["read"])).json()["items"][0]["value"] == 4.75


def test_a_bad_point_is_named_and_nothing_is_written(client, tokens, data):
    measure = data["measure"]
    before = MeasurePoint.objects.count()
    body = json.dumps({"points": [{"date": "2024-01-31", "value": 4}, {"date": "2024-02-30", "value": 4}, {"date": "2024-03-31", "value": "lots"},
                                  {"value": 3}]})
    response = post_points(client, measure, body, tokens["write"])
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "date"), (2, "value"), (3, "date")]
    assert "day value is outside expected range" in errors[0]["message"]
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = post_points(client, measure, points_body(("2024-01-31", 4), (tomorrow, 4), ("2024-01-31", 5)), tokens["write"])
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(1, "date"), (2, "date")]
    assert "is in the future" in response.json()["errors"][0]["message"]
    assert "The point at index 0 already gives a value for January 2024" in response.json()["errors"][1]["message"]
    for bad in ('{"points": [{"date": "2024-01-31", "value": NaN}]}', '{"points": []}', '{"dots": []}', "[]"):
        assert post_points(client, measure, bad, tokens["write"]).status_code == 422, bad
    assert post_points(client, measure, "not json", tokens["write"]).status_code == 400
    assert MeasurePoint.objects.count() == before


def test_a_derived_measure_refuses_writes(client, tokens, data):
    response = post_points(client, data["derived"], points_body(("2024-01-31", 4)), tokens["write"])
    assert response.status_code == 403 and "derived" in response.json()["detail"]
    assert not data["derived"].points.exists()
    assert post_points(client, Measure(pk=9999), points_body(("2024-01-31", 4)), tokens["write"]).status_code == 404


def test_each_write_is_audit_logged_with_the_tokens_name(client, tokens, data, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="improvement.audit"), django_capture_on_commit_callbacks(execute=True):
        post_points(client, data["measure"], points_body(("2024-01-31", 4), ("2024-02-29", 5)), tokens["write"])
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "improvement.audit"]
    # (the derived measures' refresh that follows the commit writes as the system: no token)
    assert [(line["model"], line["action"], line["count"], line["token"]) for line in lines if "token" in line] == [
        ("goals.measurepoint", "created", 2, "warehouse")]


def test_a_thousand_point_post_is_written_in_one_go(client, tokens, data):
    measure = MeasureFactory(goal=data["goal"], name="Daily attendances", frequency="daily")
    start = datetime.date(2022, 1, 1)
    body = points_body(*[((start + datetime.timedelta(days=i)).isoformat(), float(i % 17)) for i in range(1000)])
    response = post_points(client, measure, body, tokens["write"])
    assert response.json() == {"added": 1000, "updated": 0, "unchanged": 0}
    assert measure.points.count() == 1000


# ------------------------------------------------------------------------------------------ schema and docs


def test_the_openapi_schema_validates_and_lists_every_operation(client, db):
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert set(schema["paths"]) == {
        "/api/v1/strategy/", "/api/v1/goals/", "/api/v1/ambitions/", "/api/v1/measures/", "/api/v1/measures/{measure_id}/",
        "/api/v1/measures/{measure_id}/points/", "/api/v1/evidence/", "/api/v1/headline-figures/"}
    assert set(schema["paths"]["/api/v1/measures/{measure_id}/points/"]) == {"get", "post"}
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_the_docs_page_reads_the_schema_without_a_cdn(client, db):
    page = client.get(reverse("api:api-root")).content.decode()
    assert "POST /api/v1/measures/{measure_id}/points/" in page and "create_api_token" in page
    assert "https://" not in page
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses and all(address.startswith(("/", "#")) for address in addresses), addresses  # all from this server
