import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from training import importer
from training.models import Completion, FeedbackResponse, Learner, StaffGroup, Unit

from .helpers import TODAY, chunks, feedback_csv, training_csv, workbook

pytestmark = pytest.mark.django_db

AMIRA = "10000001,Amira Patel,Nursing,Women's Services,LIM Foundation,2023-01-17,"
AMIRA_EI = "10000001,Amira Patel,Nursing,Women's Services,Excellence In Nursing,21/03/2023,"
BEN = "10000002,Ben Okafor,Administration,Corporate Services,Excellence In Administration,14/02/2023,"


def check(data, kind="training"):
    return importer.check(kind, chunks(data), today=TODAY)


def run(data, kind="training"):
    return importer.import_file(kind, chunks(data), today=TODAY)


def errors(report):
    return [(e.row, e.column, e.reason) for e in report.errors]


def test_a_good_file_imports_learners_units_and_completions():
    report = run(training_csv(AMIRA, AMIRA_EI, BEN))
    assert report.ok and report.applied
    assert report.counts["New learners"] == 2
    assert report.counts["New completions"] == 3
    assert report.counts["New units"] == 2
    amira = Learner.objects.get(staff_number="10000001")
    assert (amira.name, amira.staff_group, amira.unit.name, amira.left_on) == ("Amira Patel", StaffGroup.NURSING, "Women's Services", None)
    assert sorted(amira.completions.values_list("course__name", "completed_on")) == [
        ("Excellence In Nursing", datetime.date(2023, 3, 21)), ("LIM Foundation", datetime.date(2023, 1, 17))
    ]


def test_the_check_says_what_it_would_do_and_writes_nothing():
    report = check(training_csv(AMIRA, AMIRA_EI, BEN))
    assert report.ok and not report.applied
    assert report.counts == {
        "Rows read": 3, "New learners": 2, "Learners whose details change": 0, "Leavers marked (their records are kept)": 0,
        "New completions": 3, "Duplicates skipped (already imported, or repeated in the file)": 0, "New units": 2,
    }
    assert (Learner.objects.count(), Completion.objects.count(), Unit.objects.count()) == (0, 0, 0)


def test_columns_may_come_in_any_order_with_any_case_and_extra_columns_are_ignored():
    header = ["Course", "Completed On", "Staff Number", "Name", "Staff group", "Unit", "Left on", "Notes"]
    report = run(training_csv("LIM Foundation,17/01/2023,10000001,Amira Patel,nursing,Ward 7,,anything", header=header))
    assert report.ok
    assert Learner.objects.get().unit.name == "Ward 7"


def test_the_optional_columns_may_be_left_out():
    header = ["staff_number", "name", "staff_group", "course", "completed_on"]
    report = run(training_csv("10000007,George Smith,Quality partner,LIM Foundation,2023-04-12", header=header))
    assert report.ok
    george = Learner.objects.get()
    assert george.unit is None and george.staff_group == StaffGroup.QUALITY_PARTNER


def test_importing_the_same_file_again_creates_no_duplicates():
    data = training_csv(AMIRA, AMIRA_EI, BEN)
    run(data)
    again = run(data)
    assert again.ok
    assert again.counts["New learners"] == again.counts["New completions"] == 0
    assert again.counts["Duplicates skipped (already imported, or repeated in the file)"] == 3
    assert (Learner.objects.count(), Completion.objects.count(), Unit.objects.count()) == (2, 3, 2)


def test_an_overlapping_file_adds_only_what_is_new():
    run(training_csv(AMIRA, BEN))
    report = run(training_csv(AMIRA, AMIRA_EI, "10000003,Carys Jones,Nursing,Women's Services,LIM Foundation,2023-06-06,"))
    assert report.counts["New learners"] == 1
    assert report.counts["New completions"] == 2
    assert report.counts["Duplicates skipped (already imported, or repeated in the file)"] == 1
    assert Completion.objects.count() == 4


