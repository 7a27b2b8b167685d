"""Synthetic training records whose figures are exactly year one of shared/seed/strategy.md.

Made with a fixed random seed and loaded through the importer itself (so a second run adds nothing).
For strategy year 1 (1 November 2022 to 31 October 2023), as at 31 October 2023:

| figure (training/rollup.py)                                   | value                                   |
| ------------------------------------------------------------- | --------------------------------------- |
| LIM Foundation completions, partners included                 | 620 (25 quality partners)               |
| Nursing and Administration people through "Excellence In …"   | 1214 (760 Nursing, 454 Administration)  |
| people receiving QI teaching in the year                      | 300 (and 280, 290, 310 the years before)|
| current staff and partners trained in QI                      | 1715 = 2614 ever trained in QI − 899 leavers |
| trained in improvement principles, leavers included           | 3514 (the 2614, and 900 by e-learning)  |
| likely or very likely to recommend LIM training               | 97.6% (1184 of 1213 responses)          |
| units with a current trained LIM facilitator                  | 55% (11 of 20; two more lost theirs when they left) |

The 2614 trained in QI: 620 LIM Foundation (of whom 400 also did Excellence In, and 13 went on to
facilitator training), 814 more through Excellence In, 300 QI teaching in year 1 and 880 QI teaching in the
three years before the strategy.
"""

import csv
import datetime
import io
import random

from training import importer
from training.models import Answer, Course, CourseKind, CourseKindName

YEAR_ONE = (datetime.date(2022, 11, 1), datetime.date(2023, 10, 31))
SEED = 20221101
FIRST_STAFF_NUMBER = 30000001

UNITS = [
    "Abdominal Medicine and Surgery", "Adult Critical Care", "Cardio-Respiratory", "Chapel Allerton Orthopaedics",
    "Children's Services", "Dental", "Emergency Medicine", "Head and Neck", "Leeds Cancer Centre", "Neurosciences",
    "Oncology", "Pathology", "Radiology", "Renal and Urology", "Specialty and Integrated Medicine",
    "Theatres and Anaesthesia", "Trauma and Related Services", "Women's Services", "Therapies", "Pharmacy",
]
FIRST_NAMES = [
    "Aisha", "Ben", "Chloe", "Daniel", "Emily", "Fatima", "George", "Hannah", "Imran", "Jack", "Kiran", "Laura",
    "Mohammed", "Niamh", "Oliver", "Priya", "Quentin", "Rachel", "Samuel", "Tariq", "Uma", "Victoria", "William",
    "Xin", "Yusuf", "Zara", "Amelia", "Callum", "Deborah", "Eilidh", "Femi", "Grace",
]
LAST_NAMES = [
    "Ahmed", "Bell", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hussain", "Iqbal", "Johnson", "Khan", "Lewis",
    "Murphy", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Usman", "Walker", "Wright", "Young",
]

FOUNDATION, EI_NURSING, EI_ADMIN = "LIM Foundation", "Excellence In Nursing", "Excellence In Administration"
QI_TEACHING, FACILITATOR, E_LEARNING = "QI teaching", "LIM facilitator training", "Improvement principles e-learning"
PRE_STRATEGY_YEARS = [  # (first day, last day, people receiving QI teaching)
    (datetime.date(2019, 11, 1), datetime.date(2020, 10, 31), 280),
    (datetime.date(2020, 11, 1), datetime.date(2021, 10, 31), 290),
    (datetime.date(2021, 11, 1), datetime.date(2022, 10, 31), 310),
]
# course: (responses, likely or very likely) in year one
FEEDBACK = {FOUNDATION: (500, 488), EI_NURSING: (400, 390), EI_ADMIN: (300, 293), FACILITATOR: (13, 13), QI_TEACHING: (250, 230)}


class _Records:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.next_number = FIRST_STAFF_NUMBER
        self.rows = []

    def day(self, first, last):
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def person(self, group, courses, *, unit=None, leaves=False):
        """One learner: `courses` [(course, first day, last day)] completed in order; optionally a leaver."""
        number = str(self.next_number)
        self.next_number += 1
        name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
        if unit is None:
            unit = "" if group == "Quality partner" else self.rng.choice(UNITS)
        done = []
        for course, first, last in courses:
            first = max(first, done[-1][1] + datetime.timedelta(days=1)) if done else first
            done.append((course, self.day(first, last)))
        left_on = self.day(done[-1][1] + datetime.timedelta(days=1), YEAR_ONE[1]) if leaves else None
        for course, day in done:
            self.rows.append([number, name, group, unit, course, day.isoformat(), left_on.isoformat() if left_on else ""])

    def people(self, count, groups, courses, *, leavers=0):
        """`count` learners, the first `leavers` of whom leave by the end of year one; groups [(group, n)]."""
        made = 0
        for group, n in groups:
            for _ in range(n):
                self.person(group, courses, leaves=made < leavers)
                made += 1
        assert made == count


