"""The gap report through the binding: R's UCBAdmissions (4,526 applicants by sex and
department), added as one batch from numpy arrays, its findings as a DataFrame and as records.
Reference values: tests/reference/ucb_admissions.R (R 4.2.2), recorded beside each check."""
import numpy as np
import pandas as pd
import pytest

import jamstat

# UCBAdmissions: per department A-F, women admitted, women applicants, men admitted, men applicants
UCB = [(89, 108, 512, 825), (17, 25, 353, 560), (202, 593, 120, 325),
       (131, 375, 138, 417), (94, 393, 53, 191), (24, 341, 22, 373)]


def ucb_aggregator():
    with jamstat.SchemaBuilder() as b:
        s = (b.dimension("department", [(i, c) for i, c in enumerate("ABCDEF")], label=("Institution", "Department"))
             .outcome("admitted", "Antagen", "Admitted").build())
    counts = np.array(UCB).reshape(6, 2, 2)              # [department][women, men][admitted, applicants]
    applicants = counts[:, :, 1].ravel()
    admitted = counts[:, :, 0].ravel()
    sex = np.repeat(np.tile(np.array([2, 1], np.uint8), 6), applicants)
    department = np.repeat(np.repeat(np.arange(6, dtype=np.uint8), 2), applicants)
    starts = np.repeat(np.cumsum(applicants) - applicants, applicants)
    outcome = ((np.arange(applicants.sum()) - starts) < np.repeat(admitted, applicants)).astype(np.uint8)
    agg = jamstat.Aggregator(s)
    agg.add_batch(sex=sex, department=department, admitted=outcome)
    s.close()
    return agg


def test_ucb_admissions_raw_and_adjusted_against_r():
    with ucb_aggregator() as agg, agg.gap_report(adjust_for=["department"], current_period="1973") as report:
        assert report.tests == 2 and report.significance_level == pytest.approx(0.05, abs=1e-12)
        f = report.findings()
        raw = f[(f["kind"] == "outcome") & (f["adjusted"] == 0) & (f["grouping_dimension"] == -1)].iloc[0]
        adj = f[(f["kind"] == "outcome") & (f["adjusted"] == 1) & (f["grouping_dimension"] == -1)].iloc[0]
        # R: raw_women 557 of 1835, raw_men 1198 of 2691
        assert (raw["women_amount"], raw["women_base"], raw["men_amount"], raw["men_base"]) == (557, 1835, 1198, 2691)
        # R: raw[1, 1] / sum(raw[1, ]) - raw[2, 1] / sum(raw[2, ]) = -0.14164542824654186
        assert raw["difference"] == pytest.approx(-0.14164542824654186, rel=1e-12)
        assert raw["effect"] == "proportion_difference" and raw["method"] == "chi_square"
        # R: chisq.test(raw, correct = FALSE): X-squared 92.205280411527639, p 7.8136003889946405e-22
        assert raw["statistic"] == pytest.approx(92.205280411527639, rel=1e-10)
        assert raw["p_value"] == pytest.approx(7.8136003889946405e-22, rel=1e-8)
        # R: mantelhaen.test(x, correct = FALSE)$estimate = 1.1053426615022164, $p.value = 0.21692369705551723
        assert adj["odds_ratio"] == pytest.approx(1.1053426615022164, rel=1e-10)
        assert adj["p_value"] == pytest.approx(0.21692369705551723, rel=1e-10)
        assert adj["method"] == "cochran_mantel_haenszel" and adj["status"] == "ok"
        assert adj["adjusted_for"] == 1 << 1 and "nstitution" in adj["adjusted_for_label"]
        assert raw["period_label"] == "1973" and raw["period"] == "current"
        assert raw["participations"] == 4526 and pd.isna(raw["persons"])  # persons are not counted here
        assert raw["verdict"].startswith("Antagen: lägre andel bland kvinnor än bland män")
        en = report.findings(language="en")
        assert en["verdict"].iloc[0].startswith("Admitted") and "women" in en["verdict"].iloc[0]
        both = report.findings(language=None)
        assert "verdict_sv" in both and "verdict_en" in both and "what_sv" in both


