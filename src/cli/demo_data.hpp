// The demo's inputs as a user would have them: the synthetic data set of two years written as CSV,
// a schema file for it and a person-key file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace jamstat::cli {

/// The schema file of the synthetic data set (participations.csv as synth::to_csv writes it),
/// built from synth::participation_schema() so that the two cannot drift apart; the person key
/// is read from the key file `key_file` (relative to the schema file's folder). Equivalent to
/// docs/examples/participations.schema.json, which takes the key from JAMSTAT_PERSON_KEY.
std::string participation_schema_json(const std::string& key_file);

/// The key the demo hashes person ids with: fixed, so that the demo is reproducible. It protects
/// nothing; real data needs a secret key of its own (docs/schema-file.md, "person_id").
inline constexpr const char* demo_person_key_hex = "6a616d737461742d64656d6f2d6b6579";

}  // namespace jamstat::cli
