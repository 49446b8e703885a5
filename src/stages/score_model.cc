// Rule tables are read with fast-cpp-csv-parser; every check that needs the
// settings (amount thresholds) or RE2 (patterns) runs in Compile() and cites
// the rule's "path:line". Match rules on one field share one RE2::Set, so a
// row costs one fold and one Set pass per field, however many rules.
#include "stages/score_model.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "core/fccp.h"
#include "leadclean/csv.h"
#include "leadclean/text.h"
#include "leadclean/timestamp.h"
#include "stages/score_parse.h"

namespace leadclean {

namespace {

uint64_t NextSlotId() {
  static std::atomic<uint64_t> next{0};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

struct ScoreModel::MatchSlot {
  FieldRef field;
  std::unique_ptr<RE2::Set> set;
  std::vector<int> rule_of_pattern;  // Set index -> rule index
  uint64_t id = NextSlotId();        // unique across models, keys the memo
};

namespace {

constexpr char kLearnedFile[] = "learned_scoring.csv";
constexpr char kSettingsFile[] = "scoring_settings.csv";
constexpr const char* kTableFiles[] = {"scoring.csv", "source_quality.csv"};
constexpr double kSecondsPerDay = 86400;

struct KindName {
  std::string_view name;
  RuleKind kind;
};
constexpr KindName kKinds[] = {
    {"match", RuleKind::kMatch},     {"present", RuleKind::kPresent},
    {"flag", RuleKind::kFlag},       {"amount", RuleKind::kAmount},
    {"count", RuleKind::kCount},     {"recency", RuleKind::kRecency},
    {"always", RuleKind::kAlways},   {"off", RuleKind::kOff},
};

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  return options;
}

double ParseNumber(const std::string& text, int line, const char* what) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() ||
      !std::isfinite(value)) {
    throw RuleError(line, std::string(what) + " '" + text + "' is not a number");
  }
  return value;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    parts.push_back(Trim(text.substr(start, end - start)));
    if (end == std::string_view::npos) {
      return parts;
    }
    start = end + 1;
  }
}

FieldRef ParseField(std::string_view name, int line) {
  FieldRef field;
  if (name.starts_with("lc_")) {
    for (int i = 0; i < kOutCount; ++i) {
      if (OutName(static_cast<Out>(i)) == name) {
        field.is_output = true;
        field.out = static_cast<Out>(i);
        return field;
      }
    }
  } else {
    field.role = RoleFromName(name);
    if (field.role != Role::kNone) {
      return field;
    }
  }
  throw RuleError(line, "unknown field '" + std::string(name) +
                            "' (a role such as notes, or an lc_ column)");
}

// "a|b" -> {a, b}; for kPresent "a+b|c" -> {{a}, {b, c}}.
std::vector<std::vector<FieldRef>> ParseFields(const ScoreRule& rule,
                                               int line) {
  std::vector<std::vector<FieldRef>> fields;
  std::string_view text = rule.field_text;
  if (rule.kind == RuleKind::kRecency && text.empty()) {
    text = "created_at";
  }
  if (text.empty()) {
    return fields;
  }
  char outer = rule.kind == RuleKind::kPresent ? '+' : '\0';
  for (std::string_view part : outer ? Split(text, outer)
                                     : std::vector<std::string_view>{text}) {
    fields.emplace_back();
    for (std::string_view name : Split(part, '|')) {
      fields.back().push_back(ParseField(name, line));
    }
  }
  return fields;
}

RuleKind ParseKind(const std::string& text, int line) {
  for (const KindName& k : kKinds) {
    if (k.name == text) {
      return k.kind;
    }
  }
  throw RuleError(line, "unknown kind '" + text +
                            "' (match, present, flag, amount, count, "
                            "recency, always, off)");
}

void ParseBant(ScoreRule* rule, int line) {
  if (rule->bant.empty()) {
    return;
  }
  const std::string& b = rule->bant;
  if (b.size() != 2 || std::string_view("BANT").find(b[0]) == std::string::npos ||
      (b[1] != '+' && b[1] != '-')) {
    throw RuleError(line, "bant '" + b + "' must be one of B+ B- A+ A- N+ N- T+ T-");
  }
  rule->bant_letter = b[0];
  rule->bant_sign = b[1] == '+' ? 1 : -1;
}

