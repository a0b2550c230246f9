// The intersectional analyses through the C ABI: strata tables (a gap report over strata), MAIHDA
// and the Oaxaca-Blinder decomposition, results column-wise.
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>

#include "firewall.hpp"
#include "gap_handles.hpp"
#include "jamstat/analysis/intersectional_rollup.hpp"
#include "jamstat/analysis/intersectional_table.hpp"
#include "jamstat/analysis/maihda_linear.hpp"
#include "jamstat/analysis/maihda_logistic.hpp"
#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/analysis/oaxaca_blinder_logit.hpp"
#include "jamstat/analysis/oaxaca_cross_products.hpp"
#include "../engine/message_text.hpp"

namespace analysis = jamstat::analysis;
using namespace jamstat::c_api;

namespace {

constexpr std::uint32_t maihda_magic = 0x4A534D48;         // "JSMH"
constexpr std::uint32_t decomposition_magic = 0x4A534F42;  // "JSOB"

// A fitted model's columns.
struct model_columns {
  std::vector<std::string> terms;
  std::vector<const char*> term_ptrs;
  std::vector<double> estimate, standard_error;
  std::vector<const char*> labels;
  std::vector<std::vector<std::uint32_t>> levels;  // [dimension][stratum]
  std::vector<const std::uint32_t*> level_ptrs;
  std::vector<std::uint64_t> participations;
  std::vector<double> observed, random_effect, random_effect_sd, random_effect_lower, random_effect_upper, predicted,
      predicted_lower, predicted_upper;
  std::vector<std::int32_t> clearly_nonzero;
};

}  // namespace

struct jamstat_maihda {
  std::uint32_t magic;
  analysis::maihda_fit models[2];
  double pcv = 0, auc_null = 0, auc_additive = 0;
  model_columns columns[2];
  std::vector<std::uint64_t> interactions;  // indices into the additive model's strata
};

struct jamstat_decomposition {
  std::uint32_t magic;
  analysis::oaxaca_blinder_result result;
  std::uint64_t other_sex_participations = 0;
  std::vector<const char*> characteristic, level;
  std::vector<std::int32_t> is_total;
  std::vector<double> explained, explained_se, unexplained, unexplained_se;
};

namespace {

std::vector<std::string> dimension_names(const char* const* names, std::size_t count, const char* what) {
  std::vector<std::string> out;
  if (count) require(names, what);
  for (std::size_t i = 0; i < count; ++i) out.emplace_back(require(names[i], (std::string(what) + "[" + std::to_string(i) + "]").c_str()));
  return out;
}

analysis::oaxaca_options oaxaca_options_of(const jamstat_oaxaca_options& o) {
  analysis::oaxaca_options oo;
  switch (o.reference) {
    case JAMSTAT_OAXACA_POOLED: oo.reference = analysis::oaxaca_reference::pooled; break;
    case JAMSTAT_OAXACA_WOMEN: oo.reference = analysis::oaxaca_reference::first_group; break;
    case JAMSTAT_OAXACA_MEN: oo.reference = analysis::oaxaca_reference::second_group; break;
    case JAMSTAT_OAXACA_WEIGHTED: oo.reference = analysis::oaxaca_reference::weighted; break;
    default: oo.reference = analysis::oaxaca_reference::pooled_with_group_indicator;
  }
  oo.first_group_weight = o.women_weight;
  return oo;
}

// The detailed terms column-wise, pointing into the handle's own result.
void export_terms(jamstat_decomposition& d) {
  for (const analysis::oaxaca_row& row : d.result.terms) {
    d.characteristic.push_back(row.characteristic.c_str());
    d.level.push_back(row.level.c_str());
    d.is_total.push_back(row.kind == analysis::oaxaca_row_kind::characteristic_total ? 1 : 0);
    d.explained.push_back(row.explained);
    d.explained_se.push_back(row.explained_se);
    d.unexplained.push_back(row.unexplained);
    d.unexplained_se.push_back(row.unexplained_se);
  }
}

// The roll-up by sex and the named dimensions (which must be dimensions besides sex).
jamstat::rollup_table strata_table(const jamstat::aggregator& a, const std::vector<std::string>& names) {
  if (names.empty()) throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "name at least one dimension besides sex");
  std::vector<std::string_view> views(names.begin(), names.end());
  for (const std::string& n : names)
    if (n == "sex") throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "sex is always a stratum-defining dimension: name the others");
  return jamstat::rollup(a, jamstat::grouping_set::of(a.schema_ref(), views));
}

