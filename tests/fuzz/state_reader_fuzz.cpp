// libFuzzer target for read_state. The first input byte picks a mode: even = the rest is given
// as it is (exercises the header and checksum checks); odd = the rest gets a correct body length
// and checksum first, so the fuzzer reaches the body parser behind the checksum.
// Invariant checked besides "no crash, no out-of-bounds read": whatever reads successfully
// writes back to exactly the same bytes, except a state with fewer rejection reasons than this
// version knows (allowed by docs/state-format.md, for states of earlier versions): that one is
// written in the current form, longer by the missing reasons' zero counts, and that form must
// then read and write back to itself exactly.
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
    if (written != bytes) {
      if (written.size() <= bytes.size() || (written.size() - bytes.size()) % 8 != 0) std::abort();
      if (jamstat::write_state(jamstat::read_state(written)) != written) std::abort();
    }
  } catch (const jamstat::state_format_error&) {
  }
  return 0;
}
