"""The intersectional analyses through the binding: strata reports, MAIHDA and Oaxaca-Blinder,
on the planted data of tests/c_api/analysis_test.c (54 strata: sex x age x birth x education, with
one planted interaction: young women born outside Europe with upper secondary education).

References (recorded beside each check):
- MAIHDA: R 4.2.2, lme4 1.1.31, as recorded in tests/c_api/analysis_test.c (the data come from
  tests/reference/intersectional/maihda_data.R);
- Oaxaca-Blinder: statsmodels 0.13.5 OaxacaBlinder and numpy OLS on the microdata,
  bindings/python/tests/reference/planted_reference.py.
"""
import math

import numpy as np
import pytest

import jamstat

# (sex 0 women / 1 men, age, birth, education, participations, in work), as in analysis_test.c
PLANTED = [
    (0, 0, 0, 0, 25, 10), (0, 0, 0, 1, 55, 29), (0, 0, 0, 2, 16, 8), (0, 0, 1, 0, 58, 28), (0, 0, 1, 1, 26, 16), (0, 0, 1, 2, 17, 10),
    (0, 0, 2, 0, 31, 7), (0, 0, 2, 1, 120, 3), (0, 0, 2, 2, 45, 25), (0, 1, 0, 0, 41, 26), (0, 1, 0, 1, 29, 17), (0, 1, 0, 2, 55, 38),
    (0, 1, 1, 0, 10, 4), (0, 1, 1, 1, 57, 37), (0, 1, 1, 2, 12, 7), (0, 1, 2, 0, 11, 6), (0, 1, 2, 1, 5, 0), (0, 1, 2, 2, 9, 8),
    (0, 2, 0, 0, 15, 6), (0, 2, 0, 1, 44, 10), (0, 2, 0, 2, 46, 28), (0, 2, 1, 0, 38, 19), (0, 2, 1, 1, 50, 17), (0, 2, 1, 2, 56, 31),
    (0, 2, 2, 0, 7, 3), (0, 2, 2, 1, 46, 12), (0, 2, 2, 2, 51, 20), (1, 0, 0, 0, 59, 26), (1, 0, 0, 1, 28, 18), (1, 0, 0, 2, 57, 39),
    (1, 0, 1, 0, 14, 6), (1, 0, 1, 1, 17, 9), (1, 0, 1, 2, 57, 40), (1, 0, 2, 0, 59, 21), (1, 0, 2, 1, 39, 19), (1, 0, 2, 2, 10, 5),
    (1, 1, 0, 0, 60, 33), (1, 1, 0, 1, 38, 25), (1, 1, 0, 2, 32, 27), (1, 1, 1, 0, 37, 27), (1, 1, 1, 1, 34, 25), (1, 1, 1, 2, 41, 32),
    (1, 1, 2, 0, 38, 19), (1, 1, 2, 1, 60, 35), (1, 1, 2, 2, 44, 31), (1, 2, 0, 0, 4, 1), (1, 2, 0, 1, 21, 16), (1, 2, 0, 2, 41, 27),
    (1, 2, 1, 0, 9, 5), (1, 2, 1, 1, 20, 8), (1, 2, 1, 2, 5, 2), (1, 2, 2, 0, 44, 18), (1, 2, 2, 1, 5, 1), (1, 2, 2, 2, 15, 10),
]


def planted_columns():
    """The planted microdata as columns (sex as ISO/IEC 5218), with a numeric measure `hours`
    drawn here (seed 5218): a stratum-level pattern, a planted interaction and noise."""
    t = np.array(PLANTED)
    n = t[:, 4]
    starts = np.repeat(np.cumsum(n) - n, n)
    cols = {"sex": np.repeat(np.where(t[:, 0] == 0, 2, 1), n).astype(np.uint8),
            "age": np.repeat(t[:, 1], n).astype(np.uint8), "birth": np.repeat(t[:, 2], n).astype(np.uint8),
            "education": np.repeat(t[:, 3], n).astype(np.uint8),
            "in_work": ((np.arange(n.sum()) - starts) < np.repeat(t[:, 5], n)).astype(np.uint8)}
    rng = np.random.RandomState(5218)
    planted = (cols["sex"] == 2) & (cols["age"] == 0) & (cols["birth"] == 2) & (cols["education"] == 1)
    hours = (20 + 5.0 * cols["age"] - 3.0 * (cols["birth"] == 2) + 4.0 * cols["education"] - 2.0 * (cols["sex"] == 2)
             + 10.0 * planted + rng.normal(0, 3, len(planted)))
    cols["hours"] = np.round(hours, 2)
    return cols


