"""Partner data never reach another role: walk every page a board member can reach in the demo, and every partner URL."""

import re
from collections import deque

from django.urls import reverse

from improvement.demo.partners import FIRST_COHORT_PEOPLE
from partners.models import Partner

from ..test_access import url_names

HREF = re.compile(r'href="(/[^"#]*)')
SKIP = ("/static/", "/admin/", "/logout/")
MAX_PAGES = 400

from ..helpers import log_in, seed_demo


def seeded_contacts():
    return [value for partner in Partner.objects.all() for value in (partner.email, partner.phone)]


def test_no_page_shows_a_board_member_a_seeded_partner_email_or_phone_number(client, db):
    seed_demo()
    contacts = seeded_contacts()
    assert len(contacts) == 2 * Partner.objects.count() > 60
    log_in(client, "board")
    client.raise_request_exception = False  # another app's page failing is its own test's business

    queue = deque(reverse(name) for name, pattern in url_names() if not pattern.pattern.converters and "partners:" not in name)
    queue.extend(reverse("goals:goal_detail", args=[number]) for number in range(1, 8))
    for partner in Partner.objects.all():
        for name in ["partner_detail", "partner_edit", "partner_leave", "role_new", "contribution_new", "partner_history", "partner_erase"]:
            queue.append(reverse(f"partners:{name}", args=[partner.pk]))
        queue.extend(reverse("partners:partner_export", args=[partner.pk, fmt]) for fmt in ("json", "csv"))
    queue.extend(reverse(f"partners:{name}") for name in ["partner_list", "partner_new", "cohort_list", "cohort_new", "figures"])
    seen, leaks = set(), []
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        body = response.content.decode(errors="replace")
        leaks += [f"{url}: {value}" for value in contacts if value in body]
        if url.startswith("/partners/") and url != reverse("partners:figures"):
            assert response.status_code == 403, url
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            queue.extend(link.replace("&amp;", "&") for link in HREF.findall(body) if link not in seen)
    assert not leaks
    assert len(seen) > 100  # the walk reached the goal, evidence, measure and training pages too
    figures = client.get(reverse("partners:figures")).content.decode()
    assert "by Dev" in figures and "by a quality partner" in figures  # consent: Dev yes, Siobhán no
    assert FIRST_COHORT_PEOPLE[2][0] not in figures  # Siobhán, who did not consent, is never named
