// The jamstat command's subcommands. Each returns the process exit status.
#pragma once

#include <span>
#include <string_view>

namespace jamstat::cli {

/// `jamstat demo [--n N] [--seed S] [--lang sv|en]`: generates the synthetic data set and prints
/// participants, outcome proportion and mean hours by intervention for women, men and in total.
int demo_command(std::span<const std::string_view> args);

/// `jamstat generate N DIR [SEED]`: writes the synthetic data set (CSV, raw columns, meta.txt).
int generate_command(std::span<const std::string_view> args);

/// Parses a non-negative decimal integer option value; throws std::invalid_argument naming the
/// option when it is not one.
unsigned long long parse_count(std::string_view option, std::string_view text);

}  // namespace jamstat::cli