def test_a_row_repeated_exactly_in_the_file_is_skipped():
    report = run(training_csv(AMIRA, AMIRA, BEN))
    assert report.ok
    assert report.counts["Duplicates skipped (already imported, or repeated in the file)"] == 1
    assert Completion.objects.count() == 2


def test_a_later_leaving_date_marks_a_leaver_and_keeps_the_history():
    run(training_csv(AMIRA, AMIRA_EI))
    report = run(training_csv(AMIRA.rstrip(",") + ",2023-09-30"))
    assert report.counts["Leavers marked (their records are kept)"] == 1
    amira = Learner.objects.get()
    assert amira.left_on == datetime.date(2023, 9, 30)
    assert amira.completions.count() == 2
    assert list(Learner.objects.current(datetime.date(2023, 9, 29))) == [amira]
    assert list(Learner.objects.current(datetime.date(2023, 9, 30))) == []
    assert list(Learner.objects.leavers(datetime.date(2023, 10, 1))) == [amira]


def test_an_older_file_without_the_leaving_date_does_not_bring_a_leaver_back():
    run(training_csv(AMIRA.rstrip(",") + ",2023-09-30"))
    report = run(training_csv(AMIRA, AMIRA_EI))
    assert report.counts["Leavers marked (their records are kept)"] == 0
    assert Learner.objects.get().left_on == datetime.date(2023, 9, 30)


def test_a_later_file_updates_a_persons_details():
    run(training_csv(AMIRA))
    report = run(training_csv("10000001,Amira Patel-Jones,Nursing,Emergency Medicine,LIM Foundation,2023-01-17,"))
    assert report.counts["Learners whose details change"] == 1
    amira = Learner.objects.get()
    assert (amira.name, amira.unit.name) == ("Amira Patel-Jones", "Emergency Medicine")
    assert Completion.objects.count() == 1


def test_a_planned_leaving_date_in_the_future_is_accepted_and_the_person_is_current_until_then():
    report = run(training_csv(AMIRA.rstrip(",") + ",2024-06-30"))
    assert report.ok
    assert Learner.objects.current(TODAY).count() == 1


# Every rejection reason: the whole file is refused and each bad row is named by row and column.


@pytest.mark.parametrize(
    "row, column, reason",
    [
        ("10000001,Amira Patel,Nursing,Ward 7,LIM Foundations,2023-01-17,", "course", "Unknown course \u201cLIM Foundations\u201d"),
        ("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,31/02/2023,", "completed_on", "Not a real date"),
        ("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,2023-13-01,", "completed_on", "Not a real date"),
        ("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,17 Jan 2023,", "completed_on", "Not a date: write it as 31/03/2023 or 2023-03-31"),
        ("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,2024-02-01,", "completed_on", "In the future"),
        ("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,,", "completed_on", "Missing completion date"),
        (",Amira Patel,Nursing,Ward 7,LIM Foundation,2023-01-17,", "staff_number", "Missing staff number"),
        ("10000001,,Nursing,Ward 7,LIM Foundation,2023-01-17,", "name", "Missing name"),
        ("10000001,Amira Patel,Nurses,Ward 7,LIM Foundation,2023-01-17,", "staff_group", "Unknown staff group \u201cNurses\u201d"),
        ("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,2023-01-17,2022-12-01", "left_on", "The leaving date is before the completion date"),
        ("10000001,Amira Patel,Nursing,Ward 7,LIM Foundation,2023-01-17,,extra", "", "The row has 8 cells but the header names 7 columns"),
    ],
)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_written(row, column, reason):
    report = run(training_csv(BEN, row))
    assert not report.ok and not report.applied
    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.row, error.column) == (3, column)
    assert error.reason.startswith(reason)
    assert (Learner.objects.count(), Completion.objects.count(), Unit.objects.count()) == (0, 0, 0)


