// The phone stage's rule tables (rules/*.csv, rules/*.txt): Vietnam's 2018
// mobile prefix conversion, the 2017 landline area-code change, operator
// prefixes and placeholder numbers. Covered by tests/stages/phone_test.cc.
#ifndef LEADCLEAN_STAGES_PHONE_RULES_H_
#define LEADCLEAN_STAGES_PHONE_RULES_H_

#include <array>
#include <bitset>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "leadclean/rules.h"

namespace leadclean {

// The calling code the vn_* tables apply to, whatever the default region.
constexpr int kVietnamCallingCode = 84;

// One row of vn_legacy_mobile.csv or vn_landline_codes.csv. Prefixes are
// kept without the national prefix 0, as they appear in the NSN.
struct PrefixRewrite {
  std::string id;
  std::string old_prefix;  // "120"
  std::string new_prefix;  // "70"
  int subscriber_digits = 0;
};

class PrefixRewrites {
 public:
  void Add(PrefixRewrite rule);
  // Rewrites `nsn` when it is some rule's old prefix followed by exactly
  // that rule's number of subscriber digits. Returns false otherwise.
  bool Rewrite(std::string_view nsn, std::string* out) const;
  size_t size() const { return rules_.size(); }

 private:
  std::vector<PrefixRewrite> rules_;
};

// Heterogeneous lookup: no string is built per check.
struct RuleStringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>()(text);
  }
};

class CarrierTable {
 public:
  CarrierTable();
  // `prefix`: digits. A later prefix equal to an earlier one replaces it.
  void Add(std::string_view prefix, std::string carrier);
  // The operator of the longest prefix of `nsn`, or "".
  std::string_view Lookup(std::string_view nsn) const;
  size_t size() const { return size_; }

 private:
  // A digit trie: node 0 is the root; child -1 means none.
  struct Node {
    std::array<int, 10> child;
    int carrier = -1;  // index into carriers_
  };
  std::vector<Node> nodes_;
  std::vector<std::string> carriers_;
  size_t size_ = 0;
};

class PlaceholderPhones {
 public:
  // `digits`: the number as listed, digits only. `e164`: its E.164 when it
  // is a valid number, else "".
  void Add(std::string digits, std::string e164);
  // For a valid number: true when its `e164` is listed. For an invalid one
  // (`e164` empty): true when its `digits` as written ('+' and leading
  // zeros ignored) are.
  bool Contains(std::string_view digits, std::string_view e164) const;
  size_t size() const { return digits_.size(); }

 private:
  using Set = std::unordered_set<std::string, RuleStringHash, std::equal_to<>>;
  // A bit per (length, last three characters) of the listed strings, by a
  // small hash: most numbers are ruled out without hashing them whole.
  struct Tails {
    std::bitset<1 << 12> bits;
    static size_t Of(std::string_view text);
  };
  Set digits_;
  Set e164_;
  Tails digit_tails_;
  Tails e164_tails_;
};

struct PhoneRules {
  PrefixRewrites legacy_mobile;    // rules/vn_legacy_mobile.csv
  PrefixRewrites landline_codes;   // rules/vn_landline_codes.csv, convert=yes
  CarrierTable carriers;           // rules/vn_carriers.csv
  PlaceholderPhones placeholders;  // rules/placeholder_phones.txt
};

// Reads every table from `files` (a user's row with the id of a default row
// replaces it). Placeholder entries are parsed with `region` as the default
// region. A missing table is empty. Returns false with "path:line: message"
// on a bad row.
bool LoadPhoneRules(const RuleFiles& files, std::string_view region,
                    PhoneRules* rules, std::string* error);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_PHONE_RULES_H_
