// The streaming, sex-stratified aggregator: records in, mergeable aggregate state out.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "jamstat/engine/cell_store.hpp"
#include "jamstat/engine/cross_product_sums.hpp"
#include "jamstat/engine/frozen_persons.hpp"
#include "jamstat/engine/person_key.hpp"
#include "jamstat/engine/prefaulting_allocator.hpp"
#include "jamstat/engine/record.hpp"
#include "jamstat/engine/rejected_tally.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat {

namespace detail {
/// How one dimension's codes become level indices on the columnar path (internal).
struct code_plan {
  const dimension* dim;
  bool identity;  ///< codes are 0..k-1 in level order: no lookup needed
  /// Number of leading levels whose code equals their index (all of them when identity; 3 for
  /// ISO/IEC 5218 sex, whose 9 is level 3): a block whose codes are all below it needs no lookup.
  std::uint32_t identity_prefix;
  const std::array<std::uint32_t, 256>* lut8;
};
}  // namespace detail

/// What happens to a record with a bad field (unknown code, missing sex, outcome not 0/1,
/// NaN or infinite measure, a measure's value outside its range or off its grid, missing person
/// id while persons are counted).
enum class bad_record_policy {
  /// Throw input_error naming the row, the field, the value and what was expected. A batch is
  /// all-or-nothing: a throw leaves the state exactly as it was (long batches are validated as
  /// they are added and rolled back from an undo log; see docs/engine.md). This is the default:
  /// nothing passes unnoticed.
  reject,
  /// Skip the record and count it in the rejected-records tally (by reason and field), which
  /// is part of the state, merged and serialized with it. add_batch reports the first such row.
  tally,
};

/// How an aggregator is set up.
struct aggregator_options {
  bad_record_policy on_bad_record = bad_record_policy::reject;
  /// Set to count distinct persons per cell (every record must then carry a person id, hashed
  /// with this key); leave empty to count participations only.
  std::optional<person_key> persons;
};

/// A record that add_batch skipped (tally policy): where, why and a readable message.
struct rejected_row {
  std::uint64_t row = 0;
  std::size_t field = 0;
  rejection_reason reason = rejection_reason::code_unknown;
  std::string message;
};

/// What add_batch did.
struct batch_result {
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::optional<rejected_row> first_rejected;  ///< the first skipped row, if any
};

/// Aggregates participations into the finest cells of a schema.
///
/// Memory: the cells (see cell_store) plus, when persons are counted, one 8-byte hash per
/// distinct (person, finest cell) pair. Nothing else grows with the number of records.
///
/// Thread safety: an aggregator is not synchronised. Distinct aggregators are independent;
/// to ingest in parallel use one aggregator per thread and merge() them afterwards. Const
/// member functions may be called concurrently as long as no thread modifies the aggregator.
class aggregator {
 public:
  explicit aggregator(std::shared_ptr<const schema> s, aggregator_options options = {});
  /// Convenience: copies the schema.
  explicit aggregator(const schema& s, aggregator_options options = {})
      : aggregator(std::make_shared<const schema>(s), std::move(options)) {}
  /// Aggregators are moved, not copied (merge() combines two; write_state() copies a state).
  aggregator(aggregator&&) noexcept = default;
  aggregator& operator=(aggregator&&) noexcept = default;
  aggregator(const aggregator&) = delete;
  aggregator& operator=(const aggregator&) = delete;

  /// Adds one record. Returns true if it was added, false if it was counted as rejected (tally
  /// policy). Throws input_error (reject policy) for a bad field and usage_error when the
  /// record's spans do not have one value per dimension, outcome and numeric measure.
  bool add(const record& r);

  /// Adds a columnar batch: the fast path (no allocation, virtual call or hash lookup per
  /// record on a dense grid). Throws usage_error when a column is missing or has the wrong
  /// length (naming it), and input_error for a bad row under the reject policy.
  batch_result add_batch(const column_batch& batch);

  /// Finds every bad row of a batch without adding anything: calls `found` with each one (row,
  /// field, reason; no message is built) in row order and returns how many there are. What the C
  /// ABI's error buffer is filled from, so that a user fixes a file in one pass. Throws
  /// usage_error for a batch of the wrong shape, as add_batch does.
  std::uint64_t find_bad_rows(const column_batch& batch,
                              const std::function<void(std::uint64_t row, std::size_t field, rejection_reason reason)>& found) const;

  /// Adds participants known only by sex, as anonymous participants are recorded nationally:
  /// "this many women". They are not in any finest cell (nothing else is known of them) and
  /// appear in roll-ups whose grouping set has no dimension other than sex. Throws input_error
  /// when `sex_code` is not an ISO/IEC 5218 code, and overflow_error (nothing added) when the
  /// count would exceed 2^64 - 1.
  void add_anonymous(std::int32_t sex_code, std::uint64_t participants);

  /// Adds everything another aggregator holds. Throws schema_mismatch_error when the schemas
  /// differ, or when one counts persons and the other does not or they used different keys.
  void merge(const aggregator& other);

