// Loading and validating rules/fake_rules.csv and rules/fake_settings.csv.
// Every check here has an exact message that tests/stages/fake_test.cc
// asserts, because a marketer editing the table in a spreadsheet only sees
// "path:line: message".
#include "rules_engine/fake_rules.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>

#include <re2/re2.h>

#include "core/fccp.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

struct Named {
  std::string_view name;
  int value;
};

constexpr Named kKinds[] = {
    {"regex", static_cast<int>(RuleKind::kRegex)},
    {"list", static_cast<int>(RuleKind::kList)},
    {"contains", static_cast<int>(RuleKind::kContains)},
    {"flag", static_cast<int>(RuleKind::kFlag)},
    {"detector", static_cast<int>(RuleKind::kDetector)},
};

constexpr Named kActions[] = {
    {"reject", static_cast<int>(RuleAction::kReject)},
    {"flag", static_cast<int>(RuleAction::kFlag)},
    {"off", static_cast<int>(RuleAction::kOff)},
};

constexpr Named kReasons[] = {
    {"fake", static_cast<int>(Reason::kFake)},
    {"bot", static_cast<int>(Reason::kBot)},
};

constexpr Named kDetectors[] = {
    {"gibberish", static_cast<int>(Detector::kGibberish)},
    {"unlikely_letters", static_cast<int>(Detector::kUnlikelyLetters)},
    {"filled", static_cast<int>(Detector::kFilled)},
    {"disposable_only", static_cast<int>(Detector::kDisposableOnly)},
    {"placeholder_email_only",
     static_cast<int>(Detector::kPlaceholderEmailOnly)},
    {"burst", static_cast<int>(Detector::kBurst)},
    {"sequential_email", static_cast<int>(Detector::kSequentialEmail)},
    {"shared_phone", static_cast<int>(Detector::kSharedPhone)},
    {"repeated_text", static_cast<int>(Detector::kRepeatedText)},
};

// "a, b or c" for messages.
template <size_t N>
std::string Expected(const Named (&table)[N]) {
  std::string text;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) {
      text += i + 1 == N ? " or " : ", ";
    }
    text += table[i].name;
  }
  return text;
}

// Looks `name` up in `table`; throws "rule 'id': unknown what 'name'".
template <size_t N>
int Lookup(const Named (&table)[N], std::string_view name,
           std::string_view what, const std::string& id, int line) {
  for (const Named& entry : table) {
    if (entry.name == name) {
      return entry.value;
    }
  }
  throw RuleError(line, "rule '" + id + "': unknown " + std::string(what) +
                            " '" + std::string(name) + "' (expected " +
                            Expected(table) + ")");
}

bool IsRuleId(std::string_view id) {
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return !id.empty();
}

// Detectors that read no field of their own.
bool NeedsField(const FakeRule& rule) {
  if (rule.kind == RuleKind::kFlag) {
    return false;
  }
  if (rule.kind != RuleKind::kDetector) {
    return true;
  }
  switch (rule.detector) {
    case Detector::kGibberish:
    case Detector::kUnlikelyLetters:
    case Detector::kFilled:
    case Detector::kRepeatedText:
      return true;
    default:
      return false;
  }
}

double ParseWeight(const std::string& text, const std::string& id, int line) {
  if (text.empty()) {
    return 0;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(),
                                   value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      !std::isfinite(value)) {
    throw RuleError(line, "rule '" + id + "': weight '" + text +
                              "' is not a number >= 0");
  }
  return value;
}

void SplitItems(const std::string& pattern, std::vector<std::string>* items) {
  size_t start = 0;
  while (start <= pattern.size()) {
    size_t bar = pattern.find('|', start);
    if (bar == std::string::npos) {
      bar = pattern.size();
    }
    std::string_view item = Trim(std::string_view(pattern).substr(
        start, bar - start));
    if (!item.empty()) {
      items->emplace_back(item);
    }
    start = bar + 1;
  }
}