bool IsValidId(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Checks the columns that need no settings; fills the parsed members.
void ParseRuleRow(ScoreRule* rule, const std::string& points,
                  const std::string& cap, int line) {
  if (!IsValidId(rule->id)) {
    throw RuleError(line, "rule id '" + rule->id +
                              "' must be lower-case letters, digits and _");
  }
  if (rule->axis_text != "fit" && rule->axis_text != "intent") {
    throw RuleError(line, "axis '" + rule->axis_text + "' must be fit or intent");
  }
  rule->axis = rule->axis_text == "fit" ? ScoreAxis::kFit : ScoreAxis::kIntent;
  rule->kind = ParseKind(rule->kind_text, line);
  ParseBant(rule, line);
  rule->points = ParseNumber(points, line, "points");
  rule->cap = cap.empty() ? 0 : ParseNumber(cap, line, "cap");
  if (rule->cap < 0) {
    throw RuleError(line, "cap '" + cap + "' must be 0 or more");
  }
  rule->fields = ParseFields(*rule, line);
  bool needs_field = rule->kind == RuleKind::kMatch ||
                     rule->kind == RuleKind::kPresent ||
                     rule->kind == RuleKind::kAmount ||
                     rule->kind == RuleKind::kCount;
  if (needs_field && rule->fields.empty()) {
    throw RuleError(line, "kind " + rule->kind_text + " needs a field");
  }
  bool one_field = rule->kind == RuleKind::kCount ||
                   rule->kind == RuleKind::kRecency;
  if (one_field && rule->fields.front().size() != 1) {
    throw RuleError(line, "kind " + rule->kind_text + " reads one field");
  }
  bool needs_pattern = rule->kind == RuleKind::kMatch ||
                       rule->kind == RuleKind::kFlag ||
                       rule->kind == RuleKind::kAmount;
  if (needs_pattern && rule->pattern.empty()) {
    throw RuleError(line, "kind " + rule->kind_text + " needs a pattern");
  }
}

// Adds `rule` to `rules`, replacing an earlier rule with its id in place.
void AddRule(ScoreRule rule, std::vector<ScoreRule>* rules) {
  for (ScoreRule& existing : *rules) {
    if (existing.id == rule.id) {
      existing = std::move(rule);
      return;
    }
  }
  rules->push_back(std::move(rule));
}

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  std::string text = buffer;
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') {
    text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

// ---- Settings ---------------------------------------------------------------

struct SettingSpec {
  std::string_view id;
  double ScoreSettings::*member;
  double min, max;
};
constexpr SettingSpec kSettings[] = {
    {"fit_weight", &ScoreSettings::fit_weight, 0, 10},
    {"intent_weight", &ScoreSettings::intent_weight, 0, 10},
    {"hot_score", &ScoreSettings::hot_score, 0, 100},
    {"warm_score", &ScoreSettings::warm_score, 0, 100},
    {"mql_score", &ScoreSettings::mql_score, 0, 100},
    {"sql_score", &ScoreSettings::sql_score, 0, 100},
    {"sql_bant_min", &ScoreSettings::sql_bant_min, 0, 4},
    {"recency_half_life_days", &ScoreSettings::recency_half_life_days, 0.01,
     1e6},
    {"usd_vnd", &ScoreSettings::usd_vnd, 1, 1e9},
    {"why_count", &ScoreSettings::why_count, 1, 10},
};

const SettingSpec* FindSetting(std::string_view id) {
  for (const SettingSpec& spec : kSettings) {
    if (spec.id == id) {
      return &spec;
    }
  }
  return nullptr;
}

bool ReadSettingsFile(const std::string& path, ScoreSettings* settings,
                      std::map<std::string, std::string>* where,
                      std::string* error) {
  return ReadTable(
      path,
      [&] {
        RuleTableReader<2> in(path);
        in.read_header(io::ignore_extra_column, "id", "value");
        std::string id, value;
        while (in.read_row(id, value)) {
          int line = static_cast<int>(in.get_file_line());
          const SettingSpec* spec = FindSetting(id);
          if (!spec) {
            throw RuleError(line, "unknown setting '" + id + "'");
          }
          double number = ParseNumber(value, line, id.c_str());
          if (number < spec->min || number > spec->max) {
            throw RuleError(line, id + " " + value + " is outside " +
                                      FormatNumber(spec->min) + ".." +
                                      FormatNumber(spec->max));
          }
          settings->*spec->member = number;
          (*where)[id] = path + ":" + std::to_string(line);
        }
      },
      error);
}

bool CheckSettings(const ScoreSettings& s,
                   const std::map<std::string, std::string>& where,
                   const std::string& first_path, std::string* error) {
  for (const SettingSpec& spec : kSettings) {
    if (!where.count(std::string(spec.id))) {
      *error = first_path + ": missing setting '" + std::string(spec.id) + "'";
      return false;
    }
  }
  auto fail = [&](const char* id, const char* message) {
    *error = where.at(id) + ": " + message;
    return false;
  };
  if (s.warm_score > s.hot_score) {
    return fail("warm_score", "warm_score is above hot_score");
  }
  if (s.mql_score > s.sql_score) {
    return fail("mql_score", "mql_score is above sql_score");
  }
  if (s.fit_weight + s.intent_weight <= 0) {
    return fail("fit_weight", "fit_weight and intent_weight are both 0");
  }
  return true;
}

bool LoadSettings(const RuleFiles& files, ScoreSettings* settings,
                  std::vector<std::string>* read, std::string* error) {
  std::vector<std::string> paths = files.Paths(kSettingsFile);
  if (paths.empty()) {
    *error = std::string(kSettingsFile) + ": not found in the rules folders";
    return false;
  }
  std::map<std::string, std::string> where;
  for (const std::string& path : paths) {
    if (!ReadSettingsFile(path, settings, &where, error)) {
      return false;
    }
    read->push_back(path);
  }
  return CheckSettings(*settings, where, paths.front(), error);
}

bool LoadRules(const RuleFiles& files, std::vector<ScoreRule>* rules,
               std::vector<std::string>* read, std::string* error) {
  std::vector<std::string> learned = files.Paths(kLearnedFile);
  std::vector<std::string> paths;
  if (!learned.empty()) {
    paths.push_back(learned.back());
  } else {
    for (const char* file : kTableFiles) {
      for (std::string& path : files.Paths(file)) {
        paths.push_back(std::move(path));
      }
    }
  }
  for (const std::string& path : paths) {
    if (!ReadScoreTable(path, rules, error)) {
      return false;
    }
    read->push_back(path);
  }
  if (rules->empty()) {
    *error = "scoring.csv: no scoring rules found in the rules folders";
    return false;
  }
  return true;
}

int Clamp100(double value) {
  return static_cast<int>(std::clamp<long>(std::lround(value), 0, 100));
}

// ParseAmountVnd memoised per thread: the amount rules ("1 tỷ", "200 triệu",
// ...) read the same budget and notes text, so each text is parsed once per
// row. The memo is small and cleared when full; a hit is only a speed-up.
double CachedAmountVnd(std::string_view text, bool plain, double usd_vnd) {
  struct Entry {
    std::string text;
    bool plain;
    double usd_vnd;
    double value;
  };
  constexpr size_t kMaxEntries = 16;
  thread_local std::vector<Entry> memo;
  for (const Entry& entry : memo) {
    if (entry.plain == plain && entry.usd_vnd == usd_vnd &&
        entry.text == text) {
      return entry.value;
    }
  }
  double value = ParseAmountVnd(text, plain, usd_vnd).value_or(0);
  if (memo.size() == kMaxEntries) {
    memo.clear();
  }
  memo.push_back(Entry{std::string(text), plain, usd_vnd, value});
  return value;
}

}  // namespace