def test_findings_as_records_without_pandas():
    with ucb_aggregator() as agg, agg.gap_report(adjust_for="department") as report:
        recs = report.findings_records(language="en")
        assert len(recs) == len(report) == 2
        assert recs[0]["kind"] == "outcome" and recs[0]["persons"] is None  # persons are not counted here
        assert isinstance(recs[0]["difference"], float) and isinstance(recs[0]["what"], str)
        cols = report.columns()
        assert cols["women_amount"][0] == 557 and cols["kind"].dtype == np.int32


def test_target_group_and_two_periods():
    with ucb_aggregator() as now, ucb_aggregator() as before:
        with jamstat.TargetGroup(now.schema) as target:
            target.add("Kvinnor", 10000).add(jamstat.SEX_MALE, 12000)
            with pytest.raises(jamstat.InvalidArgumentError, match="sex"):
                target.add(7, 10)
            with now.gap_report(target=target, previous=before, current_period=1974, previous_period=1973) as r:
                f = r.findings_records()
        rates = [x for x in f if x["kind"] == "participation_rate" and x["period"] == "current" and x["grouping_dimension"] == -1]
        assert len(rates) == 1
        # participants per population (persons not counted: participations): 1835 / 10000, 2691 / 12000
        assert rates[0]["women_estimate"] == pytest.approx(0.1835, rel=1e-12)
        assert rates[0]["men_estimate"] == pytest.approx(2691 / 12000, rel=1e-12)
        changes = [x for x in f if x["period"] == "change" and x["kind"] == "outcome" and x["grouping_dimension"] == -1
                   and not x["adjusted"]]
        assert len(changes) == 1 and abs(changes[0]["difference"]) < 1e-12  # the same data both periods
        assert {x["period_label"] for x in f if x["period"] == "previous"} == {"1973"}


def test_target_group_by_a_dimension_from_records():
    with ucb_aggregator() as agg:
        rows = [{"sex": sx, "department": d, "population": 1000 + 10 * i}
                for i, (sx, d) in enumerate((s, d) for s in (1, 2) for d in "ABCDEF")]
        with jamstat.TargetGroup.from_records(agg.schema, rows, ["department"]) as target, \
                agg.gap_report(target=target, compare_across=["department"]) as r:
            f = r.findings()
            per_dept = f[(f["kind"] == "participation_rate") & (f["grouping_dimension"] == 1)]
            assert len(per_dept) == 6
            a = per_dept[per_dept["grouping_level"] == 0].iloc[0]
            assert a["women_estimate"] == pytest.approx(108 / 1060, rel=1e-12)  # women of A: row 6 -> 1000 + 60
            assert a["men_estimate"] == pytest.approx(825 / 1000, rel=1e-12)
        with pytest.raises(KeyError):
            jamstat.TargetGroup(agg.schema, ["department"]).add(2, 10)


def test_bad_options_raise_with_the_library_message():
    with ucb_aggregator() as agg:
        with pytest.raises(jamstat.InvalidArgumentError, match="nope"):
            agg.gap_report(adjust_for=["nope"])
        with pytest.raises(jamstat.InvalidArgumentError, match="no outcome is called 'nope'"):
            agg.gap_report(offered_outcomes=["nope"])
        with pytest.raises(jamstat.InvalidArgumentError, match="exact_rule is 9"):
            agg.gap_report(exact_rule=9)
        with pytest.raises(ValueError, match="exact_rule must be one of"):
            agg.gap_report(exact_rule="sometimes")
        with pytest.raises(TypeError, match="unknown option 'alpha'"):
            agg.gap_report(alpha=0.1)
        with agg.gap_report(exact_rule="always", confidence_level=0.99, minimum_persons=5, seed=1) as r:
            assert r.significance_level == pytest.approx(0.01, abs=1e-12)
            assert r.findings_records()[0]["method"] == "exact"
