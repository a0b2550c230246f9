// The standard report: which analyses run on what by default, run them (skipping, with a note,
// those the data cannot support), and build the report.
#include "jamstat/report/standard_report.hpp"

#include <algorithm>
#include <exception>

#include "jamstat/analysis/gap_adapter.hpp"
#include "jamstat/analysis/gap_report.hpp"
#include "jamstat/analysis/intersectional_rollup.hpp"
#include "jamstat/analysis/intersectional_table.hpp"
#include "jamstat/analysis/maihda_linear.hpp"
#include "jamstat/analysis/maihda_logistic.hpp"
#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/analysis/oaxaca_blinder_design.hpp"
#include "jamstat/analysis/oaxaca_blinder_logit.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/rollup.hpp"
#include "jamstat/report/build_report.hpp"

namespace jamstat::report {

namespace {

// The options with their defaults resolved against the schema.
struct plan {
  std::vector<std::string> compare_across;
  std::vector<std::string> legitimate_factors;
  std::vector<std::string> grounds;  // intersectional dimensions
  std::size_t outcome = 0;
  bool has_outcome = false;
};

std::size_t dimension_named(const schema& s, const std::string& option, const std::string& name) {
  const auto d = s.dimension_index(name);
  if (!d) {
    std::string known;
    for (std::size_t i = 1; i < s.dimensions().size(); ++i) known += (known.empty() ? "" : ", ") + s.dimensions()[i].name();
    throw usage_error("standard_analyses_options." + option + ": no dimension is called '" + name +
                      "' (the schema's dimensions after sex: " + (known.empty() ? "none" : known) + ")");
  }
  if (*d == 0)
    throw usage_error("standard_analyses_options." + option + ": sex is compared in every analysis; name other dimensions");
  return *d;
}

void check_unique(const std::vector<std::string>& names, const std::string& option) {
  for (std::size_t i = 0; i < names.size(); ++i)
    for (std::size_t j = i + 1; j < names.size(); ++j)
      if (names[i] == names[j]) throw usage_error("standard_analyses_options." + option + ": '" + names[i] + "' is named twice");
}

plan resolve(const report_input& in, const standard_analyses_options& o) {
  if (in.current == nullptr) throw usage_error("report_input.current: the current period's aggregator is required");
  const schema& s = in.current->schema_ref();
  plan p;
  for (const std::string& n : o.compare_across) dimension_named(s, "compare_across", n);
  for (const std::string& n : o.legitimate_factors) dimension_named(s, "legitimate_factors", n);
  for (const std::string& n : o.intersectional_dimensions) dimension_named(s, "intersectional_dimensions", n);
  check_unique(o.compare_across, "compare_across");
  check_unique(o.legitimate_factors, "legitimate_factors");
  check_unique(o.intersectional_dimensions, "intersectional_dimensions");
  for (const std::string& n : o.offered_outcomes) {
    const auto& outs = s.outcomes();
    if (std::none_of(outs.begin(), outs.end(), [&](const outcome& x) { return x.name == n; }))
      throw usage_error("standard_analyses_options.offered_outcomes: no outcome is called '" + n + "'");
  }
  if (!in.chart_dimension.empty()) dimension_named(s, "chart_dimension (report_input)", in.chart_dimension);

  // The chart dimension, as build_report resolves it.
  std::size_t chart = 0;
  if (!in.chart_dimension.empty()) chart = *s.dimension_index(in.chart_dimension);
  else if (const auto d = s.dimension_index("intervention")) chart = *d;
  else if (s.dimensions().size() > 1) chart = 1;

  p.compare_across = o.compare_across;
  if (p.compare_across.empty() && chart != 0) p.compare_across.push_back(s.dimensions()[chart].name());
  p.legitimate_factors = o.legitimate_factors;
  p.grounds = o.intersectional_dimensions;
  if (p.grounds.empty()) {
    for (std::size_t d = 1; d < s.dimensions().size() && p.grounds.size() < 2; ++d) {
      const std::string& name = s.dimensions()[d].name();
      // Only the chart dimension (the intervention) is left out: a dimension the findings are also
      // compared across (age band, birth region) is still a ground of a power order.
      if (d == chart) continue;
      p.grounds.push_back(name);
    }
  }
  if (!o.outcome.empty()) {
    const auto& outs = s.outcomes();
    const auto it = std::find_if(outs.begin(), outs.end(), [&](const outcome& x) { return x.name == o.outcome; });
    if (it == outs.end()) throw usage_error("standard_analyses_options.outcome: no outcome is called '" + o.outcome + "'");
    p.outcome = static_cast<std::size_t>(it - outs.begin());
    p.has_outcome = true;
  } else {
    p.has_outcome = !s.outcomes().empty();
  }
  return p;
}

std::vector<std::string_view> views(const std::vector<std::string>& names) {
  return std::vector<std::string_view>(names.begin(), names.end());
}

// A note that an analysis was skipped, with the library's reason (in English: error messages are).
analysis::bilingual skipped(const std::string& sv, const std::string& en, const std::exception& e) {
  return {sv + " (" + e.what() + ")", en + " (" + e.what() + ")"};
}

}  // namespace

standard_analyses run_standard_analyses(const report_input& in, const standard_analyses_options& o) {
  const plan p = resolve(in, o);
  const aggregator& a = *in.current;
  const schema& s = a.schema_ref();
  standard_analyses out;
  out.outcome = p.outcome;
  out.logit_decomposition = o.logit_decomposition;

  // The gap report: raw and adjusted, across the compared dimensions, this period and the last.
  {
    analysis::gap_schema gs = analysis::gap_schema_from(s, in.dimension_labels);
    for (analysis::gap_outcome& x : gs.outcomes)
      if (std::find(o.offered_outcomes.begin(), o.offered_outcomes.end(), x.name) != o.offered_outcomes.end())
        x.role = analysis::outcome_role::offered;
    const analysis::gap_cells now = analysis::gap_cells_from(a);
    std::optional<analysis::gap_cells> before;
    if (in.previous != nullptr) before = analysis::gap_cells_from(*in.previous);
    analysis::gap_report_options g;
    g.compare_across = p.compare_across;
    g.adjust_for = p.legitimate_factors;
    g.target = o.target;
    g.previous = before ? &*before : nullptr;
    g.current_period = in.period;
    g.previous_period = in.previous_period;
    g.confidence_level = in.confidence_level;
    g.minimum_persons = o.minimum_persons;
    out.gap = std::make_shared<const analysis::gap_report>(analysis::build_gap_report(gs, now, g));
  }

  // The intersectional view: strata of the grounds crossed with sex.
  if (!p.grounds.empty()) {
    analysis::intersectional_table_options t;
    t.confidence_level = in.confidence_level;
    t.minimum_persons = o.minimum_persons;
    t.offered_outcomes = o.offered_outcomes;
    t.period = in.period;
    out.strata = std::make_shared<const analysis::intersectional_table>(analysis::build_intersectional_table(a, p.grounds, t));

    // MAIHDA over sex x the grounds (sex is one of the intersecting grounds).
    if (o.maihda) {
      const grouping_set g = grouping_set::of(s, views(p.grounds));
      const rollup_table strata = rollup(a, g);
      const bool en = in.lang == language::en;
      if (p.has_outcome) {
        try {
          const analysis::maihda_outcome_input x = analysis::maihda_outcome_strata(s, strata, p.outcome, en);
          analysis::maihda_logistic_options m;
          m.interval_level = in.confidence_level;
          out.maihda.push_back({g, statistic_family::outcome, p.outcome,
                                std::make_shared<const analysis::maihda_logistic_result>(
                                    analysis::fit_maihda_logistic(x.dimensions, x.strata, m)),
                                nullptr});
        } catch (const std::exception& e) {
          out.notes.push_back(skipped("MAIHDA av " + s.outcomes()[p.outcome].name + " kunde inte skattas",
                                      "MAIHDA of " + s.outcomes()[p.outcome].name + " could not be fitted", e));
        }
      }
      if (o.maihda_of_measures)
        for (std::size_t k = 0; k < s.numeric_measures().size(); ++k) {
          try {
            const analysis::maihda_measure_input x = analysis::maihda_measure_strata(s, strata, k, en);
            analysis::maihda_linear_options m;
            m.interval_level = in.confidence_level;
            out.maihda.push_back({g, statistic_family::measure, k, nullptr,
                                  std::make_shared<const analysis::maihda_linear_result>(
                                      analysis::fit_maihda_linear(x.dimensions, x.strata, m))});
          } catch (const std::exception& e) {
            out.notes.push_back(skipped("MAIHDA av " + s.numeric_measures()[k].name + " kunde inte skattas",
                                        "MAIHDA of " + s.numeric_measures()[k].name + " could not be fitted", e));
          }
        }
    }
  }

  // The decomposition of the outcome's gap by the legitimate factors.
  if (o.decomposition && p.has_outcome && !p.legitimate_factors.empty()) {
    try {
      const rollup_table cells = rollup(a, grouping_set::of(s, views(p.legitimate_factors)));
      const analysis::oaxaca_outcome_cells c = analysis::oaxaca_outcome_cells_from(s, cells, p.outcome, in.lang == language::en);
      out.decomposition = std::make_shared<const analysis::oaxaca_blinder_result>(
          o.logit_decomposition ? analysis::oaxaca_blinder_logit(c.design, c.women, c.men)
                                : analysis::oaxaca_blinder(c.design, analysis::moments_from_cells(c.design, c.women),
                                                           analysis::moments_from_cells(c.design, c.men)));
    } catch (const std::exception& e) {
      out.notes.push_back(skipped("Skillnaden i " + s.outcomes()[p.outcome].name + " kunde inte delas upp (Oaxaca-Blinder)",
                                  "The gap in " + s.outcomes()[p.outcome].name + " could not be decomposed (Oaxaca-Blinder)", e));
    }
  } else if (o.decomposition && p.has_outcome) {
    out.notes.push_back({"Ingen uppdelning i förklarad och oförklarad skillnad: inga legitima faktorer är angivna.",
                         "No split into explained and unexplained gap: no legitimate factors were given."});
  }
  return out;
}

void attach(report_input& in, const standard_analyses& x) {
  in.gap = x.gap.get();
  in.strata = x.strata.get();
  in.heat_map_outcome = x.outcome;
  in.maihda.clear();
  for (const standard_analyses::maihda_run& m : x.maihda)
    in.maihda.push_back({m.strata, m.family, m.index, m.logistic.get(), m.linear.get()});
  in.decomposition.reset();
  if (x.decomposition)
    in.decomposition = decomposition_input{statistic_family::outcome, x.outcome, x.logit_decomposition, x.decomposition.get()};
  in.analysis_notes = x.notes;
}

report_model build_standard_report(report_input input, const standard_analyses_options& options) {
  const standard_analyses analyses = run_standard_analyses(input, options);
  attach(input, analyses);
  return build_report(input);
}

std::vector<std::uint64_t> standard_report_groupings(const report_input& input, const standard_analyses_options& options) {
  const plan p = resolve(input, options);
  const schema& s = input.current->schema_ref();
  // The groupings of the tables, plus those the analyses read (without running them).
  report_input tables = input;
  tables.gap = nullptr;
  tables.strata = nullptr;
  tables.maihda.clear();
  tables.decomposition.reset();
  std::vector<std::uint64_t> out = published_groupings(tables);
  auto add = [&](std::uint64_t mask) {
    if (std::find(out.begin(), out.end(), mask) == out.end()) out.push_back(mask);
  };
  // Findings: sex alone and sex x every dimension compared across.
  for (const std::string& n : p.compare_across) add(1 | (std::uint64_t{1} << *s.dimension_index(n)));
  if (!p.grounds.empty()) {
    std::uint64_t mask = 0;
    for (const std::string& n : p.grounds) mask |= std::uint64_t{1} << *s.dimension_index(n);
    add(mask);      // the strata table's total column
    add(mask | 1);  // its cells by sex, the heat map and MAIHDA's strata
  }
  return out;
}

}  // namespace jamstat::report