def test_every_bad_row_is_listed_not_just_the_first():
    report = run(training_csv(
        AMIRA,
        "10000002,Ben Okafor,Administration,,No such course,2023-02-14,",
        BEN,
        ",Nobody,Nursing,,LIM Foundation,30/02/2023,",
    ))
    assert errors(report) == [
        (3, "course", "Unknown course \u201cNo such course\u201d. Use one of: Excellence In Administration, Excellence In Nursing, "
         "Improvement principles e-learning, LIM Foundation, LIM facilitator training, QI teaching."),
        (5, "staff_number", "Missing staff number."),
        (5, "completed_on", "Not a real date (check the day and the month)."),
    ]
    assert report.rows == 4
    assert Learner.objects.count() == 0


def test_duplicate_rows_that_conflict_about_a_person_are_refused():
    report = run(training_csv(AMIRA, "10000001,Amira Patel,Medical,Women's Services,Excellence In Nursing,2023-03-21,"))
    assert errors(report) == [(3, "staff_group", "Row 2 gives staff number 10000001 a different staff group (\u201cnursing\u201d): rows for one person must agree.")]
    report = run(training_csv(AMIRA, "10000001,Amira Patel,Nursing,Women's Services,Excellence In Nursing,2023-03-21,2023-09-30"))
    assert [(e.row, e.column) for e in report.errors] == [(3, "left_on")]
    assert Learner.objects.count() == 0


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\")", "+44 113", "-2+3", "@SUM(A1)"])
def test_formula_looking_cells_are_refused_and_the_page_says_why(cell):
    report = run(training_csv(f"10000001,{cell},Nursing,Ward 7,LIM Foundation,2023-01-17,"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "name")]
    assert "a spreadsheet could run it as a formula" in report.errors[0].reason
    assert Learner.objects.count() == 0


def test_a_formula_cell_is_reported_once_not_also_as_unknown():
    report = run(training_csv("10000001,Amira,Nursing,Ward 7,=cmd|' /C calc'!A0,2023-01-17,"))
    assert [(e.column, e.reason[:15]) for e in report.errors] == [("course", "Starts with \u201c=\u201d")]


def test_utf8_with_a_byte_order_mark_as_excel_writes_it_is_accepted():
    report = run(training_csv("10000001,Zo\u00eb O\u2019Brien,Nursing,Ward 7,LIM Foundation,2023-01-17,", bom=True))
    assert report.ok
    assert Learner.objects.get().name == "Zo\u00eb O\u2019Brien"


def test_a_file_that_is_not_utf8_is_refused_whole():
    data = "staff_number,name,staff_group,unit,course,completed_on,left_on\n10000001,Zo\u00eb,Nursing,,LIM Foundation,2023-01-17,\n".encode("latin-1")
    report = run(data)
    assert report.file_error.startswith("The file is not UTF-8 text")
    assert "CSV UTF-8" in report.file_error
    assert Learner.objects.count() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04\x14\x00\x06\x00rest of a workbook", "This is not a readable Excel workbook"),
        (b"\xd0\xcf\x11\xe0 an old workbook", "This is an old Excel workbook (.xls), not a CSV file or an Excel workbook."),
        (b"%PDF-1.7\n", "This is a PDF, not a CSV file or an Excel workbook."),
        ("staff_number,name\n".encode("utf-16"), "This is UTF-16 text, not a CSV file or an Excel workbook."),
        (b"staff_number,name,staff_group,unit,course,completed_on\n1,A\x00B,Nursing,,LIM Foundation,2023-01-01\n", "This is not a readable CSV file"),
        (b"", "The file is empty."),
        (b"staff_number,name,staff_group,unit,course,completed_on,left_on\n", "The file has a header row but no records below it."),
        (b"date,value\n2023-01-01,4\n", "The header row must name the columns staff_number, name, staff_group, unit, course, completed_on, left_on. Missing: staff_number, name, staff_group, course, completed_on (found: date, value)."),
        (b"staff_number,name,name,staff_group,course,completed_on\n", "The header row names a column more than once: name."),
    ],
)
def test_files_that_are_not_csv_of_training_records_are_refused_whole(data, message):
    report = run(data)
    assert report.file_error.startswith(message), report.file_error
    assert not report.ok and Learner.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_while_streaming(monkeypatch):
    monkeypatch.setattr(importer, "MAX_BYTES", 1024)
    rows = [f"{10000000 + i},Person {i},Nursing,Ward 7,LIM Foundation,2023-01-17," for i in range(100)]
    report = run(training_csv(*rows))
    assert report.file_error == "The file is larger than 1 KB, the most one import accepts. Split it into smaller files and import each one."
    assert Learner.objects.count() == 0


