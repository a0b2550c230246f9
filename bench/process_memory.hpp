// The process's peak resident set size (VmHWM), for the benchmark programs.
#pragma once

#include <fstream>
#include <string>

namespace jamstat::bench {

/// Peak RSS so far in MiB, from /proc/self/status; -1 when unavailable.
inline double peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return -1;
}

}  // namespace jamstat::bench