void require_subject(const jamstat::schema& s, std::uint32_t kind, std::uint32_t subject) {
  if (kind > JAMSTAT_SUBJECT_MEASURE)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "subject_kind is " + std::to_string(kind) +
                                                        "; expected JAMSTAT_SUBJECT_OUTCOME (0) or JAMSTAT_SUBJECT_MEASURE (1)");
  const std::size_t n = kind == JAMSTAT_SUBJECT_OUTCOME ? s.outcomes().size() : s.numeric_measures().size();
  if (subject >= n)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, std::string(kind == JAMSTAT_SUBJECT_OUTCOME ? "outcome " : "numeric measure ") +
                                                        std::to_string(subject) + " is out of range (there are " + std::to_string(n) + ")");
}

// The options of both Oaxaca-Blinder entry points, checked: struct size and tail, subject, reference.
const jamstat_oaxaca_options& checked_oaxaca_options(const jamstat::aggregator& a, const jamstat_oaxaca_options* options) {
  const jamstat_oaxaca_options& o = *require(options, "options");
  require_input_struct(options, o.struct_size, JAMSTAT_FIELD_END(jamstat_oaxaca_options, english), sizeof(jamstat_oaxaca_options),
                       "options", "JAMSTAT_OAXACA_OPTIONS_INIT");
  require_subject(a.schema_ref(), o.subject_kind, o.subject);
  if (o.reference > JAMSTAT_OAXACA_WEIGHTED)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "options.reference is " + std::to_string(o.reference) + "; expected 0 to 4");
  return o;
}

void fill_model(model_columns& c, const analysis::maihda_fit& f, std::size_t dimensions) {
  for (const auto& e : f.fixed_effects) {
    c.terms.push_back(e.term);
    c.estimate.push_back(e.estimate);
    c.standard_error.push_back(e.standard_error);
  }
  for (const std::string& t : c.terms) c.term_ptrs.push_back(t.c_str());
  c.levels.assign(dimensions, {});
  for (const analysis::maihda_stratum& st : f.strata) {
    c.labels.push_back(st.label.c_str());
    for (std::size_t d = 0; d < dimensions; ++d) c.levels[d].push_back(d < st.levels.size() ? st.levels[d] : 0);
    c.participations.push_back(st.participations);
    c.observed.push_back(st.observed);
    c.random_effect.push_back(st.random_effect);
    c.random_effect_sd.push_back(st.random_effect_sd);
    c.random_effect_lower.push_back(st.random_effect_lower);
    c.random_effect_upper.push_back(st.random_effect_upper);
    c.predicted.push_back(st.predicted);
    c.predicted_lower.push_back(st.predicted_lower);
    c.predicted_upper.push_back(st.predicted_upper);
    c.clearly_nonzero.push_back(st.clearly_nonzero ? 1 : 0);
  }
  for (auto& l : c.levels) c.level_ptrs.push_back(l.data());
}

}  // namespace