  const schema& schema_ref() const noexcept { return *schema_; }
  const std::shared_ptr<const schema>& schema_ptr() const noexcept { return schema_; }
  const aggregator_options& options() const noexcept { return options_; }
  bool counts_persons() const noexcept { return counts_persons_; }
  /// person_key::key_check() of the key the person hashes were made with, when persons are
  /// counted. A state read back without its key (read_state) keeps only this: it can be merged
  /// and queried, but adding records to it throws usage_error.
  std::optional<std::uint64_t> person_key_check() const noexcept { return key_check_; }
  /// True for a person-free state (person_free(), docs/state-format.md): no person hashes, the
  /// distinct persons of some groupings frozen as counts. It takes no more records and cannot be
  /// merged (the same person may be in two person-free states); it is queried and published.
  bool is_person_free() const noexcept { return frozen_ != nullptr; }
  /// The frozen distinct-person counts of a person-free state; null otherwise.
  const frozen_persons* frozen() const noexcept { return frozen_.get(); }
  /// Whether roll-ups can give distinct persons: the state counts persons, or it is person-free
  /// (then for the groupings frozen in it).
  bool knows_persons() const noexcept { return counts_persons_ || frozen_ != nullptr; }
  /// Records added (rejected ones excluded).
  std::uint64_t participations() const noexcept { return participations_; }
  /// Anonymous participants by sex level index (Okänt, Män, Kvinnor, Ej tillämpligt).
  const std::array<std::uint64_t, 4>& anonymous_participants() const noexcept { return anonymous_; }
  const rejected_tally& rejected() const noexcept { return rejected_; }
  /// Values of decimal measure `m` that were off its grid and rounded to it (off_grid_policy::
  /// round; always 0 otherwise). Part of the state.
  std::uint64_t rounded_values(std::size_t m) const noexcept { return m < rounded_.size() ? rounded_[m] : 0; }
  const cell_store& cells() const noexcept { return cells_; }
  // The exact sums of products of the schema's cross-product set (schema::cross_product_variables())
  // are kept per finest cell in cells(): merged, serialized, restored with the batch on a rejected
  // row, identical on both ingestion paths; roll_up_cross_products() adds them up to any grouping.

 private:
  // The columnar path (src/engine/columnar_ingest.cpp).
  // The first bad field of a record (its message only when asked for: the tally path builds one
  // only for the first rejected row of a batch).
  std::optional<rejected_row> find_bad_field(const record& r, std::uint64_t row, bool with_message = true) const;
  std::optional<rejected_row> find_bad_field_in_batch(const column_batch& b, std::size_t row, bool with_message = true) const;
  void check_batch_shape(const column_batch& b) const;
  void prepare_columnar_scratch();
  void validate_block(const column_batch& b, std::size_t row0, std::size_t rows);
  void add_block(const column_batch& b, std::size_t row0, std::size_t rows, batch_result& result);
  // Adds the rows kept (their outcomes and values are checked by the caller, before or after).
  void add_rows(const column_batch& b, std::size_t row0, std::size_t good, const std::uint32_t* rows,
                const std::uint32_t* slots, batch_result& result);
  void prepare_fused_shape(const column_batch& b);
  bool fused_indices_are_clean_at(std::size_t row0, std::size_t rows);
  bool values_are_clean(const column_batch& b, std::size_t row0, std::size_t rows);
  bool values_checkable_after_scatter(const column_batch& b) const;
  void gather_values(const column_batch& b, std::size_t row0, std::size_t good, const std::uint32_t* rows);
  void reserve_person_sets(const column_batch& b);
  template <int Outcomes, int Measures, int Kind, bool PreArmed>
  void scatter(std::size_t rows, const std::uint32_t* slots, const std::uint8_t* const* outcomes,
               const double* const* numerics, const std::int64_t* const* units);
  // Records slots armed by the scatter in touched_, then saves their cells for the undo log.
  void slots_armed(const std::uint32_t* slots, std::size_t n);
  void save_armed_for_undo(const std::uint32_t* slots, std::size_t n);
  void arm_every_slot();
  void fold_chunk_sums();
  void fold_scratch();
  void save_for_undo(std::uint32_t slot);
  void roll_back_batch();
  void forget_undo_log();
  void compact_person_sets();
  void reject_or_throw(rejected_row bad);
  // The rows kept of a block into the per-sex cross-product sums (schemas that keep them).
  void add_block_cross_products(std::size_t good, const std::uint32_t* slots, const std::uint8_t* const* outcomes,
                          const std::int64_t* const* units);

  // read_state rebuilds an aggregator through this constructor (the tag keeps it private).
  friend aggregator read_state(std::span<const std::uint8_t> bytes, aggregator_options options);
  friend aggregator person_free(const aggregator& state, std::span<const std::uint64_t> grouping_masks);
  struct restoring_tag {};
  aggregator(restoring_tag, std::shared_ptr<const schema> s, aggregator_options options,
             std::optional<std::uint64_t> key_check, cell_store::layout layout = cell_store::layout::automatic);
  void require_key_for_adding() const;
  // add() for every record the common-case path does not take: validates field by field.
  bool add_checked(const record& r);
  // A state read sparse (few cells) becomes dense on its first ingestion when its grid suits it.
  void densify_for_ingestion();