// Fills rule->items from "a|b|c", or checks that "@file.txt" exists (its
// items are read by ReadListFiles, from every copy, so a user's copy adds
// items).
void ResolveItems(const RuleFiles& files, FakeRule* rule, int line) {
  if (rule->pattern.empty() || rule->pattern[0] != '@') {
    SplitItems(rule->pattern, &rule->items);
    return;
  }
  std::string file = rule->pattern.substr(1);
  if (file.empty() || file.find('/') != std::string::npos ||
      file.starts_with(".")) {
    throw RuleError(line, "rule '" + rule->id + "': list file '" + file +
                              "' must be a plain file name in the rules "
                              "directory");
  }
  if (files.Paths(file).empty()) {
    throw RuleError(line, "rule '" + rule->id + "': list file '" + file +
                              "' not found in the rules directories");
  }
}

// Reads the list files of the rules that survived layering. Their errors
// carry the list's own "path:line".
bool ReadListFiles(const RuleFiles& files, std::vector<FakeRule>* rules,
                   std::string* error) {
  for (FakeRule& rule : *rules) {
    if (rule.action == RuleAction::kOff || rule.pattern.empty() ||
        rule.pattern[0] != '@' ||
        (rule.kind != RuleKind::kList && rule.kind != RuleKind::kContains)) {
      continue;
    }
    std::vector<ListItem> list;
    if (!ReadLists(files, std::string_view(rule.pattern).substr(1), &list,
                   error)) {
      return false;
    }
    for (ListItem& item : list) {
      rule.items.push_back(std::move(item.text));
    }
  }
  return true;
}

void CheckPattern(const RuleFiles& files, FakeRule* rule, int line) {
  const std::string prefix = "rule '" + rule->id + "': ";
  if (rule->pattern.empty()) {
    throw RuleError(line, prefix + "pattern is empty");
  }
  switch (rule->kind) {
    case RuleKind::kRegex: {
      RE2::Options options;
      options.set_log_errors(false);
      RE2 re(rule->pattern, options);
      if (!re.ok()) {
        throw RuleError(line, prefix + "bad regex: " + re.error());
      }
      break;
    }
    case RuleKind::kList:
    case RuleKind::kContains:
      ResolveItems(files, rule, line);
      break;
    case RuleKind::kDetector:
      rule->detector = static_cast<Detector>(
          Lookup(kDetectors, rule->pattern, "detector", rule->id, line));
      break;
    case RuleKind::kFlag:
      break;
  }
}

struct RawRow {
  std::string id, field, kind, pattern, action, reason, weight, message;
};

FakeRule ParseRule(const RuleFiles& files, const RawRow& row, int line) {
  FakeRule rule;
  rule.id = row.id;
  if (row.id.empty()) {
    throw RuleError(line, "rule id is empty");
  }
  if (!IsRuleId(row.id)) {
    throw RuleError(line, "rule id '" + row.id +
                              "' may only use a-z, 0-9 and '_'");
  }
  rule.action = static_cast<RuleAction>(
      Lookup(kActions, row.action, "action", rule.id, line));
  if (rule.action == RuleAction::kOff) {
    return rule;  // a switch-off row needs nothing else
  }
  rule.field = row.field;
  rule.pattern = row.pattern;
  rule.message = row.message;
  rule.kind =
      static_cast<RuleKind>(Lookup(kKinds, row.kind, "kind", rule.id, line));
  rule.reason = row.reason.empty()
                    ? Reason::kFake
                    : static_cast<Reason>(Lookup(kReasons, row.reason,
                                                 "reason", rule.id, line));
  rule.weight = ParseWeight(row.weight, rule.id, line);
  CheckPattern(files, &rule, line);
  if (NeedsField(rule) && rule.field.empty()) {
    throw RuleError(line, "rule '" + rule.id + "': field is empty");
  }
  return rule;
}

// Rules in table order; a later row with a known id replaces the earlier
// one in place (so a user's copy overrides a default without moving it).
class RuleList {
 public:
  void Add(FakeRule rule) {
    auto [it, added] = index_.emplace(rule.id, rules_.size());
    if (added) {
      rules_.push_back(std::move(rule));
    } else {
      rules_[it->second] = std::move(rule);
    }
  }
  std::vector<FakeRule> Take() { return std::move(rules_); }

 private:
  std::vector<FakeRule> rules_;
  std::unordered_map<std::string, size_t> index_;
};

