// A fast 64-bit hash of a string, 8 bytes a step with a final mix: the keys
// of the cross-row stages' indexes (the per-thread memos pick slots with
// their own cheaper SlotHash, thread_memo.h).
// The same on every run of a machine; only ever compared within a run.
#ifndef LEADCLEAN_CORE_HASH_H_
#define LEADCLEAN_CORE_HASH_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace leadclean {

namespace hash_internal {

template <typename T>
inline uint64_t Load(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

// Bytes [from, size) of `text` (1 to 7 of them) as a number, the first the
// lowest: overlapping loads instead of a byte loop (little-endian; the
// loop elsewhere gives the same value).
inline uint64_t Tail(std::string_view text, size_t from) {
  const size_t n = text.size() - from;
  const char* p = text.data() + from;
  if constexpr (std::endian::native == std::endian::little) {
    if (text.size() >= 8) {  // the last 8 bytes, the earlier ones shifted out
      return Load<uint64_t>(text.data() + text.size() - 8) >> (64 - 8 * n);
    }
    if (n >= 4) {
      return Load<uint32_t>(p) | Load<uint32_t>(p + n - 4) << (8 * (n - 4));
    }
    if (n >= 2) {
      return Load<uint16_t>(p) | Load<uint16_t>(p + n - 2) << (8 * (n - 2));
    }
    return static_cast<uint8_t>(p[0]);
  }
  uint64_t word = 0;
  for (size_t j = n; j-- > 0;) {
    word = (word << 8) | static_cast<uint8_t>(p[j]);
  }
  return word;
}

}  // namespace hash_internal

inline uint64_t StableHash(std::string_view text, uint64_t seed = 0) {
  using hash_internal::Tail;
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
    step(Tail(text, i));   // is mixed in below
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