bool ResolveNow(const std::string& text, int64_t* now, std::string* error) {
  if (text.empty()) {
    *now = std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
    return true;
  }
  std::optional<int64_t> parsed = ParseTimestamp(text);
  if (!parsed) {
    *error = "--now '" + text +
             "': not a date (use 2025-09-12, 2025-09-12T15:05+07:00 or "
             "12/09/2025 15:05)";
    return false;
  }
  *now = *parsed;
  return true;
}

double ScoreRule::MaxValue() const {
  if (cap <= 0 || points == 0) {
    return std::numeric_limits<double>::infinity();
  }
  return cap / std::fabs(points);
}

bool ReadScoreTable(const std::string& path, std::vector<ScoreRule>* rules,
                    std::string* error) {
  return ReadTable(
      path,
      [&] {
        RuleTableReader<10> in(path);
        in.read_header(io::ignore_extra_column, "id", "axis", "group", "bant",
                       "kind", "field", "pattern", "points", "cap", "message");
        std::map<std::string, int> seen;
        ScoreRule rule;
        std::string points, cap;
        while (in.read_row(rule.id, rule.axis_text, rule.group, rule.bant,
                           rule.kind_text, rule.field_text, rule.pattern,
                           points, cap, rule.message)) {
          int line = static_cast<int>(in.get_file_line());
          if (auto [it, added] = seen.emplace(rule.id, line); !added) {
            throw RuleError(line, "duplicate rule id '" + rule.id +
                                      "' (first on line " +
                                      std::to_string(it->second) + ")");
          }
          ParseRuleRow(&rule, points, cap, line);
          rule.where = path + ":" + std::to_string(line);
          AddRule(std::exchange(rule, ScoreRule()), rules);
        }
      },
      error);
}

