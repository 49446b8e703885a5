// The email rule tables and what they say about a domain or a local part.
//
// Files (one item per line, '#' comments; except in the typo file, a line
// "-item" removes an item listed earlier, so a --rules overlay can unlist a
// default):
//   email_disposable_domains.txt  throw-away domains; parents match too
//   email_free_providers.txt      "gmail.com dots plus", "googlemail.com
//                                 dots plus =gmail.com": free-mail domains and
//                                 how their local parts fold for dedup
//   email_role_locals.txt         info, sales, lienhe, cskh, ...
//   email_placeholders.txt        "test@test.com", "test@*", "*@test.com",
//                                 "blank: n a", "cell: test lead dummy data"
//   email_typo_targets.txt        see TypoTable
//   email_reserved_domains.txt    example.com, test, localhost, ...
#ifndef LEADCLEAN_STAGES_EMAIL_RULES_H_
#define LEADCLEAN_STAGES_EMAIL_RULES_H_

#include <nlohmann/json_fwd.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "leadclean/rules.h"
#include "stages/email_typo.h"

namespace leadclean {

// How a provider's local parts fold for the dedup key.
struct ProviderRule {
  bool ignore_dots = false;  // Gmail: a.b == ab
  bool strip_plus = false;   // a+tag == a
  std::string canonical;     // googlemail.com -> gmail.com; "" = itself
};

// What the rules say about one ASCII domain; computed once per domain and
// memoised per thread by the stage.
struct DomainInfo {
  bool reserved = false;
  bool disposable = false;
  bool free = false;
  const ProviderRule* provider = nullptr;  // set when free
  std::string typo_of;  // provider this domain is likely a typo of, or ""
  bool placeholder_domain = false;                // "*@test.com"
  const StringSet* placeholder_locals = nullptr;  // "abc@gmail.com", ...
};

// The (first byte, length) and (last byte, length) pairs of a set of
// strings: most strings that are not in the set are ruled out without
// hashing them.
class ShapeFilter {
 public:
  void Add(std::string_view text) {
    first_[First(text)] |= Bit(text);
    last_[Last(text)] |= Bit(text);
  }
  bool MayContain(std::string_view text) const {
    return (first_[First(text)] & last_[Last(text)] & Bit(text)) != 0;
  }

 private:
  static size_t First(std::string_view text) {
    return text.empty() ? 0 : static_cast<unsigned char>(text.front());
  }
  static size_t Last(std::string_view text) {
    return text.empty() ? 0 : static_cast<unsigned char>(text.back());
  }
  static uint64_t Bit(std::string_view text) {
    return uint64_t{1} << std::min<size_t>(text.size(), 63);
  }
  std::array<uint64_t, 256> first_ = {};
  std::array<uint64_t, 256> last_ = {};
};

class EmailRules {
 public:
  // Reads every copy of the six files. Missing files are empty lists.
  // Returns false with "path:line: message" on a malformed line.
  bool Load(const RuleFiles& files, std::string* error);

  DomainInfo Classify(std::string_view domain) const;

  // `local` is lower case; `domain` is what Classify() said of its domain.
  bool IsPlaceholder(std::string_view local, const DomainInfo& domain) const;
  bool IsRole(std::string_view local) const;
  // `folded` is FoldKey() of a cell without '@'.
  bool IsBlankText(std::string_view folded) const;
  bool IsPlaceholderText(std::string_view folded) const;

  const TypoTable& typos() const { return typos_; }

  // Canonical key for duplicate detection from the lower-cased local part:
  // +tags and dots dropped where the provider ignores them, aliases mapped.
  std::string DedupKey(std::string_view lower_local, std::string_view domain,
                       const ProviderRule* provider) const;
  // DedupKey written over *key, whose storage is reused.
  void DedupKeyTo(std::string_view lower_local, std::string_view domain,
                  const ProviderRule* provider, std::string* key) const;

  // Sizes of the lists, for the report.
  void Describe(nlohmann::json* out) const;

 private:
  bool AddFree(std::string_view line, std::string* message);
  bool AddRole(std::string_view line, std::string* message);
  bool AddPlaceholder(std::string_view line, std::string* message);
  const ProviderRule* FindFree(std::string_view domain) const;
  void BuildFilters();

  StringSet disposable_;
  StringMap<ProviderRule> free_;
  StringSet roles_;
  StringSet reserved_;
  StringMap<StringSet> placeholder_addresses_;  // domain -> locals
  StringSet placeholder_locals_;                // "test@*"
  StringSet placeholder_domains_;               // "*@test.com"
  StringSet blank_texts_;
  StringSet placeholder_prefixes_;  // "cell: ..." (few)
  TypoTable typos_;
  ShapeFilter role_shapes_;         // roles_
  ShapeFilter placeholder_shapes_;  // every placeholder local part
};

// Keyboard mash in a lower-case local part: a run of 6+ consonants, a run
// of 4+ keys along a keyboard row ("asdf", "qwer"), or a letter 4+ times in
// a row.
bool IsGibberishLocal(std::string_view local);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_EMAIL_RULES_H_