def test_a_file_over_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    rows = [f"{10000000 + i},Person {i},Nursing,Ward 7,LIM Foundation,2023-01-17," for i in range(4)]
    assert run(training_csv(*rows)).file_error == "The file has more than 3 rows, the most one import accepts. Split it into smaller files."


def test_blank_lines_and_a_quoted_cell_with_a_comma_and_newline_are_read_correctly():
    data = training_csv('10000001,"Patel, Amira",Nursing,"Ward 7\nNorth",LIM Foundation,2023-01-17,', "", ",,,,,,", BEN)
    report = run(data)
    assert report.ok and report.rows == 2
    assert Learner.objects.get(staff_number="10000001").unit.name == "Ward 7 North"


def test_only_the_first_500_errors_are_listed_but_all_are_counted():
    rows = [f"{10000000 + i},Person {i},Nursing,,No course,2023-01-17," for i in range(600)]
    report = run(training_csv(*rows))
    assert report.error_count == 600 and len(report.errors) == 500 and report.errors_not_listed == 100


def test_the_import_uses_a_constant_number_of_queries_per_batch(django_assert_max_num_queries):
    rows = [f"{10000000 + i},Person {i},Nursing,Unit {i % 7},LIM Foundation,2023-01-17," for i in range(1500)]
    with django_assert_max_num_queries(20):  # courses, units, learners, completions: a few bulk statements
        assert run(training_csv(*rows)).ok
    assert Completion.objects.count() == 1500


# Course feedback


def test_feedback_imports_once_and_maps_the_friends_and_family_answers():
    data = feedback_csv(
        "R1,LIM Foundation,2023-01-17,Very likely", "R2,LIM Foundation,17/01/2023,likely",
        "R3,QI teaching,2023-02-02,Don\u2019t know", "R4,QI teaching,2023-02-02,Neither likely nor unlikely",
        "R4,QI teaching,2023-02-02,Neither likely nor unlikely",
    )
    report = run(data, "feedback")
    assert report.ok and report.counts == {"Rows read": 5, "New responses": 4, "Duplicates skipped (already imported, or repeated in the file)": 1}
    assert sorted(FeedbackResponse.objects.values_list("response_id", "answer")) == [
        ("R1", "very_likely"), ("R2", "likely"), ("R3", "dont_know"), ("R4", "neither")
    ]
    again = run(data, "feedback")
    assert again.counts["New responses"] == 0 and FeedbackResponse.objects.count() == 4


def test_feedback_rows_are_checked_like_training_rows():
    report = run(feedback_csv(
        "R1,LIM Foundation,2023-01-17,Maybe", "R2,Nope,2023-01-17,Likely", "R3,LIM Foundation,2025-01-17,Likely",
        ",LIM Foundation,2023-01-17,Likely", "R5,LIM Foundation,2023-01-17,Likely", "R5,LIM Foundation,2023-01-17,Unlikely",
        "R6,LIM Foundation,2023-01-17,@Likely",
    ), "feedback")
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "answer"), (3, "course"), (4, "responded_on"), (5, "response_id"), (7, "response_id"), (8, "answer")
    ]
    assert FeedbackResponse.objects.count() == 0