std::string ScoreTableHeader() {
  return "id,axis,group,bant,kind,field,pattern,points,cap,message\n";
}

std::string FormatScoreRule(const ScoreRule& rule) {
  std::string points = FormatNumber(rule.points);
  std::string cap = rule.cap > 0 ? FormatNumber(rule.cap) : "";
  std::string line;
  AppendCsvRecord({rule.id, rule.axis_text, rule.group, rule.bant,
                   rule.kind_text, rule.field_text, rule.pattern, points, cap,
                   rule.message},
                  &line);
  return line;
}

ScoreModel::ScoreModel() = default;
ScoreModel::~ScoreModel() = default;

std::unique_ptr<ScoreModel> ScoreModel::Load(const RuleFiles& files,
                                             std::string* error) {
  std::unique_ptr<ScoreModel> model(new ScoreModel());
  if (!LoadSettings(files, &model->settings_, &model->files_read_, error) ||
      !LoadRules(files, &model->rules_, &model->files_read_, error) ||
      !model->Compile(error)) {
    return nullptr;
  }
  return model;
}

bool ScoreModel::CompileAmount(ScoreRule* rule, std::string* error) const {
  std::optional<double> threshold =
      ParseAmountVnd(rule->pattern, /*allow_plain=*/true, settings_.usd_vnd);
  char* end = nullptr;
  double plain = std::strtod(rule->pattern.c_str(), &end);
  if (end == rule->pattern.c_str() + rule->pattern.size() && plain >= 0) {
    threshold = plain;
  }
  if (!threshold) {
    *error = rule->where + ": amount '" + rule->pattern + "' is not an amount";
    return false;
  }
  rule->threshold_vnd = *threshold;
  return true;
}

bool ScoreModel::CompileMatch(int index, std::map<FieldRef, MatchSlot*>* slots,
                              std::string* error) {
  const ScoreRule& rule = rules_[index];
  std::string pattern = StripAccents(rule.pattern);
  RE2 check(pattern, PatternOptions());
  if (!check.ok()) {
    *error = rule.where + ": bad pattern: " + check.error();
    return false;
  }
  for (const FieldRef& field : rule.fields.front()) {
    MatchSlot*& slot = (*slots)[field];
    if (!slot) {
      slots_.push_back(std::make_unique<MatchSlot>());
      slot = slots_.back().get();
      slot->field = field;
      slot->set = std::make_unique<RE2::Set>(PatternOptions(), RE2::UNANCHORED);
    }
    if (slot->set->Add(pattern, error) < 0) {
      *error = rule.where + ": bad pattern: " + *error;
      return false;
    }
    slot->rule_of_pattern.push_back(index);
  }
  return true;
}

bool ScoreModel::Compile(std::string* error) {
  std::map<std::string, int> groups;
  std::map<FieldRef, MatchSlot*> slots;
  for (size_t i = 0; i < rules_.size(); ++i) {
    ScoreRule& rule = rules_[i];
    if (!rule.group.empty()) {
      auto [it, added] = groups.emplace(rule.group, group_count_);
      group_count_ += added;
      rule.group_index = it->second;
    }
    bool ok = rule.kind == RuleKind::kAmount  ? CompileAmount(&rule, error)
              : rule.kind == RuleKind::kMatch ? CompileMatch(i, &slots, error)
                                              : true;
    if (!ok) {
      return false;
    }
  }
  for (auto& slot : slots_) {
    if (!slot->set->Compile()) {
      *error = "scoring rules: patterns too large for RE2 (memory budget)";
      return false;
    }
  }
  return true;
}

