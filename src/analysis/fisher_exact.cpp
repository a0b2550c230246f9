// Fisher's exact test (2x2, with the conditional MLE odds ratio) and the Fisher-Freeman-Halton test.
#include "jamstat/analysis/fisher_exact.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <boost/math/tools/roots.hpp>

#include "numeric.hpp"

namespace jamstat::analysis {

using detail::as_double;
using detail::inf;
using detail::nan;

namespace {

// R's fisher.test compares probabilities with a relative tolerance of 1e-7.
const double log_relative_tolerance = std::log1p(1e-7);

// The distribution of the top-left cell of a 2x2 table given its margins, at odds ratio exp(theta)
// (Fisher's noncentral hypergeometric): P(s) proportional to C(m, s) C(n, k - s) exp(theta s).
class noncentral_hypergeometric {
 public:
  noncentral_hypergeometric(std::uint64_t m, std::uint64_t n, std::uint64_t k)
      : lo_(k > n ? k - n : 0), hi_(std::min(k, m)), log_dc_(static_cast<std::size_t>(hi_ - lo_) + 1),
        density_(log_dc_.size()) {
    // log C(m, s) C(n, k - s) up to a constant, by the ratio of successive terms (one rounding per
    // step, far more accurate than differences of lgamma values of large arguments).
    log_dc_[0] = 0.0;
    for (std::uint64_t s = lo_; s < hi_; ++s) {
      const double up = as_double(m - s) * as_double(k - s);
      const double down = as_double(s + 1) * as_double(n - k + s + 1);
      log_dc_[s - lo_ + 1] = log_dc_[s - lo_] + std::log(up) - std::log(down);
    }
  }
  std::uint64_t lo() const { return lo_; }
  std::uint64_t hi() const { return hi_; }

  // Normalized probabilities at log odds ratio theta (R's dnhyper).
  const std::vector<double>& density(double theta) {
    double top = -inf;
    for (std::size_t i = 0; i < log_dc_.size(); ++i) top = std::max(top, log_dc_[i] + theta * as_double(lo_ + i));
    double total = 0.0;
    for (std::size_t i = 0; i < log_dc_.size(); ++i) {
      density_[i] = std::exp(log_dc_[i] + theta * as_double(lo_ + i) - top);
      total += density_[i];
    }
    for (double& d : density_) d /= total;
    return density_;
  }
  double mean(double theta) {
    const auto& d = density(theta);
    double mu = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i) mu += as_double(lo_ + i) * d[i];
    return mu;
  }
  // P(X <= x) at theta.
  double lower_tail(std::uint64_t x, double theta) {
    const auto& d = density(theta);
    double p = 0.0;
    for (std::uint64_t s = lo_; s <= x; ++s) p += d[s - lo_];
    return p;
  }
  // P(X >= x) at theta.
  double upper_tail(std::uint64_t x, double theta) {
    const auto& d = density(theta);
    double p = 0.0;
    for (std::uint64_t s = x; s <= hi_; ++s) p += d[s - lo_];
    return p;
  }

 private:
  std::uint64_t lo_, hi_;
  std::vector<double> log_dc_;
  std::vector<double> density_;
};

// Root of a monotone f(theta) - target: bracket by doubling from [-1, 1], then TOMS 748 to full
// precision. Returns -inf / +inf if the root lies beyond any finite bracket (cannot happen for
// interior observations, kept as a guard).
template <class F>
double solve_monotone(F f) {
  double a = -1.0, b = 1.0;
  double fa = f(a), fb = f(b);
  for (int i = 0; i < 60 && fa * fb > 0; ++i) {
    // Move the end whose sign matches the far side; f is monotone so one direction brackets.
    if (std::fabs(fa) < std::fabs(fb)) { b = a; fb = fa; a *= 2.0; fa = f(a); }
    else { a = b; fa = fb; b *= 2.0; fb = f(b); }
  }
  if (fa == 0) return a;
  if (fb == 0) return b;
  if (fa * fb > 0) return std::fabs(fa) < std::fabs(fb) ? -inf : inf;
  std::uintmax_t iterations = 200;
  const auto r = boost::math::tools::toms748_solve(f, a, b, fa, fb, boost::math::tools::eps_tolerance<double>(50),
                                                   iterations);
  return (r.first + r.second) / 2.0;
}

}  // namespace

