#include "core/hash.h"

#include <random>
#include <string>

#include <catch2/catch.hpp>

namespace leadclean {
namespace {

// StableHash as first written: the tail assembled a byte at a time. The
// overlapping loads must give the same number for every length and byte.
uint64_t ReferenceHash(std::string_view text, uint64_t seed) {
  constexpr uint64_t kMul1 = 0x87c37b91114253d5ull;
  constexpr uint64_t kMul2 = 0x4cf5ad432745937full;
  uint64_t h = 0x9e3779b97f4a7c15ull ^ seed;
  auto step = [&h](uint64_t word) {
    h ^= word * kMul1;
    h = ((h << 31) | (h >> 33)) * kMul2;
  };
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word = 0;
    for (size_t j = i + 8; j-- > i;) {
      word = (word << 8) | static_cast<uint8_t>(text[j]);
    }
    step(word);
  }
  if (i < text.size()) {
    uint64_t word = 0;
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

TEST_CASE("StableHash: the same value as the byte-at-a-time reference",
          "[hash]") {
  std::mt19937_64 random(20261122);
  // Every length up to 40 (each tail length, with and without whole words
  // before it), bytes of every value, and views that start mid-buffer.
  std::string buffer(64, '\0');
  for (int length = 0; length <= 40; ++length) {
    for (int trial = 0; trial < 500; ++trial) {
      for (char& c : buffer) {
        c = static_cast<char>(random());
      }
      const size_t start = random() % 8;
      const std::string_view text(buffer.data() + start, length);
      const uint64_t seed = trial % 3 == 0 ? 0 : random();
      REQUIRE(StableHash(text, seed) == ReferenceHash(text, seed));
    }
  }
  CHECK(StableHash("") == ReferenceHash("", 0));
  CHECK(StableHash("a") != StableHash("a", 1));
  CHECK(StableHash(std::string_view("ab\0", 3)) != StableHash("ab"));
}

}  // namespace
}  // namespace leadclean
