import datetime
import re
from html import unescape as html_unescape

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.measures import spc
from improvement.board.dashboard import analysis_to
from goals.measures.charts import analyse_measure, spc_figure
from goals.measures.importer import validate
from improvement.core.tabular import read_text
from goals.models import Measure, MeasurePoint, Rebase

from ..factories import MeasureFactory
from ..helpers import HTMX, text_of, seed_demo

STABLE = [6.5, 6.8, 6.4, 6.9, 6.6, 6.3, 6.7, 6.5, 6.8, 6.6, 6.4, 6.7]
LOWER = [5.4, 5.3, 5.5, 5.2, 5.4, 5.3, 5.1, 5.2]


def test_a_qisg_member_defines_a_measure(qisg_client, goal):
    response = qisg_client.post(reverse("goals:measure_new"), {
        "name": "Pressure ulcers", "unit": "per 1000 bed days", "improvement_direction": "decrease",
        "target": "1.5", "frequency": "monthly", "goal": goal.pk, "fix_after_n_points": "",
    })
    measure = Measure.objects.get()
    assert response["Location"] == reverse("goals:measure_detail", args=[measure.pk])
    assert measure.target == 1.5 and measure.goal == goal


def test_a_baseline_needs_twelve_points_or_more(qisg_client, goal):
    response = qisg_client.post(reverse("goals:measure_new"), {
        "name": "X", "unit": "u", "improvement_direction": "increase", "frequency": "monthly", "goal": goal.pk,
        "fix_after_n_points": "6",
    })
    assert "Enter 12 or more, or leave it empty" in text_of(response)
    assert not Measure.objects.exists()


def test_htmx_adds_a_point_and_redraws_the_chart_out_of_band(qisg_client, goal):
    measure = MeasureFactory(goal=goal, values=STABLE)
    response = qisg_client.post(reverse("goals:point_add", args=[measure.pk]), {"point-date": "15/01/2023", "point-value": "5.1"}, **HTMX)
    html = text_of(response)
    assert MeasurePoint.objects.filter(measure=measure, date=datetime.date(2023, 1, 15), value=5.1).exists()
    assert html.lstrip().startswith('<div id="point-form"')
    assert "Added 5.1 for 15/01/2023." in html
    assert '<section id="measure-analysis" aria-labelledby="analysis-heading" hx-swap-oob="true">' in html
    assert "15 Jan 2023" in html  # the new row of the data table
    assert "<html" not in html


def test_a_point_on_an_existing_date_asks_before_replacing_its_value(qisg_client, goal):
    measure = MeasureFactory(goal=goal, values=[6.5])
    response = qisg_client.post(reverse("goals:point_add", args=[measure.pk]), {"point-date": "2022-01-01", "point-value": "7"})
    assert response.status_code == 200 and "replace 6.5 with 7?" in text_of(response)
    assert list(measure.points.values_list("value", flat=True)) == [6.5]


