// A per-thread, direct-mapped memo from text to a value, for work that
// depends on one field's text only: values that repeat from row to row
// (phone cells, sources, user agents, companies, notes) are worked out once
// per thread, with no lock. A miss overwrites its slot. Each owner (a stage,
// a rule group) has its own memo; a thread keeps those of its last kOwners
// owners, and owner ids come from NewMemoOwner(), unique in the process, so
// a memo never answers for another owner (tests build many stages).
#ifndef LEADCLEAN_CORE_THREAD_MEMO_H_
#define LEADCLEAN_CORE_THREAD_MEMO_H_

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"

namespace leadclean {

inline uint64_t NewMemoOwner() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

namespace memo_internal {

// A memo slot's hash of `key`, from its size and at most four 8-byte
// pieces (the first, the last and two between) rather than every byte: a
// user agent of 130 bytes costs no more than a city. Keys alike in all of
// those only share a slot, which costs a miss, never a wrong value.
inline uint64_t SlotHash(std::string_view key) {
  constexpr uint64_t kMul1 = 0x9e3779b97f4a7c15ull;
  constexpr uint64_t kMul2 = 0xff51afd7ed558ccdull;
  const size_t size = key.size();
  uint64_t h = size * kMul1;
  auto mix = [&h](uint64_t piece) { h = std::rotl((h ^ piece) * kMul2, 31); };
  if (size < 8) {
    mix(size == 0 ? 0 : hash_internal::Tail(key, 0));
  } else {
    const size_t last = size - 8;
    mix(hash_internal::Load<uint64_t>(key.data()));
    if (size > 16) {
      mix(hash_internal::Load<uint64_t>(key.data() + last / 3));
      mix(hash_internal::Load<uint64_t>(key.data() + last - last / 3));
    }
    mix(hash_internal::Load<uint64_t>(key.data() + last));
  }
  return (h ^ (h >> 29)) * kMul1;
}

// Whether a slot's stored key equals `key`: sizes first, then keys up to 16
// bytes in two loads each, inline (the library's compare calls memcmp).
inline bool SameKey(std::string_view stored, std::string_view key) {
  using hash_internal::Load;
  const size_t size = key.size();
  if (stored.size() != size) {
    return false;
  }
  if (size < 8) {
    return size == 0 ||
           hash_internal::Tail(stored, 0) == hash_internal::Tail(key, 0);
  }
  if (size <= 16) {
    return Load<uint64_t>(stored.data()) == Load<uint64_t>(key.data()) &&
           Load<uint64_t>(stored.data() + size - 8) ==
               Load<uint64_t>(key.data() + size - 8);
  }
  return std::memcmp(stored.data(), key.data(), size) == 0;
}

}  // namespace memo_internal

// kSlots must be a power of two, at least 2.
template <typename Value, size_t kSlots, size_t kOwners>
class ThreadMemo {
  static_assert(kSlots >= 2 && (kSlots & (kSlots - 1)) == 0,
                "kSlots: a power of two, at least 2");

 public:
  // The value for `key` in `owner`'s memo; on a miss, make(key, &value)
  // fills the slot's value (which holds an older value: make resets it).
  template <typename Make>
  static Value& Get(uint64_t owner, std::string_view key, Make&& make) {
    // The owner asked last, most often asked again: its slots without a
    // search. Owner ids start at 1, so the first call always searches.
    thread_local uint64_t hot_owner = 0;
    thread_local Slot* hot_slots = nullptr;
    if (hot_owner != owner) {
      hot_slots = SlotsOf(owner);
      hot_owner = owner;
    }
    Slot& slot = hot_slots[memo_internal::SlotHash(key) >> kShift];
    if (!slot.used || !memo_internal::SameKey(slot.key, key)) {
      slot.used = false;
      slot.key.assign(key);
      make(key, &slot.value);
      slot.used = true;
    }
    return slot.value;
  }

 private:
  static constexpr int kShift = 64 - std::countr_zero(kSlots);
  struct Slot {
    bool used = false;
    std::string key;
    Value value;
  };
  struct Memo {
    uint64_t owner = 0;
    std::vector<Slot> slots;
  };

  // The slots of `owner`'s memo on this thread; a new owner takes the
  // place of the memo made longest ago.
  static Slot* SlotsOf(uint64_t owner) {
    thread_local std::array<Memo, kOwners> memos;
    thread_local size_t next_victim = 0;
    for (Memo& memo : memos) {
      if (memo.owner == owner) {
        return memo.slots.data();
      }
    }
    Memo& memo = memos[next_victim++ % kOwners];
    memo.owner = owner;
    memo.slots.assign(kSlots, Slot());
    return memo.slots.data();
  }
};

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_THREAD_MEMO_H_
