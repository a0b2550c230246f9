// libFuzzer target for read_state. The first input byte picks a mode: even = the rest is given
// as it is (exercises the header and checksum checks); odd = the rest gets a correct body length
// and checksum first, so the fuzzer reaches the body parser behind the checksum.
// Invariants checked besides "no crash, no out-of-bounds read": every state the library writes,
// it reads back (whatever reads successfully is written, and those bytes must read and write
// back to themselves exactly); and a current-version state writes back to exactly the bytes it
// was read from, except one with fewer rejection reasons than this version knows (allowed by
// docs/state-format.md, for states of earlier versions), which is written in the current form,
// longer by the missing reasons' zero counts. Version-1 states are written as version 2.
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
    const std::vector<std::uint8_t> written = jamstat::write_state(a);
    std::vector<std::uint8_t> again;
    try {
      again = jamstat::write_state(jamstat::read_state(written));
    } catch (...) {
      std::abort();  // a state the library wrote does not read back
    }
    if (again != written) std::abort();
    const bool version_1 = bytes[8] == 1;
    if (written != bytes && !version_1 && (written.size() <= bytes.size() || (written.size() - bytes.size()) % 8 != 0))
      std::abort();
  } catch (const jamstat::state_format_error&) {
  }
  return 0;
}
