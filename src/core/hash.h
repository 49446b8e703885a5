// A fast 64-bit hash of a string, 8 bytes a step with a final mix: the keys
// of the cross-row stages' indexes and the slots of the per-thread memos.
// The same on every run of a machine; only ever compared within a run.
#ifndef LEADCLEAN_CORE_HASH_H_
#define LEADCLEAN_CORE_HASH_H_

#include <cstdint>
#include <cstring>
#include <string_view>

namespace leadclean {

inline uint64_t StableHash(std::string_view text, uint64_t seed = 0) {
  constexpr uint64_t kMul1 = 0x87c37b91114253d5ull;
  constexpr uint64_t kMul2 = 0x4cf5ad432745937full;
  uint64_t h = 0x9e3779b97f4a7c15ull ^ seed;
  auto step = [&h](uint64_t word) {
    h ^= word * kMul1;
    h = ((h << 31) | (h >> 33)) * kMul2;
  };
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    step(word);
  }
  if (i < text.size()) {  // the last 1-7 bytes, zero-padded: the length
    uint64_t word = 0;    // is mixed in below
    for (size_t j = text.size(); j-- > i;) {
      word = (word << 8) | static_cast<uint8_t>(text[j]);
    }
    step(word);
  }
  h ^= text.size();
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_HASH_H_
