// Dedup stage (first version): a row whose phone (any number in phone_all)
// or email key was already seen on a kept row is rejected as a duplicate of
// that row (rules dedup_phone, dedup_email). Junk rows never become
// survivors. lc_cluster is the survivor's lc_row. Keys are 64-bit hashes, so
// memory is about 32 bytes per distinct key. Covered by
// tests/stages/dedup_test.cc.
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "leadclean/stage.h"

namespace leadclean {
namespace {

// FNV-1a with a final avalanche; stable across runs and machines, so a
// (vanishingly rare) collision is at least deterministic.
uint64_t KeyHash(char kind, std::string_view key) {
  uint64_t h = 1469598103934665603ull ^ static_cast<uint8_t>(kind);
  h *= 1099511628211ull;
  for (char c : key) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

struct Key {
  uint64_t hash;
  const char* rule;
  std::string_view value;
};

class DedupStage : public CrossStage {
 public:
  void Process(const RowView& row, Findings* findings) override {
    if (findings->rejected()) {
      return;
    }
    std::vector<Key> keys = KeysOf(*findings);
    if (keys.empty()) {
      return;
    }
    for (const Key& key : keys) {
      auto it = survivors_.find(key.hash);
      if (it != survivors_.end()) {
        MarkDuplicate(it->second, key, keys, findings);
        return;
      }
    }
    for (const Key& key : keys) {
      survivors_.emplace(key.hash, row.row);
    }
    findings->cluster = row.row;
  }

  void Report(nlohmann::json* out) const override {
    (*out)["distinct_keys"] = survivors_.size();
    (*out)["duplicates"] = duplicates_;
  }

 private:
  static std::vector<Key> KeysOf(const Findings& findings) {
    std::vector<Key> keys;
    for (const std::string& phone : findings.phone_all) {
      keys.push_back({KeyHash('p', phone), "dedup_phone", phone});
    }
    const std::string& email = findings.email_key.empty()
                                   ? findings.Col(Out::kEmail)
                                   : findings.email_key;
    if (!email.empty()) {
      keys.push_back({KeyHash('e', email), "dedup_email", email});
    }
    return keys;
  }

  void MarkDuplicate(uint64_t survivor, const Key& matched,
                     const std::vector<Key>& keys, Findings* findings) {
    ++duplicates_;
    std::string detail = std::string(matched.rule == std::string_view(
                                                         "dedup_phone")
                                         ? "same phone "
                                         : "same email ") +
                         std::string(matched.value) + " as row " +
                         std::to_string(survivor);
    findings->Reject(Reason::kDuplicate, matched.rule, detail);
    findings->duplicate_of = survivor;
    findings->cluster = survivor;
    // The same person: their other keys now lead to the survivor too.
    for (const Key& key : keys) {
      survivors_.emplace(key.hash, survivor);
    }
  }

  std::unordered_map<uint64_t, uint64_t> survivors_;
  uint64_t duplicates_ = 0;
};

}  // namespace

std::unique_ptr<CrossStage> MakeDedupStage(const StageContext&, std::string*) {
  return std::make_unique<DedupStage>();
}

}  // namespace leadclean
