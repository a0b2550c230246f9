#include "jamstat/engine/aggregator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"
#include "measure_values.hpp"
#include "message_text.hpp"
#include "overloaded.hpp"

namespace jamstat {

aggregator::aggregator(std::shared_ptr<const schema> s, aggregator_options options)
    : aggregator(restoring_tag{}, std::move(s), options,
                 options.persons ? std::optional<std::uint64_t>(options.persons->key_check()) : std::nullopt) {}

aggregator::aggregator(restoring_tag, std::shared_ptr<const schema> s, aggregator_options options,
                       std::optional<std::uint64_t> key_check, cell_store::layout layout)
    : schema_(s ? std::move(s) : throw usage_error("aggregator: the schema is null")),
      options_(std::move(options)),
      counts_persons_(key_check.has_value()),
      key_check_(key_check),
      cells_(schema_, key_check.has_value(), layout),
      rejected_(schema_->field_count()),
      rounded_(schema_->numeric_measures().size(), 0) {
  if (options_.persons && options_.persons->is_all_zero())
    throw usage_error("the person key is all zeros: give the 16-byte secret key agreed with your partners (an all-zero key "
                      "is what an uninitialised key looks like, and would make every person id guessable)");
  prepare_columnar_scratch();
}

void aggregator::densify_for_ingestion() {
  if (cells_.is_dense() || !cell_store::dense_suits(*schema_, counts_persons_)) return;
  cells_.densify();
  block_cell32_.resize(block_cell64_.size());
  block_cell64_.clear();
  scratch_.clear();  // sized again, for the dense slots, by the next batch
}

void aggregator::require_key_for_adding() const {
  if (frozen_)
    throw usage_error("this is a person-free state (distinct persons frozen, no person hashes): it takes no more records; "
                      "add them to the state it was made from and make a person-free copy again");
  if (counts_persons_ && !options_.persons)
    throw usage_error("this state counts distinct persons but was read without its person key: it can be merged and "
                      "queried, but records can only be added when the key is given");
}

// ---------------------------------------------------------------------------------------------
// Validation. Fields are checked in schema field order; the first bad one names the record.

std::optional<rejected_row> aggregator::find_bad_field(const record& r, std::uint64_t row, bool with_message) const {
  const schema& s = *schema_;
  const auto& dims = s.dimensions();
  const std::string at = with_message ? "row " + std::to_string(row) + ": " : std::string();
  for (std::size_t d = 0; d < dims.size(); ++d) {
    const std::int32_t code = r.codes[d];
    if (dims[d].index_of(code)) continue;
    const bool is_sex = d == 0;
    const bool missing = code == dimension::missing_code;
    const rejection_reason reason = is_sex ? (missing ? rejection_reason::sex_missing : rejection_reason::sex_not_iso5218)
                                           : (missing ? rejection_reason::code_missing : rejection_reason::code_unknown);
    if (!with_message) return rejected_row{row, d, reason, {}};
    std::string message = at + "dimension '" + detail::text_for_message(dims[d].name()) + "': ";
    message += missing ? "code is missing (-1)" : "code " + std::to_string(code) + " is not a level";
    message += "; expected one of " + dims[d].codes_list();
    if (is_sex) message += " (ISO/IEC 5218)";
    return rejected_row{row, d, reason, message};
  }
  for (std::size_t o = 0; o < r.outcomes.size(); ++o) {
    const std::int32_t v = r.outcomes[o];
    if (v == 0 || v == 1) continue;
    if (!with_message) return rejected_row{row, s.outcome_field(o), rejection_reason::outcome_not_binary, {}};
    return rejected_row{row, s.outcome_field(o), rejection_reason::outcome_not_binary,
                        at + "outcome '" + detail::text_for_message(s.outcomes()[o].name) + "': value " + std::to_string(v) +
                            " is not 0 or 1"};
  }
  for (std::size_t m = 0; m < r.numerics.size(); ++m) {
    const double x = r.numerics[m];
    const measure_domain& d = s.domain(m);
    const detail::value_status status = d.kind == measure_kind::decimal
                                            ? detail::to_grid_units(x, d, detail::grid_tolerance_f64).status
                                            : detail::check_floating(x, d);
    if (status == detail::value_status::ok || status == detail::value_status::rounded) continue;
    if (!with_message) return rejected_row{row, s.numeric_field(m), detail::reason_of(status), {}};
    return rejected_row{row, s.numeric_field(m), detail::reason_of(status),
                        at + "numeric measure '" + detail::text_for_message(s.numeric_measures()[m].name) + "': " +
                            detail::describe_bad_value(detail::number_text(x), status, s.numeric_measures()[m], d)};
  }
  if (counts_persons()) {
    const bool missing = std::holds_alternative<std::monostate>(r.person) ||
                         (std::holds_alternative<std::string_view>(r.person) && std::get<std::string_view>(r.person).empty());
    if (missing)
      return rejected_row{row, s.person_id_field(), rejection_reason::person_id_missing,
                          at + "person_id is missing, but this aggregator counts distinct persons"};
  }
  return std::nullopt;
}

void aggregator::reject_or_throw(rejected_row bad) {
  if (options_.on_bad_record == bad_record_policy::reject)
    throw input_error(bad.message, bad.row, bad.field, bad.reason);
  rejected_.count(bad.reason, bad.field);
}

// ---------------------------------------------------------------------------------------------
// One record: Welford's update straight into the cell.

bool aggregator::add(const record& r) {
  // The common case first: a dense grid, no persons, every field good. Each check that fails sends
  // the record to add_checked, which validates it field by field and says what is wrong.
  if (counts_persons_ || frozen_ || !cells_.is_dense() || cells_.cross_product_pairs() != 0 || r.codes.size() != code_plans_.size() ||
      r.outcomes.size() != schema_->outcomes().size() || r.numerics.size() != rounded_.size() || r.numerics.size() > 8 ||
      !std::holds_alternative<std::monostate>(r.person))
    return add_checked(r);
  std::uint64_t cell = 0;
  for (std::size_t d = 0; d < r.codes.size(); ++d) {
    const auto code = static_cast<std::uint32_t>(r.codes[d]);
    if (code >= 256) return add_checked(r);  // wide codes: looked up by add_checked
    const std::uint32_t index = (*code_plans_[d].lut8)[code];
    if (index == dimension::no_level) return add_checked(r);
    cell = cell * cardinalities_[d] + index;
  }
  std::uint32_t outcome_bits = 0;
  for (std::int32_t v : r.outcomes) outcome_bits |= static_cast<std::uint32_t>(v);
  if (outcome_bits > 1) return add_checked(r);
  std::int64_t units[8];
  for (std::size_t m = 0; m < r.numerics.size(); ++m) {
    const measure_domain& d = schema_->domain(m);
    if (d.kind == measure_kind::decimal) {
      const detail::grid_value g = detail::to_grid_units(r.numerics[m], d, detail::grid_tolerance_f64);
      if (g.status != detail::value_status::ok) return add_checked(r);  // rounded values are counted there
      units[m] = g.units;
    } else if (detail::check_floating(r.numerics[m], d) != detail::value_status::ok) {
      return add_checked(r);
    }
  }
  if (participations_ == std::numeric_limits<std::uint64_t>::max())
    throw overflow_error("add: the state already holds 2^64 - 1 participations");
  const auto slot = static_cast<std::uint32_t>(cell);
  ++cells_.participations(slot);
  for (std::size_t o = 0; o < r.outcomes.size(); ++o)
    cells_.successes(o)[slot] += static_cast<std::uint64_t>(r.outcomes[o]);
  for (std::size_t m = 0; m < r.numerics.size(); ++m) {
    if (decimal_moments* dm = cells_.decimal(m))
      dm[slot].add(units[m]);
    else
      cells_.floating(m)[slot].add(r.numerics[m]);
  }
  ++participations_;
  return true;
}

bool aggregator::add_checked(const record& r) {
  require_key_for_adding();
  densify_for_ingestion();
  const schema& s = *schema_;
  if (r.codes.size() != s.dimensions().size() || r.outcomes.size() != s.outcomes().size() ||
      r.numerics.size() != s.numeric_measures().size())
    throw usage_error("record has " + std::to_string(r.codes.size()) + " codes, " + std::to_string(r.outcomes.size()) +
                      " outcomes and " + std::to_string(r.numerics.size()) + " numeric values; the schema has " +
                      std::to_string(s.dimensions().size()) + " dimensions (sex first), " +
                      std::to_string(s.outcomes().size()) + " outcomes and " +
                      std::to_string(s.numeric_measures().size()) + " numeric measures");
  std::uint64_t cell = 0;
  bool ok = true;
  for (std::size_t d = 0; d < r.codes.size(); ++d) {
    const auto index = s.dimensions()[d].index_of(r.codes[d]);
    if (!index) {
      ok = false;
      break;
    }
    cell = cell * s.dimensions()[d].cardinality() + *index;
  }
  for (std::int32_t v : r.outcomes) ok = ok && (v == 0 || v == 1);
  // Decimal values in grid units (up to 8 measures without allocating).
  detail::grid_value units_small[8];
  std::vector<detail::grid_value> units_many;
  detail::grid_value* units = r.numerics.size() <= 8 ? units_small : (units_many.resize(r.numerics.size()), units_many.data());
  for (std::size_t m = 0; m < r.numerics.size(); ++m) {
    const measure_domain& d = s.domain(m);
    if (d.kind == measure_kind::decimal) {
      units[m] = detail::to_grid_units(r.numerics[m], d, detail::grid_tolerance_f64);
      ok = ok && (units[m].status == detail::value_status::ok || units[m].status == detail::value_status::rounded);
    } else {
      ok = ok && detail::check_floating(r.numerics[m], d) == detail::value_status::ok;
    }
  }
  if (counts_persons()) {
    ok = ok && !std::holds_alternative<std::monostate>(r.person) &&
         !(std::holds_alternative<std::string_view>(r.person) && std::get<std::string_view>(r.person).empty());
  } else if (!std::holds_alternative<std::monostate>(r.person)) {
    throw usage_error("a person id was given, but this aggregator does not count persons (create it with a person key "
                      "to count distinct persons, or leave the id out)");
  }
  if (!ok) {
    reject_or_throw(*find_bad_field(r, 0, options_.on_bad_record == bad_record_policy::reject));
    return false;
  }
  if (participations_ == std::numeric_limits<std::uint64_t>::max())
    throw overflow_error("add: the state already holds 2^64 - 1 participations");
  const std::uint32_t slot = cells_.slot_for(cell);
  ++cells_.participations(slot);
  for (std::size_t o = 0; o < r.outcomes.size(); ++o)
    cells_.successes(o)[slot] += static_cast<std::uint64_t>(r.outcomes[o]);
  for (std::size_t m = 0; m < r.numerics.size(); ++m) {
    if (decimal_moments* dm = cells_.decimal(m)) {
      dm[slot].add(units[m].units);
      rounded_[m] += units[m].status == detail::value_status::rounded;
    } else {
      cells_.floating(m)[slot].add(r.numerics[m]);
    }
  }
  if (int128_t* products = cells_.cross_products(slot)) {
    // The schema's regression variables: an outcome's 0 / 1, a decimal measure's grid units.
    std::int64_t z[schema::max_cross_product_variables];
    const auto& variables = s.cross_product_variables();
    for (std::size_t v = 0; v < variables.size(); ++v)
      z[v] = variables[v].from == cross_product_variable::source::outcome ? r.outcomes[variables[v].index]
                                                                          : units[variables[v].index].units;
    jamstat::add_cross_products(products, z, variables.size());
  }
  if (counts_persons()) {
    const std::uint64_t h = std::visit(overloaded{[](std::monostate) -> std::uint64_t { return 0; },
                                                  [&](auto id) -> std::uint64_t { return options_.persons->hash(id); }},
                                       r.person);
    cells_.persons(slot).insert(h);
  }
  ++participations_;
  return true;
}

// ---------------------------------------------------------------------------------------------

void aggregator::add_anonymous(std::int32_t sex_code, std::uint64_t participants) {
  if (frozen_)
    throw usage_error("this is a person-free state (distinct persons frozen): it takes no more participants, anonymous or not");
  const auto index = iso5218::sex_dimension().index_of(sex_code);
  if (!index) {
    const rejection_reason reason =
        sex_code == dimension::missing_code ? rejection_reason::sex_missing : rejection_reason::sex_not_iso5218;
    if (options_.on_bad_record == bad_record_policy::tally) {  // the policy applies: counted, not added
      rejected_.count(reason, 0, participants);
      return;
    }
    throw input_error("anonymous participants: sex code " + std::to_string(sex_code) +
                          " is not an ISO/IEC 5218 code; expected one of 0, 1, 2, 9",
                      0, 0, reason);
  }
  if (anonymous_[*index] + participants < anonymous_[*index])
    throw overflow_error("anonymous participants: " + std::to_string(anonymous_[*index]) + " + " +
                         std::to_string(participants) + " exceeds 2^64 - 1; nothing was added");
  anonymous_[*index] += participants;
}

void aggregator::merge(const aggregator& other) {
  if (this == &other) throw usage_error("an aggregator cannot be merged with itself");
  if (!(*schema_ == *other.schema_))
    throw schema_mismatch_error("cannot merge states of different schemas (fingerprints " +
                                std::to_string(schema_->fingerprint()) + " and " +
                                std::to_string(other.schema_->fingerprint()) + ")");
  if (frozen_ || other.frozen_)
    throw usage_error("cannot merge a person-free state: its distinct persons are frozen counts, and the same person may be "
                      "in both states; merge the states that hold person hashes (whoever holds the person key), then make "
                      "the merged state person-free");
  if (counts_persons() != other.counts_persons())
    throw schema_mismatch_error("cannot merge a state that counts persons with one that does not");
  if (counts_persons() && key_check_ != other.key_check_)
    throw schema_mismatch_error("cannot merge states whose person ids were hashed with different keys");
  // Every count is checked before anything changes, so an overflow leaves this state as it was.
  // The cells' participations are at most the total, so the total checks them too.
  auto exceeds = [](std::uint64_t a, std::uint64_t b) { return a + b < a; };
  if (exceeds(participations_, other.participations_))
    throw overflow_error("merge: the merged state would hold more than 2^64 - 1 participations; nothing was merged");
  for (std::size_t i = 0; i < anonymous_.size(); ++i)
    if (exceeds(anonymous_[i], other.anonymous_[i]))
      throw overflow_error("merge: more than 2^64 - 1 anonymous participants of one sex; nothing was merged");
  if (exceeds(rejected_.total(), other.rejected_.total()))
    throw overflow_error("merge: more than 2^64 - 1 rejected records; nothing was merged");
  for (std::size_t m = 0; m < rounded_.size(); ++m)
    if (exceeds(rounded_[m], other.rounded_[m]))
      throw overflow_error("merge: more than 2^64 - 1 rounded values; nothing was merged");
  cells_.merge(other.cells_);
  rejected_.merge(other.rejected_);
  participations_ += other.participations_;
  for (std::size_t i = 0; i < anonymous_.size(); ++i) anonymous_[i] += other.anonymous_[i];
  for (std::size_t m = 0; m < rounded_.size(); ++m) rounded_[m] += other.rounded_[m];
}

}  // namespace jamstat