// The text of `field` on this row: one column's trimmed value, or the
// non-empty ones joined by " | ". Points into the row, the findings or
// `*scratch`, so the common one-column case copies nothing.
std::string_view ScoreModel::FieldText(const FieldRef& field,
                                       const RowView& row,
                                       const Findings& findings,
                                       std::string* scratch) const {
  if (field.is_output) {
    return findings.Col(field.out);
  }
  std::string_view first;
  bool joined = false;
  for (int column : row.Columns(field.role)) {
    std::string_view value = Trim(row.fields[column]);
    if (value.empty()) {
      continue;
    }
    if (first.empty()) {
      first = value;
      continue;
    }
    if (!joined) {
      scratch->assign(first);
      joined = true;
    }
    scratch->append(" | ");
    scratch->append(value);
  }
  return joined ? std::string_view(*scratch) : first;
}

// FieldText(...) is non-empty after trimming, without building the text.
bool ScoreModel::HasText(const FieldRef& field, const RowView& row,
                         const Findings& findings) const {
  if (field.is_output) {
    return !Trim(findings.Col(field.out)).empty();
  }
  for (int column : row.Columns(field.role)) {
    if (!Trim(row.fields[column]).empty()) {
      return true;
    }
  }
  return false;
}

// Short values (titles, sources, budgets, timelines) repeat from row to row,
// so their matches are memoised per thread, keyed by slot and raw text; long
// free text is matched every time. The memo is cleared when full.
const std::vector<int>& ScoreModel::SlotMatches(const MatchSlot& slot,
                                                std::string_view text) const {
  constexpr size_t kMaxMemoText = 48, kMaxMemoEntries = 4096;
  thread_local std::unordered_map<std::string, std::vector<int>> memo;
  thread_local std::string key;
  thread_local std::vector<int> matched, rules;
  bool memoise = text.size() <= kMaxMemoText;
  if (memoise) {
    key.assign(reinterpret_cast<const char*>(&slot.id), sizeof slot.id);
    key += text;
    if (auto it = memo.find(key); it != memo.end()) {
      return it->second;
    }
  }
  matched.clear();
  rules.clear();
  if (slot.set->Match(FoldKey(text), &matched)) {
    for (int pattern : matched) {
      rules.push_back(slot.rule_of_pattern[pattern]);
    }
  }
  if (!memoise) {
    return rules;
  }
  if (memo.size() >= kMaxMemoEntries) {
    memo.clear();
  }
  return memo.emplace(key, rules).first->second;
}

void ScoreModel::MatchFeatures(const RowView& row, const Findings& findings,
                               std::vector<double>* values) const {
  thread_local std::string scratch;
  for (const auto& slot : slots_) {
    std::string_view text = FieldText(slot->field, row, findings, &scratch);
    if (text.empty()) {
      continue;
    }
    for (int rule : SlotMatches(*slot, text)) {
      (*values)[rule] = 1;
    }
  }
}

double ScoreModel::RuleValue(const ScoreRule& rule, const RowView& row,
                             const Findings& findings, int64_t now) const {
  thread_local std::string scratch;
  auto text_of = [&](const FieldRef& field) {
    return FieldText(field, row, findings, &scratch);
  };
  switch (rule.kind) {
    case RuleKind::kPresent:
      for (const auto& any_of : rule.fields) {
        bool found = std::any_of(
            any_of.begin(), any_of.end(),
            [&](const FieldRef& f) { return HasText(f, row, findings); });
        if (!found) {
          return 0;
        }
      }
      return 1;
    case RuleKind::kFlag:
      return findings.HasFlag(rule.pattern) ? 1 : 0;
    case RuleKind::kAmount: {
      double best = 0;
      for (const FieldRef& f : rule.fields.front()) {
        bool plain = !f.is_output && f.role == Role::kBudget;
        best = std::max(best,
                        CachedAmountVnd(text_of(f), plain, settings_.usd_vnd));
      }
      return best > 0 && best >= rule.threshold_vnd ? 1 : 0;
    }
    case RuleKind::kCount:
      return std::log2(1 + ParseCount(text_of(rule.fields.front().front())));
    case RuleKind::kRecency: {
      std::optional<int64_t> created =
          ParseTimestamp(text_of(rule.fields.front().front()));
      if (!created) {
        return 0;
      }
      double age_days = std::max<double>(0, (now - *created) / kSecondsPerDay);
      return std::exp2(-age_days / settings_.recency_half_life_days);
    }
    case RuleKind::kAlways:
      return 1;
    case RuleKind::kMatch:
    case RuleKind::kOff:
      return 0;
  }
  return 0;
}

