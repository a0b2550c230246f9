// The report model against the records themselves (distinct persons, participations, outcomes,
// hours counted directly from the synthetic data) and the protection seam's contract.
#include "jamstat/report/build_report.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "jamstat/analysis/proportions.hpp"
#include "jamstat/engine/errors.hpp"
#include "report_fixture.hpp"

namespace jamstat::report {
namespace {

using testing::report_data;

std::size_t column(const report_table& t, std::string_view id) {
  for (std::size_t k = 0; k < t.statistics.size(); ++k)
    if (t.statistics[k].id == id) return k;
  ADD_FAILURE() << "no column " << id;
  return 0;
}

// The records' own figures for one sex (code) and, optionally, one intervention.
struct direct_figures {
  std::uint64_t participations = 0, successes = 0, persons = 0;
  double hours = 0.0;
};
direct_figures direct(const synth::participations& p, int sex, int intervention = -1) {
  direct_figures out;
  std::set<std::uint32_t> persons;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (sex >= 0 && p.sex[i] != sex) continue;
    if (intervention >= 0 && p.intervention[i] != intervention) continue;
    ++out.participations;
    out.successes += p.outcome[i];
    out.hours += p.hours[i];
    persons.insert(p.person_id[i]);
  }
  out.persons = persons.size();
  return out;
}

TEST(BuildReport, OverviewMatchesTheRecords) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below()));
  const report_table* overview = m.table("overview");
  ASSERT_NE(overview, nullptr);
  ASSERT_EQ(overview->rows.size(), 1u);
  ASSERT_GE(m.sexes.size(), 4u);  // women, men, not known (present in the data), total
  EXPECT_EQ(m.sexes[0].label, "Kvinnor");
  EXPECT_EQ(m.sexes[1].label, "Män");
  EXPECT_EQ(m.sexes[2].code, 0);
  EXPECT_EQ(m.sexes.back().label, "Totalt");
  const std::vector<int> codes{2, 1, 0, -1};
  for (std::size_t s = 0; s < codes.size(); ++s) {
    const direct_figures f = direct(d.now_records, codes[s]);
    const auto& values = overview->rows[0].values[s];
    EXPECT_EQ(values[column(*overview, "persons")].value, double(f.persons)) << s;
    EXPECT_EQ(values[column(*overview, "participations")].value, double(f.participations)) << s;
    EXPECT_EQ(values[column(*overview, "in_work_or_studies.successes")].value, double(f.successes));
    const shown_value& prop = values[column(*overview, "in_work_or_studies.proportion")];
    EXPECT_NEAR(prop.value, 100.0 * double(f.successes) / double(f.participations), 1e-12);
    const analysis::interval ci = analysis::wilson_interval(f.successes, f.participations, 0.95);
    EXPECT_NEAR(prop.lower, 100.0 * ci.lower, 1e-12);
    EXPECT_NEAR(prop.upper, 100.0 * ci.upper, 1e-12);
    const shown_value& mean = values[column(*overview, "hours.mean")];
    EXPECT_NEAR(mean.value, f.hours / double(f.participations), 1e-9);
    EXPECT_LT(mean.lower, mean.value);
    EXPECT_GT(mean.upper, mean.value);
    EXPECT_NEAR(values[column(*overview, "hours.per_person")].value, f.hours / double(f.persons), 1e-9);
    EXPECT_EQ(prop.status, cell_status::published);
  }
}

