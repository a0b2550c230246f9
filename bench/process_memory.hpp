// The process's peak resident set size (VmHWM), for the benchmark programs.
#pragma once

#include <sys/resource.h>

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

/// Minor page faults of the process so far. On the VMs these benchmarks ran on a fault costs
/// 11-15 µs, so fresh memory can dominate a phase; the peer program reports faults per phase.
inline long minor_faults() {
  rusage u {};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

}  // namespace jamstat::bench
