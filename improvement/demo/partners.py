"""Goal 2's quality partners for the demo (shared/seed/strategy.md): two cohorts, a partner on QiSG, a partner on
the HCAI collaborative who designed "can my cannula come out?", the 2022 Patient Safety Congress talk, and a new
cohort recruited in October 2023.

The people are made up. Their contact details are of the kind that reach no one: @example.org addresses and
Ofcom's drama numbers (01632 960000 to 960999). The first cohort's 25 trained partners are linked, in order, to
the training records' 25 quality-partner learners when those are loaded (training's demo runs first).

Idempotent: a partner is found by email, a cohort by name; nothing is created twice and no history is rewritten.
"""

import datetime
import unicodedata

from goals.models import Collaborative, EvidenceItem, Goal, Strategy
from training.models import Learner, StaffGroup

from partners.models import Cohort, Contribution, ContributionKind as C, Partner, PartnerRole, RoleKind as R

FIRST_COHORT = {"name": "2022 cohort", "recruited_on": datetime.date(2022, 3, 1), "intake_target": 30}
NEW_COHORT = {"name": "October 2023 cohort", "recruited_on": datetime.date(2023, 10, 2), "intake_target": 12}

# full name, preferred display name, consents to be credited by name
FIRST_COHORT_PEOPLE = [
    ("Margaret Ellison", "Margaret", True),        # QiSG core member
    ("Devinder Sahota", "Dev", True),              # HCAI collaborative: "can my cannula come out?"
    ("Siobhán O'Neill", "Siobhán", False),         # presented at the 2022 Patient Safety Congress
    ("Chukwuemeka Obi", "Emeka", True),
    ("Zoë Ashworth-Hughes", "Zoë", False),
    ("Mohammed Al-Rashid", "Mo", True),
    ("Agnieszka Wiśniewska", "Aga", False),
    ("Hamish MacLeod", "Hamish", False),
    ("Nguyễn Thị Lan", "Lan", True),
    ("Li Wei", "Wei", False),
    ("Bernadette D'Souza", "Bernie", True),
    ("Gareth Pryce-Jones", "Gareth", False),
    ("Parveen Akhtar", "Parveen", False),
    ("Seán Ó Briain", "Seán", True),
    ("Olusola Adeyemi", "Sola", False),
    ("Eleanor Whitfield", "Nell", False),
    ("Rajesh Mistry", "Raj", True),
    ("Kathleen Murgatroyd", "Kath", False),
    ("Tomasz Kowalczyk", "Tomek", False),
    ("Yasmin Begum", "Yasmin", True),
    ("Desmond Okonkwo", "Des", False),
    ("Ffion Llewellyn", "Ffion", False),
    ("Arthur Pennington", "Arthur", True),
    ("Grace Achterberg", "Grace", False),
    ("Imogen Blackwood", "Imogen", False),
]
# Two of the first cohort left before the strategy started, before training.
FIRST_COHORT_LEAVERS = [("Harold Sutcliffe", "Harold", False), ("Maureen Fairbairn", "Maureen", False)]
NEW_COHORT_PEOPLE = [
    ("Amara Nwosu", "Amara", False),
    ("Callum Fraser", "Callum", False),
    ("Dorota Zielińska", "Dorota", False),
    ("Ishaan Chaudhary", "Ishaan", False),
    ("Jean-Luc Moreau", "Jean-Luc", False),
    ("Kezia Thompson", "Kezia", False),
    ("Mairéad Ní Bhriain", "Mairéad", False),
    ("Samuel Oyelaran", "Sam", False),
]

JOINED = datetime.date(2022, 4, 1)
CONSENT_RECORDED = datetime.date(2022, 4, 1)
LEFT = datetime.date(2022, 10, 31)
NEW_JOINED = NEW_COHORT["recruited_on"]
CANNULA = "\u201cCan my cannula come out?\u201d"
CONGRESS = "Presented with a quality partner at the 2022 Patient Safety Congress"


def email_for(full_name):
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode().lower()
    return ".".join("".join(ch if ch.isalnum() else " " for ch in ascii_name).split()) + "@example.org"


def phone_for(number):
    return f"01632 960{number:03d}"


