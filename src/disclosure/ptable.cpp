// Count perturbation tables by maximum entropy (Destatis's ptable, pt_optim_entropy).
#include "jamstat/disclosure/ptable.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::disclosure {

namespace {

[[noreturn]] void fail(const std::string& message) { throw usage_error("disclosure: " + message); }

/// The maximum-entropy distribution on the changes `d` with mean 0 and variance `v`:
/// p_k proportional to exp(a d_k + b d_k^2). (a, b) minimize the convex dual
/// log sum_k exp(a d_k + b d_k^2) - b v, whose gradient is (E d, E d^2 - v) and Hessian the
/// covariance of (d, d^2); damped Newton from the uniform distribution.
std::vector<double> max_entropy(const std::vector<double>& d, double v) {
  const std::size_t n = d.size();
  std::vector<double> p(n);
  auto evaluate = [&](double a, double b, double& dual) {
    double top = -std::numeric_limits<double>::infinity();
    for (std::size_t k = 0; k < n; ++k) top = std::max(top, a * d[k] + b * d[k] * d[k]);
    double z = 0.0;
    for (std::size_t k = 0; k < n; ++k) z += (p[k] = std::exp(a * d[k] + b * d[k] * d[k] - top));
    for (double& x : p) x /= z;
    dual = top + std::log(z) - b * v;
  };
  double a = 0.0, b = 0.0, dual = 0.0;
  evaluate(a, b, dual);
  for (int iteration = 0; iteration < 500; ++iteration) {
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double x = d[k], x2 = x * x;
      m1 += p[k] * x;
      m2 += p[k] * x2;
      m3 += p[k] * x2 * x;
      m4 += p[k] * x2 * x2;
    }
    const double g1 = m1, g2 = m2 - v;
    if (std::abs(g1) < 1e-14 && std::abs(g2) < 1e-13 * std::max(1.0, v)) break;
    const double h11 = m2 - m1 * m1, h12 = m3 - m1 * m2, h22 = m4 - m2 * m2;
    const double det = h11 * h22 - h12 * h12;
    if (!(det > 0.0)) break;
    const double da = -(h22 * g1 - h12 * g2) / det, db = -(h11 * g2 - h12 * g1) / det;
    double step = 1.0, next = 0.0;
    const double before = dual;
    for (int halvings = 0; halvings < 60; ++halvings, step /= 2) {
      evaluate(a + step * da, b + step * db, next);
      if (next <= before + 1e-4 * step * (g1 * da + g2 * db)) break;
    }
    a += step * da;
    b += step * db;
    dual = next;
  }
  return p;
}

std::vector<ptable_transition> with_intervals(std::vector<ptable_transition> row) {
  double cumulative = 0.0;
  for (ptable_transition& t : row) {
    t.lower = cumulative;
    cumulative += t.probability;
    t.upper = cumulative;
  }
  if (!row.empty()) row.back().upper = 1.0;
  return row;
}

}  // namespace

perturbation_table::perturbation_table(ptable_parameters p, std::vector<std::vector<ptable_transition>> rows)
    : parameters_(p), rows_(std::move(rows)) {}

