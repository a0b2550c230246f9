// The gap report through the C ABI: target groups, options, and the findings table column-wise.
#include <cstddef>
#include <limits>

#include "firewall.hpp"
#include "gap_handles.hpp"
#include "jamstat/analysis/gap_adapter.hpp"
#include "jamstat/analysis/gap_report.hpp"
#include "../engine/message_text.hpp"

struct jamstat_target_group {
  std::uint32_t magic;
  std::shared_ptr<const jamstat::schema> schema;
  std::vector<std::size_t> dimensions;  // schema indices
  jamstat::analysis::target_group target;
};

using namespace jamstat::c_api;
namespace analysis = jamstat::analysis;

namespace {

constexpr std::uint32_t target_magic = 0x4A535447;  // "JSTG"

const jamstat_target_group* check_target(const jamstat_target_group* h) {
  return require_handle(h, target_magic, "target", "jamstat_target_group");
}

std::vector<std::string> names(const char* const* list, std::size_t count, const char* what) {
  std::vector<std::string> out;
  if (count) require(list, what);
  for (std::size_t i = 0; i < count; ++i) out.emplace_back(require(list[i], (std::string(what) + "[" + std::to_string(i) + "]").c_str()));
  return out;
}

// Engine dimension indices for the report's (which leave sex out): d - 1 there is d here.
std::int32_t engine_dimension(std::int32_t report_dimension) { return report_dimension < 0 ? -1 : report_dimension + 1; }

std::uint64_t engine_mask(std::uint64_t report_mask) { return report_mask << 1; }

void fill_sex(jamstat_gap_report::sex_arrays& a, const analysis::sex_figures& f) {
  a.persons.push_back(f.persons);
  a.participations.push_back(f.participations);
  a.base.push_back(f.base);
  a.amount.push_back(f.amount);
  a.estimate.push_back(f.estimate);
  a.lower.push_back(f.lower);
  a.upper.push_back(f.upper);
  a.standard_error.push_back(f.standard_error);
}

jamstat_sex_columns columns_of(const jamstat_gap_report::sex_arrays& a) {
  return {a.persons.data(), a.participations.data(), a.base.data(), a.amount.data(), a.estimate.data(), a.lower.data(),
          a.upper.data(), a.standard_error.data()};
}

}  // namespace

void jamstat::c_api::build_finding_columns(jamstat_gap_report& r) {
  const std::size_t n = r.report.findings.size();
  for (const analysis::finding& f : r.report.findings) {
    r.kind.push_back(static_cast<std::int32_t>(f.kind));
    r.period.push_back(static_cast<std::int32_t>(f.period));
    r.status.push_back(static_cast<std::int32_t>(f.status));
    r.adjusted.push_back(f.adjusted ? 1 : 0);
    const bool subject_is_dimension = f.kind == analysis::finding_kind::distribution || f.kind == analysis::finding_kind::distribution_level;
    r.subject.push_back(subject_is_dimension ? engine_dimension(f.subject) : f.subject);
    r.subject_level.push_back(f.subject_level);
    r.grouping_dimension.push_back(engine_dimension(f.grouping_dimension));
    r.grouping_level.push_back(f.grouping_level);
    r.adjusted_for.push_back(engine_mask(f.adjusted_for));
    fill_sex(r.women, f.women);
    fill_sex(r.men, f.men);
    fill_sex(r.not_known, f.not_known);
    fill_sex(r.not_applicable, f.not_applicable);
    r.effect.push_back(static_cast<std::int32_t>(f.effect));
    r.difference.push_back(f.difference);
    r.difference_lower.push_back(f.difference_lower);
    r.difference_upper.push_back(f.difference_upper);
    r.difference_standard_error.push_back(f.difference_standard_error);
    r.ratio.push_back(f.ratio);
    r.ratio_lower.push_back(f.ratio_lower);
    r.ratio_upper.push_back(f.ratio_upper);
    r.ratio_log_standard_error.push_back(f.ratio_log_standard_error);
    r.odds_ratio.push_back(f.odds_ratio);
    r.odds_ratio_lower.push_back(f.odds_ratio_lower);
    r.odds_ratio_upper.push_back(f.odds_ratio_upper);
    r.odds_ratio_log_standard_error.push_back(f.odds_ratio_log_standard_error);
    r.statistic.push_back(f.statistic);
    r.df.push_back(f.df);
    r.p_value.push_back(f.p_value);
    r.q_value.push_back(f.q_value);
    r.holm_p_value.push_back(f.holm_p_value);
    r.method.push_back(static_cast<std::int32_t>(f.method));
    r.homogeneity_p_value.push_back(f.homogeneity_p_value);
    r.monte_carlo_standard_error.push_back(f.monte_carlo_standard_error);
    r.persons.push_back(f.persons);
    r.participations.push_back(f.participations);
    r.persons_exact.push_back(f.persons_exact ? 1 : 0);
    r.smallest_cell_persons.push_back(f.smallest_cell_persons);
  }
  // The strings stay in the report's findings; the columns point at them.
  for (std::size_t i = 0; i < n; ++i) {
    const analysis::finding& f = r.report.findings[i];
    r.what_sv.push_back(f.what_sv.c_str());
    r.what_en.push_back(f.what_en.c_str());
    r.grouping_sv.push_back(f.grouping_sv.c_str());
    r.grouping_en.push_back(f.grouping_en.c_str());
    r.adjusted_for_sv.push_back(f.adjusted_for_sv.c_str());
    r.adjusted_for_en.push_back(f.adjusted_for_en.c_str());
    r.period_label.push_back(f.period_label.c_str());
    r.verdict_sv.push_back(f.verdict_sv.c_str());
    r.verdict_en.push_back(f.verdict_en.c_str());
  }
}

