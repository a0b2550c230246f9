// The report the tests read: the synthetic participation data set (two periods), aggregated with
// distinct persons, every analysis run on it, and a test stand-in for disclosure control.
#pragma once

#include <array>
#include <memory>
#include <optional>

#include "jamstat/analysis/gap_adapter.hpp"
#include "jamstat/analysis/gap_report.hpp"
#include "jamstat/analysis/intersectional_rollup.hpp"
#include "jamstat/analysis/intersectional_table.hpp"
#include "jamstat/analysis/maihda_logistic.hpp"
#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/rollup.hpp"
#include "jamstat/report/build_report.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat::report::testing {

/// TEST STAND-IN for disclosure control (the real one is jamstat::disclosure, wired in by the
/// command-line tool): a count with 1 to threshold - 1 persons is primary suppressed, nothing else
/// is (no secondary suppression: a report protected this way is NOT safe to publish).
inline report_protection test_stand_in_suppress_counts_below(std::uint64_t threshold = 5) {
  report_protection p;
  p.cells = [threshold](const protection_query& q) {
    protection_decision d;
    d.shown = q.figures;
    if (q.family == statistic_family::count && q.figures.persons > 0 && q.figures.persons < static_cast<double>(threshold))
      d.status = cell_status::primary;
    return d;
  };
  p.findings = findings_resting_on_fewer_than(threshold);
  p.note = {"Teststand-in: antal under 5 personer undertrycks.", "Test stand-in: counts below 5 persons are suppressed."};
  return p;
}

/// TEST STAND-IN for the cell key method: every count is perturbed by +1 person and +1
/// participation (a real perturbation table draws noise from the cell key).
inline report_protection test_stand_in_perturb_counts() {
  report_protection p;
  p.cells = [](const protection_query& q) {
    protection_decision d;
    d.shown = q.figures;
    if (q.family == statistic_family::count && q.figures.participations > 0) {
      d.status = cell_status::perturbed;
      d.shown.persons += 1;
      d.shown.participations += 1;
    }
    return d;
  };
  p.note = {"Teststand-in: antal har störts.", "Test stand-in: counts are perturbed."};
  return p;
}

/// The data, states and analyses (built once per test binary: a few hundred milliseconds).
struct report_data {
  synth::participations now_records, before_records;
  std::shared_ptr<const schema> s;
  std::unique_ptr<aggregator> now, before;
  analysis::gap_report gap;
  analysis::intersectional_table strata;
  analysis::maihda_logistic_result maihda;
  grouping_set maihda_grouping;
  analysis::oaxaca_blinder_result decomposition;

  static const report_data& get() {
    static const report_data data;
    return data;
  }

  /// A report input over everything above with the given protection.
  report_input input(report_protection protection, language lang = language::sv) const {
    report_input in;
    in.current = now.get();
    in.previous = before.get();
    in.lang = lang;
    in.organisation = "Samordningsförbundet Test";
    in.period = "2025";
    in.previous_period = "2024";
    in.ingestion = ingestion_summary{};
    in.ingestion->rows_read = now_records.size() + 3;
    in.ingestion->rows_accepted = now_records.size();
    in.ingestion->rejected = {{"bad_personnummer", {"Ogiltigt personnummer", "Invalid personal identity number"}, 2},
                              {"code_unknown", {"Okänd kod", "Unknown code"}, 1}};
    in.ingestion->sources = {"deltagare-2025.csv"};
    in.gap = &gap;
    in.strata = &strata;
    in.maihda.push_back({maihda_grouping, statistic_family::outcome, 0, &maihda, nullptr});
    in.decomposition = decomposition_input{statistic_family::outcome, 0, false, &decomposition};
    in.protection = std::move(protection);
    return in;
  }

 private:
  report_data()
      : now_records(synth::generate(20000, 5218)),
        before_records(synth::generate(18000, 2024)),
        s(synth::participation_schema()),
        maihda_grouping(grouping_set::of(*s, {"age_band", "birth_region"})) {
    std::array<std::uint8_t, 16> key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(3 * i + 1);
    now = std::make_unique<aggregator>(s, aggregator_options{bad_record_policy::reject, person_key(key)});
    before = std::make_unique<aggregator>(s, aggregator_options{bad_record_policy::reject, person_key(key)});
    now->add_batch(synth::as_batch(now_records));
    before->add_batch(synth::as_batch(before_records));

    const analysis::gap_schema gs = analysis::gap_schema_from(*s);
    const analysis::gap_cells now_cells = analysis::gap_cells_from(*now);
    const analysis::gap_cells before_cells = analysis::gap_cells_from(*before);
    analysis::gap_report_options options;
    options.compare_across = {"intervention"};
    options.adjust_for = {"age_band", "education"};
    options.previous = &before_cells;
    options.current_period = "2025";
    options.previous_period = "2024";
    gap = analysis::build_gap_report(gs, now_cells, options);

    analysis::intersectional_table_options strata_options;
    strata_options.period = "2025";
    strata = analysis::build_intersectional_table(*now, {"age_band", "birth_region"}, strata_options);

    const rollup_table by_strata = rollup(*now, maihda_grouping);
    const analysis::maihda_outcome_input work = analysis::maihda_outcome_strata(*s, by_strata, 0);
    maihda = analysis::fit_maihda_logistic(work.dimensions, work.strata);

    const rollup_table by_factors = rollup(*now, grouping_set::of(*s, {"age_band", "education"}));
    const analysis::oaxaca_outcome_cells cells = analysis::oaxaca_outcome_cells_from(*s, by_factors, 0);
    decomposition = analysis::oaxaca_blinder(cells.design, analysis::moments_from_cells(cells.design, cells.women),
                                             analysis::moments_from_cells(cells.design, cells.men));
  }
};

}  // namespace jamstat::report::testing
