// The fake/bot rule table (rules/fake_rules.csv) and its settings
// (rules/fake_settings.csv): loading, validation and the decision that turns
// fired rules into a reject or flags. Shared by the fake stage (row-local
// rules), the bot stage (cross-row detectors) and `leadclean rules check`.
#ifndef LEADCLEAN_RULES_ENGINE_FAKE_RULES_H_
#define LEADCLEAN_RULES_ENGINE_FAKE_RULES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "leadclean/record.h"
#include "leadclean/rules.h"

namespace leadclean {

inline constexpr std::string_view kFakeRulesFile = "fake_rules.csv";
inline constexpr std::string_view kFakeSettingsFile = "fake_settings.csv";

// How a rule matches. regex: an RE2 pattern; list: the whole value equals an
// item; contains: the value contains an item; flag: an earlier stage raised
// the flag named in `pattern`; detector: a built-in check named in `pattern`.
enum class RuleKind : uint8_t { kRegex, kList, kContains, kFlag, kDetector };

enum class RuleAction : uint8_t { kReject, kFlag, kOff };

enum class Detector : uint8_t {
  kNone,
  kGibberish,             // keyboard mash (row-local)
  kUnlikelyLetters,       // letter pairs rare in names (row-local, weak)
  kFilled,                // any non-blank value (honeypots)
  kDisposableOnly,        // disposable email and no valid phone
  kPlaceholderEmailOnly,  // placeholder email and no valid phone
  kBurst,                 // cross-row: many rows from one IP in a short time
  kSequentialEmail,       // cross-row: user001, user002, ... on one domain
  kSharedPhone,           // cross-row: one phone, many person names
  kRepeatedText,          // cross-row: one long text from many people
};

struct FakeRule {
  std::string id;
  std::string field;    // a role, email_local, email_domain or a header
  RuleKind kind = RuleKind::kRegex;
  std::string pattern;  // as written in the table
  RuleAction action = RuleAction::kReject;
  Reason reason = Reason::kFake;
  double weight = 0;
  std::string message;
  Detector detector = Detector::kNone;
  std::vector<std::string> items;  // list/contains items, files resolved
  std::string where;               // "path:line", for messages

  bool CrossRow() const;
  // The flag this rule raises or reads: its id, or for kind flag the
  // upstream flag named in `pattern`.
  const std::string& FlagId() const;
};

struct FakeSettings {
  double flag_threshold = 3;
  int burst_count = 5;
  int64_t burst_seconds = 120;
  int sequential_count = 3;
  int64_t sequential_window_seconds = 3600;
  int64_t sequential_window_rows = 200;
  int shared_phone_names = 4;
  int repeated_text_people = 5;
  int repeated_text_min_chars = 25;
};

struct FakeRuleSet {
  std::vector<FakeRule> rules;  // enabled and disabled, table order
  FakeSettings settings;
};

// Reads every copy of fake_rules.csv (a user row with the id of an earlier
// row replaces it; action `off` disables it), the list files the rules name,
// and fake_settings.csv. Returns false with "path:line: message" on the
// first bad row.
bool LoadFakeRules(const RuleFiles& files, FakeRuleSet* out,
                   std::string* error);

// One rule that fired on a row, with the value it saw ("" when none) and
// what a detector found in it ("" when nothing to add).
struct RuleHit {
  const FakeRule* rule = nullptr;
  std::string value;
  std::string note;
};

// Applies fired rules to a row: reject rules reject (lc_rule names the first
// in table order, lc_detail all of them); flag rules add their flag; then, if the summed
// weight of every flag on the row that a rule weighs reaches the threshold,
// the row is rejected with lc_rule naming the contributing rules joined
// with '+'.
// `hits` must point into `rules`; they are sorted into table order.
void ApplyHits(const FakeRuleSet& rules, std::vector<RuleHit>* hits,
               Findings* findings);

// True when the row has a valid phone (the phone stage filled lc_phone).
bool HasValidPhone(const Findings& findings);

}  // namespace leadclean

#endif  // LEADCLEAN_RULES_ENGINE_FAKE_RULES_H_