def test_a_bad_point_is_refused_next_to_its_field(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    html = text_of(qisg_client.post(reverse("goals:point_add", args=[measure.pk]), {"point-date": tomorrow, "point-value": "lots"}, **HTMX))
    assert 'id="id_point-date-error"' in html and "The date must be today or in the past" in html
    assert 'id="id_point-value-error"' in html and "Enter a number" in html
    assert 'hx-swap-oob' not in html
    assert not MeasurePoint.objects.exists()


def test_csv_rows_are_all_checked_and_reported_by_row_and_column(goal):
    measure = MeasureFactory(goal=goal)
    points, errors, _ = validate(read_text("date,value\n2023-01-31,5\n2023-02-30,4\n31/03/2023,abc\n2023-04-30\n2023-01-15,6\n2099-01-01,1\n"), measure)
    assert [(e.row, e.column) for e in errors] == [(3, "date"), (4, "value"), (5, ""), (6, "date"), (7, "date")]
    assert "2023-02-30" in errors[0].message and "Not a real date" in errors[0].message
    assert "Row 2 already gives a value for January 2023: one value per period" in errors[3].message
    assert "in the future" in errors[4].message


def test_an_import_with_one_bad_row_writes_nothing(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    response = qisg_client.post(reverse("goals:measure_import", args=[measure.pk]), {"pasted": "2023-01-31,5\n2023-02-28,x\n"})
    html = text_of(response)
    assert "Nothing was imported: 1 row needs correcting" in html
    assert "“x”: Not a number" in html
    assert not MeasurePoint.objects.exists()


def test_a_good_csv_file_is_imported_with_history(qisg_client, goal, qisg_user):
    measure = MeasureFactory(goal=goal, values=[6.0])  # 2022-01-01
    upload = SimpleUploadedFile("falls.csv", "\ufeffdate,value\n2022-01-01,6.5\n2022-02-01,6.1\n01/03/2022,5.9\n".encode("utf-8"))
    url = reverse("goals:measure_import", args=[measure.pk])
    html = text_of(qisg_client.post(url, {"file": upload}))
    assert "1 period already has a value" in html and "Replace 1 value and import" in html
    assert "January 2022" in html and "6 on 01/01/2022" in html and "6.5 on 01/01/2022" in html
    assert list(measure.points.values_list("value", flat=True)) == [6.0]  # nothing until agreed
    agreed = dict(re.findall(r'<input type="hidden" name="(pasted|agreed)" value="([^"]*)"', html, re.S))
    response = qisg_client.post(url, {"pasted": html_unescape(agreed["pasted"]), "agreed": html_unescape(agreed["agreed"])}, follow=True)
    assert "Imported: 2 points added, 1 replaced." in text_of(response)
    assert list(measure.points.order_by("date").values_list("value", flat=True)) == [6.5, 6.1, 5.9]
    assert {h.history_user for h in MeasurePoint.history.all()} >= {qisg_user}
    assert MeasurePoint.history.filter(history_type="~").get().history_change_reason == "Replaced by an import"


def test_a_file_that_is_not_utf8_text_is_refused(qisg_client, goal):
    measure = MeasureFactory(goal=goal)
    upload = SimpleUploadedFile("falls.csv", "2023-01-31,5\n".encode("utf-16"))
    html = text_of(qisg_client.post(reverse("goals:measure_import", args=[measure.pk]), {"file": upload}))
    assert "This is UTF-16 text, not a CSV file or an Excel workbook." in html and 'id="id_file-error"' in html
    assert not MeasurePoint.objects.exists()


def test_rebasing_recalculates_the_limits_from_the_first_point_on_or_after_the_date(qisg_client, goal):
    measure = MeasureFactory(goal=goal, values=STABLE + LOWER)  # LOWER starts 2023-01-01
    before = analyse_measure(Measure.objects.get()).result.points[-1].mean
    response = qisg_client.post(reverse("goals:rebase_add", args=[measure.pk]),
                                {"rebase-date": "20/12/2022", "rebase-reason": "New falls bundle"}, **HTMX)
    assert "The limits are recalculated from 20/12/2022." in text_of(response)
    analysis = analyse_measure(Measure.objects.get())
    assert analysis.rebase_dates == [datetime.date(2023, 1, 1)]
    assert analysis.result.points[-1].mean == pytest.approx(sum(LOWER) / len(LOWER))
    assert before != pytest.approx(sum(LOWER) / len(LOWER))
    assert analysis.result.points[0].mean == pytest.approx(sum(STABLE) / len(STABLE))
    assert "From 20 December 2022: New falls bundle" in text_of(response)


def test_a_rebase_needs_a_reason(qisg_client, goal):
    measure = MeasureFactory(goal=goal, values=STABLE)
    html = text_of(qisg_client.post(reverse("goals:rebase_add", args=[measure.pk]), {"rebase-date": "01/06/2022", "rebase-reason": ""}, **HTMX))
    assert "Enter the reason" in html
    assert not Rebase.objects.exists()


def test_a_sustained_shift_shows_as_special_cause_improvement_with_its_icon(board_client, goal):
    measure = MeasureFactory(goal=goal, values=STABLE + LOWER, target=5.0)
    analysis = analyse_measure(Measure.objects.get())
    assert analysis.result.variation_type == spc.SPECIAL_CAUSE_IMPROVEMENT
    html = text_of(board_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert "Special cause variation: improvement (lower values)" in html
    assert "Assurance:" in html
    assert "Add a data point" not in html  # read-only for the board


def test_the_chart_marks_collaborative_dates_and_rebases(goal):
    measure = MeasureFactory(goal=goal, values=STABLE + LOWER)
    Rebase.objects.create(measure=measure, date=datetime.date(2023, 1, 1), reason="Bundle")
    analysis = analyse_measure(Measure.objects.get())
    figure = spc_figure(measure, analysis, [(datetime.date(2022, 7, 1), "Falls collaborative started")])
    labels = [(a["text"], a["yshift"]) for a in figure["layout"]["annotations"]]
    assert labels == [("Falls collaborative started", 0), ("Limits recalculated", 16)]  # in date order, a row each
    names = [t["name"] for t in figure["data"]]
    assert names[:3] == ["Upper process limit", "Mean", "Lower process limit"]
    mean_trace = figure["data"][1]
    assert None in mean_trace["y"]  # the mean line breaks where the limits are recalculated


def test_chart_labels_on_nearby_dates_never_print_over_each_other(goal):
    measure = MeasureFactory(goal=goal, values=STABLE + LOWER)
    Rebase.objects.create(measure=measure, date=datetime.date(2022, 7, 1), reason="Bundle")
    analysis = analyse_measure(Measure.objects.get())
    figure = spc_figure(measure, analysis, [(datetime.date(2022, 7, 1), "Falls collaborative started"),
                                            (datetime.date(2023, 6, 1), "Falls collaborative stepped down")])
    notes = figure["layout"]["annotations"]
    assert len({n["yshift"] for n in notes}) == len(notes) == 3  # the same day, or near: a line each
    assert figure["layout"]["margin"]["t"] >= 16 * 3  # room above the plot for every line
    assert [n["xanchor"] for n in notes] == ["left", "left", "right"]  # late labels run leftwards, inside the chart


def test_figures_are_shown_with_the_measure_s_own_decimals_and_no_target_in_words(board_client, goal):
    measure = MeasureFactory(goal=goal, values=[27.2, 26.8, 27.0])
    html = text_of(board_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert ">27.2<" in html and "27.20" not in html and "No target" in html and "None" not in html
    assert "The data (3 points)" in html
    measure.decimals, measure.target = 2, 25
    measure.save()
    html = text_of(board_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert ">27.20<" in html and "25.00" in html
    listing = text_of(board_client.get(reverse("goals:measure_list")))
    assert "27.00" in listing and "25.00" in listing
    one = MeasureFactory(goal=goal, values=[1234.5])
    html = text_of(board_client.get(reverse("goals:measure_detail", args=[one.pk])))
    assert "1,234.5" in html and "The data (1 point)" in html


def test_a_derived_measure_takes_no_typed_data(qisg_client, goal):
    measure = MeasureFactory(goal=goal, source="derived", derived_from="training.current_trained_in_qi")
    response = qisg_client.post(reverse("goals:point_add", args=[measure.pk]), {"point-date": "2023-01-01", "point-value": "1"})
    assert response.status_code == 403
    assert "Add a data point" not in text_of(qisg_client.get(reverse("goals:measure_detail", args=[measure.pk])))


def test_the_demo_falls_reduction_is_a_real_special_cause(db):
    seed_demo()
    falls = Measure.objects.get(name="Falls per 1000 bed days")
    analysis = analysis_to(falls, datetime.date(2023, 10, 31))  # year one, as the trust reported it
    assert analysis.result.variation_type == spc.SPECIAL_CAUSE_IMPROVEMENT
    assert len(analysis.result.points) == 31
    assert Measure.objects.filter(collaborative__isnull=False).count() == 5


def test_the_measure_list_query_count_does_not_grow(board_client, goal, django_assert_max_num_queries):
    MeasureFactory(goal=goal, values=STABLE)
    url = reverse("goals:measure_list")
    # session, user, 2 permission queries, measures+goals, points, rebases,
    # session save (savepoint, update, release)
    with django_assert_max_num_queries(10) as few:
        board_client.get(url)
    for _ in range(10):
        MeasureFactory(goal=goal, values=STABLE + LOWER)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert board_client.get(url).status_code == 200


@pytest.mark.parametrize("variation, direction, file, words", [
    (spc.COMMON_CAUSE, "increase", "variation/common_cause.svg", "Common cause variation"),
    (spc.SPECIAL_CAUSE_IMPROVEMENT, "increase", "variation/improvement_high.svg", "improvement (higher values)"),
    (spc.SPECIAL_CAUSE_IMPROVEMENT, "decrease", "variation/improvement_low.svg", "improvement (lower values)"),
    (spc.SPECIAL_CAUSE_CONCERN, "increase", "variation/concern_low.svg", "concern (lower values)"),
    (spc.SPECIAL_CAUSE_CONCERN, "decrease", "variation/concern_high.svg", "concern (higher values)"),
    (spc.SPECIAL_CAUSE_NEUTRAL_HIGH, "neutral", "variation/neutral_high.svg", "higher values, neither"),
    (spc.SPECIAL_CAUSE_NEUTRAL_LOW, "neutral", "variation/neutral_low.svg", "lower values, neither"),
])
def test_each_variation_has_nhs_england_s_icon_as_nhsrplotthedots_picks_it(variation, direction, file, words):
    from django.contrib.staticfiles import finders
    from goals.measures.charts import variation_icon

    icon = variation_icon(variation, direction)
    assert icon.file == f"vendor/making-data-count/{file}" and finders.find(icon.file)
    assert words in icon.label


def test_the_icons_are_images_with_their_words_beside_them(board_client, goal):
    measure = MeasureFactory(goal=goal, values=STABLE + LOWER, target=5.0)
    html = text_of(board_client.get(reverse("goals:measure_detail", args=[measure.pk])))
    assert '<img src="/static/vendor/making-data-count/variation/improvement_low.svg" alt="" width="56" height="56">' in html
    assert "<span>Special cause variation: improvement (lower values)</span>" in html
    assert 'src="/static/vendor/making-data-count/assurance/' in html
    assert "<circle" not in html.split('id="measure-analysis"')[1].split("</ul>")[0]  # no lettered circles