def planted_aggregator():
    with jamstat.SchemaBuilder() as b:
        s = (b.dimension("age", [(0, "16–29"), (1, "30–49"), (2, "50–64")])
             .dimension("birth", [(0, "Sverige"), (1, "Europa utom Sverige"), (2, "Utanför Europa")])
             .dimension("education", [(0, "Förgymnasial"), (1, "Gymnasial"), (2, "Eftergymnasial")])
             .outcome("in_work", "I arbete", "In work")
             .numeric("hours", "h", "Timmar", "Hours").build())
    agg = jamstat.Aggregator(s)
    agg.add_batch(planted_columns())
    s.close()
    return agg


def test_maihda_logistic_against_lme4():
    with planted_aggregator() as agg, agg.maihda(["age", "birth", "education"], outcome="in_work") as m:
        # R (lme4 1.1.31): glmer(in_work ~ 1 + (1 | stratum), data = d, family = binomial): theta 0.73909830962856971
        assert m.null.theta == pytest.approx(0.73909830962856971, abs=1e-5)
        # glmer(in_work ~ sex + age + birth + education + (1 | stratum), ..., family = binomial): theta 0.34738252500937294
        assert m.additive.theta == pytest.approx(0.34738252500937294, abs=1e-4)
        assert m.null.between_variance == pytest.approx(m.null.theta ** 2, rel=1e-12)
        assert m.null.residual_variance == pytest.approx(math.pi ** 2 / 3, rel=1e-12)  # latent scale
        assert m.pcv == pytest.approx((m.null.between_variance - m.additive.between_variance) / m.null.between_variance, rel=1e-12)
        # AUC of the null model's stratum predictions (pROC / wilcox.test in R): 0.71240214446301953
        assert m.auc_null == pytest.approx(0.71240214446301953, abs=1e-9)
        assert not math.isnan(m.auc_additive)
        strata = m.additive.strata_frame()
        assert len(strata) == 54 and list(strata.columns[:5]) == ["label", "sex", "age", "birth", "education"]
        assert int(strata["participations"].sum()) == sum(r[4] for r in PLANTED)
        fixed = m.additive.fixed_effects_frame()
        assert fixed["term"].iloc[0] == "(Intercept)" and len(fixed) == 1 + 1 + 2 + 2 + 2
        # the planted interaction is the additive model's clearly non-zero stratum
        assert m.interactions
        top = m.interaction_strata()[0]
        assert top["clearly_nonzero"] == 1 and top["sex"] == 2 and top["age"] == 0  # sex level index 2: women
        assert "Kvinnor" in top["label"] and "Utanför Europa" in top["label"] and "Gymnasial" in top["label"]
        assert m.model("null") is m.null


# planted_reference.py, R 4.2.2 / lme4 1.1.31 on the microdata ("hours" drawn in planted_columns):
# lmer(hours ~ 1 + (1 | stratum), REML = TRUE) and lmer(hours ~ sex + age + birth + education + (1 | stratum), ...):
#   (theta, between variance, residual variance, REMLcrit or deviance)
LMER = {
    ("reml", "null"): (1.808231318267747, 31.030338922534959, 9.4902694968782377, 9719.2855010524108),
    ("reml", "additive"): (0.47276999003795095, 2.1168779119946821, 9.4710037643304847, 9573.2316109675467),
    ("ml", "null"): (1.7911028653036842, 30.445287673135542, 9.4902799719713329, 9720.5759489662378),
    ("ml", "additive"): (0.43516889133938319, 1.7923495603302879, 9.4647038694133947, 9574.2222629080516),
}


@pytest.mark.parametrize("criterion", ["reml", "ml"])
def test_maihda_linear_against_lmer(criterion):
    # docs/methods-intersectional.md: linear theta and variances within 1e-6 relative of lmer, criterion 1e-12
    with planted_aggregator() as agg, agg.maihda(["age", "birth", "education"], measure="hours", criterion=criterion) as m:
        for name, model in (("null", m.null), ("additive", m.additive)):
            theta, between, residual, crit = LMER[(criterion, name)]
            assert model.theta == pytest.approx(theta, rel=1e-6), name
            assert model.between_variance == pytest.approx(between, rel=1e-6), name
            assert model.residual_variance == pytest.approx(residual, rel=1e-6), name
            assert model.deviance == pytest.approx(crit, rel=1e-10), name
            assert model.vpc == pytest.approx(between / (between + residual), rel=1e-6)
        assert math.isnan(m.auc_null)  # no AUC for linear models
        top = m.interaction_strata()[0]  # the planted +10 h stratum
        assert (top["sex"], top["age"], top["birth"], top["education"]) == (2, 0, 2, 1)


