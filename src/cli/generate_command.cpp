#include <cstdio>
#include <stdexcept>
#include <string>

#include "commands.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat::cli {

int generate_command(std::span<const std::string_view> args) {
  if (args.size() < 2 || args.size() > 3) throw std::invalid_argument("usage: jamstat generate N DIR [SEED]");
  const auto n = parse_count("N", args[0]);
  const std::string dir(args[1]);
  const auto seed = args.size() == 3 ? parse_count("SEED", args[2]) : synth::default_seed;
  synth::write_files(synth::generate(n, seed), seed, dir);
  std::printf("wrote %llu records (seed %llu) to %s\n", n, seed, dir.c_str());
  return 0;
}

}  // namespace jamstat::cli