fisher_2x2_result fisher_exact_2x2(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d,
                                   double confidence_level) {
  detail::check_confidence_level(confidence_level, "fisher_exact_2x2");
  if (a + b + c + d == 0) throw usage_error("fisher_exact_2x2: the table is empty (all four counts are 0)");
  // R's names: m, n the column totals, k the first row's total, x the top-left cell.
  const std::uint64_t m = a + c, n = b + d, k = a + b, x = a;
  noncentral_hypergeometric h(m, n, k);
  const std::uint64_t lo = h.lo(), hi = h.hi();

  // Two-sided p at odds ratio 1.
  const std::vector<double>& d1 = h.density(0.0);
  const double bound = d1[x - lo] * (1.0 + 1e-7);
  double p = 0.0;
  for (double v : d1) if (v <= bound) p += v;
  p = std::min(1.0, p);

  // Conditional MLE: the odds ratio at which E[X] = x.
  double mle;
  if (x == lo) mle = 0.0;
  else if (x == hi) mle = inf;
  else mle = std::exp(solve_monotone([&](double t) { return h.mean(t) - as_double(x); }));

  const double alpha = (1.0 - confidence_level) / 2.0;
  const double lower = x == lo ? 0.0 : std::exp(solve_monotone([&](double t) { return h.upper_tail(x, t) - alpha; }));
  const double upper = x == hi ? inf : std::exp(solve_monotone([&](double t) { return alpha - h.lower_tail(x, t); }));
  return {p, {mle, {lower, upper}, nan}};
}

namespace {

// A table with its empty rows and columns removed, columns no more than rows.
struct reduced_table {
  std::size_t rows = 0, columns = 0;
  std::vector<std::uint64_t> cells;  // row-major
  std::vector<std::uint64_t> row_sums, column_sums;
  std::uint64_t total = 0;
};

reduced_table reduce(std::span<const std::uint64_t> counts, std::size_t rows, std::size_t columns) {
  std::vector<std::uint64_t> rs(rows, 0), cs(columns, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < columns; ++j) {
      rs[i] += counts[i * columns + j];
      cs[j] += counts[i * columns + j];
    }
  }
  std::vector<std::size_t> keep_r, keep_c;
  for (std::size_t i = 0; i < rows; ++i) if (rs[i] > 0) keep_r.push_back(i);
  for (std::size_t j = 0; j < columns; ++j) if (cs[j] > 0) keep_c.push_back(j);
  const bool transpose = keep_c.size() > keep_r.size();
  reduced_table t;
  t.rows = transpose ? keep_c.size() : keep_r.size();
  t.columns = transpose ? keep_r.size() : keep_c.size();
  t.cells.resize(t.rows * t.columns);
  for (std::size_t i = 0; i < keep_r.size(); ++i) {
    for (std::size_t j = 0; j < keep_c.size(); ++j) {
      const std::uint64_t v = counts[keep_r[i] * columns + keep_c[j]];
      if (transpose) t.cells[j * t.columns + i] = v; else t.cells[i * t.columns + j] = v;
    }
  }
  t.row_sums.assign(t.rows, 0);
  t.column_sums.assign(t.columns, 0);
  for (std::size_t i = 0; i < t.rows; ++i) {
    for (std::size_t j = 0; j < t.columns; ++j) {
      t.row_sums[i] += t.cells[i * t.columns + j];
      t.column_sums[j] += t.cells[i * t.columns + j];
      t.total += t.cells[i * t.columns + j];
    }
  }
  return t;
}