perturbation_table perturbation_table::generate(const ptable_parameters& parameters) {
  const std::uint32_t big_d = parameters.max_deviation, js = parameters.small_count_threshold;
  const double v = parameters.variance;
  if (big_d == 0 || big_d > 1000) fail("ptable_parameters.max_deviation (D) must be in 1..1000, is " + std::to_string(big_d));
  if (!(v > 0.0) || !(v < static_cast<double>(big_d) * big_d))
    fail("ptable_parameters.variance (V) must be in (0, D^2) = (0, " + std::to_string(big_d * big_d) + "), is " + std::to_string(v));
  if (js >= big_d)
    fail("ptable_parameters.small_count_threshold (js) must be below max_deviation (D), so that every count can be "
         "perturbed without bias; is " + std::to_string(js) + " with D = " + std::to_string(big_d));
  const std::uint64_t last = std::uint64_t{big_d} + js + 1;
  std::vector<std::vector<ptable_transition>> rows;
  std::vector<ptable_transition> row0(1);  // zero stays zero
  row0[0].probability = 1.0;
  rows.push_back(with_intervals(std::move(row0)));
  for (std::uint64_t i = 1; i <= last; ++i) {
    std::vector<std::uint64_t> values;
    for (std::uint64_t j = i > big_d ? i - big_d : 0; j <= i + big_d; ++j)
      if (j == 0 || j > js) values.push_back(j);
    std::vector<double> d;
    for (const std::uint64_t j : values) d.push_back(static_cast<double>(j) - static_cast<double>(i));
    // The variances a mean-zero distribution on d can have: from the two values nearest 0 on
    // either side (0 when d = 0 is allowed) to the two extremes.
    double nearest_below = -std::numeric_limits<double>::infinity(), nearest_above = std::numeric_limits<double>::infinity();
    bool zero = false;
    for (const double x : d) {
      if (x == 0.0) zero = true;
      else if (x < 0.0) nearest_below = std::max(nearest_below, x);
      else nearest_above = std::min(nearest_above, x);
    }
    const double v_min = zero ? 0.0 : -nearest_below * nearest_above, v_max = -d.front() * d.back();
    const double margin = 0.05 * (v_max - v_min);
    const double target = std::clamp(v, v_min + margin, v_max - margin);
    const std::vector<double> p = max_entropy(d, target);
    std::vector<ptable_transition> row;
    for (std::size_t k = 0; k < values.size(); ++k)
      if (p[k] > 1e-15) row.push_back({values[k], p[k], 0.0, 0.0});
    double sum = 0.0;
    for (const auto& t : row) sum += t.probability;
    for (auto& t : row) t.probability /= sum;
    rows.push_back(with_intervals(std::move(row)));
  }
  return perturbation_table(parameters, std::move(rows));
}

std::uint64_t perturbation_table::perturb(std::uint64_t count, double cell_key) const noexcept {
  const std::uint64_t i = std::min<std::uint64_t>(count, last_row());
  const std::vector<ptable_transition>& r = rows_[i];
  auto it = std::upper_bound(r.begin(), r.end(), cell_key, [](double k, const ptable_transition& t) { return k < t.upper; });
  if (it == r.end()) --it;
  return it->perturbed + (count - i);
}

double perturbation_table::mean_change(std::uint64_t i) const {
  double m = 0.0;
  for (const auto& t : row(i)) m += t.probability * (static_cast<double>(t.perturbed) - static_cast<double>(i));
  return m;
}

double perturbation_table::variance_of_change(std::uint64_t i) const {
  const double m = mean_change(i);
  double v = 0.0;
  for (const auto& t : row(i)) {
    const double x = static_cast<double>(t.perturbed) - static_cast<double>(i) - m;
    v += t.probability * x * x;
  }
  return v;
}

std::string perturbation_table::to_csv() const {
  std::string out = "i,j,p,v,p_int_lb,p_int_ub\n";
  char line[256];
  for (std::uint64_t i = 0; i < rows_.size(); ++i)
    for (const auto& t : rows_[i]) {
      std::snprintf(line, sizeof line, "%llu,%llu,%.17g,%lld,%.17g,%.17g\n", static_cast<unsigned long long>(i),
                    static_cast<unsigned long long>(t.perturbed), t.probability,
                    static_cast<long long>(t.perturbed) - static_cast<long long>(i), t.lower, t.upper);
      out += line;
    }
  return out;
}

