"""jamstat's roll-ups against pandas on the canonical synthetic data set (`jamstat generate`,
seed 5218): the same records through pandas' groupby are the independent reference.

Reference calls (pandas 1.5.3, numpy 1.24, /usr/bin/python3):
  df.groupby(keys).size()                       participations
  df.groupby(keys)["person_id"].nunique()       distinct persons
  df.groupby(keys)["outcome"].sum() / .mean()   successes, proportion
  df.groupby(keys)["hours"].mean() / .var()     mean, sample variance (ddof=1)
  df.groupby(keys)["hours"].min() / .max() / .sum()
Counts must be equal; means and variances within 1e-9 relative (the decimal measure's are exact
rationals rounded once, pandas' are floating sums), as shared/peers/verify.py requires.
"""
import itertools

import numpy as np
import pandas as pd
import pytest

import jamstat
from conftest import TEST_KEY, participation_schema

DIMS = ["sex", "age_band", "birth_region", "education", "intervention"]


def frame(data):
    return pd.DataFrame({k: data[k] for k in ("person_id", "sex", "age_band", "birth_region", "education",
                                              "intervention", "outcome", "hours")})


def aggregate(data, kind="decimal", chunks=1):
    schema = participation_schema(kind)
    agg = jamstat.Aggregator(schema, person_key=TEST_KEY)
    schema.close()
    n = len(data["sex"])
    bounds = np.linspace(0, n, chunks + 1).astype(int)
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        part = {k: v[lo:hi] for k, v in data.items()}
        r = agg.add_batch(part, rename={"in_work_or_studies": "outcome"})
        assert r.rejected == 0 and r.copied_columns == []  # the raw columns' dtypes are the C ABI's: zero-copy
    return agg


def reference(df, keys):
    g = df.groupby(keys, sort=True)
    ref = pd.DataFrame({
        "participations": g.size(),
        "persons": g["person_id"].nunique(),
        "successes": g["outcome"].sum(),
        "proportion": g["outcome"].mean(),
        "mean": g["hours"].mean(),
        "variance": g["hours"].var(ddof=1),
        "min": g["hours"].min(),
        "max": g["hours"].max(),
        "sum": g["hours"].sum(),
    })
    return ref


def ours(table, keys):
    cols = table.columns(order="table")
    index = pd.MultiIndex.from_arrays([cols["level_codes"][i] for i in range(len(keys))], names=keys) \
        if len(keys) > 1 else pd.Index(cols["level_codes"][0], name=keys[0])
    m = cols["measures"][0]
    return pd.DataFrame({
        "participations": cols["participations"].astype(np.int64),
        "persons": cols["persons"].astype(np.int64),
        "successes": cols["successes"][0].astype(np.int64),
        "proportion": cols["successes"][0] / cols["participations"],
        "mean": m["mean"], "variance": m["variance"], "min": m["min"], "max": m["max"], "sum": m["sum"],
    }, index=index).sort_index()


def compare(mine, ref):
    assert list(mine.index) == list(ref.index)
    for c in ("participations", "persons", "successes"):
        assert (mine[c].to_numpy() == ref[c].to_numpy()).all(), c
    for c in ("min", "max"):
        assert (mine[c].to_numpy() == ref[c].to_numpy()).all(), c
    for c in ("proportion", "mean", "variance", "sum"):
        np.testing.assert_allclose(mine[c].to_numpy(), ref[c].to_numpy(), rtol=1e-9, atol=0, err_msg=c)


@pytest.fixture(scope="module")
def df(synthetic):
    return frame(synthetic)


@pytest.mark.parametrize("kind", ["decimal", "floating"])
def test_sex_by_intervention_matches_pandas(synthetic, df, kind):
    with aggregate(synthetic, kind) as agg, agg.rollup(["intervention"]) as t:
        assert [d.name for d in t.dimensions] == ["sex", "intervention"]
        compare(ours(t, ["sex", "intervention"]), reference(df, ["sex", "intervention"]))
        # the DataFrame: labels in reporting order (Kvinnor, Män, Okänt), per intervention
        out = t.to_pandas(codes=True)
        assert list(out["sex"].cat.categories[:3]) == ["Kvinnor", "Män", "Okänt"]
        assert out["sex"].iloc[0] == "Kvinnor" and out["sex"].iloc[-1] == "Okänt"
        assert out["sex"].is_monotonic_increasing
        women = out[out["sex"] == "Kvinnor"].set_index("intervention_code")
        ref = reference(df[df["sex"] == 2], ["intervention"])
        assert (women["participations"].to_numpy() == ref["participations"].to_numpy()).all()
        np.testing.assert_allclose(women["hours_variance"].to_numpy(), ref["variance"].to_numpy(), rtol=1e-9)
        np.testing.assert_allclose(women["in_work_or_studies_proportion"].to_numpy(), ref["proportion"].to_numpy(), rtol=1e-12)
        en = t.to_pandas(language="en")
        assert list(en["sex"].cat.categories[:2]) == ["Women", "Men"] and en["sex"].iloc[0] == "Women"


