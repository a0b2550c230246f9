// The jamstat command's subcommands. Each add_*_command registers its options with CLI11 and
// returns the function that runs it once the command line is parsed; the function returns the
// exit status or throws failure (exit_status.hpp).
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace jamstat::cli {

using command_runner = std::function<int()>;

struct command {
  CLI::App* app = nullptr;
  command_runner run;
};

command add_aggregate_command(CLI::App& parent);
command add_merge_command(CLI::App& parent);
command add_report_command(CLI::App& parent);
command add_demo_command(CLI::App& parent);
command add_generate_command(CLI::App& parent);
command add_person_free_command(CLI::App& parent);

}  // namespace jamstat::cli
