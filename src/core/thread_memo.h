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
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"

namespace leadclean {

inline uint64_t NewMemoOwner() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// kSlots must be a power of two.
template <typename Value, size_t kSlots, size_t kOwners>
class ThreadMemo {
  static_assert((kSlots & (kSlots - 1)) == 0, "kSlots: a power of two");

 public:
  // The value for `key` in `owner`'s memo; on a miss, make(key, &value)
  // fills the slot's value (which holds an older value: make resets it).
  template <typename Make>
  static Value& Get(uint64_t owner, std::string_view key, Make&& make) {
    thread_local std::array<Memo, kOwners> memos;
    thread_local size_t next_victim = 0;
    thread_local size_t last = 0;  // the owner asked last, most often again
    Memo* memo = memos[last].owner == owner ? &memos[last] : nullptr;
    for (size_t i = 0; memo == nullptr && i < kOwners; ++i) {
      if (memos[i].owner == owner) {
        memo = &memos[i];
        last = i;
      }
    }
    if (memo == nullptr) {
      last = next_victim++ % kOwners;
      memo = &memos[last];
      memo->owner = owner;
      memo->slots.assign(kSlots, Slot());
    }
    Slot& slot = memo->slots[StableHash(key) & (kSlots - 1)];
    if (!slot.used || slot.key != key) {
      slot.used = false;
      slot.key.assign(key);
      make(key, &slot.value);
      slot.used = true;
    }
    return slot.value;
  }

 private:
  struct Slot {
    bool used = false;
    std::string key;
    Value value;
  };
  struct Memo {
    uint64_t owner = 0;
    std::vector<Slot> slots;
  };
};

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_THREAD_MEMO_H_