  std::shared_ptr<const schema> schema_;
  aggregator_options options_;
  bool counts_persons_;
  std::optional<std::uint64_t> key_check_;
  cell_store cells_;
  rejected_tally rejected_;
  std::uint64_t participations_ = 0;
  std::array<std::uint64_t, 4> anonymous_{};
  std::vector<std::uint64_t> rounded_;  // per numeric measure
  std::shared_ptr<const frozen_persons> frozen_;  // a person-free state's counts; null otherwise

  // Columnar-path state, sized once per aggregator (never per record).
  // Per dimension, the 8-bit lookup table (lut8_[d][code] = level index or dimension::no_level)
  // and how codes become level indices (code_plans_).
  std::vector<std::array<std::uint32_t, 256>> lut8_;
  std::vector<detail::code_plan> code_plans_;  // points into schema_ and lut8_ (heap; moves keep it)
  std::vector<std::uint32_t> cardinalities_;   // per dimension, for add()
  // Per slot, a packed scratch record for the current batch: word 0 = count << 32 | armed | saved |
  // successes of outcome 0 (see columnar_ingest.cpp), then one word per further outcome, then per
  // numeric measure at measure_word_[m]: floating {shift, double-double sums of (x - shift) and
  // (x - shift)^2, -min, max, second largest, rows folded}; decimal {Σu (i64), Σu² (u128), min,
  // max, second largest}. Floating sums are folded into the cell (Chan's formula) every chunk;
  // everything else at the end of every batch; only touched slots are visited.
  std::size_t scratch_stride_ = 0;
  std::vector<std::size_t> measure_word_;
  std::vector<std::uint64_t, prefaulting_allocator<std::uint64_t>> scratch_;
  std::vector<std::uint32_t> touched_;
  // The undo log of a reject-policy batch validated block by block: each touched cell's state
  // before the batch (participations and successes in undo_counts_, measures in undo_floating_ and
  // undo_decimal_, rounded counts in undo_rounded_;
  // cells that were empty only by slot, in undo_emptied_).
  bool undo_active_ = false;
  bool batch_validated_ = false;  // the whole batch was validated before the first block was added
  bool all_armed_ = false;        // every slot is armed for this batch (see arm_every_slot)
  // Each block's values are checked after its scatter, a bad one rolling the batch back (see
  // add_block): the common shape under the reject policy, where the batch is all-or-nothing.
  bool check_after_scatter_ = false;
  // The code columns of the current batch when they have the common shape (a dense grid, 8-bit
  // codes): one fused loop computes every row's cell index (see fused_indices_are_clean_at).
  struct fused_shape {
    static constexpr std::size_t max_columns = 8;
    bool usable = false;
    std::size_t dimensions = 0;
    std::array<const std::uint8_t*, max_columns> codes{};
    std::array<std::uint32_t, max_columns> cardinalities{}, limits{};
  };
  fused_shape fused_;
  std::uint64_t undo_participations_ = 0;
  std::vector<std::uint32_t> undo_slots_;
  std::vector<std::uint32_t> undo_emptied_;  // cells empty before the batch: restored by emptying
  std::vector<std::uint64_t> undo_counts_;
  std::vector<floating_accumulator> undo_floating_;
  std::vector<decimal_moments> undo_decimal_;
  std::vector<std::uint64_t> undo_rounded_;
  std::vector<int128_t> undo_cross_;  // the cross-product sums of the cells saved (schemas that keep them)
  // Slots whose person set got an unsorted tail in this batch, and how many hashes were appended.
  std::vector<std::uint32_t> persons_to_compact_;
  std::size_t persons_appended_ = 0;
  // The batch's person sets were sized for all its rows up front: compact them only at its end.
  bool persons_reserved_ = false;
  // Block buffers: cell index (dense u32 / sparse u64), bad-row flags, rows kept, slots, and the
  // outcome and measure values gathered for rows kept when a block had bad rows.
  std::vector<std::uint32_t> block_cell32_;
  std::vector<std::uint64_t> block_cell64_;
  std::vector<std::uint8_t> block_bad_;
  std::vector<std::uint32_t> block_rows_;
  std::vector<std::uint32_t> block_slots_;
  std::vector<std::uint32_t> block_armed_;  // slots armed by the block being scattered
  std::vector<std::uint64_t> block_hashes_;  // keyed hashes of the block's person ids
  std::vector<std::uint8_t> block_outcomes_;
  std::vector<double> block_numerics_;
  std::vector<std::int64_t> block_units_;        // decimal measures' values in grid units, per measure
  std::vector<std::uint8_t> block_units_ready_;  // per measure: block_units_ holds the block's units
  std::size_t current_block_rows_ = 0;
  std::vector<std::uint64_t> block_off_grid_;   // per measure: values of the block rounded to the grid
};

}  // namespace jamstat
