// The intersectional part of the report (MAIHDA, the decomposition) and data quality.
#include <algorithm>
#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "builder_context.hpp"
#include "jamstat/engine/iso5218.hpp"

namespace jamstat::report::detail {

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

double inverse_logit(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// The label of a stratum from the model's level labels (the report's language, whatever language
// the analysis was run in).
std::string stratum_label(const report_model& m, const grouping_set& g, const std::vector<std::uint32_t>& levels) {
  std::string out;
  for (std::size_t i = 0; i < levels.size() && i < g.dimensions().size(); ++i) {
    const dimension_text& d = m.dimensions[g.dimensions()[i]];
    out += (i ? " · " : "") + (levels[i] < d.levels.size() ? d.levels[levels[i]] : std::string("?"));
  }
  return out;
}

maihda_view make_maihda(builder_context& c, const maihda_input& in) {
  const report_model& m = c.model();
  const bool logistic = in.logistic != nullptr;
  const analysis::maihda_fit& null_fit = logistic ? in.logistic->null_model : in.linear->null_model;
  const analysis::maihda_fit& additive_fit = logistic ? in.logistic->additive_model : in.linear->additive_model;
  const double factor = logistic ? 100.0 : 1.0;
  maihda_view v;
  v.logistic = logistic;
  v.subject = logistic ? m.outcomes[in.index].label : m.measures[in.index].label;
  v.unit = logistic ? "%" : m.measures[in.index].unit;
  v.title = std::string(c.text().maihda_title) + lower_first(v.subject);
  for (const std::size_t d : in.strata.dimensions()) v.dimensions.push_back(m.dimensions[d].label);
  v.dimension_indices = in.strata.dimensions();
  v.subject_name = logistic ? m.outcomes[in.index].name : m.measures[in.index].name;
  v.between_variance_null = null_fit.between_variance;
  v.between_variance_additive = additive_fit.between_variance;
  v.vpc_null = null_fit.vpc;
  v.vpc_additive = additive_fit.vpc;
  v.pcv = logistic ? in.logistic->pcv : in.linear->pcv;
  if (logistic) {
    v.auc_null = in.logistic->auc_null;
    v.auc_additive = in.logistic->auc_additive;
  }
  for (const analysis::maihda_stratum& s : null_fit.strata) {
    maihda_view::stratum out;
    out.label = stratum_label(m, in.strata, s.levels);
    out.levels = s.levels;
    const protected_cell cell = c.ask(period_role::current, in.strata.mask(), s.levels, in.family, in.index);
    out.status = cell.family.status;
    const auto additive = std::find_if(additive_fit.strata.begin(), additive_fit.strata.end(),
                                       [&](const analysis::maihda_stratum& a) { return a.input_index == s.input_index; });
    if (is_suppressed(out.status)) {
      for (shown_value* x : {&out.participations, &out.observed, &out.predicted, &out.additive, &out.interaction})
        x->status = out.status;
    } else {
      // The model's figures are shown as fitted (a perturbed count does not change a model fitted
      // to the true cells); their status says how the cell itself is published.
      out.participations = {cell.count.shown.participations, nan_value, nan_value, out.status};
      double observed = factor * s.observed;
      if (out.status == cell_status::perturbed) {
        // What the tables show for the cell (shown figures), not the true observed value.
        const double n = logistic ? cell.count.shown.participations
                                  : (cell.measure != nullptr ? static_cast<double>(cell.measure->count()) : 0.0);
        observed = n > 0.0 ? factor * cell.family.shown.amount / n : nan_value;
      }
      out.observed = {observed, nan_value, nan_value, out.status};
      out.predicted = {factor * s.predicted, factor * s.predicted_lower, factor * s.predicted_upper, out.status};
      if (additive != additive_fit.strata.end()) {
        const double expected = logistic ? 100.0 * inverse_logit(additive->fixed_part) : additive->fixed_part;
        out.additive = {expected, nan_value, nan_value, out.status};
        out.interaction = {factor * additive->predicted - expected, factor * additive->predicted_lower - expected,
                           factor * additive->predicted_upper - expected, out.status};
        out.flagged = additive->clearly_nonzero;
      }
    }
    v.strata.push_back(std::move(out));
  }
  std::stable_sort(v.strata.begin(), v.strata.end(), [](const maihda_view::stratum& a, const maihda_view::stratum& b) {
    const bool sa = !std::isnan(a.predicted.value), sb = !std::isnan(b.predicted.value);
    if (sa != sb) return sa;
    return a.predicted.value > b.predicted.value;
  });
  return v;
}

}  // namespace

void build_maihda(builder_context& c) {
  for (const maihda_input& in : c.input().maihda) c.model().maihda.push_back(make_maihda(c, in));
}

void build_decomposition(builder_context& c) {
  if (!c.input().decomposition) return;
  const decomposition_input& in = *c.input().decomposition;
  const analysis::oaxaca_blinder_result& r = *in.result;
  report_model& m = c.model();
  const bool outcome = in.family == statistic_family::outcome;
  const double factor = outcome ? 100.0 : 1.0;
  const double z = boost::math::quantile(boost::math::normal(), 0.5 + c.input().confidence_level / 2.0);
  decomposition_view v;
  v.subject = outcome ? m.outcomes[in.index].label : m.measures[in.index].label;
  v.subject_name = outcome ? m.outcomes[in.index].name : m.measures[in.index].name;
  v.kind = outcome ? value_kind::percentage_points : value_kind::amount;
  v.unit = outcome ? std::string(c.text().percentage_points) : m.measures[in.index].unit;
  v.logit = in.logit;
  v.title = std::string(c.text().decomposition_title) + lower_first(v.subject);
  auto group_label = [&](const std::string& g) {
    if (g == "Kvinnor" || g == "Women") return m.sexes[0].label;
    if (g == "Män" || g == "Men") return m.sexes[1].label;
    return g;
  };
  v.first_group = group_label(r.first_group);
  v.second_group = group_label(r.second_group);
  // The decomposition reads every cell of women and men; shown when their totals are.
  cell_status status = c.input().protection.internal_use_only ? cell_status::internal : cell_status::published;
  for (const std::int32_t sex : {iso5218::female, iso5218::male}) {
    const std::uint32_t level[1] = {builder_context::sex_level(sex)};
    status = combine(status, c.ask(period_role::current, 1, level, in.family, in.index).family.status);
  }
  v.status = status;
  auto value = [&](double x, double se) -> shown_value {
    if (is_suppressed(status)) return {nan_value, nan_value, nan_value, status};
    return {factor * x, factor * (x - z * se), factor * (x + z * se), status};
  };
  auto point = [&](double x) -> shown_value {
    if (is_suppressed(status)) return {nan_value, nan_value, nan_value, status};
    return {x * (outcome ? 100.0 : 1.0), nan_value, nan_value, status};
  };
  v.first_mean = point(r.first_mean);
  v.second_mean = point(r.second_mean);
  v.gap = value(r.gap, r.gap_se);
  v.explained = value(r.explained, r.explained_se);
  v.unexplained = value(r.unexplained, r.unexplained_se);
  for (const analysis::oaxaca_row& row : r.characteristics) {
    if (row.kind == analysis::oaxaca_row_kind::intercept) continue;
    decomposition_view::part p;
    p.label = row.characteristic;
    for (const dimension_text& d : m.dimensions)
      if (d.name == row.characteristic) p.label = d.label;
    p.explained = value(row.explained, row.explained_se);
    p.unexplained = value(row.unexplained, row.unexplained_se);
    v.characteristics.push_back(std::move(p));
  }
  if (is_suppressed(status)) m.any_suppressed = true;
  m.decomposition = std::move(v);
}

void build_data_quality(builder_context& c) {
  report_model& m = c.model();
  const aggregator& a = *c.input().current;
  const schema& s = a.schema_ref();
  data_quality_view& q = m.quality;
  const bool en = c.english();
  if (const auto& in = c.input().ingestion) {
    q.has_ingestion = true;
    q.rows_read = in->rows_read;
    q.rows_accepted = in->rows_accepted;
    for (const auto& r : in->rejected) {
      q.rejected.push_back({r.reason, en ? r.label.en : r.label.sv, r.rows});
      q.rows_rejected += r.rows;
    }
    q.sources = in->sources;
  }
  for (std::size_t k = 0; k < rejection_reason_count; ++k) {
    const auto reason = static_cast<rejection_reason>(k);
    const std::uint64_t n = a.rejected().by_reason(reason);
    if (n == 0) continue;
    q.state_rejected.push_back({std::string(to_string(reason)), std::string(rejection_label(reason, c.input().lang)), n});
    q.state_rejected_total += n;
  }
  for (std::size_t k = 0; k < s.numeric_measures().size(); ++k)
    if (s.domain(k).kind == measure_kind::decimal)
      q.rounded.push_back({m.measures[k].name, m.measures[k].label, m.measures[k].unit, a.rounded_values(k)});
  q.participations = a.participations();
  q.persons_counted = a.knows_persons();
}

}  // namespace jamstat::report::detail
