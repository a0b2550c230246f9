// The cell key method: counts perturbed by noise that every output of the same data repeats.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "jamstat/disclosure/cell_status.hpp"
#include "jamstat/disclosure/ptable.hpp"
#include "jamstat/disclosure/suppression_rules.hpp"
#include "jamstat/disclosure/table_set.hpp"

namespace jamstat::disclosure {

/// Options of the cell key method.
struct cell_key_options {
  /// The 16-byte secret of the record keys (SipHash-2-4 key; never all zero). A person's record
  /// key is the hash, under this secret, of the person's keyed hash in the state; a cell's key
  /// is the sum of its distinct persons' record keys modulo 1. Whoever holds the secret and the
  /// state can undo the noise: keep it with the publisher. Every publication of the same data
  /// must use the same secret (and ptable), or averaging the outputs removes the noise.
  std::array<std::uint8_t, 16> secret{};
  /// The count ptable (persons, participations and outcome successes).
  perturbation_table ptable = default_ptable();
  /// Measure statistics (sums and means) are not perturbed: they are protected by cell
  /// suppression with the dominance rule of these rules (primary and secondary, audited), the
  /// frequency and group-disclosure rules switched off (counts are perturbed instead).
  suppression_rules measure_rules{};
};

/// The result of protect_by_cell_key(), column-wise over the published cells (numbered as in
/// table_set: grouping by grouping, within a grouping by cell index).
struct perturbed_tables {
  /// True when cell keys come from the persons' record keys (the state counts persons and its
  /// person hashes were given); false when they come from the cells themselves (see
  /// protect_by_cell_key()).
  bool keys_from_persons = false;
  /// The cell key in [0, 1) of every published cell (0 for empty cells).
  std::vector<double> cell_key;
  /// Perturbed counts. Persons equal participations when the state does not count persons.
  std::vector<std::uint64_t> persons;
  std::vector<std::uint64_t> participations;
  /// Perturbed successes of every outcome: [outcome][cell].
  std::vector<std::vector<std::uint64_t>> successes;
  /// Status of counts and outcomes: perturbed in every non-empty cell (whether or not the noise
  /// happened to be 0), published in empty cells (zero stays zero).
  std::vector<cell_status> counts;
  std::vector<std::vector<cell_status>> outcomes;  ///< [outcome][cell]
  /// Status of measure statistics (from cell suppression, see cell_key_options::measure_rules).
  std::vector<std::vector<cell_status>> measures;  ///< [measure][cell]
  /// Cells whose perturbed persons or successes exceeded the perturbed participations and were
  /// lowered to them (a proportion never exceeds 1).
  std::uint64_t capped = 0;
};

/// Protects every published grouping of `tables` by the cell key method (Australian Bureau of
/// Statistics' TableBuilder method as Destatis and Eurostat's census guidelines describe it):
/// - with person hashes (table_set::has_person_hashes): each person's record key is a
///   uniform number in [0, 1) from SipHash-2-4 of its hash under `options.secret`; a published
///   cell's key is the sum of its distinct persons' record keys modulo 1 (computed exactly, in
///   64-bit fixed point). The same persons give the same key whatever the grouping, the order
///   in which states were merged or which partner ingested whom;
/// - without (no person ids, or only frozen distinct counts): a cell's key is SipHash-2-4, under
///   the secret, of the cell's identity (its grouping's dimension names and its levels) and its
///   participations. The same cell of the same data gets the same noise in every output, but the
///   key no longer follows the persons: a cell whose participations change gets fresh noise.
/// Each count (persons, participations, successes of each outcome) is perturbed by the ptable
/// with the cell's key, every cell on its own, totals included: parts need not add up to their
/// totals, and every output must say so. Perturbed persons and successes above the perturbed
/// participations are lowered to them. Throws usage_error for an invalid table set or an
/// all-zero secret.
perturbed_tables protect_by_cell_key(const table_set& tables, const cell_key_options& options);

}  // namespace jamstat::disclosure