# The management commands use the same code.


def test_the_import_training_command_imports_a_file(tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(training_csv(AMIRA, BEN))
    out = io.StringIO()
    call_command("import_training", str(path), "--clinical", "Women's Services", "--not-clinical", "Corporate Services", stdout=out)
    assert "New completions: 2" in out.getvalue()
    assert "Corporate Services: not a clinical service unit" in out.getvalue()
    assert Completion.objects.count() == 2
    assert dict(Unit.objects.values_list("name", "is_clinical")) == {"Women's Services": True, "Corporate Services": False}


def test_the_command_asks_whether_each_new_unit_is_a_clinical_service_unit(tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(training_csv(AMIRA, BEN))
    with pytest.raises(CommandError, match="Say whether \u201cCorporate Services\u201d is a clinical service unit"):
        call_command("import_training", str(path), "--clinical", "Women's Services", stdout=io.StringIO())
    assert not Completion.objects.exists() and not Unit.objects.exists()


def test_the_command_with_check_writes_nothing(tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(training_csv(AMIRA, BEN))
    out = io.StringIO()
    call_command("import_training", str(path), "--check", stdout=out)
    assert "Would import" in out.getvalue() and Completion.objects.count() == 0


def test_the_command_lists_each_bad_row_and_fails(tmp_path):
    path = tmp_path / "records.csv"
    path.write_bytes(training_csv(AMIRA, "10000002,Ben,Administration,,Nope,2023-01-01,"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_training", str(path), stderr=err)
    assert "row 3, column course: Unknown course" in err.getvalue()
    assert Completion.objects.count() == 0


def test_the_import_feedback_command_and_a_missing_file(tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_bytes(feedback_csv("R1,LIM Foundation,2023-01-17,Very likely"))
    call_command("import_feedback", str(path), stdout=io.StringIO())
    assert FeedbackResponse.objects.count() == 1
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_feedback", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_an_excel_workbook_imports_as_its_csv_would():
    report = run(workbook(
        ["10000001", "Amira Patel", "Nursing", "Women's Services", "LIM Foundation", datetime.datetime(2023, 1, 17), None],
        [10000002, "Ben Okafor", "Administration", "Corporate Services", "Excellence In Administration", "14/02/2023", ""],
    ))
    assert report.ok and report.applied, report.errors
    assert sorted(Learner.objects.values_list("staff_number", flat=True)) == ["10000001", "10000002"]
    assert Completion.objects.get(learner__staff_number="10000001").completed_on == datetime.date(2023, 1, 17)


def test_a_bad_cell_of_a_workbook_is_named_by_row_and_column_and_formulas_are_never_read():
    report = check(workbook(
        ["10000001", "Amira Patel", "Nursing", "", "LIM Foundation", "31/02/2023", None],
        ["10000002", "=HYPERLINK(\"http://evil\")", "Nursing", "", "LIM Foundation", "2023-01-17", None],
    ))
    assert (2, "completed_on", "Not a real date (check the day and the month).") in errors(report)
    # openpyxl writes a formula without its value: Excel's value is what is read, here none, so the name is missing
    assert (3, "name", "Missing name.") in errors(report)
    assert Learner.objects.count() == 0


def test_a_tab_separated_file_is_read_like_a_comma_separated_one():
    data = training_csv(AMIRA, BEN).decode().replace(",", "\t").encode()
    report = run(data)
    assert report.ok and report.counts["New learners"] == 2


def test_feedback_comes_in_a_workbook_too():
    report = run(workbook(["R1", "LIM Foundation", datetime.date(2023, 5, 2), "Very likely"], header=importer.FEEDBACK_COLUMNS),
                 kind="feedback")
    assert report.ok and FeedbackResponse.objects.get().responded_on == datetime.date(2023, 5, 2)
