// The deterministic synthetic participation data set of shared/peers/README.md: the demo data,
// the test data and the benchmark workload. Output is a pure function of (N, seed).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "jamstat/engine/record.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat::synth {

inline constexpr std::uint64_t default_seed = 5218;

/// The data set as columns, one value per participation.
struct participations {
  std::vector<std::uint32_t> person_id;
  std::vector<std::uint8_t> sex;           ///< ISO/IEC 5218: 0, 1, 2
  std::vector<std::uint8_t> age_band;      ///< 0..5 = 16-19, 20-24, 25-29, 30-39, 40-49, 50-64
  std::vector<std::uint8_t> birth_region;  ///< 0 Sweden, 1 Europe except Sweden, 2 outside Europe
  std::vector<std::uint8_t> education;     ///< 0 compulsory .. 3 unknown
  std::vector<std::uint8_t> intervention;  ///< 0..11
  std::vector<std::uint8_t> outcome;       ///< 1 = in work or studies after the intervention
  std::vector<double> hours;               ///< resource hours, two decimals
  std::uint64_t distinct_persons = 0;      ///< floor(N * 5 / 8)
  std::size_t size() const noexcept { return sex.size(); }
};

/// Generates N records with the given seed, bit-identical to the reference generator
/// (gen_participations.c). Throws std::invalid_argument when N is 0 or above 2e9.
participations generate(std::uint64_t n, std::uint64_t seed = default_seed);

/// The CSV text (header + one line per record) exactly as the reference writes it.
std::string to_csv(const participations& p);

/// Writes participations.csv, the eight raw column files and meta.txt into `dir` (created if
/// missing), in the reference layout. Throws std::runtime_error naming the file on failure.
void write_files(const participations& p, std::uint64_t seed, const std::filesystem::path& dir);

/// FNV-1a 64 of a byte range (the hash meta.txt and the reference table use).
std::uint64_t fnv1a64(std::span<const std::uint8_t> bytes) noexcept;

/// The schema of this data set: sex, age_band, birth_region, education, intervention; outcome
/// "in_work_or_studies"; numeric measure "hours" (h), valid from 0 to 99,999.99: decimal with two
/// decimals (exact sums; the default), or floating for comparisons. Labels in Swedish and English.
std::shared_ptr<const schema> participation_schema(measure_kind hours_kind = measure_kind::decimal);

/// A columnar batch over rows [first, first + count) of `p`, person ids included.
column_batch as_batch(const participations& p, std::size_t first = 0, std::size_t count = SIZE_MAX);

}  // namespace jamstat::synth