def seed(author):
    first = _get_or_create(Cohort, author, name=FIRST_COHORT["name"], defaults=FIRST_COHORT)
    new = _get_or_create(Cohort, author, name=NEW_COHORT["name"], defaults=NEW_COHORT)
    learners = iter(Learner.objects.filter(staff_group=StaffGroup.QUALITY_PARTNER, partner__isnull=True).order_by("staff_number"))
    people = (
        [(spec, first, JOINED, None, True) for spec in FIRST_COHORT_PEOPLE]
        + [(spec, first, JOINED, LEFT, False) for spec in FIRST_COHORT_LEAVERS]
        + [(spec, new, NEW_JOINED, None, False) for spec in NEW_COHORT_PEOPLE]
    )
    partners = []
    for number, ((full_name, display_name, consents), cohort, joined, left, trains) in enumerate(people, start=1):
        email = email_for(full_name)
        partner = Partner.objects.filter(email=email).first()
        if partner is None:
            partner = Partner(
                full_name=full_name, display_name=display_name, email=email, phone=phone_for(number), cohort=cohort,
                joined_on=joined, left_on=left, credit_consent=consents, consent_recorded_on=CONSENT_RECORDED if consents else None,
                learner=next(learners, None) if trains else None,
            )
            partner._history_user = author
            partner.save()
        partners.append(partner)
    _roles_and_contributions(partners, author)
    return partners


def _roles_and_contributions(partners, author):
    collaboratives = {c.name: c for c in Collaborative.objects.all()}
    strategy = Strategy.objects.current()
    goal2 = Goal.objects.filter(strategy=strategy, number=2).first() if strategy else None
    margaret, dev, siobhan, *others = partners[:25]
    roles = [
        (margaret, R.QISG_CORE_MEMBER, {"started_on": datetime.date(2023, 1, 11)}),
        (dev, R.COLLABORATIVE_MEMBER, {"collaborative": collaboratives.get("HCAI"), "started_on": datetime.date(2022, 9, 1)}),
        (siobhan, R.TRAINING_CODESIGN, {"started_on": datetime.date(2022, 6, 1)}),
        (others[0], R.COLLABORATIVE_MEMBER, {"collaborative": collaboratives.get("Falls"), "started_on": datetime.date(2022, 7, 1)}),
        (others[1], R.COLLABORATIVE_MEMBER, {"collaborative": collaboratives.get("Discharge"), "started_on": datetime.date(2022, 9, 1)}),
        (others[2], R.COMMITTEE_MEMBER, {"committee": "Patient Experience Group", "started_on": datetime.date(2022, 10, 1)}),
        (others[3], R.COMMITTEE_MEMBER, {"committee": "Quality Assurance Sub-Committee", "started_on": datetime.date(2023, 2, 1)}),
        (others[4], R.TRAINING_CODESIGN, {"started_on": datetime.date(2022, 6, 1)}),
        *[(p, R.IMPROVEMENT_EVENT, {"started_on": datetime.date(2023, 3, 15), "ended_on": datetime.date(2023, 3, 17)}) for p in others[5:11]],
        *[(p, R.IMPROVEMENT_EVENT, {"started_on": datetime.date(2023, 9, 13), "ended_on": datetime.date(2023, 9, 13)}) for p in others[11:15]],
    ]
    for partner, kind, fields in roles:
        if kind == R.COLLABORATIVE_MEMBER and fields["collaborative"] is None:
            continue  # the goals demo was not loaded
        _get_or_create(PartnerRole, author, partner=partner, kind=kind, started_on=fields["started_on"],
                       defaults={k: v for k, v in fields.items() if k != "started_on"})
    if goal2 is None:
        return
    evidence = {item.title: item for item in EvidenceItem.objects.filter(goal=goal2)}
    contributions = [
        (dev, C.PATIENT_LED_INTERVENTION, CANNULA, datetime.date(2023, 3, 8), evidence.get(CANNULA)),
        (siobhan, C.TALK, "2022 Patient Safety Congress: improving together with patients", datetime.date(2022, 11, 22), evidence.get(CONGRESS)),
        (margaret, C.OTHER, "Patient voice in QiSG's choice of new collaboratives", datetime.date(2023, 7, 12), None),
    ]
    for partner, kind, title, day, item in contributions:
        _get_or_create(Contribution, author, partner=partner, title=title,
                       defaults={"kind": kind, "date": day, "goal": goal2, "evidence": item})


def _get_or_create(model, author, defaults, **lookup):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**{**defaults, **lookup})
        obj._history_user = author
        obj.save()
    return obj