// The largest possible sum of -log(x_j!) over one row of total `amount` with x_j <= caps[j]: the
// row spread as evenly as the caps allow (-log x! is concave). `caps` sorted ascending.
double row_max(std::uint64_t amount, const std::vector<std::uint64_t>& caps_ascending,
               const detail::log_factorials& lf) {
  double s = 0.0;
  std::size_t left = caps_ascending.size();
  for (std::size_t j = 0; j < caps_ascending.size(); ++j, --left) {
    const std::uint64_t share = amount / left;
    if (caps_ascending[j] <= share) {
      s -= lf(caps_ascending[j]);
      amount -= caps_ascending[j];
    } else {
      // The remaining columns all have caps above the share: split evenly, the remainder one each.
      const std::uint64_t extra = amount % left;
      s -= as_double(left - extra) * lf(share) + as_double(extra) * lf(share + 1);
      return s;
    }
  }
  return s;
}

// The smallest possible sum of -log(x_j!) over one row: the row packed into the largest caps.
// `caps` sorted descending.
double row_min(std::uint64_t amount, const std::vector<std::uint64_t>& caps_descending,
               const detail::log_factorials& lf) {
  double s = 0.0;
  for (std::uint64_t cap : caps_descending) {
    if (amount == 0) break;
    const std::uint64_t x = std::min(cap, amount);
    s -= lf(x);
    amount -= x;
  }
  return s;
}

using past_list = std::vector<std::pair<double, double>>;  // (past log weight, number of paths)

// Sort a node's past values and merge those equal within 1e-9 (mathematically equal values reached
// along different paths differ by rounding only).
void merge_pasts(past_list& pasts) {
  std::sort(pasts.begin(), pasts.end());
  std::size_t out = 0;
  for (std::size_t i = 0; i < pasts.size(); ++i) {
    if (out > 0 && pasts[i].first - pasts[out - 1].first <= 1e-9) pasts[out - 1].second += pasts[i].second;
    else pasts[out++] = pasts[i];
  }
  pasts.resize(out);
}