namespace {
}  // namespace

extern "C" {

jamstat_status jamstat_target_group_new(const jamstat_schema* schema, const size_t* dimensions, size_t dimension_count,
                                        jamstat_target_group** out) {
  return guarded([&] {
    require(out, "out");
    const auto& s = check(schema)->schema;
    if (dimension_count) require(dimensions, "dimensions");
    if (dimension_count >= s->dimensions().size())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "dimension_count is " + std::to_string(dimension_count) + "; the schema has " +
                                                          std::to_string(s->dimensions().size() - 1) + " dimensions besides sex");
    std::vector<std::size_t> engine, report;
    for (size_t i = 0; i < dimension_count; ++i) {
      if (dimensions[i] == 0 || dimensions[i] >= s->dimensions().size())
        throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "dimensions[" + std::to_string(i) + "] is " + std::to_string(dimensions[i]) +
                                                            "; expected a dimension other than sex (1 to " +
                                                            std::to_string(s->dimensions().size() - 1) + ")");
      engine.push_back(dimensions[i]);
      report.push_back(dimensions[i] - 1);
    }
    *out = new jamstat_target_group{target_magic, s, engine, analysis::target_group(report)};
  });
}

jamstat_status jamstat_target_group_add(jamstat_target_group* target, const uint32_t* level_indices, size_t count,
                                        int32_t sex_code, uint64_t population) {
  return guarded([&] {
    jamstat_target_group* t = const_cast<jamstat_target_group*>(check_target(target));
    if (count != t->dimensions.size())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "count is " + std::to_string(count) + "; the target group has " +
                                                          std::to_string(t->dimensions.size()) + " dimensions");
    if (count) require(level_indices, "level_indices");
    for (size_t k = 0; k < count; ++k)
      require_index(level_indices[k], t->schema->dimensions()[t->dimensions[k]].cardinality(), "level index");
    t->target.add({level_indices, count}, sex_code, population);
  });
}

void jamstat_target_group_free(jamstat_target_group** target) { free_handle(target, target_magic, "jamstat_target_group"); }

jamstat_status jamstat_gap_report_new(const jamstat_aggregator* aggregator, const jamstat_gap_options* options,
                                      jamstat_gap_report** out) {
  return guarded([&] {
    require(out, "out");
    const jamstat::aggregator& a = check(aggregator)->aggregator;
    const jamstat_gap_options defaults = JAMSTAT_GAP_OPTIONS_INIT;
    const jamstat_gap_options& o = options ? *options : defaults;
    if (options)
      require_input_struct(options, options->struct_size, JAMSTAT_FIELD_END(jamstat_gap_options, seed), sizeof(jamstat_gap_options),
                           "options", "JAMSTAT_GAP_OPTIONS_INIT");
    if (o.exact_rule > JAMSTAT_EXACT_NEVER)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "options.exact_rule is " + std::to_string(o.exact_rule) + "; expected 0 to 3");
    if (!(o.confidence_level > 0 && o.confidence_level < 1))
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "options.confidence_level must be between 0 and 1");
    analysis::gap_schema gs = analysis::gap_schema_from(a.schema_ref());
    for (const std::string& name : names(o.offered_outcomes, o.offered_outcome_count, "options.offered_outcomes")) {
      bool found = false;
      for (auto& outcome : gs.outcomes)
        if (outcome.name == name) {
          outcome.role = analysis::outcome_role::offered;
          found = true;
        }
      if (!found)
        throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "options.offered_outcomes: no outcome is called '" +
                                                            jamstat::detail::text_for_message(name) + "'");
    }
    analysis::gap_report_options ro;
    ro.compare_across = names(o.compare_across, o.compare_across_count, "options.compare_across");
    ro.adjust_for = names(o.adjust_for, o.adjust_for_count, "options.adjust_for");
    const analysis::gap_cells current = analysis::gap_cells_from(a);
    std::optional<analysis::gap_cells> previous;
    if (o.previous) {
      const jamstat::aggregator& p = check(o.previous, "options.previous")->aggregator;
      if (!(p.schema_ref() == a.schema_ref()))
        throw api_error(JAMSTAT_ERROR_SCHEMA_MISMATCH, "options.previous has a different schema than the aggregator");
      previous.emplace(analysis::gap_cells_from(p));
      ro.previous = &*previous;
    }
    if (o.target) {
      const jamstat_target_group* t = check_target(o.target);
      if (!(*t->schema == a.schema_ref()))
        throw api_error(JAMSTAT_ERROR_SCHEMA_MISMATCH, "options.target was made for a different schema than the aggregator's");
      ro.target = &t->target;
    }
    if (o.current_period) ro.current_period = o.current_period;
    if (o.previous_period) ro.previous_period = o.previous_period;
    ro.confidence_level = o.confidence_level;
    ro.minimum_persons = o.minimum_persons;
    ro.continuity_correction = o.continuity_correction != 0;
    ro.exact = static_cast<analysis::exact_rule>(o.exact_rule);
    ro.exact_options.max_exact_steps = o.max_exact_steps;
    ro.exact_options.replicates = o.monte_carlo_replicates;
    ro.exact_options.seed = o.seed;
    auto report = std::make_unique<jamstat_gap_report>();
    report->magic = gap_report_magic;
    report->report = analysis::build_gap_report(gs, current, ro);
    build_finding_columns(*report);
    *out = report.release();
  });
}