extern "C" {

jamstat_status jamstat_strata_report_new(const jamstat_aggregator* aggregator, const char* const* dimensions,
                                         size_t dimension_count, const jamstat_gap_options* options, jamstat_gap_report** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    const jamstat_gap_options defaults = JAMSTAT_GAP_OPTIONS_INIT;
    const jamstat_gap_options& o = options ? *options : defaults;
    if (options)
      require_input_struct(options, options->struct_size, JAMSTAT_FIELD_END(jamstat_gap_options, seed), sizeof(jamstat_gap_options),
                           "options", "JAMSTAT_GAP_OPTIONS_INIT");
    if (o.compare_across_count || o.adjust_for_count || o.target || o.previous)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                      "a strata report compares women and men within each stratum: options.compare_across, adjust_for, target "
                      "and previous must be empty");
    analysis::intersectional_table_options to;
    to.confidence_level = o.confidence_level;
    to.minimum_persons = o.minimum_persons;
    to.offered_outcomes = dimension_names(o.offered_outcomes, o.offered_outcome_count, "options.offered_outcomes");
    if (o.current_period) to.period = o.current_period;
    analysis::intersectional_table t =
        analysis::build_intersectional_table(a, dimension_names(dimensions, dimension_count, "dimensions"), to);
    auto report = std::make_unique<jamstat_gap_report>();
    report->magic = gap_report_magic;
    report->report = std::move(t.report);
    build_finding_columns(*report);
    // The strata: findings use the report's own dimension numbering (the stratum is dimension 0 of
    // its schema); in the C ABI a stratum's findings have grouping_dimension 0 too.
    for (std::int32_t& g : report->grouping_dimension)
      if (g >= 1) g = 0;
    report->strata_dimensions = t.dimensions;
    report->strata_levels.assign(t.dimensions.size(), {});
    for (const analysis::stratum_key& k : t.strata) {
      for (std::size_t d = 0; d < k.levels.size(); ++d) report->strata_levels[d].push_back(k.levels[d]);
      report->strata_label_sv.push_back(k.label_sv);
      report->strata_label_en.push_back(k.label_en);
    }
    for (auto& l : report->strata_levels) report->strata_level_ptrs.push_back(l.data());
    for (const auto& l : report->strata_label_sv) report->strata_label_sv_ptrs.push_back(l.c_str());
    for (const auto& l : report->strata_label_en) report->strata_label_en_ptrs.push_back(l.c_str());
    *out = report.release();
  });
}

jamstat_status jamstat_gap_report_strata(const jamstat_gap_report* report, jamstat_strata* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_strata, label_en), "out", "JAMSTAT_STRATA_INIT");
    const jamstat_gap_report& r = *require_handle(report, gap_report_magic, "report", "jamstat_gap_report");
    out->dimension_count = r.strata_dimensions.size();
    out->dimensions = r.strata_dimensions.data();
    out->count = r.strata_label_sv.size();
    out->level_indices = r.strata_level_ptrs.data();
    out->label_sv = r.strata_label_sv_ptrs.data();
    out->label_en = r.strata_label_en_ptrs.data();
  });
}

jamstat_status jamstat_maihda_new(const jamstat_aggregator* aggregator, const jamstat_maihda_options* options, jamstat_maihda** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    const jamstat_maihda_options& o = *require(options, "options");
    require_input_struct(options, o.struct_size, JAMSTAT_FIELD_END(jamstat_maihda_options, english), sizeof(jamstat_maihda_options),
                         "options", "JAMSTAT_MAIHDA_OPTIONS_INIT");
    require_subject(a.schema_ref(), o.subject_kind, o.subject);
    if (o.criterion > JAMSTAT_ML) throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "options.criterion is " + std::to_string(o.criterion));
    const jamstat::rollup_table table = strata_table(a, dimension_names(o.dimensions, o.dimension_count, "options.dimensions"));
    auto m = std::make_unique<jamstat_maihda>();
    m->magic = maihda_magic;
    std::size_t dims = 0;
    if (o.subject_kind == JAMSTAT_SUBJECT_MEASURE) {
      const analysis::maihda_measure_input in = analysis::maihda_measure_strata(a.schema_ref(), table, o.subject, o.english != 0);
      analysis::maihda_linear_options lo;
      lo.criterion = o.criterion == JAMSTAT_ML ? analysis::variance_criterion::ml : analysis::variance_criterion::reml;
      lo.interval_level = o.interval_level;
      analysis::maihda_linear_result r = analysis::fit_maihda_linear(in.dimensions, in.strata, lo);
      m->models[0] = std::move(r.null_model);
      m->models[1] = std::move(r.additive_model);
      m->pcv = r.pcv;
      m->auc_null = m->auc_additive = std::numeric_limits<double>::quiet_NaN();
      dims = in.dimensions.size();
    } else {
      const analysis::maihda_outcome_input in = analysis::maihda_outcome_strata(a.schema_ref(), table, o.subject, o.english != 0);
      analysis::maihda_logistic_options lo;
      lo.quadrature_nodes = static_cast<int>(o.quadrature_nodes);
      lo.interval_level = o.interval_level;
      analysis::maihda_logistic_result r = analysis::fit_maihda_logistic(in.dimensions, in.strata, lo);
      m->models[0] = std::move(r.null_model);
      m->models[1] = std::move(r.additive_model);
      m->pcv = r.pcv;
      m->auc_null = r.auc_null;
      m->auc_additive = r.auc_additive;
      dims = in.dimensions.size();
    }
    for (int k = 0; k < 2; ++k) fill_model(m->columns[k], m->models[k], dims);
    // The clearly non-zero strata of the additive model, largest |effect| first.
    for (std::size_t i = 0; i < m->models[1].strata.size(); ++i)
      if (m->models[1].strata[i].clearly_nonzero) m->interactions.push_back(i);
    std::stable_sort(m->interactions.begin(), m->interactions.end(), [&](std::uint64_t x, std::uint64_t y) {
      return std::fabs(m->models[1].strata[x].random_effect) > std::fabs(m->models[1].strata[y].random_effect);
    });
    *out = m.release();
  });
}