// The network algorithm (Mehta & Patel 1983): rows are stages, a node is the multiset of column
// sums still to fill, and each node carries the distinct log weights of the paths reaching it.
// A path whose every completion is no more likely than the observed table adds its whole subtree
// in closed form; one of which no completion can be is dropped; others are expanded. Returns
// false when the work exceeds max_steps.
bool network_p(const reduced_table& t, double threshold, std::uint64_t max_steps, const detail::log_factorials& lf,
               double& p_out) {
  std::vector<std::uint64_t> row_order = t.row_sums;
  std::sort(row_order.begin(), row_order.end(), std::greater<>());
  double log_norm = lf(t.total);
  for (std::uint64_t r : t.row_sums) log_norm -= lf(r);
  for (std::uint64_t c : t.column_sums) log_norm -= lf(c);
  // log of the factorials of the rows from stage k on, and their totals.
  std::vector<double> rows_log_fact(t.rows + 1, 0.0);
  std::vector<std::uint64_t> rows_total(t.rows + 1, 0);
  for (std::size_t k = t.rows; k-- > 0;) {
    rows_log_fact[k] = rows_log_fact[k + 1] + lf(row_order[k]);
    rows_total[k] = rows_total[k + 1] + row_order[k];
  }

  using key = std::vector<std::uint64_t>;  // remaining column sums, descending
  std::map<key, past_list> stage;
  key root = t.column_sums;
  std::sort(root.begin(), root.end(), std::greater<>());
  stage[root] = {{0.0, 1.0}};
  double p = 0.0;
  std::uint64_t steps = 0;
  std::vector<std::uint64_t> x(t.columns), ascending(t.columns);
  past_list survivors;
  for (std::size_t k = 0; k <= t.rows; ++k) {
    std::map<key, past_list> next;
    for (auto& entry : stage) {
      // Named, not structured bindings: lambdas below capture them (clang 14 cannot capture
      // structured bindings).
      const key& cols = entry.first;
      auto& pasts = entry.second;
      // Bounds on the rest of the path and the total weight of all completions.
      std::copy(cols.rbegin(), cols.rend(), ascending.begin());
      double most = 0.0, least = 0.0;
      for (std::size_t i = k; i < t.rows; ++i) {
        most += row_max(row_order[i], ascending, lf);
        least += row_min(row_order[i], cols, lf);
      }
      double log_total = lf(rows_total[k]) - rows_log_fact[k];
      for (std::uint64_t c : cols) log_total -= lf(c);
      survivors.clear();
      for (const auto& [past, paths] : pasts) {
        if (past + most <= threshold) p += paths * std::exp(past + log_total - log_norm);
        else if (past + least > threshold) continue;
        else survivors.emplace_back(past, paths);
      }
      if (survivors.empty() || k == t.rows) continue;
      // Every row vector x with 0 <= x_j <= cols_j summing to the row's total, depth-first over
      // the columns (the last column takes the rest; the lower bound keeps that feasible).
      std::vector<std::uint64_t> capacity_after(t.columns + 1, 0);  // sum of cols[j + 1 ..]
      for (std::size_t j = t.columns; j-- > 0;) capacity_after[j] = capacity_after[j + 1] + cols[j];
      key child(t.columns);
      auto visit = [&](auto& self, std::size_t j, std::uint64_t left, double inc) -> bool {
        if (j + 1 == t.columns) {
          x[j] = left;
          inc -= lf(left);
          for (std::size_t c = 0; c < t.columns; ++c) child[c] = cols[c] - x[c];
          std::sort(child.begin(), child.end(), std::greater<>());
          past_list& dest = next[child];
          for (const auto& [past, paths] : survivors) dest.emplace_back(past + inc, paths);
          steps += survivors.size();
          return steps <= max_steps;
        }
        const std::uint64_t low = left > capacity_after[j + 1] ? left - capacity_after[j + 1] : 0;
        const std::uint64_t high = std::min(cols[j], left);
        for (std::uint64_t v = low; v <= high; ++v) {
          x[j] = v;
          if (!self(self, j + 1, left - v, inc - lf(v))) return false;
        }
        return true;
      };
      if (!visit(visit, 0, row_order[k], 0.0)) return false;
    }
    for (auto& [cols, pasts] : next) merge_pasts(pasts);
    stage = std::move(next);
  }
  p_out = std::min(1.0, p);
  return true;
}

// A uniform double in [0, 1) from 53 random bits (portable, unlike uniform_real_distribution).
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// One hypergeometric draw: successes among `draws` taken without replacement from `good` + `bad`,
// by inversion searching outward from the mode (expected work of the order of the standard
// deviation).
std::uint64_t draw_hypergeometric(std::uint64_t good, std::uint64_t bad, std::uint64_t draws, std::mt19937_64& rng,
                                  const detail::log_factorials& lf) {
  const std::uint64_t lo = draws > bad ? draws - bad : 0;
  const std::uint64_t hi = std::min(good, draws);
  if (lo == hi) return lo;
  const double total = as_double(good + bad);
  std::uint64_t mode = static_cast<std::uint64_t>((as_double(draws) + 1.0) * (as_double(good) + 1.0) / (total + 2.0));
  mode = std::clamp(mode, lo, hi);
  const double log_pm = lf(good) - lf(mode) - lf(good - mode) + lf(bad) - lf(draws - mode) - lf(bad - draws + mode) -
                        (lf(good + bad) - lf(draws) - lf(good + bad - draws));
  const double pm = std::exp(log_pm);
  double u = uniform01(rng) - pm;
  if (u <= 0) return mode;
  double pa = pm, pb = pm;
  std::uint64_t a = mode, b = mode;  // last values visited below and above
  for (;;) {
    bool moved = false;
    if (a > lo) {
      // P(a - 1) = P(a) a (bad - draws + a) / ((good - a + 1)(draws - a + 1))
      pa *= as_double(a) * as_double(bad - draws + a) / (as_double(good - a + 1) * as_double(draws - a + 1));
      --a;
      u -= pa;
      if (u <= 0) return a;
      moved = true;
    }
    if (b < hi) {
      // P(b + 1) = P(b) (good - b)(draws - b) / ((b + 1)(bad - draws + b + 1))
      pb *= as_double(good - b) * as_double(draws - b) / (as_double(b + 1) * as_double(bad - draws + b + 1));
      ++b;
      u -= pb;
      if (u <= 0) return b;
      moved = true;
    }
    if (!moved) return mode;  // rounding left a sliver of probability: return the mode
  }
}