def _year_one_rows():
    records = _Records()
    start, end = YEAR_ONE
    early = end - datetime.timedelta(days=45)
    # 620 LIM Foundation: 25 quality partners, 13 facilitators, 400 who also take Excellence In, 182 others
    records.people(25, [("Quality partner", 25)], [(FOUNDATION, start, end)])
    for i, group in enumerate(["Nursing", "Allied Health", "Medical", "Nursing", "Administration", "Nursing", "Allied Health",
                               "Nursing", "Medical", "Nursing", "Allied Health", "Nursing", "Medical"]):
        # one facilitator in each of the first 13 units; the last two leave, and their units lose their facilitator
        records.person(group, [(FOUNDATION, start, datetime.date(2023, 3, 31)), (FACILITATOR, datetime.date(2023, 4, 1), early)],
                       unit=UNITS[i], leaves=i >= 11)
    records.people(250, [("Nursing", 250)], [(FOUNDATION, start, early), (EI_NURSING, start, end)])
    records.people(150, [("Administration", 150)], [(FOUNDATION, start, early), (EI_ADMIN, start, end)])
    records.people(182, [("Medical", 60), ("Allied Health", 70), ("Other", 30), ("Nursing", 22)], [(FOUNDATION, start, early)], leavers=17)
    # 814 more through Excellence In (1214 in all: 760 Nursing, 454 Administration)
    records.people(510, [("Nursing", 510)], [(EI_NURSING, start, early)], leavers=80)
    records.people(304, [("Administration", 304)], [(EI_ADMIN, start, early)], leavers=40)
    # 300 receive QI teaching in year one
    records.people(300, [("Medical", 200), ("Allied Health", 60), ("Nursing", 40)], [(QI_TEACHING, start, early)], leavers=60)
    # 880 received QI teaching in the three years before the strategy; 700 of them (many trainees) have left
    for (first, last, count), leavers in zip(PRE_STRATEGY_YEARS, [220, 230, 250]):
        medical, nursing = count * 2 // 3, count // 9
        records.people(count, [("Medical", medical), ("Allied Health", count - medical - nursing), ("Nursing", nursing)],
                       [(QI_TEACHING, first, last)], leavers=leavers)
    # 900 trained in improvement principles by e-learning only (not QI training); 300 have left
    records.people(900, [("Nursing", 300), ("Administration", 200), ("Medical", 150), ("Allied Health", 150), ("Other", 100)],
                   [(E_LEARNING, datetime.date(2020, 1, 1), early)], leavers=300)
    return records.rows


def feedback_rows():
    rng = random.Random(SEED + 1)
    rows, number = [], 1
    negative = ["neither", "unlikely", "very_unlikely", "dont_know"]
    for course, (responses, positive) in FEEDBACK.items():
        answers = [rng.choice(["very_likely", "very_likely", "likely"]) for _ in range(positive)]
        answers += [negative[i % len(negative)] for i in range(responses - positive)]
        rng.shuffle(answers)
        for answer in answers:
            day = YEAR_ONE[0] + datetime.timedelta(days=rng.randint(0, (YEAR_ONE[1] - YEAR_ONE[0]).days))
            rows.append([f"DEMO-{number:05d}", course, day.isoformat(), Answer(answer).label])
            number += 1
    return rows


# The Leeds Improvement Method's courses: the demo's, as a trust's strategy file names its own (`courses:`); a
# fresh installation has none (training/migrations/0002 no longer creates them).
DEMO_COURSES = [
    # name, kind
    (FOUNDATION, CourseKind.FOUNDATION),
    (EI_NURSING, CourseKind.EXCELLENCE_IN),
    (EI_ADMIN, CourseKind.EXCELLENCE_IN),
    (QI_TEACHING, CourseKind.QI_TEACHING),
    (FACILITATOR, CourseKind.FACILITATOR),
    (E_LEARNING, CourseKind.OTHER),
]

# The Leeds Improvement Method's names for its kinds of course.
COURSE_KIND_NAMES = {CourseKind.FOUNDATION: "LIM Foundation", CourseKind.EXCELLENCE_IN: "\u201cExcellence In \u2026\u201d programmes",
                     CourseKind.QI_TEACHING: "QI teaching", CourseKind.FACILITATOR: "LIM facilitator training"}


def _csv_chunks(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    yield buffer.getvalue().encode("utf-8")


def seed_courses():
    """Create any of the demo's courses that is missing (an installation's own courses are left as they are)."""
    existing = {name.casefold() for name in Course.objects.values_list("name", flat=True)}
    Course.objects.bulk_create([Course(name=name, kind=kind) for name, kind in DEMO_COURSES if name.casefold() not in existing])


def seed():
    """Load the demo's training records and feedback through the importer; a second run adds nothing."""
    seed_courses()
    for kind, name in COURSE_KIND_NAMES.items():
        CourseKindName.objects.update_or_create(kind=kind, defaults={"name": name})
    training = importer.import_file("training", _csv_chunks(importer.TRAINING_COLUMNS, _year_one_rows()))
    feedback = importer.import_file("feedback", _csv_chunks(importer.FEEDBACK_COLUMNS, feedback_rows()))
    for report in (training, feedback):
        if not report.ok:
            raise RuntimeError(f"The {report.kind} demo data did not import: {report.file_error or report.errors[:5]}")
    return training, feedback