void jamstat_maihda_free(jamstat_maihda** maihda) { free_handle(maihda, maihda_magic, "jamstat_maihda"); }

jamstat_status jamstat_maihda_model_get(const jamstat_maihda* maihda, int32_t which, jamstat_maihda_model* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_maihda_model, clearly_nonzero), "out", "JAMSTAT_MAIHDA_MODEL_INIT");
    const jamstat_maihda& m = *require_handle(maihda, maihda_magic, "maihda", "jamstat_maihda");
    if (which != JAMSTAT_MAIHDA_NULL && which != JAMSTAT_MAIHDA_ADDITIVE)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "which is " + std::to_string(which) +
                                                          "; expected JAMSTAT_MAIHDA_NULL (0) or JAMSTAT_MAIHDA_ADDITIVE (1)");
    const analysis::maihda_fit& f = m.models[which];
    const model_columns& c = m.columns[which];
    out->theta = f.theta;
    out->between_variance = f.between_variance;
    out->residual_variance = f.residual_variance;
    out->vpc = f.vpc;
    out->deviance = f.deviance;
    out->boundary = f.boundary ? 1 : 0;
    out->fixed_effect_count = c.terms.size();
    out->term = c.term_ptrs.data();
    out->estimate = c.estimate.data();
    out->standard_error = c.standard_error.data();
    out->stratum_count = c.labels.size();
    out->label = c.labels.data();
    out->levels = c.level_ptrs.data();
    out->participations = c.participations.data();
    out->observed = c.observed.data();
    out->random_effect = c.random_effect.data();
    out->random_effect_sd = c.random_effect_sd.data();
    out->random_effect_lower = c.random_effect_lower.data();
    out->random_effect_upper = c.random_effect_upper.data();
    out->predicted = c.predicted.data();
    out->predicted_lower = c.predicted_lower.data();
    out->predicted_upper = c.predicted_upper.data();
    out->clearly_nonzero = c.clearly_nonzero.data();
  });
}

jamstat_status jamstat_maihda_summary(const jamstat_maihda* maihda, double* pcv, double* auc_null, double* auc_additive) {
  return guarded([&] {
    const jamstat_maihda& m = *require_handle(maihda, maihda_magic, "maihda", "jamstat_maihda");
    if (pcv) *pcv = m.pcv;
    if (auc_null) *auc_null = m.auc_null;
    if (auc_additive) *auc_additive = m.auc_additive;
  });
}

jamstat_status jamstat_maihda_interactions(const jamstat_maihda* maihda, const uint64_t** strata, size_t* count) {
  return guarded([&] {
    require(strata, "strata");
    require(count, "count");
    const jamstat_maihda& m = *require_handle(maihda, maihda_magic, "maihda", "jamstat_maihda");
    *strata = m.interactions.data();
    *count = m.interactions.size();
  });
}