def test_maihda_options_and_errors():
    with planted_aggregator() as agg:
        with agg.maihda(["age"], outcome="in_work", language="en", quadrature_nodes=5) as m:
            assert any("Women" in label for label in m.null.strata["label"])
        with pytest.raises(jamstat.InvalidArgumentError, match="out of range"):
            agg.maihda(["age"], outcome=3)
        with pytest.raises(ValueError, match="exactly one"):
            agg.maihda(["age"])
        with pytest.raises(ValueError, match="criterion"):
            agg.maihda(["age"], outcome="in_work", criterion="bayes")


def test_oaxaca_blinder_against_statsmodels():
    with planted_aggregator() as agg, agg.oaxaca(["age", "birth", "education"], outcome="in_work") as d:
        s = d.summary
        women = sum(r[4] for r in PLANTED if r[0] == 0)
        men = sum(r[4] for r in PLANTED if r[0] == 1)
        assert (s["women_participations"], s["men_participations"], s["other_sex_participations"]) == (women, men, 0)
        # planted_reference.py: statsmodels OaxacaBlinder(...).two_fold(two_fold_type="pooled"):
        #   gap -0.15531878031878033, explained -0.03317553105424607, unexplained -0.12214324926454016
        assert d.gap == pytest.approx(-0.15531878031878033, rel=1e-12)
        assert d.explained == pytest.approx(-0.03317553105424607, rel=1e-9)
        assert d.unexplained == pytest.approx(-0.12214324926454016, rel=1e-9)
        # three_fold() (men's coefficients): endowments -0.013960512321154637,
        #   coefficients -0.10870776603667204, interaction -0.032650501960959546
        assert d.endowments == pytest.approx(-0.013960512321154637, rel=1e-9)
        assert d.coefficients == pytest.approx(-0.10870776603667204, rel=1e-9)
        assert d.interaction == pytest.approx(-0.032650501960959546, rel=1e-9)
        assert d.gap_se > 0 and d.explained_se > 0
        terms = d.terms_frame()
        assert list(terms.columns[:3]) == ["characteristic", "level", "is_total"]
        rows = terms[terms["is_total"] == 0]  # the detailed terms add up to the parts
        assert len(rows) == 1 + 3 * 3 and list(rows["level"][1:4]) == ["16–29", "30–49", "50–64"]
        assert rows["explained_term"].sum() == pytest.approx(d.explained, abs=1e-12)
        assert rows["unexplained_term"].sum() == pytest.approx(d.unexplained, abs=1e-12)
        assert d.terms_records()[0]["characteristic"] == "(Intercept)"
    with planted_aggregator() as agg, agg.oaxaca(["age", "birth", "education"], outcome="in_work", nonlinear=True) as d:
        assert d.explained + d.unexplained == pytest.approx(d.gap, abs=1e-12)
        assert math.isnan(d.endowments)  # no threefold parts in Yun's logit decomposition
    with planted_aggregator() as agg, agg.oaxaca(["age", "birth", "education"], measure="hours") as d:
        # planted_reference.py: hours: statsmodels two_fold(pooled): gap 0.6056140332640396,
        #   explained 1.3674451434389678, unexplained -0.7618311101749533
        assert d.gap == pytest.approx(0.6056140332640396, rel=1e-9)
        assert d.explained == pytest.approx(1.3674451434389678, rel=1e-9)
        assert d.unexplained == pytest.approx(-0.7618311101749533, rel=1e-9)
    with planted_aggregator() as agg:
        with pytest.raises(ValueError, match="reference must be one of"):
            agg.oaxaca(["age"], outcome="in_work", reference="neumark")
        with agg.oaxaca("age", outcome="in_work", reference="men") as d:
            assert d.explained + d.unexplained == pytest.approx(d.gap, abs=1e-12)


def test_strata_report():
    with planted_aggregator() as agg, agg.strata_report(["age", "birth"]) as report:
        strata = report.strata()
        assert len(strata) == 9 and list(strata.columns) == ["stratum", "age", "age_code", "birth", "birth_code", "label"]
        assert strata["label"].iloc[8] == "50–64 · Utanför Europa"
        assert report.strata(language="en")["label"].iloc[0] == "16–29 · Sverige"
        f = report.findings()
        in_strata = f[(f["grouping_dimension"] == 0) & (f["kind"] == "outcome")]
        assert len(in_strata) == 9
        # a stratum's finding against direct counts of the planted table
        young_swedes = in_strata[in_strata["grouping_level"] == 0].iloc[0]
        women = [r for r in PLANTED if r[0] == 0 and r[1] == 0 and r[2] == 0]
        assert young_swedes["women_base"] == sum(r[4] for r in women)
        assert young_swedes["women_amount"] == sum(r[5] for r in women)
        assert report.strata_records()[8]["birth_code"] == 2
    with planted_aggregator() as agg:
        with agg.gap_report() as plain:
            with pytest.raises(ValueError, match="strata reports"):
                plain.strata()
        with pytest.raises(jamstat.InvalidArgumentError):
            agg.strata_report(["nope"])