void ReadRuleFile(const RuleFiles& files, const std::string& path,
                  RuleList* list) {
  RuleTableReader<8> in(path);
  in.read_header(io::ignore_extra_column, "id", "field", "kind", "pattern",
                 "action", "reason", "weight", "message");
  RawRow row;
  std::map<std::string, int> seen;  // id -> line, within this file
  while (in.read_row(row.id, row.field, row.kind, row.pattern, row.action,
                     row.reason, row.weight, row.message)) {
    int line = static_cast<int>(in.get_file_line());
    FakeRule rule = ParseRule(files, row, line);
    auto [it, added] = seen.emplace(rule.id, line);
    if (!added) {
      throw RuleError(line, "rule '" + rule.id +
                                "' is already defined on line " +
                                std::to_string(it->second));
    }
    rule.where = path + ":" + std::to_string(line);
    list->Add(std::move(rule));
  }
}

struct SettingSlot {
  std::string_view name;
  double* real = nullptr;
  int* count = nullptr;
  int64_t* seconds = nullptr;
};

std::vector<SettingSlot> Slots(FakeSettings* s) {
  return {
      {"flag_threshold", &s->flag_threshold, nullptr, nullptr},
      {"burst_count", nullptr, &s->burst_count, nullptr},
      {"burst_seconds", nullptr, nullptr, &s->burst_seconds},
      {"sequential_count", nullptr, &s->sequential_count, nullptr},
      {"sequential_window_seconds", nullptr, nullptr,
       &s->sequential_window_seconds},
      {"sequential_window_rows", nullptr, nullptr,
       &s->sequential_window_rows},
      {"shared_phone_names", nullptr, &s->shared_phone_names, nullptr},
      {"repeated_text_people", nullptr, &s->repeated_text_people, nullptr},
      {"repeated_text_min_chars", nullptr, &s->repeated_text_min_chars,
       nullptr},
  };
}

void SetSetting(const SettingSlot& slot, const std::string& value, int line) {
  double number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(),
                                   number);
  bool whole = slot.real || number == std::floor(number);
  if (ec != std::errc() || end != value.data() + value.size() ||
      !(number > 0) || !whole || number > 1e12) {
    throw RuleError(line, "setting '" + std::string(slot.name) + "': '" +
                              value + "' is not a " +
                              (slot.real ? "number" : "whole number") +
                              " > 0");
  }
  if (slot.real) {
    *slot.real = number;
  } else if (slot.count) {
    *slot.count = static_cast<int>(std::min(number, 1e9));
  } else {
    *slot.seconds = static_cast<int64_t>(number);
  }
}

void ReadSettingsFile(const std::string& path, FakeSettings* settings) {
  RuleTableReader<2> in(path);
  in.read_header(io::ignore_extra_column, "setting", "value");
  std::string name, value;
  std::vector<SettingSlot> slots = Slots(settings);
  while (in.read_row(name, value)) {
    int line = static_cast<int>(in.get_file_line());
    const SettingSlot* slot = nullptr;
    for (const SettingSlot& candidate : slots) {
      slot = candidate.name == name ? &candidate : slot;
    }
    if (!slot) {
      throw RuleError(line, "unknown setting '" + name + "'");
    }
    SetSetting(*slot, value, line);
  }
}

// Appends `text`, cut to 60 bytes (at a character boundary) plus "...".
void AppendShortened(std::string_view text, std::string* out) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) {
    out->append(text);
    return;
  }
  size_t cut = kMax;
  while (cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  out->append(text.substr(0, cut)).append("...");
}

// Appends "id: message (field 'value'; note)" for a fired rule, appending
// to `out` piece by piece: rejected rows each describe their rules.
void AppendDescription(const FakeRule& rule, std::string_view value,
                       std::string_view note, std::string* out) {
  out->append(rule.id);
  if (!rule.message.empty()) {
    out->append(": ").append(rule.message);
  }
  if (!value.empty()) {
    out->append(" (").append(rule.field).append(" '");
    AppendShortened(value, out);
    out->push_back('\'');
    if (!note.empty()) {
      out->append("; ").append(note);
    }
    out->push_back(')');
  } else if (!note.empty()) {
    out->append(" (").append(note).push_back(')');
  }
}