jamstat_status jamstat_oaxaca_new(const jamstat_aggregator* aggregator, const jamstat_oaxaca_options* options,
                                  jamstat_decomposition** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    const jamstat_oaxaca_options& o = checked_oaxaca_options(a, options);
    if (o.nonlinear && o.subject_kind != JAMSTAT_SUBJECT_OUTCOME)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "options.nonlinear: the logit decomposition is for outcomes, not measures");
    const jamstat::rollup_table table =
        strata_table(a, dimension_names(o.characteristics, o.characteristic_count, "options.characteristics"));
    auto d = std::make_unique<jamstat_decomposition>();
    d->magic = decomposition_magic;
    const analysis::oaxaca_options oo = oaxaca_options_of(o);
    if (o.subject_kind == JAMSTAT_SUBJECT_MEASURE) {
      const analysis::oaxaca_measure_cells cells = analysis::oaxaca_measure_cells_from(a.schema_ref(), table, o.subject, o.english != 0);
      d->result = analysis::oaxaca_blinder(cells.design, analysis::moments_from_cells(cells.design, cells.women),
                                           analysis::moments_from_cells(cells.design, cells.men), oo);
      d->other_sex_participations = cells.other_sex_participations;
    } else {
      const analysis::oaxaca_outcome_cells cells = analysis::oaxaca_outcome_cells_from(a.schema_ref(), table, o.subject, o.english != 0);
      if (o.nonlinear) {
        d->result = analysis::oaxaca_blinder_logit(cells.design, cells.women, cells.men);
      } else {
        d->result = analysis::oaxaca_blinder(cells.design, analysis::moments_from_cells(cells.design, cells.women),
                                             analysis::moments_from_cells(cells.design, cells.men), oo);
      }
      d->other_sex_participations = cells.other_sex_participations;
    }
    export_terms(*d);
    *out = d.release();
  });
}

jamstat_status jamstat_oaxaca_numeric_new(const jamstat_aggregator* aggregator, const jamstat_oaxaca_options* options,
                                          const char* const* numeric, size_t numeric_count, jamstat_decomposition** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    const jamstat_oaxaca_options& o = checked_oaxaca_options(a, options);
    if (o.nonlinear)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                      "options.nonlinear: with numeric characteristics only the linear decomposition is available");
    const jamstat::schema& s = a.schema_ref();
    analysis::oaxaca_cross_product_request request;
    request.y = o.subject_kind == JAMSTAT_SUBJECT_MEASURE ? s.numeric_measures()[o.subject].name : s.outcomes()[o.subject].name;
    request.numeric = dimension_names(numeric, numeric_count, "numeric");
    request.categorical = dimension_names(o.characteristics, o.characteristic_count, "options.characteristics");
    request.english = o.english != 0;
    // A schema without the set, or a name not in it: usage_error, i.e. JAMSTAT_ERROR_INVALID_ARGUMENT.
    const analysis::oaxaca_cross_product_input in = analysis::oaxaca_input_from_cross_products(a, request);
    auto d = std::make_unique<jamstat_decomposition>();
    d->magic = decomposition_magic;
    d->result = analysis::oaxaca_blinder(in.design, in.women, in.men, oaxaca_options_of(o));
    d->other_sex_participations = in.other_sex_participations;
    export_terms(*d);
    *out = d.release();
  });
}

void jamstat_decomposition_free(jamstat_decomposition** decomposition) {
  free_handle(decomposition, decomposition_magic, "jamstat_decomposition");
}

jamstat_status jamstat_decomposition_result_get(const jamstat_decomposition* decomposition, jamstat_decomposition_result* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_decomposition_result, unexplained_term_se), "out",
                        "JAMSTAT_DECOMPOSITION_RESULT_INIT");
    const jamstat_decomposition& d = *require_handle(decomposition, decomposition_magic, "decomposition", "jamstat_decomposition");
    const analysis::oaxaca_blinder_result& r = d.result;
    out->women_participations = r.first_participations;
    out->men_participations = r.second_participations;
    out->other_sex_participations = d.other_sex_participations;
    out->women_mean = r.first_mean;
    out->men_mean = r.second_mean;
    out->gap = r.gap;
    out->gap_se = r.gap_se;
    out->explained = r.explained;
    out->explained_se = r.explained_se;
    out->unexplained = r.unexplained;
    out->unexplained_se = r.unexplained_se;
    out->endowments = r.endowments;
    out->endowments_se = r.endowments_se;
    out->coefficients = r.coefficients;
    out->coefficients_se = r.coefficients_se;
    out->interaction = r.interaction;
    out->interaction_se = r.interaction_se;
    out->term_count = d.characteristic.size();
    out->characteristic = d.characteristic.data();
    out->level = d.level.data();
    out->is_total = d.is_total.data();
    out->explained_term = d.explained.data();
    out->explained_term_se = d.explained_se.data();
    out->unexplained_term = d.unexplained.data();
    out->unexplained_term_se = d.unexplained_se.data();
  });
}

}  // extern "C"