void ScoreModel::Features(const RowView& row, const Findings& findings,
                          int64_t now, std::vector<double>* values) const {
  values->assign(rules_.size(), 0);
  MatchFeatures(row, findings, values);
  thread_local std::vector<char> group_taken;
  group_taken.assign(group_count_, 0);
  for (size_t i = 0; i < rules_.size(); ++i) {
    const ScoreRule& rule = rules_[i];
    double& value = (*values)[i];
    if (rule.kind != RuleKind::kMatch) {
      value = RuleValue(rule, row, findings, now);
    }
    if (rule.group_index >= 0 && value > 0) {
      if (group_taken[rule.group_index]) {
        value = 0;
      }
      group_taken[rule.group_index] = 1;
    }
    value = std::min(value, rule.MaxValue());
  }
}

void ScoreModel::AxisSums(const std::vector<double>& values, double* fit,
                          double* intent) const {
  *fit = 0;
  *intent = 0;
  for (size_t i = 0; i < rules_.size(); ++i) {
    (rules_[i].axis == ScoreAxis::kFit ? *fit : *intent) +=
        rules_[i].points * values[i];
  }
}

double ScoreModel::RawScore(const std::vector<double>& values) const {
  double fit = 0;
  double intent = 0;
  AxisSums(values, &fit, &intent);
  return Combine(fit, intent);
}

double ScoreModel::Combine(double fit, double intent) const {
  return settings_.fit_weight * fit + settings_.intent_weight * intent;
}

std::string ScoreModel::Why(const std::vector<double>& values) const {
  thread_local std::vector<std::pair<double, int>> items;  // |points|, rule
  thread_local std::vector<std::pair<double, int>> always;
  items.clear();
  always.clear();
  for (size_t i = 0; i < rules_.size(); ++i) {
    double points = rules_[i].points * values[i];
    if (std::fabs(points) < 0.5) {
      continue;
    }
    auto& list = rules_[i].kind == RuleKind::kAlways ? always : items;
    list.emplace_back(-std::fabs(points), static_cast<int>(i));
  }
  if (items.empty()) {
    items.swap(always);
  }
  if (items.empty()) {
    return "no_evidence+0";
  }
  std::sort(items.begin(), items.end());
  items.resize(std::min(items.size(), static_cast<size_t>(settings_.why_count)));
  std::string why;
  for (const auto& [negative_size, i] : items) {
    long points = std::lround(rules_[i].points * values[i]);
    if (!why.empty()) {
      why += ';';
    }
    why += rules_[i].id;
    why += points < 0 ? '-' : '+';
    why += std::to_string(std::labs(points));
  }
  return why;
}

std::string ScoreModel::Bant(const std::vector<double>& values, int* plus,
                             int* minus) const {
  static constexpr std::string_view kLetters = "BANT";
  int state[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < rules_.size(); ++i) {
    const ScoreRule& rule = rules_[i];
    if (values[i] <= 0 || !rule.bant_letter) {
      continue;
    }
    int& s = state[kLetters.find(rule.bant_letter)];
    s = rule.bant_sign < 0 ? -1 : (s == 0 ? 1 : s);
  }
  std::string bant = "B? A? N? T?";
  for (int k = 0; k < 4; ++k) {
    bant[3 * k + 1] = state[k] > 0 ? '+' : state[k] < 0 ? '-' : '?';
    *plus += state[k] > 0;
    *minus += state[k] < 0;
  }
  return bant;
}

ScoreResult ScoreModel::Score(const std::vector<double>& values) const {
  const ScoreSettings& s = settings_;
  ScoreResult result;
  double fit = 0;
  double intent = 0;
  AxisSums(values, &fit, &intent);
  result.fit = Clamp100(fit);
  result.intent = Clamp100(intent);
  result.score = Clamp100(Combine(fit, intent));
  result.temperature = result.score >= s.hot_score    ? "hot"
                       : result.score >= s.warm_score ? "warm"
                                                      : "cold";
  int plus = 0;
  int minus = 0;
  result.bant = Bant(values, &plus, &minus);
  bool sql = result.score >= s.sql_score && plus >= s.sql_bant_min && !minus;
  result.stage = sql ? "sql" : result.score >= s.mql_score ? "mql" : "lead";
  result.why = Why(values);
  return result;
}

}  // namespace leadclean
