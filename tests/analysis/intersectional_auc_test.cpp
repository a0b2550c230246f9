#include "jamstat/analysis/intersectional_auc.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis {
namespace {

// R: p <- c(rep(0.1, 4), rep(0.5, 4), 0.5, rep(0.9, 4)); y <- c(1,0,0,0, 1,1,0,0, 1, 1,1,1,0)
//    wilcox.test(p[y == 1], p[y == 0], exact = FALSE)$statistic / (7 * 6)  ->  0.7142857142857143 (= 30/42)
TEST(StrataAuc, MatchesWilcoxonWithTies) {
  const std::vector<scored_stratum> strata{{0.1, 1, 3}, {0.5, 2, 2}, {0.5, 1, 0}, {0.9, 3, 1}};
  EXPECT_DOUBLE_EQ(strata_auc(strata), 30.0 / 42.0);
  // Order and strata without participations do not matter.
  const std::vector<scored_stratum> shuffled{{0.9, 3, 1}, {0.2, 0, 0}, {0.5, 1, 0}, {0.1, 1, 3}, {0.5, 2, 2}};
  EXPECT_DOUBLE_EQ(strata_auc(shuffled), 30.0 / 42.0);
}

TEST(StrataAuc, OneStratumOrEqualPredictionsGiveOneHalf) {
  EXPECT_DOUBLE_EQ(strata_auc(std::vector<scored_stratum>{{0.3, 5, 7}}), 0.5);
  EXPECT_DOUBLE_EQ(strata_auc(std::vector<scored_stratum>{{0.3, 5, 7}, {0.3, 1, 9}}), 0.5);
  EXPECT_DOUBLE_EQ(strata_auc(std::vector<scored_stratum>{{0.2, 0, 4}, {0.8, 6, 0}}), 1.0);
  EXPECT_DOUBLE_EQ(strata_auc(std::vector<scored_stratum>{{0.8, 0, 4}, {0.2, 6, 0}}), 0.0);
}

// Against the definition: every (success, failure) pair of participations, O(N²).
TEST(StrataAuc, MatchesAllPairsOfParticipations) {
  std::mt19937_64 rng(5218);
  std::uniform_int_distribution<int> count(0, 12), level(0, 9);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<scored_stratum> strata;
    for (int i = 0; i < 15; ++i)
      strata.push_back({0.1 * level(rng), static_cast<std::uint64_t>(count(rng)), static_cast<std::uint64_t>(count(rng))});
    strata.push_back({0.05, 1, 1});
    double pairs = 0.0, wins = 0.0;
    for (const auto& a : strata)
      for (const auto& b : strata) {
        const double n = static_cast<double>(a.successes) * static_cast<double>(b.failures);
        pairs += n;
        wins += a.prediction > b.prediction ? n : a.prediction == b.prediction ? 0.5 * n : 0.0;
      }
    EXPECT_NEAR(strata_auc(strata), wins / pairs, 1e-15);
  }
}

TEST(StrataAuc, RejectsDegenerateInput) {
  EXPECT_THROW(strata_auc(std::vector<scored_stratum>{{0.1, 0, 3}, {0.4, 0, 2}}), usage_error);
  EXPECT_THROW(strata_auc(std::vector<scored_stratum>{{0.1, 3, 0}}), usage_error);
  EXPECT_THROW(strata_auc(std::vector<scored_stratum>{}), usage_error);
  EXPECT_THROW(strata_auc(std::vector<scored_stratum>{{std::nan(""), 1, 1}}), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