exact_test_result monte_carlo_p(const reduced_table& t, double observed, const exact_test_options& options,
                                const detail::log_factorials& lf) {
  std::mt19937_64 rng(options.seed);
  // R: almost.1 <- 1 + 64 * .Machine$double.eps; count tables with statistic <= observed / almost.1.
  const double bound = observed / (1.0 + 64.0 * 2.220446049250313e-16);
  std::vector<std::uint64_t> row_left(t.rows);
  std::uint64_t hits = 0;
  for (std::uint64_t rep = 0; rep < options.replicates; ++rep) {
    std::copy(t.row_sums.begin(), t.row_sums.end(), row_left.begin());
    std::uint64_t pool = t.total;  // sum of row_left
    double stat = 0.0;
    for (std::size_t j = 0; j < t.columns; ++j) {
      std::uint64_t need = t.column_sums[j];
      if (j + 1 == t.columns) {
        for (std::size_t i = 0; i < t.rows; ++i) stat -= lf(row_left[i]);
        break;
      }
      std::uint64_t rest = pool;  // sum of row_left[i..]
      for (std::size_t i = 0; i < t.rows; ++i) {
        std::uint64_t x;
        if (i + 1 == t.rows) x = need;
        else x = draw_hypergeometric(row_left[i], rest - row_left[i], need, rng, lf);
        rest -= row_left[i];
        row_left[i] -= x;
        need -= x;
        pool -= x;
        stat -= lf(x);
      }
    }
    if (stat <= bound) ++hits;
  }
  const double b = as_double(options.replicates);
  const double p = (1.0 + as_double(hits)) / (b + 1.0);
  return {p, std::sqrt(p * (1.0 - p) / b), test_method::monte_carlo, options.replicates};
}

}  // namespace

exact_test_result fisher_freeman_halton(std::span<const std::uint64_t> counts, std::size_t rows, std::size_t columns,
                                        const exact_test_options& options) {
  if (rows == 0 || columns == 0 || counts.size() != rows * columns) {
    throw usage_error("fisher_freeman_halton: counts must hold rows * columns = " + std::to_string(rows * columns) +
                      " values (got " + std::to_string(counts.size()) + ")");
  }
  if (options.replicates == 0) throw usage_error("fisher_freeman_halton: options.replicates must be positive");
  const reduced_table t = reduce(counts, rows, columns);
  if (t.total == 0) throw usage_error("fisher_freeman_halton: the table is empty (all counts are 0)");
  if (t.rows < 2 || t.columns < 2) return {1.0, 0.0, test_method::exact, 0};
  const detail::log_factorials lf(std::min<std::uint64_t>(t.total, 1u << 20));
  double observed = 0.0;
  for (std::uint64_t v : t.cells) observed -= lf(v);
  // The network has at most rows x prod_{j < c-1} (C_j + 1) nodes (the last column sum follows from
  // the rows left); when even that count exceeds the budget, go to Monte Carlo without trying.
  double nodes = as_double(t.rows);
  for (std::size_t j = 0; j + 1 < t.columns; ++j) nodes *= as_double(t.column_sums[j] + 1);
  double p = 0.0;
  if (nodes <= as_double(options.max_exact_steps) &&
      network_p(t, observed + log_relative_tolerance, options.max_exact_steps, lf, p)) {
    return {p, 0.0, test_method::exact, 0};
  }
  return monte_carlo_p(t, observed, options, lf);
}

}  // namespace jamstat::analysis
