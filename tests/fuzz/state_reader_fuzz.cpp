// libFuzzer target for read_state. The first input byte picks a mode: even = the rest is given
// as it is (exercises the header and checksum checks); odd = the rest gets a correct body length
// and checksum first, so the fuzzer reaches the body parser behind the checksum.
// Invariant checked besides "no crash, no out-of-bounds read": whatever reads successfully
// writes back to exactly the same bytes.
#include <xxhash.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "jamstat/engine/errors.hpp"
#include "jamstat/io/state_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::vector<std::uint8_t> bytes(data + 1, data + size);
  if ((data[0] & 1) && bytes.size() >= 40) {
    const std::uint64_t body = bytes.size() - 40;
    for (int i = 0; i < 8; ++i) bytes[16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(body >> (8 * i));
    const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size() - 16);
    for (int i = 0; i < 8; ++i) {
      bytes[bytes.size() - 16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.low64 >> (8 * i));
      bytes[bytes.size() - 8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.high64 >> (8 * i));
    }
  }
  try {
    const jamstat::aggregator a = jamstat::read_state(bytes);
    if (jamstat::write_state(a) != bytes) std::abort();  // a state that reads must write back identically
  } catch (const jamstat::state_format_error&) {
  }
  return 0;
}