void jamstat_gap_report_free(jamstat_gap_report** report) { free_handle(report, gap_report_magic, "jamstat_gap_report"); }

jamstat_status jamstat_gap_report_tests(const jamstat_gap_report* report, uint64_t* tests, double* significance_level) {
  return guarded([&] {
    const jamstat_gap_report* r = require_handle(report, gap_report_magic, "report", "jamstat_gap_report");
    if (tests) *tests = r->report.tests;
    if (significance_level) *significance_level = r->report.significance_level;
  });
}

jamstat_status jamstat_gap_report_findings(const jamstat_gap_report* report, jamstat_findings* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_findings, verdict_en), "out", "JAMSTAT_FINDINGS_INIT");
    const jamstat_gap_report& r = *require_handle(report, gap_report_magic, "report", "jamstat_gap_report");
    out->count = r.report.findings.size();
    out->kind = r.kind.data();
    out->period = r.period.data();
    out->status = r.status.data();
    out->adjusted = r.adjusted.data();
    out->subject = r.subject.data();
    out->subject_level = r.subject_level.data();
    out->grouping_dimension = r.grouping_dimension.data();
    out->grouping_level = r.grouping_level.data();
    out->adjusted_for = r.adjusted_for.data();
    out->women = columns_of(r.women);
    out->men = columns_of(r.men);
    out->not_known = columns_of(r.not_known);
    out->not_applicable = columns_of(r.not_applicable);
    out->effect = r.effect.data();
    out->difference = r.difference.data();
    out->difference_lower = r.difference_lower.data();
    out->difference_upper = r.difference_upper.data();
    out->difference_standard_error = r.difference_standard_error.data();
    out->ratio = r.ratio.data();
    out->ratio_lower = r.ratio_lower.data();
    out->ratio_upper = r.ratio_upper.data();
    out->ratio_log_standard_error = r.ratio_log_standard_error.data();
    out->odds_ratio = r.odds_ratio.data();
    out->odds_ratio_lower = r.odds_ratio_lower.data();
    out->odds_ratio_upper = r.odds_ratio_upper.data();
    out->odds_ratio_log_standard_error = r.odds_ratio_log_standard_error.data();
    out->statistic = r.statistic.data();
    out->df = r.df.data();
    out->p_value = r.p_value.data();
    out->q_value = r.q_value.data();
    out->holm_p_value = r.holm_p_value.data();
    out->method = r.method.data();
    out->homogeneity_p_value = r.homogeneity_p_value.data();
    out->monte_carlo_standard_error = r.monte_carlo_standard_error.data();
    out->persons = r.persons.data();
    out->participations = r.participations.data();
    out->persons_exact = r.persons_exact.data();
    out->smallest_cell_persons = r.smallest_cell_persons.data();
    out->what_sv = r.what_sv.data();
    out->what_en = r.what_en.data();
    out->grouping_sv = r.grouping_sv.data();
    out->grouping_en = r.grouping_en.data();
    out->adjusted_for_sv = r.adjusted_for_sv.data();
    out->adjusted_for_en = r.adjusted_for_en.data();
    out->period_label = r.period_label.data();
    out->verdict_sv = r.verdict_sv.data();
    out->verdict_en = r.verdict_en.data();
  });
}

}  // extern "C"
