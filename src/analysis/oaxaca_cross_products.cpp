#include "jamstat/analysis/oaxaca_cross_products.hpp"

#include <algorithm>
#include <string>

#include "jamstat/engine/cross_product_sums.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"
#include "jamstat/engine/measure_stats.hpp"

namespace jamstat::analysis {

namespace {

// One column of [x, y]: a variable of the cross-product set, or a dummy of a dimension's level.
struct column {
  bool dummy = false;
  std::size_t variable = 0;  // numeric: position in the cross-product set
  unsigned decimals = 0;     // numeric: grid 10^-decimals
  std::size_t position = 0;  // dummy: position of the dimension in the roll-up's levels
  std::uint32_t level = 0;   // dummy: the level it indicates
};

// Σ z over a cell's participations, in grid units.
int128_t sum_of(const column& c, const cross_product_cell& cell) {
  if (!c.dummy) return cell.sums[c.variable];
  return cell.levels[c.position] == c.level ? static_cast<int128_t>(cell.participations) : 0;
}

// Σ z_a z_b over a cell's participations, in grid units.
int128_t product_of(const column& a, const column& b, const cross_product_cell& cell) {
  if (!a.dummy && !b.dummy) return cell.product(a.variable, b.variable);
  if (a.dummy && b.dummy)
    return cell.levels[a.position] == a.level && cell.levels[b.position] == b.level ? static_cast<int128_t>(cell.participations)
                                                                                     : 0;
  const column& d = a.dummy ? a : b;
  const column& v = a.dummy ? b : a;
  return cell.levels[d.position] == d.level ? cell.sums[v.variable] : 0;
}

// The exact sums of one sex over [x, y] (y last), and the moments rounded once from them.
struct exact_sums {
  std::uint64_t n = 0;
  std::vector<int128_t> sums;      // per column
  std::vector<int128_t> products;  // [a][b], full square
};

regression_moments moments_of(const exact_sums& e, const std::vector<column>& columns) {
  const std::size_t k = columns.size() - 1, width = columns.size();
  regression_moments m = regression_moments::empty(static_cast<Eigen::Index>(k));
  m.participations = e.n;
  if (e.n == 0) return m;
  auto mean = [&](std::size_t a) {
    uint128_t denominator = e.n;
    for (unsigned d = 0; d < columns[a].decimals; ++d) denominator *= 10u;
    return rounded_quotient(e.sums[a], denominator);
  };
  auto centred = [&](std::size_t a, std::size_t b) {
    return rounded_centred_cross_product(e.n, e.sums[a], e.sums[b], e.products[a * width + b],
                                         columns[a].decimals + columns[b].decimals);
  };
  for (std::size_t a = 0; a < k; ++a) {
    const auto ia = static_cast<Eigen::Index>(a);
    m.x_mean[ia] = mean(a);
    for (std::size_t b = 0; b < k; ++b) m.x_ss(ia, static_cast<Eigen::Index>(b)) = centred(a, b);
    m.xy_ss[ia] = centred(a, k);
  }
  m.y_mean = mean(k);
  m.y_ss = centred(k, k);
  return m;
}

}  // namespace

oaxaca_cross_product_input oaxaca_input_from_cross_products(const aggregator& a, const oaxaca_cross_product_request& request) {
  const schema& s = a.schema_ref();
  const std::string what = "Oaxaca-Blinder from cross-products: ";
  if (!s.keeps_cross_products())
    throw usage_error(what + "the aggregator's schema keeps no cross-product set; declare the outcome and the numeric "
                             "characteristics as one when creating the schema");
  if (request.numeric.empty() && request.categorical.empty())
    throw usage_error(what + "no characteristic was given (name numeric characteristics, categorical ones, or both)");
  const auto& variables = s.cross_product_variables();
  auto variable_column = [&](const std::string& name, const char* role) {
    const auto v = s.cross_product_index(name);
    if (!v)
      throw usage_error(what + role + " '" + name + "' is not in the schema's cross-product set (outcomes and decimal "
                                                      "measures declared as cross-product variables)");
    column c;
    c.variable = *v;
    c.decimals = variables[*v].decimals;
    return c;
  };

  // The roll-up keeps sex and the categorical characteristics.
  std::vector<std::size_t> grouped{0};
  for (const std::string& name : request.categorical) {
    const auto d = s.dimension_index(name);
    if (!d || *d == 0)
      throw usage_error(what + "categorical characteristic '" + name + "' is not a dimension of the schema other than sex");
    if (std::find(grouped.begin(), grouped.end(), *d) != grouped.end())
      throw usage_error(what + "categorical characteristic '" + name + "' is named twice");
    grouped.push_back(*d);
  }
  const grouping_set grouping = grouping_set::from_indices(s, grouped);
  const cross_product_table table = roll_up_cross_products(a, grouping);

  oaxaca_cross_product_input out;
  std::vector<column> columns;
  for (const std::string& name : request.numeric) {
    if (name == request.y) throw usage_error(what + "'" + name + "' is both the outcome and a characteristic");
    for (const std::string& seen : request.numeric)
      if (&seen != &name && seen == name) throw usage_error(what + "numeric characteristic '" + name + "' is named twice");
    columns.push_back(variable_column(name, "numeric characteristic"));
    out.design.characteristics.push_back({name, {}, 0});
  }
  for (const std::string& name : request.categorical) {
    const std::size_t d = *s.dimension_index(name);
    const dimension& dim = s.dimensions()[d];
    oaxaca_characteristic ch{name, {}, 0};
    for (const level& l : dim.levels()) ch.level_labels.push_back(request.english ? l.label_en : l.label_sv);
    const auto position = static_cast<std::size_t>(std::find(grouping.dimensions().begin(), grouping.dimensions().end(), d) -
                                                   grouping.dimensions().begin());
    for (std::uint32_t l = 0; l < dim.levels().size(); ++l) {
      if (l == ch.omitted_level) continue;
      column c;
      c.dummy = true;
      c.position = position;
      c.level = l;
      columns.push_back(c);
    }
    out.design.characteristics.push_back(std::move(ch));
  }
  out.design.validate();
  columns.push_back(variable_column(request.y, "the outcome"));

  const dimension& sex = s.dimensions().front();
  const auto women = static_cast<std::uint32_t>(*sex.index_of(iso5218::female));
  const auto men = static_cast<std::uint32_t>(*sex.index_of(iso5218::male));
  const std::size_t width = columns.size();
  exact_sums of_women{0, std::vector<int128_t>(width, 0), std::vector<int128_t>(width * width, 0)};
  exact_sums of_men = of_women;
  for (const cross_product_cell& cell : table.cells) {
    const std::uint32_t level = cell.levels[0];  // sex is dimension 0, kept first
    if (level != women && level != men) {
      out.other_sex_participations += cell.participations;
      continue;
    }
    exact_sums& e = level == women ? of_women : of_men;
    e.n += cell.participations;
    for (std::size_t i = 0; i < width; ++i) {
      e.sums[i] += sum_of(columns[i], cell);
      for (std::size_t j = i; j < width; ++j) e.products[i * width + j] += product_of(columns[i], columns[j], cell);
    }
  }
  for (exact_sums* e : {&of_women, &of_men})
    for (std::size_t i = 0; i < width; ++i)
      for (std::size_t j = 0; j < i; ++j) e->products[i * width + j] = e->products[j * width + i];
  out.women = moments_of(of_women, columns);
  out.men = moments_of(of_men, columns);
  return out;
}

}  // namespace jamstat::analysis