perturbation_table perturbation_table::from_csv(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    std::string cell;
    for (const char ch : s) {
      if (ch == ',' || ch == ';' || ch == '\t') {
        cells.push_back(cell);
        cell.clear();
      } else if (ch != '"' && ch != '\r' && ch != ' ') {
        cell += ch;
      }
    }
    cells.push_back(cell);
    return cells;
  };
  if (!std::getline(in, line)) fail("ptable CSV is empty; expected a header naming the columns i, j and p");
  const auto header = split(line);
  long ci = -1, cj = -1, cp = -1;
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (header[k] == "i") ci = static_cast<long>(k);
    if (header[k] == "j") cj = static_cast<long>(k);
    if (header[k] == "p") cp = static_cast<long>(k);
  }
  if (ci < 0 || cj < 0 || cp < 0) fail("ptable CSV header must name the columns i, j and p; is '" + line + "'");
  std::map<std::uint64_t, std::map<std::uint64_t, double>> rows;
  std::size_t number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line == "\r") continue;
    const auto cells = split(line);
    const std::size_t need = static_cast<std::size_t>(std::max({ci, cj, cp})) + 1;
    if (cells.size() < need) fail("ptable CSV line " + std::to_string(number) + " has too few columns");
    std::uint64_t i = 0, j = 0;
    double p = 0.0;
    try {
      std::size_t used = 0;
      const std::string& si = cells[static_cast<std::size_t>(ci)];
      const std::string& sj = cells[static_cast<std::size_t>(cj)];
      const std::string& sp = cells[static_cast<std::size_t>(cp)];
      if (si.empty() || si[0] == '-' || sj.empty() || sj[0] == '-') throw std::invalid_argument("negative");
      i = std::stoull(si, &used);
      if (used != si.size()) throw std::invalid_argument("i");
      j = std::stoull(sj, &used);
      if (used != sj.size()) throw std::invalid_argument("j");
      p = std::stod(sp, &used);
      if (used != sp.size()) throw std::invalid_argument("p");
    } catch (const std::exception&) {
      fail("ptable CSV line " + std::to_string(number) + ": expected non-negative integers i and j and a probability p");
    }
    if (!(p >= 0.0 && p <= 1.0)) fail("ptable CSV line " + std::to_string(number) + ": p must be in [0, 1]");
    if (i > 100000) fail("ptable CSV line " + std::to_string(number) + ": i above 100000 is not a ptable row");
    if (rows[i].count(j)) fail("ptable CSV line " + std::to_string(number) + " repeats the transition " + std::to_string(i) + " -> " + std::to_string(j));
    rows[i][j] = p;
  }
  if (rows.empty()) fail("ptable CSV has no transitions");
  const std::uint64_t last = rows.rbegin()->first;
  std::vector<std::vector<ptable_transition>> out;
  ptable_parameters params{0, 0.0, 0};
  for (std::uint64_t i = 0; i <= last; ++i) {
    const auto it = rows.find(i);
    if (it == rows.end()) fail("ptable CSV has no transitions for count " + std::to_string(i) + " (rows 0.." + std::to_string(last) + " are needed)");
    double sum = 0.0;
    std::vector<ptable_transition> row;
    for (const auto& [j, p] : it->second) {
      sum += p;
      if (p > 0.0) row.push_back({j, p, 0.0, 0.0});
      const std::uint64_t dev = j > i ? j - i : i - j;
      if (p > 0.0) params.max_deviation = std::max<std::uint32_t>(params.max_deviation, static_cast<std::uint32_t>(std::min<std::uint64_t>(dev, 1u << 30)));
    }
    if (std::abs(sum - 1.0) > 1e-9) fail("ptable CSV: the probabilities of count " + std::to_string(i) + " sum to " + std::to_string(sum) + ", not 1");
    if (i == 0 && (row.size() != 1 || row[0].perturbed != 0)) fail("ptable CSV: count 0 must stay 0 with probability 1");
    out.push_back(with_intervals(std::move(row)));
  }
  // js: the largest v such that no transition of a positive count lands on 1..v.
  std::uint64_t smallest_positive = std::numeric_limits<std::uint64_t>::max();
  for (const auto& r : out)
    for (const auto& t : r)
      if (t.perturbed > 0) smallest_positive = std::min(smallest_positive, t.perturbed);
  params.small_count_threshold = smallest_positive == std::numeric_limits<std::uint64_t>::max() ? 0 : static_cast<std::uint32_t>(smallest_positive - 1);
  if (last > 0 && out.back().front().perturbed <= params.small_count_threshold)
    fail("ptable CSV: the last row (count " + std::to_string(last) +
         ") is used shifted for every larger count, so it must not produce 0 or a blocked small count");
  perturbation_table t(params, std::move(out));
  params.variance = t.variance_of_change(last);
  t.parameters_ = params;
  return t;
}

perturbation_table default_ptable() { return perturbation_table::generate(ptable_parameters{}); }

}  // namespace jamstat::disclosure
