// MAIHDA strata and Oaxaca-Blinder cells from the engine: the synthetic participation data set
// aggregated, rolled up to sex × age band × birth region × education, and the strata checked
// against the records themselves.
#include "jamstat/analysis/intersectional_rollup.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "jamstat/analysis/maihda_linear.hpp"
#include "jamstat/analysis/maihda_logistic.hpp"
#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat::analysis {
namespace {

struct record_sums {
  std::uint64_t n = 0, k = 0;
  double sum = 0.0;
  std::vector<double> hours;
};

class IntersectionalRollup : public ::testing::Test {
 protected:
  void SetUp() override {
    p_ = synth::generate(20000);
    schema_ = synth::participation_schema();
    aggregator agg(schema_, {});
    column_batch b = synth::as_batch(p_);
    b.persons = std::monostate{};  // this aggregator does not count persons
    agg.add_batch(b);
    table_ = std::make_unique<rollup_table>(
        rollup(agg, grouping_set::of(*schema_, {"age_band", "birth_region", "education"})));
    for (std::size_t i = 0; i < p_.size(); ++i) {
      const std::vector<std::uint32_t> key{static_cast<std::uint32_t>(*schema_->dimensions()[0].index_of(p_.sex[i])),
                                           p_.age_band[i], p_.birth_region[i], p_.education[i]};
      record_sums& r = records_[key];
      ++r.n;
      r.k += p_.outcome[i];
      r.sum += p_.hours[i];
      r.hours.push_back(p_.hours[i]);
    }
  }
  synth::participations p_;
  std::shared_ptr<const schema> schema_;
  std::unique_ptr<rollup_table> table_;
  std::map<std::vector<std::uint32_t>, record_sums> records_;
};

TEST_F(IntersectionalRollup, MaihdaStrataAreTheRecordsOfEachStratum) {
  const maihda_measure_input hours = maihda_measure_strata(*schema_, *table_, 0);
  const maihda_outcome_input work = maihda_outcome_strata(*schema_, *table_, 0);
  ASSERT_EQ(hours.dimensions.size(), 4u);
  EXPECT_EQ(hours.dimensions[0].name, "sex");
  EXPECT_EQ(hours.dimensions[0].level_labels[2], "Kvinnor");
  EXPECT_EQ(hours.strata.size(), records_.size());
  ASSERT_EQ(work.strata.size(), records_.size());
  for (std::size_t j = 0; j < hours.strata.size(); ++j) {
    const record_sums& r = records_.at(hours.strata[j].levels);
    EXPECT_EQ(hours.strata[j].participations, r.n);
    const double mean = r.sum / static_cast<double>(r.n);
    double ss = 0.0;
    for (double h : r.hours) ss += (h - mean) * (h - mean);
    EXPECT_NEAR(hours.strata[j].mean, mean, 1e-12 * std::abs(mean));
    EXPECT_NEAR(hours.strata[j].within_ss, ss, 1e-9 * ss + 1e-9);
    EXPECT_EQ(work.strata[j].levels, hours.strata[j].levels);
    EXPECT_EQ(work.strata[j].successes, r.k);
  }
  // The fits run on the engine's strata (sex codes 0 and 2 present in these data: both are strata).
  const maihda_linear_result lin = fit_maihda_linear(hours.dimensions, hours.strata);
  EXPECT_GT(lin.null_model.between_variance, 0.0);
  EXPECT_EQ(lin.null_model.strata.size(), records_.size());
  const maihda_logistic_result log = fit_maihda_logistic(work.dimensions, work.strata);
  EXPECT_GT(log.auc_null, 0.5);
  const maihda_measure_input english = maihda_measure_strata(*schema_, *table_, 0, true);
  EXPECT_EQ(english.dimensions[0].level_labels[2], "Women");
}

TEST_F(IntersectionalRollup, OaxacaCellsSplitWomenAndMen) {
  const oaxaca_measure_cells hours = oaxaca_measure_cells_from(*schema_, *table_, 0);
  ASSERT_EQ(hours.design.characteristics.size(), 3u);
  EXPECT_EQ(hours.design.characteristics[0].name, "age_band");
  std::uint64_t women = 0, men = 0, other = 0;
  for (std::size_t i = 0; i < p_.size(); ++i) (p_.sex[i] == 2 ? women : p_.sex[i] == 1 ? men : other) += 1;
  std::uint64_t cell_women = 0, cell_men = 0;
  for (const measure_stratum& c : hours.women) cell_women += c.participations;
  for (const measure_stratum& c : hours.men) cell_men += c.participations;
  EXPECT_EQ(cell_women, women);
  EXPECT_EQ(cell_men, men);
  EXPECT_EQ(hours.other_sex_participations, other);
  EXPECT_GT(other, 0u);
  const oaxaca_outcome_cells work = oaxaca_outcome_cells_from(*schema_, *table_, 0);
  EXPECT_EQ(work.women.size(), hours.women.size());
  // The decomposition's group means are the records' means.
  const regression_moments w = moments_from_cells(hours.design, hours.women);
  const regression_moments m = moments_from_cells(hours.design, hours.men);
  double women_hours = 0.0;
  for (std::size_t i = 0; i < p_.size(); ++i)
    if (p_.sex[i] == 2) women_hours += p_.hours[i];
  EXPECT_NEAR(w.y_mean, women_hours / static_cast<double>(women), 1e-12 * w.y_mean);
  const oaxaca_blinder_result r = oaxaca_blinder(hours.design, w, m);
  EXPECT_NEAR(r.gap, w.y_mean - m.y_mean, 1e-12);
}

TEST_F(IntersectionalRollup, BadArgumentsAreRejected) {
  EXPECT_THROW(maihda_measure_strata(*schema_, *table_, 1), usage_error);
  EXPECT_THROW(maihda_outcome_strata(*schema_, *table_, 1), usage_error);
  aggregator agg(schema_, {});
  column_batch b = synth::as_batch(p_, 0, 1000);
  b.persons = std::monostate{};
  agg.add_batch(b);
  const rollup_table no_sex = rollup(agg, grouping_set::of(*schema_, {"age_band"}, sex_grouping::drop));
  EXPECT_THROW(oaxaca_measure_cells_from(*schema_, no_sex, 0), usage_error);
  const rollup_table only_sex = rollup(agg, grouping_set::of(*schema_, {}));
  EXPECT_THROW(oaxaca_outcome_cells_from(*schema_, only_sex, 0), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