std::string FormatWeight(double weight) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%g", weight);
  return buffer;
}

void RejectByRules(const std::vector<RuleHit>& hits, Findings* findings) {
  const FakeRule* decider = nullptr;
  std::string detail;
  for (const RuleHit& hit : hits) {
    if (hit.rule->action != RuleAction::kReject) {
      continue;
    }
    if (!decider || hit.rule->reason < decider->reason) {
      decider = hit.rule;
    }
    detail.append(detail.empty() ? "" : "; ");
    AppendDescription(*hit.rule, hit.value, hit.note, &detail);
  }
  if (decider) {
    findings->Reject(decider->reason, decider->id, detail);
  }
}

const RuleHit* FindHit(const std::vector<RuleHit>& hits,
                       const FakeRule* rule) {
  for (const RuleHit& hit : hits) {
    if (hit.rule == rule) {
      return &hit;
    }
  }
  return nullptr;
}

void RejectByWeight(const FakeRuleSet& rules, const std::vector<RuleHit>& hits,
                    Findings* findings) {
  double total = 0;
  std::string ids, parts;
  Reason reason = Reason::kFake;
  for (const FakeRule& rule : rules.rules) {
    if (rule.action != RuleAction::kFlag || rule.weight <= 0 ||
        !findings->HasFlag(rule.FlagId())) {
      continue;
    }
    total += rule.weight;
    ids += (ids.empty() ? "" : "+") + rule.id;
    const RuleHit* hit = FindHit(hits, &rule);
    parts.append(parts.empty() ? "" : "; ");
    AppendDescription(rule, hit ? std::string_view(hit->value) : "",
                      hit ? std::string_view(hit->note) : "", &parts);
    parts.append(" [").append(FormatWeight(rule.weight)).push_back(']');
    reason = std::min(reason, rule.reason);
  }
  if (total >= rules.settings.flag_threshold && total > 0) {
    findings->Reject(reason, ids,
                     "flag weight " + FormatWeight(total) + " >= " +
                         FormatWeight(rules.settings.flag_threshold) + ": " +
                         parts);
  }
}

}  // namespace

bool FakeRule::CrossRow() const {
  return detector == Detector::kBurst ||
         detector == Detector::kSequentialEmail ||
         detector == Detector::kSharedPhone ||
         detector == Detector::kRepeatedText;
}

const std::string& FakeRule::FlagId() const {
  return kind == RuleKind::kFlag ? pattern : id;
}

bool LoadFakeRules(const RuleFiles& files, FakeRuleSet* out,
                   std::string* error) {
  RuleList list;
  for (const std::string& path : files.Paths(kFakeRulesFile)) {
    if (!ReadTable(path, [&] { ReadRuleFile(files, path, &list); }, error)) {
      return false;
    }
  }
  out->rules = list.Take();
  if (!ReadListFiles(files, &out->rules, error)) {
    return false;
  }
  out->settings = FakeSettings{};
  for (const std::string& path : files.Paths(kFakeSettingsFile)) {
    if (!ReadTable(path, [&] { ReadSettingsFile(path, &out->settings); },
                   error)) {
      return false;
    }
  }
  return true;
}

void ApplyHits(const FakeRuleSet& rules, std::vector<RuleHit>* hit_list,
               Findings* findings) {
  std::vector<RuleHit>& hits = *hit_list;
  // Table order, so lc_rule names the first rule of the table that fired.
  // An insertion sort, stable like std::stable_sort, without its buffer:
  // a row fires a few rules.
  for (size_t i = 1; i < hits.size(); ++i) {
    for (size_t j = i; j > 0 && hits[j].rule < hits[j - 1].rule; --j) {
      std::swap(hits[j], hits[j - 1]);
    }
  }
  RejectByRules(hits, findings);
  if (findings->rejected()) {
    return;
  }
  for (const RuleHit& hit : hits) {
    if (hit.rule->action == RuleAction::kFlag) {
      findings->Flag(hit.rule->FlagId());
    }
  }
  RejectByWeight(rules, hits, findings);
}

bool HasValidPhone(const Findings& findings) {
  return !findings.Col(Out::kPhone).empty() || !findings.phone_all.empty();
}

}  // namespace leadclean