TEST(BuildReport, TablesByDimensionMatchTheRecordsAndSuppressSmallCells) {
  const report_data& d = report_data::get();
  // The smallest (sex not known x intervention) cells of the data hold 9 persons: a threshold of
  // 10 suppresses some of them.
  constexpr std::uint64_t threshold = 10;
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below(threshold)));
  const report_table* t = m.table("by_intervention");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->rows.size(), 13u);  // 12 interventions and the total
  EXPECT_TRUE(t->rows.back().total);
  EXPECT_EQ(t->rows[2].labels[0], "Arbetspraktik");
  const std::size_t persons = column(*t, "persons"), prop = column(*t, "in_work_or_studies.proportion");
  bool saw_suppressed = false;
  for (std::uint32_t i = 0; i < 12; ++i) {
    for (std::size_t s = 0; s < 3; ++s) {
      const direct_figures f = direct(d.now_records, s == 0 ? 2 : s == 1 ? 1 : 0, static_cast<int>(i));
      const shown_value& v = t->rows[i].values[s][persons];
      if (f.persons > 0 && f.persons < threshold) {
        // The stand-in suppresses the count, and everything read from the cell with it.
        EXPECT_EQ(v.status, cell_status::primary);
        EXPECT_TRUE(std::isnan(v.value));
        EXPECT_EQ(t->rows[i].values[s][prop].status, cell_status::primary);
        EXPECT_TRUE(std::isnan(t->rows[i].values[s][prop].value));
        saw_suppressed = true;
      } else {
        EXPECT_EQ(v.status, cell_status::published);
        EXPECT_EQ(v.value, double(f.persons));
      }
    }
  }
  EXPECT_TRUE(saw_suppressed) << "the data should have small cells of sex not known";
  EXPECT_TRUE(m.any_suppressed);
  EXPECT_FALSE(m.any_perturbed);
}

TEST(BuildReport, EveryCellAskedAboutIsInAPublishedGrouping) {
  const report_data& d = report_data::get();
  std::set<std::uint64_t> asked;
  std::set<int> periods;
  report_protection spy = testing::test_stand_in_suppress_counts_below();
  const cell_protection inner = spy.cells;
  spy.cells = [&](const protection_query& q) {
    asked.insert(q.grouping_mask);
    periods.insert(static_cast<int>(q.period));
    EXPECT_EQ(q.levels.size(), static_cast<std::size_t>(__builtin_popcountll(q.grouping_mask)));
    return inner(q);
  };
  const report_input in = d.input(spy);
  const std::vector<std::uint64_t> published = published_groupings(in);
  build_report(in);
  for (const std::uint64_t mask : asked)
    EXPECT_NE(std::find(published.begin(), published.end(), mask), published.end()) << "mask " << mask;
  EXPECT_EQ(periods.size(), 2u);
  // The groupings include the total, sex, each dimension with and without sex, and the strata.
  for (const std::uint64_t mask : {0ull, 1ull, 2ull, 3ull, 16ull, 17ull, 6ull, 7ull})
    EXPECT_NE(std::find(published.begin(), published.end(), mask), published.end()) << "mask " << mask;
}

TEST(BuildReport, FindingsRestingOnASuppressedCellAreSuppressed) {
  const report_data& d = report_data::get();
  // Suppress exactly one cell: women in intervention 0 (mask sex + intervention, levels Kvinnor, 0).
  report_protection p;
  p.cells = [](const protection_query& q) {
    protection_decision decision{cell_status::published, q.figures};
    if (q.grouping_mask == (1u | (1u << 4)) && q.levels[0] == 2 && q.levels[1] == 0) decision.status = cell_status::primary;
    return decision;
  };
  const report_model m = build_report(d.input(p));
  std::size_t suppressed = 0, shown = 0;
  for (const report_finding& f : m.findings) {
    if (f.period != analysis::finding_period::current || f.grouping_dimension != 4) continue;
    const bool level0 = d.gap.findings[f.source].grouping_level == 0;
    if (level0 && f.kind != analysis::finding_kind::distribution_level) {
      EXPECT_EQ(f.status, cell_status::primary) << f.what;
      EXPECT_TRUE(std::isnan(f.women.value));
      EXPECT_TRUE(std::isnan(f.q_value));
      EXPECT_FALSE(f.clear);
      EXPECT_NE(f.verdict.find("skyddade"), std::string::npos);
      ++suppressed;
    } else if (!level0) {
      EXPECT_NE(f.status, cell_status::primary);
      ++shown;
    }
  }
  EXPECT_GT(suppressed, 0u);
  EXPECT_GT(shown, 0u);
  // The change of those gaps rests on that cell too.
  for (const report_finding& f : m.changes)
    if (f.grouping_dimension == 4 && d.gap.findings[f.source].grouping_level == 0 &&
        f.kind != analysis::finding_kind::distribution_level) {
      EXPECT_EQ(f.status, cell_status::primary);
    }
}

