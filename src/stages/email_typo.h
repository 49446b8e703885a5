// Provider-domain typo correction: "gmial.com" -> "gmail.com",
// "yahoo.com.vm" -> "yahoo.com.vn", "gmailcom" -> "gmail.com".
//
// Built from rules/email_typo_targets.txt. A domain is corrected only
// towards a listed provider, and only when it is close to it label by label:
// the provider name (the label before the suffix) within Damerau-Levenshtein
// distance 1 (2 for names of 8+ letters; none for names under 5 letters),
// and the suffix ("com", "com.vn") within distance 1. The first letter of
// the name may only be dropped, change to a neighbouring key or swap with
// the second. A tie goes to the provider listed first (the list is ordered
// by popularity). The caller must first rule out domains that are
// themselves real (see EmailRules).
#ifndef LEADCLEAN_STAGES_EMAIL_TYPO_H_
#define LEADCLEAN_STAGES_EMAIL_TYPO_H_

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace leadclean {

// Transparent hashing so string_view lookups do not allocate.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>()(text);
  }
};
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;
template <typename Value>
using StringMap =
    std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

// Optimal-string-alignment (restricted Damerau-Levenshtein) distance, capped:
// returns `cap + 1` as soon as the distance is known to exceed `cap`.
int EditDistance(std::string_view a, std::string_view b, int cap);

// True when `a` and `b` are neighbouring keys on a QWERTY keyboard.
bool KeysAdjacent(char a, char b);

// Row and column of each lower-case letter on a QWERTY keyboard.
struct KeyPlace {
  int row = -1;
  int column = -1;
};
inline constexpr std::array<KeyPlace, 26> kKeyPlaces = [] {
  constexpr std::string_view kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
  std::array<KeyPlace, 26> keys{};
  for (int row = 0; row < 3; ++row) {
    for (size_t column = 0; column < kRows[row].size(); ++column) {
      keys[kRows[row][column] - 'a'] = {row, static_cast<int>(column)};
    }
  }
  return keys;
}();

// +1 when `b` is the key right after `a` on the same QWERTY row, -1 when it
// is the key right before it, else 0. Lower-case letters only.
constexpr int KeyRowStep(char a, char b) {
  if (a < 'a' || a > 'z' || b < 'a' || b > 'z') {
    return 0;
  }
  KeyPlace key_a = kKeyPlaces[a - 'a'];
  KeyPlace key_b = kKeyPlaces[b - 'a'];
  int step = key_b.column - key_a.column;
  return key_a.row == key_b.row && (step == 1 || step == -1) ? step : 0;
}

class TypoTable {
 public:
  // Adds one line of email_typo_targets.txt:
  //   "gmail.com"                     a provider to correct towards
  //   "gmail.com: gmial.com gmai.com" the same, with known typos of it
  //   ".com: .con .cmo"               top-level typos, fixed for every
  //                                   listed provider name
  //   "!pacific.co"                   a real domain, never corrected
  // Returns false with a message when the line is malformed.
  bool AddLine(std::string_view line, std::string* message);

  // Listed as a provider or as a real domain.
  bool IsListed(std::string_view domain) const;

  // The provider `domain` (lower-case ASCII, syntactically valid) is
  // probably a typo of, or "" when none.
  std::string_view Correct(std::string_view domain) const;

  // For a domain that failed syntax only through its dots ("gmailcom",
  // "gmail..com", "gmail"): the provider it names, or "".
  std::string_view Repair(std::string_view domain) const;

  size_t provider_count() const { return providers_.size(); }

 private:
  struct Provider {
    std::string domain;
    std::string name;     // "gmail"
    std::string suffix;   // "com", "com.vn"
    std::string letters;  // domain without dots: "gmailcom"
    int suffix_labels = 1;
  };
  bool AddProvider(std::string_view domain, std::string* message);
  bool AddKept(std::string_view domain, std::string* message);
  bool AddTldTypos(std::string_view tld,
                   const std::vector<std::string_view>& typos,
                   std::string* message);
  std::string_view CorrectByDistance(std::string_view domain) const;
  std::string_view CorrectTld(std::string_view domain) const;

  std::vector<Provider> providers_;
  StringMap<std::string> known_typos_;  // typo domain -> provider
  StringMap<std::string> tld_typos_;    // "con" -> "com"
  StringSet listed_;                    // providers and kept domains
};

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_EMAIL_TYPO_H_
