// Benjamini-Hochberg and Holm against R's p.adjust.
#include "jamstat/analysis/multiple_testing.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jamstat/engine/errors.hpp"
#include "reference_values.hpp"

namespace jamstat::analysis {
namespace {

using testing::close;
using testing::r;

TEST(MultipleTesting, MatchesPAdjustWithTiesAndNA) {
  const char* text = "c(0.01, 0.04, 0.03, 0.005, 0.5, NA, 0.04, 0.2, 1, 0.0001)";
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005, 0.5, testing::kNaN, 0.04, 0.2, 1, 0.0001};
  const std::vector<double> bh = benjamini_hochberg(p), hm = holm(p);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const std::string at = "[" + std::to_string(i + 1) + "]";
    // R: p.adjust(p, 'BH'), p.adjust(p, 'holm')
    EXPECT_TRUE(close(bh[i], r(std::string("p.adjust(") + text + ", 'BH')" + at), 1e-15)) << i;
    EXPECT_TRUE(close(hm[i], r(std::string("p.adjust(") + text + ", 'holm')" + at), 1e-15)) << i;
  }
  EXPECT_TRUE(std::isnan(bh[5]));
}

TEST(MultipleTesting, MatchesPAdjustOnRandomPValues) {
  // runif(25)^3 with set.seed(7), as written by r_reference.R
  const std::vector<std::string> calls = [] {
    std::vector<std::string> out;
    for (const auto& v : testing::r_values()) {
      const std::string c(v.call);
      if (c.rfind("p.adjust(c(", 0) == 0 && c.find("'BH')[1]") != std::string::npos && c.find("NA") == std::string::npos) {
        out.push_back(c);
      }
    }
    return out;
  }();
  ASSERT_EQ(calls.size(), 1u);
  const std::string vector_text = calls[0].substr(9, calls[0].find(", 'BH')") - 9);
  const std::vector<double> p = testing::numbers_in(vector_text);
  ASSERT_EQ(p.size(), 25u);
  std::vector<double> q(p.size());
  benjamini_hochberg(p, q);
  const std::vector<double> hm = holm(p);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const std::string at = "[" + std::to_string(i + 1) + "]";
    EXPECT_TRUE(close(q[i], r("p.adjust(" + vector_text + ", 'BH')" + at), 1e-15));
    EXPECT_TRUE(close(hm[i], r("p.adjust(" + vector_text + ", 'holm')" + at), 1e-15));
  }
  // In place.
  std::vector<double> in_place = p;
  benjamini_hochberg(in_place, in_place);
  EXPECT_EQ(in_place, q);
}

TEST(MultipleTesting, EdgesAndBadInput) {
  EXPECT_TRUE(benjamini_hochberg(std::vector<double>{}).empty());
  EXPECT_EQ(benjamini_hochberg(std::vector<double>{0.03}), std::vector<double>{0.03});
  EXPECT_EQ(holm(std::vector<double>{0.03}), std::vector<double>{0.03});
  std::vector<double> out(1);
  const std::vector<double> two{0.1, 0.2};
  EXPECT_THROW(benjamini_hochberg(two, out), usage_error);
  const std::vector<double> bad{0.1, 1.5};
  EXPECT_THROW(holm(bad), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