def test_every_grouping_of_the_cube_matches_pandas(synthetic, df):
    with aggregate(synthetic, chunks=3) as agg, agg.cube() as cube:
        assert len(cube) == 32
        for r in range(1, len(DIMS) + 1):
            for keys in itertools.combinations(DIMS, r):
                with cube.table(*keys) as t:
                    compare(ours(t, list(keys)), reference(df, list(keys)))
        with cube.table(0) as total:
            rec = total.to_records()[0]
            assert rec["participations"] == len(df) and rec["persons"] == df["person_id"].nunique()
            assert rec["hours_variance"] == pytest.approx(df["hours"].var(), rel=1e-12)


def test_summary_totals_match_pandas(synthetic, df):
    with aggregate(synthetic) as agg:
        s = agg.summary(["intervention"])
        assert list(s.columns[:2]) == ["sex", "intervention"]
        assert list(s["sex"].cat.categories) == ["Kvinnor", "Män", "Okänt", "Ej tillämpligt", "Totalt"]
        # per intervention: Kvinnor, Män, Okänt, then Totalt; the last block is every intervention
        first = s[s["intervention"] == s["intervention"].iloc[0]]
        assert list(first["sex"]) == ["Kvinnor", "Män", "Okänt", "Totalt"]
        totals = s[(s["sex"] == "Totalt") & (s["intervention"] != "Totalt")]
        ref = reference(df, ["intervention"])
        assert (totals["participations"].to_numpy() == ref["participations"].to_numpy()).all()
        assert (totals["persons"].to_numpy() == ref["persons"].to_numpy()).all()
        np.testing.assert_allclose(totals["hours_mean"].to_numpy(), ref["mean"].to_numpy(), rtol=1e-9)
        by_sex = s[s["intervention"] == "Totalt"]
        ref = reference(df, ["sex"])
        assert list(by_sex["sex"]) == ["Kvinnor", "Män", "Okänt", "Totalt"]
        assert list(by_sex["persons"][:3]) == list(ref.loc[[2, 1, 0], "persons"])
        grand = s.iloc[-1]
        assert grand["sex"] == "Totalt" and grand["intervention"] == "Totalt"
        assert grand["participations"] == len(df) and grand["persons"] == df["person_id"].nunique()


def test_merged_halves_and_a_reloaded_state_equal_the_whole(synthetic, df, tmp_path):
    n = len(df)
    half = {k: v[: n // 2] for k, v in synthetic.items()}
    rest = {k: v[n // 2:] for k, v in synthetic.items()}
    with aggregate(synthetic) as whole, aggregate(half) as a, aggregate(rest) as b:
        b.save(tmp_path / "b.jamstat")
        with jamstat.merge(a, tmp_path / "b.jamstat") as merged, merged.rollup(["intervention"]) as t:
            compare(ours(t, ["sex", "intervention"]), reference(df, ["sex", "intervention"]))
            assert merged.serialize() == whole.serialize()  # decimal hours: the exact same state


def test_parallel_ingestion_one_aggregator_per_thread_then_merge(synthetic):
    # The documented way to use several cores: ctypes releases the GIL inside the library, each
    # thread fills its own aggregator, then they are merged. Decimal hours: the exact same state.
    import threading
    n = len(synthetic["sex"])
    bounds = np.linspace(0, n, 5).astype(int)
    parts = [None] * 4

    def work(k):
        parts[k] = aggregate({c: v[bounds[k]:bounds[k + 1]] for c, v in synthetic.items()})

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with aggregate(synthetic) as whole, parts[0] as merged:
        merged.merge(*parts[1:])
        assert merged.serialize() == whole.serialize()
    for p in parts[1:]:
        p.close()
