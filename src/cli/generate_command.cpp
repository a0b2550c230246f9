#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "commands.hpp"
#include "exit_status.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat::cli {

namespace {
struct generate_request {
  std::uint64_t rows = 0;
  std::string folder;
  std::uint64_t seed = synth::default_seed;
};
}  // namespace

command add_generate_command(CLI::App& parent) {
  auto request = std::make_shared<generate_request>();
  CLI::App* app = parent.add_subcommand("generate", "Write the synthetic participation data set into a folder");
  app->add_option("N", request->rows, "Number of participations")
      ->required()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{2000000000}));
  app->add_option("DIR", request->folder, "The folder (created when missing)")->required();
  app->add_option("SEED", request->seed, "Seed (default 5218)");
  app->footer(R"(Writes participations.csv (person_id,sex,age_band,birth_region,education,intervention,
outcome,hours), the eight raw column files and meta.txt, bit-identical to the reference
generator of shared/peers. docs/examples/participations.schema.json reads the CSV file.

Examples:
  jamstat generate 10000000 /data/peers/10M
  jamstat generate 1000 /tmp/small 7

Exit status: 0 written; 2 usage; 5 the folder cannot be written. See docs/cli.md.)");
  return {app, [request] {
            try {
              synth::write_files(synth::generate(request->rows, request->seed), request->seed, request->folder);
            } catch (const std::runtime_error& e) {
              throw failure(exit_status::io_error, e.what());
            }
            std::printf("wrote %llu records (seed %llu) to %s\n", static_cast<unsigned long long>(request->rows),
                        static_cast<unsigned long long>(request->seed), request->folder.c_str());
            return code(exit_status::ok);
          }};
}

}  // namespace jamstat::cli
