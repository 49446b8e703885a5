// Lists a run matches leads against: do-not-call lists (--suppress) and CRM
// exports (--against).
//
// A list file is a CSV. When its header maps to a phone or email role (the
// same synonyms as leads), those columns are read and normalised by the
// phone and email stages. Otherwise every cell is a value: a 64-hex-digit
// cell is a SHA-256 digest (of the E.164 phone, or of the lower-cased
// address as in lc_email), a cell with '@' an email, anything else a phone.
// Digests let a list be shared without personal data.
#ifndef LEADCLEAN_STAGES_SIDE_LISTS_H_
#define LEADCLEAN_STAGES_SIDE_LISTS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <absl/container/flat_hash_set.h>

#include "leadclean/record.h"
#include "leadclean/stage.h"

namespace leadclean {

class SideLists {
 public:
  enum List { kSuppress = 0, kAgainst = 1 };

  // A 64-bit key hash (StableHash), the same for a key throughout a run;
  // `kind` separates phones from emails.
  static uint64_t Hash(char kind, std::string_view key);
  // A hash of the pair: Hash(kind, first) seeds the hash of `second`.
  static uint64_t HashPair(char kind, std::string_view first,
                           std::string_view second);
  // Lower-case hex SHA-256 of `text`.
  static std::string Sha256Hex(std::string_view text);

  // Loads context.options->suppress and ->against. Returns false with
  // "path: message" when a list cannot be read.
  bool Load(const StageContext& context, std::string* error);

  // Whether any phone of the row or its email is on `list`.
  bool Matches(const Findings& findings, List list) const;

  uint64_t size(List list) const { return keys_[list].size() + digests_[list].size(); }
  bool empty(List list) const { return size(list) == 0; }

 private:
  bool LoadFile(const StageContext& context, const std::string& path,
                List list, std::string* error);
  void AddFromFindings(const Findings& findings, List list);

  absl::flat_hash_set<uint64_t> keys_[2];
  absl::flat_hash_set<std::string> digests_[2];
};

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_SIDE_LISTS_H_
