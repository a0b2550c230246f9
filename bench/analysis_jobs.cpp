// The analyses on the canonical data set, timed phase by phase: the full gap report (both periods,
// every dimension compared across and adjusted for, distinct persons counted), MAIHDA (linear on
// hours, logistic on the outcome, strata = sex x age band x birth region x education) and the
// Oaxaca-Blinder decompositions (linear on hours, Yun's logit on the outcome). Prints
// "PHASE name seconds" lines and "ESTIMATE name value" lines (compared with lme4 by
// bench/analysis_vs_lme4.sh), and with a third argument writes the microdata of the current year
// as CSV for R.
//
// Usage: jamstat_analysis_jobs N [seed] [microdata.csv]
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "jamstat/analysis/gap_adapter.hpp"
#include "jamstat/analysis/gap_report.hpp"
#include "jamstat/analysis/intersectional_rollup.hpp"
#include "jamstat/analysis/maihda_linear.hpp"
#include "jamstat/analysis/maihda_logistic.hpp"
#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/analysis/oaxaca_blinder_logit.hpp"
#include "jamstat/jamstat.hpp"
#include "jamstat/synth/participations.hpp"

using namespace jamstat;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

void phase(const char* name, double seconds) {
  std::printf("PHASE %s %.6f\n", name, seconds);
  std::fflush(stdout);
}

void estimate(const std::string& name, double value) { std::printf("ESTIMATE %s %.10g\n", name.c_str(), value); }

aggregator aggregate(const synth::participations& p) {
  std::array<std::uint8_t, 16> key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(0x5A ^ (i * 37));
  aggregator a(synth::participation_schema(), {bad_record_policy::reject, person_key(key)});
  a.add_batch(synth::as_batch(p));
  return a;
}

void print_fit(const std::string& prefix, const analysis::maihda_fit& f) {
  estimate(prefix + ".intercept", f.fixed_effects.at(0).estimate);
  estimate(prefix + ".between_variance", f.between_variance);
  estimate(prefix + ".residual_variance", f.residual_variance);
  estimate(prefix + ".vpc", f.vpc);
  estimate(prefix + ".deviance", f.deviance);
}

void write_microdata(const synth::participations& p, const std::string& path) {
  std::ofstream out(path);
  out << "sex,age_band,birth_region,education,in_work_or_studies,hours\n";
  char line[96];
  for (std::size_t i = 0; i < p.size(); ++i) {
    const int n = std::snprintf(line, sizeof line, "%u,%u,%u,%u,%u,%.2f\n", p.sex[i], p.age_band[i], p.birth_region[i],
                                p.education[i], p.outcome[i], p.hours[i]);
    out.write(line, n);
  }
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) try {
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : synth::default_seed;
  const auto current_data = synth::generate(n, seed);
  const auto previous_data = synth::generate(n, seed + 1);
  if (argc > 3) write_microdata(current_data, argv[3]);

  double t = now();
  const aggregator current = aggregate(current_data);
  const aggregator previous = aggregate(previous_data);
  phase("aggregate_both_years", now() - t);
  const schema& s = current.schema_ref();

  // The gap report: the cube's cells (with exact distinct persons), then the findings.
  t = now();
  const analysis::gap_cells cells = analysis::gap_cells_from(current);
  const analysis::gap_cells previous_cells = analysis::gap_cells_from(previous);
  phase("gap_cells_both_years", now() - t);
  t = now();
  analysis::gap_report_options options;
  options.compare_across = {"age_band", "birth_region", "education", "intervention"};
  options.adjust_for = {"age_band", "education"};
  options.previous = &previous_cells;
  options.current_period = "2025";
  options.previous_period = "2024";
  const analysis::gap_report report = analysis::build_gap_report(analysis::gap_schema_from(s), cells, options);
  phase("gap_report", now() - t);
  estimate("gap_report.findings", static_cast<double>(report.findings.size()));

  // MAIHDA: strata = sex x age band x birth region x education (4 x 6 x 3 x 4 cells, the empty
  // ones left out).
  t = now();
  const rollup_table strata = rollup(current, grouping_set::of(s, {"age_band", "birth_region", "education"}));
  const auto measure_input = analysis::maihda_measure_strata(s, strata, 0);
  const auto outcome_input = analysis::maihda_outcome_strata(s, strata, 0);
  phase("maihda_strata", now() - t);
  t = now();
  const auto linear = analysis::fit_maihda_linear(measure_input.dimensions, measure_input.strata);
  phase("maihda_linear", now() - t);
  t = now();
  const auto logistic = analysis::fit_maihda_logistic(outcome_input.dimensions, outcome_input.strata);
  phase("maihda_logistic", now() - t);
  estimate("maihda.strata", static_cast<double>(linear.null_model.strata.size()));
  print_fit("maihda_linear.null", linear.null_model);
  print_fit("maihda_linear.additive", linear.additive_model);
  print_fit("maihda_logistic.null", logistic.null_model);
  print_fit("maihda_logistic.additive", logistic.additive_model);
  estimate("maihda_logistic.auc_null", logistic.auc_null);

  // Oaxaca-Blinder: women against men, characteristics age band, birth region, education.
  t = now();
  const auto measure_cells = analysis::oaxaca_measure_cells_from(s, strata, 0);
  const auto outcome_cells = analysis::oaxaca_outcome_cells_from(s, strata, 0);
  const auto hours = analysis::oaxaca_blinder(measure_cells.design,
                                              analysis::moments_from_cells(measure_cells.design, measure_cells.women),
                                              analysis::moments_from_cells(measure_cells.design, measure_cells.men));
  phase("oaxaca_linear", now() - t);
  t = now();
  const auto work = analysis::oaxaca_blinder_logit(outcome_cells.design, outcome_cells.women, outcome_cells.men);
  phase("oaxaca_logit", now() - t);
  estimate("oaxaca_linear.gap", hours.gap);
  estimate("oaxaca_linear.explained", hours.explained);
  estimate("oaxaca_linear.unexplained", hours.unexplained);
  estimate("oaxaca_logit.gap", work.gap);
  estimate("oaxaca_logit.explained", work.explained);
  estimate("oaxaca_logit.unexplained", work.unexplained);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "jamstat_analysis_jobs: %s\n", e.what());
  return 1;
}