TEST(BuildReport, FindingCallbackSuppressesFindingsOnSmallStrata) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below(5)));
  std::size_t checked = 0;
  for (const report_finding& f : m.findings) {
    const analysis::finding& source = d.gap.findings[f.source];
    if (source.smallest_cell_persons > 0 && source.smallest_cell_persons < 5) {
      EXPECT_EQ(f.status, cell_status::primary);
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
}

TEST(BuildReport, FindingsAreSortedByImportance) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below()));
  ASSERT_FALSE(m.findings.empty());
  std::size_t clear = 0;
  while (clear < m.findings.size() && m.findings[clear].clear) ++clear;
  EXPECT_GT(clear, 0u);
  for (std::size_t i = clear; i < m.findings.size(); ++i) EXPECT_FALSE(m.findings[i].clear) << i;
  for (std::size_t i = 1; i < clear; ++i) EXPECT_LE(m.findings[i - 1].q_value, m.findings[i].q_value) << i;
  std::size_t total = 0;
  for (const analysis::finding& f : d.gap.findings) total += f.period != analysis::finding_period::change;
  EXPECT_EQ(m.findings.size(), total);
  ASSERT_FALSE(m.changes.empty());
  const auto with_gaps = std::find_if(m.changes.begin(), m.changes.end(), [](const report_finding& f) {
    return f.kind == analysis::finding_kind::outcome && f.grouping_dimension < 0 && !f.adjusted;
  });
  ASSERT_NE(with_gaps, m.changes.end());
  // The change is the current gap minus the previous one.
  EXPECT_NEAR(with_gaps->difference.value, with_gaps->gap_now.value - with_gaps->gap_before.value, 1e-9);
}

TEST(BuildReport, PerturbedValuesReplaceTheTrueOnes) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_perturb_counts()));
  EXPECT_TRUE(m.any_perturbed);
  const report_table* overview = m.table("overview");
  const direct_figures f = direct(d.now_records, 2);
  const auto& women = overview->rows[0].values[0];
  EXPECT_EQ(women[column(*overview, "persons")].value, double(f.persons + 1));
  EXPECT_EQ(women[column(*overview, "persons")].status, cell_status::perturbed);
  // The proportion is read from the shown (perturbed) participations.
  EXPECT_NEAR(women[column(*overview, "in_work_or_studies.proportion")].value,
              100.0 * double(f.successes) / double(f.participations + 1), 1e-12);
  EXPECT_EQ(women[column(*overview, "in_work_or_studies.proportion")].status, cell_status::perturbed);
}

TEST(BuildReport, InternalReportsAreLabelledAndNeverAskTheSeam) {
  const report_data& d = report_data::get();
  report_protection p = internal_use_only();
  bool asked = false;
  p.cells = [&](const protection_query& q) {
    asked = true;
    return protection_decision{cell_status::primary, q.figures};
  };
  const report_model m = build_report(d.input(p));
  EXPECT_FALSE(asked);
  EXPECT_TRUE(m.internal_use_only);
  EXPECT_FALSE(m.any_suppressed);
  for (const report_table& t : m.tables)
    for (const table_row& r : t.rows)
      for (const auto& by_sex : r.values)
        for (const shown_value& v : by_sex) ASSERT_EQ(v.status, cell_status::internal);
  for (const report_finding& f : m.findings) ASSERT_EQ(f.status, cell_status::internal);
  EXPECT_NE(m.protection_note.find("internt bruk"), std::string::npos);
}

TEST(BuildReport, RefusesUnprotectedAndMalformedInput) {
  const report_data& d = report_data::get();
  EXPECT_THROW(build_report(d.input(report_protection{})), usage_error);  // protected by default
  report_input in = d.input(testing::test_stand_in_suppress_counts_below());
  in.current = nullptr;
  EXPECT_THROW(build_report(in), usage_error);
  in = d.input(testing::test_stand_in_suppress_counts_below());
  in.table_dimensions = {"shoe_size"};
  EXPECT_THROW(build_report(in), usage_error);
  in = d.input(testing::test_stand_in_suppress_counts_below());
  in.table_dimensions = {"sex"};
  EXPECT_THROW(build_report(in), usage_error);
  in = d.input(testing::test_stand_in_suppress_counts_below());
  in.maihda[0].linear = nullptr;
  in.maihda[0].logistic = nullptr;
  EXPECT_THROW(build_report(in), usage_error);
  in = d.input(testing::test_stand_in_suppress_counts_below());
  in.confidence_level = 1.0;
  EXPECT_THROW(build_report(in), usage_error);
  in = d.input(testing::test_stand_in_suppress_counts_below());
  const aggregator other(synth::participation_schema(measure_kind::floating));
  in.previous = &other;
  EXPECT_THROW(build_report(in), usage_error);
  // A seam may not claim a report is internal.
  in = d.input(testing::test_stand_in_suppress_counts_below());
  in.protection.cells = [](const protection_query& q) { return protection_decision{cell_status::internal, q.figures}; };
  EXPECT_THROW(build_report(in), usage_error);
}

TEST(BuildReport, EnglishLabels) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below(), language::en));
  EXPECT_EQ(m.sexes[0].label, "Women");
  EXPECT_EQ(m.sexes[1].label, "Men");
  EXPECT_EQ(m.sexes.back().label, "Total");
  EXPECT_EQ(m.table("by_intervention")->rows[2].labels[0], "Work-experience placement");
  EXPECT_EQ(m.table("by_intervention")->rows.back().labels[0], "Total");
  EXPECT_EQ(m.title, "Gender equality report 2025");
  ASSERT_FALSE(m.findings.empty());
  EXPECT_EQ(m.findings[0].verdict, d.gap.findings[m.findings[0].source].verdict_en);
}

TEST(BuildReport, IntersectionalViews) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below()));
  ASSERT_TRUE(m.strata_heat_map);
  const heat_map& h = *m.strata_heat_map;
  EXPECT_EQ(h.row_labels.size(), 6u);     // age bands
  EXPECT_EQ(h.column_labels.size(), 3u);  // regions of birth
  std::size_t present = 0;
  for (const heat_cell& c : h.cells) {
    if (!c.present || is_suppressed(c.gap.status)) continue;
    ++present;
    EXPECT_NEAR(c.gap.value, c.women.value - c.men.value, 1e-9);
  }
  EXPECT_GT(present, 10u);
  // The strata table is a published table too.
  ASSERT_NE(m.table("strata"), nullptr);
  EXPECT_EQ(m.table("strata")->rows.size(), 6u * 3u + 1u);

  ASSERT_EQ(m.maihda.size(), 1u);
  const maihda_view& v = m.maihda[0];
  EXPECT_TRUE(v.logistic);
  EXPECT_EQ(v.strata.size(), d.maihda.null_model.strata.size());
  EXPECT_DOUBLE_EQ(v.vpc_null, d.maihda.null_model.vpc);
  EXPECT_DOUBLE_EQ(v.pcv, d.maihda.pcv);
  for (std::size_t i = 1; i < v.strata.size(); ++i)
    if (!std::isnan(v.strata[i].predicted.value)) {
      EXPECT_GE(v.strata[i - 1].predicted.value, v.strata[i].predicted.value);
    }

  ASSERT_TRUE(m.decomposition);
  const decomposition_view& dv = *m.decomposition;
  EXPECT_EQ(dv.first_group, "Kvinnor");
  EXPECT_NEAR(dv.gap.value, 100.0 * d.decomposition.gap, 1e-9);
  EXPECT_NEAR(dv.explained.value + dv.unexplained.value, dv.gap.value, 1e-9);
  EXPECT_EQ(dv.characteristics.size(), 2u);
  EXPECT_EQ(dv.characteristics[0].label, "Åldersgrupp");
}

TEST(BuildReport, DataQuality) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below()));
  EXPECT_TRUE(m.quality.has_ingestion);
  EXPECT_EQ(m.quality.rows_read, d.now_records.size() + 3);
  EXPECT_EQ(m.quality.rows_rejected, 3u);
  EXPECT_EQ(m.quality.rejected[0].label, "Ogiltigt personnummer");
  EXPECT_EQ(m.quality.participations, d.now_records.size());
  ASSERT_EQ(m.quality.rounded.size(), 1u);  // hours is a decimal measure
  EXPECT_EQ(m.quality.rounded[0].values, 0u);
  EXPECT_TRUE(m.quality.persons_counted);
}

}  // namespace
}  // namespace jamstat::report
