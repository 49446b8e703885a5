// Rule tables are read with fast-cpp-csv-parser; every check that needs the
// settings (amount thresholds) or RE2 (patterns) runs in Compile() and cites
// the rule's "path:line". Match rules on one field share one RE2::Set, so a
// row costs one fold and one Set pass per field, however many rules.
//
// Compile() also resolves every field the rules read into a FieldPlan, so a
// row reads each field once. What a field's text gives (the match rules it
// fires, its amount, its counter) depends on the text alone, and sources,
// titles, budgets, timelines and notes repeat from row to row, so it is
// memoised per thread in one memo keyed by the text (core/thread_memo.h),
// with an entry for each field that read it. Then only the rules with a
// non-zero value are visited: a zero adds nothing to a sum, a group, lc_why
// or lc_bant.
#include "stages/score_model.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "core/fccp.h"
#include "core/thread_memo.h"
#include "leadclean/csv.h"
#include "leadclean/text.h"
#include "leadclean/timestamp.h"
#include "stages/score_parse.h"

namespace leadclean {

struct ScoreModel::MatchSlot {
  FieldRef field;
  std::unique_ptr<RE2::Set> set;
  std::vector<int> rule_of_pattern;  // Set index -> rule index
};

// A field some rule reads.
struct ScoreModel::FieldPlan {
  FieldRef field;
  const MatchSlot* slot = nullptr;  // the match rules on this field, if any
  bool amount = false;              // an amount rule reads it
  bool count = false;               // a count rule reads it
  bool time = false;                // a recency rule reads it

  bool Memoised() const { return slot || amount || count; }
  bool CounterOnly() const { return count && !slot && !amount; }
  bool AmountPlain() const {
    return !field.is_output && field.role == Role::kBudget;
  }
};

// A rule's fields as indexes of fields_, and what Compile() derived.
struct ScoreModel::RulePlan {
  std::vector<std::vector<int>> fields;  // shaped like ScoreRule::fields
  std::string why_at_one;                // the lc_why item for value 1
};

// What the per-row loops read of a rule, packed in one small struct: the
// group and cap for Evaluate, the points, axis and BANT evidence for Decide.
struct ScoreModel::RuleTerm {
  double points = 0;
  double max_value = 0;  // ScoreRule::MaxValue()
  int group_index = -1;
  int8_t bant_index = -1;  // B, A, N, T: 0..3
  int8_t bant_sign = 0;    // ScoreRule::bant_sign
  bool fit = false;        // axis fit, else intent
  bool intercept = false;  // kind always
};

// A present rule: its '+' parts are present_masks_[masks_begin, masks_end),
// field_words_ words each, a bit per field of fields_ that answers the part.
struct ScoreModel::PresentRule {
  int rule;
  int masks_begin, masks_end;
};

// A count rule and the one field it reads (an index in fields_).
struct ScoreModel::CountRule {
  int rule;
  int field;
};

// An amount rule: its fields are amount_fields_[fields_begin, fields_end).
struct ScoreModel::AmountRule {
  int rule;
  int fields_begin, fields_end;
  double threshold_vnd;
};

// What one text gives for each field it was read from (usually one): the
// value of the per-thread memo, keyed by the text.
struct ScoreModel::TextFacts {
  struct Entry {
    int field = 0;                       // index in fields_
    int rules_begin = 0, rules_end = 0;  // its match rules, in `rules`
    double amount = 0;                   // ParseAmountVnd, 0 when none
    double count = 0;                    // log2(1 + ParseCount)
  };
  std::vector<Entry> entries;
  std::vector<int> rules;
};

// One row's working state, kept per thread so a row allocates nothing.
struct ScoreModel::RowState {
  struct Field {
    double amount = 0;
    double count = 0;
    std::optional<int64_t> time;
  };
  std::vector<Field> fields;         // parallel to fields_
  std::vector<uint64_t> has_text;    // bit per field: non-empty trimmed
  std::vector<uint64_t> candidates;  // bit per rule with a non-zero value
  std::vector<double> values;        // by rule; valid where the bit is set
  std::vector<Fired> fired;          // in rule order
  std::vector<char> group_taken;

  // Sizes the vectors for a model (a no-op but for a thread's first row
  // of each model) and clears what a row adds to.
  void Reset(size_t field_count, size_t rule_count, int group_count) {
    size_t field_words = (field_count + 63) / 64;
    size_t rule_words = (rule_count + 63) / 64;
    if (fields.size() != field_count || values.size() != rule_count ||
        group_taken.size() != static_cast<size_t>(group_count)) {
      fields.resize(field_count);
      has_text.resize(field_words);
      candidates.resize(rule_words);
      values.resize(rule_count);
      group_taken.resize(group_count);
    }
    std::fill(has_text.begin(), has_text.end(), 0);
    std::fill(candidates.begin(), candidates.end(), 0);
    std::fill(group_taken.begin(), group_taken.end(), 0);
    fired.clear();
  }

  void Candidate(int rule, double value) {
    candidates[rule >> 6] |= uint64_t{1} << (rule & 63);
    values[rule] = value;
  }
};

// The up to why_count largest contributions (|points| >= 0.5), largest
// first and ties in rule order: filled by insertion as the fired rules come
// in rule order.
class ScoreModel::TopContributions {
 public:
  explicit TopContributions(double why_count)
      : limit_(std::min(items_.size(), static_cast<size_t>(why_count))) {}
  // Insertion from the end: when full, the smallest item gives way to a
  // larger one; then the new item moves up past the smaller ones.
  void Add(double size, const Fired* fired) {
    size_t pos = count_;
    if (pos == limit_) {
      if (pos == 0 || !(items_[pos - 1].size < size)) {
        return;
      }
      --pos;
    } else {
      ++count_;
    }
    while (pos > 0 && items_[pos - 1].size < size) {
      items_[pos] = items_[pos - 1];
      --pos;
    }
    items_[pos] = Item{size, fired};
  }
  size_t size() const { return count_; }
  const Fired& operator[](size_t k) const { return *items_[k].fired; }

 private:
  struct Item {
    double size;
    const Fired* fired;
  };
  std::array<Item, 10> items_;  // why_count is at most 10
  size_t limit_;
  size_t count_ = 0;
};

struct ScoreModel::Decision {
  double fit_points = 0, intent_points = 0;  // the axis sums
  int fit = 0, intent = 0, score = 0;
  std::string_view temperature, stage;
  std::array<char, 11> bant{};
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

// lround(value) clamped to 0..100. lround is a libm call; between 0.5 and
// 99.5 adding a half and truncating rounds the same way, and below or above
// that the clamp decides alone, up to where lround's own range ends.
int Clamp100(double value) {
  if (value >= 0.5 && value < 99.5) {
    return static_cast<int>(value + 0.5);
  }
  if (std::fabs(value) < 1e18) {
    return value < 0.5 ? 0 : 100;
  }
  return static_cast<int>(std::clamp<long>(std::lround(value), 0, 100));
}

// Trim(text), without its UTF-8 scan when both ends are plain ASCII
// letters, digits or punctuation, which nothing trims.
std::string_view TrimFast(std::string_view text) {
  auto plain = [](char c) {
    unsigned char byte = static_cast<unsigned char>(c);
    return byte > ' ' && byte < 0x80;
  };
  if (text.empty() || (plain(text.front()) && plain(text.back()))) {
    return text;
  }
  return Trim(text);
}

// The text of `field` on this row: an lc_ column as written, or the
// trimmed non-empty values of the role's columns joined by " | ". Points
// into the row, the findings or `*scratch`, so the common one-column case
// copies nothing.
std::string_view FieldText(const FieldRef& field, const RowView& row,
                           const Findings& findings, std::string* scratch) {
  if (field.is_output) {
    return findings.Col(field.out);
  }
  std::string_view first;
  bool joined = false;
  // The row's column list directly: RowView::Columns is out of line.
  for (int column : (*row.role_columns)[static_cast<int>(field.role)]) {
    std::string_view value = TrimFast(row.fields[column]);
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

template <typename Number>
void AppendNumber(Number value, std::string* out) {
  char text[24];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  out->append(text, end);
}

// `text` written over *out. Clear and append: for the few bytes of a
// score column this is cheaper than assign's general replace.
void SetText(std::string_view text, std::string* out) {
  out->clear();
  out->append(text);
}

// lc_fit, lc_intent and lc_score: 0..100 as text.
void SetScore(int value, std::string* out) {
  static const std::array<std::string, 101> kText = [] {
    std::array<std::string, 101> text;
    for (int n = 0; n <= 100; ++n) {
      text[n] = std::to_string(n);
    }
    return text;
  }();
  SetText(kText[value], out);
}

// "title_owner+25": a rule's lc_why item for `points` x its value.
void AppendWhyItem(const std::string& id, double contribution,
                   std::string* why) {
  long points = std::lround(contribution);
  why->append(id);
  why->push_back(points < 0 ? '-' : '+');
  AppendNumber(std::labs(points), why);
}

// log2(1 + n) for the counters written as up to three digits, the common
// case, which ParseCount reads as n exactly; others return false.
constexpr int kSmallCounts = 1000;
bool SmallCountValue(std::string_view text, double* value) {
  static const std::array<double, kSmallCounts> kLog2 = [] {
    std::array<double, kSmallCounts> table{};
    for (int n = 0; n < kSmallCounts; ++n) {
      table[n] = std::log2(1 + static_cast<double>(n));
    }
    return table;
  }();
  if (text.empty() || text.size() > 3) {
    return false;
  }
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
    n = n * 10 + (c - '0');
  }
  *value = kLog2[n];
  return true;
}

// A present rule's value: each '+' part, `words` words of the masks
// [begin, end), shares a bit with `has_text`. Fields fit one word unless a
// table reads more than 64, so that case has its own loop.
bool AllPartsPresent(const uint64_t* begin, const uint64_t* end,
                     const uint64_t* has_text, size_t words) {
  if (words == 1) {
    for (const uint64_t* part = begin; part != end; ++part) {
      if (!(*part & *has_text)) {
        return false;
      }
    }
    return true;
  }
  for (const uint64_t* part = begin; part != end; part += words) {
    uint64_t any = 0;
    for (size_t word = 0; word < words; ++word) {
      any |= part[word] & has_text[word];
    }
    if (!any) {
      return false;
    }
  }
  return true;
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

ScoreModel::ScoreModel() : memo_owner_(NewMemoOwner()) {}
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
  CompilePlans(slots);
  return true;
}

void ScoreModel::CompilePlans(const std::map<FieldRef, MatchSlot*>& slots) {
  static constexpr std::string_view kLetters = "BANT";
  std::map<FieldRef, int> index;
  rule_plans_.resize(rules_.size());
  terms_.resize(rules_.size());
  for (size_t i = 0; i < rules_.size(); ++i) {
    const ScoreRule& rule = rules_[i];
    RulePlan& plan = rule_plans_[i];
    AppendWhyItem(rule.id, rule.points, &plan.why_at_one);
    RuleTerm& term = terms_[i];
    term.points = rule.points;
    term.max_value = rule.MaxValue();
    term.group_index = rule.group_index;
    if (rule.bant_letter) {
      term.bant_index = static_cast<int8_t>(kLetters.find(rule.bant_letter));
    }
    term.bant_sign = static_cast<int8_t>(rule.bant_sign);
    term.fit = rule.axis == ScoreAxis::kFit;
    term.intercept = rule.kind == RuleKind::kAlways;
    bool reads =
        rule.kind == RuleKind::kMatch || rule.kind == RuleKind::kPresent ||
        rule.kind == RuleKind::kAmount || rule.kind == RuleKind::kCount ||
        rule.kind == RuleKind::kRecency;
    if (!reads) {
      continue;
    }
    for (const auto& any_of : rule.fields) {
      plan.fields.emplace_back();
      for (const FieldRef& field : any_of) {
        auto [it, added] =
            index.emplace(field, static_cast<int>(fields_.size()));
        if (added) {
          auto slot = slots.find(field);
          fields_.emplace_back();
          fields_.back().field = field;
          fields_.back().slot = slot == slots.end() ? nullptr : slot->second;
        }
        FieldPlan& field_plan = fields_[it->second];
        field_plan.amount |= rule.kind == RuleKind::kAmount;
        field_plan.count |= rule.kind == RuleKind::kCount;
        field_plan.time |= rule.kind == RuleKind::kRecency;
        plan.fields.back().push_back(it->second);
      }
    }
  }
  field_words_ = (fields_.size() + 63) / 64;
  for (size_t i = 0; i < rules_.size(); ++i) {
    int rule = static_cast<int>(i);
    RulePlan& plan = rule_plans_[i];
    RuleKind kind = rules_[i].kind;
    if (kind == RuleKind::kPresent) {
      int begin = static_cast<int>(present_masks_.size());
      for (const std::vector<int>& any_of : plan.fields) {
        size_t part = present_masks_.size();
        present_masks_.resize(part + field_words_, 0);
        for (int f : any_of) {
          present_masks_[part + f / 64] |= uint64_t{1} << (f % 64);
        }
      }
      present_rules_.push_back(
          PresentRule{rule, begin, static_cast<int>(present_masks_.size())});
    } else if (kind == RuleKind::kCount) {
      count_rules_.push_back(CountRule{rule, plan.fields.front().front()});
    } else if (kind == RuleKind::kAmount) {
      int begin = static_cast<int>(amount_fields_.size());
      amount_fields_.insert(amount_fields_.end(), plan.fields.front().begin(),
                            plan.fields.front().end());
      amount_rules_.push_back(
          AmountRule{rule, begin, static_cast<int>(amount_fields_.size()),
                     rules_[i].threshold_vnd});
    } else if (kind != RuleKind::kMatch && kind != RuleKind::kOff) {
      other_rules_.push_back(rule);
    }
  }
}

void ScoreModel::Study(int field, std::string_view text,
                       TextFacts* facts) const {
  thread_local std::vector<int> matched;
  thread_local std::string folded;
  const FieldPlan& plan = fields_[field];
  TextFacts::Entry entry;
  entry.field = field;
  entry.rules_begin = static_cast<int>(facts->rules.size());
  matched.clear();
  if (plan.slot) {
    FoldKeyTo(text, &folded);
    if (plan.slot->set->Match(folded, &matched)) {
      for (int pattern : matched) {
        facts->rules.push_back(plan.slot->rule_of_pattern[pattern]);
      }
    }
  }
  entry.rules_end = static_cast<int>(facts->rules.size());
  if (plan.amount) {
    entry.amount =
        ParseAmountVnd(text, plan.AmountPlain(), settings_.usd_vnd).value_or(0);
  }
  if (plan.count) {
    entry.count = std::log2(1 + ParseCount(text));
  }
  facts->entries.push_back(entry);
}

void ScoreModel::ReadFields(const RowView& row, const Findings& findings,
                            RowState* state) const {
  using FactsMemo = ThreadMemo<TextFacts, 8192, 4>;
  thread_local std::string scratch;
  // Held in locals: the joined text's char stores could alias the vectors,
  // which the compiler would then reload for every field.
  const FieldPlan* plans = fields_.data();
  const size_t count = fields_.size();
  RowState::Field* outs = state->fields.data();
  uint64_t* has_text = state->has_text.data();
  for (size_t f = 0; f < count; ++f) {
    const FieldPlan& plan = plans[f];
    RowState::Field& out = outs[f];
    std::string_view text = FieldText(plan.field, row, findings, &scratch);
    bool has = plan.field.is_output ? !TrimFast(text).empty() : !text.empty();
    has_text[f / 64] |= uint64_t{has} << (f % 64);
    out.amount = 0;
    out.count = 0;
    if (plan.time) {
      out.time = ParseTimestamp(text);
    }
    // Empty text fires no match rule and has no amount; log2(1 + 0) = 0.
    if (text.empty() || !plan.Memoised() ||
        (plan.CounterOnly() && SmallCountValue(text, &out.count))) {
      continue;
    }
    TextFacts& facts = FactsMemo::Get(memo_owner_, text,
                                      [](std::string_view, TextFacts* made) {
                                        made->entries.clear();
                                        made->rules.clear();
                                      });
    const TextFacts::Entry* entry = nullptr;
    for (const TextFacts::Entry& candidate : facts.entries) {
      entry = candidate.field == static_cast<int>(f) ? &candidate : entry;
    }
    if (!entry) {
      Study(static_cast<int>(f), text, &facts);
      entry = &facts.entries.back();
    }
    for (int k = entry->rules_begin; k < entry->rules_end; ++k) {
      state->Candidate(facts.rules[k], 1);
    }
    out.amount = entry->amount;
    out.count = entry->count;
  }
}

double ScoreModel::RuleValue(int index, const RowState& state,
                             const Findings& findings, int64_t now) const {
  const ScoreRule& rule = rules_[index];
  const RulePlan& plan = rule_plans_[index];
  const std::vector<RowState::Field>& fields = state.fields;
  switch (rule.kind) {
    case RuleKind::kFlag:
      return findings.HasFlag(rule.pattern) ? 1 : 0;
    case RuleKind::kRecency: {
      const std::optional<int64_t>& created =
          fields[plan.fields.front().front()].time;
      if (!created) {
        return 0;
      }
      double age_days = std::max<double>(0, (now - *created) / kSecondsPerDay);
      return std::exp2(-age_days / settings_.recency_half_life_days);
    }
    case RuleKind::kAlways:
      return 1;
    default:  // match: ReadFields; present, count, amount: Evaluate
      return 0;
  }
}

// The candidates are the match rules the texts fired and the other rules
// with a non-zero value; groups and caps are then applied in rule order.
void ScoreModel::Evaluate(const RowView& row, const Findings& findings,
                          int64_t now, RowState* state) const {
  state->Reset(fields_.size(), rules_.size(), group_count_);
  ReadFields(row, findings, state);
  const uint64_t* masks = present_masks_.data();
  for (const PresentRule& present : present_rules_) {
    if (AllPartsPresent(masks + present.masks_begin, masks + present.masks_end,
                        state->has_text.data(), field_words_)) {
      state->Candidate(present.rule, 1);
    }
  }
  for (const CountRule& count : count_rules_) {
    double value = state->fields[count.field].count;
    if (value != 0) {
      state->Candidate(count.rule, value);
    }
  }
  for (const AmountRule& amount : amount_rules_) {
    double best = 0;
    for (int k = amount.fields_begin; k < amount.fields_end; ++k) {
      best = std::max(best, state->fields[amount_fields_[k]].amount);
    }
    if (best > 0 && best >= amount.threshold_vnd) {
      state->Candidate(amount.rule, 1);
    }
  }
  for (int i : other_rules_) {
    double value = RuleValue(i, *state, findings, now);
    if (value != 0) {
      state->Candidate(i, value);
    }
  }
  for (size_t word = 0; word < state->candidates.size(); ++word) {
    for (uint64_t bits = state->candidates[word]; bits; bits &= bits - 1) {
      int i = static_cast<int>(word * 64 + std::countr_zero(bits));
      const RuleTerm& term = terms_[i];
      double value = state->values[i];
      if (term.group_index >= 0 && value > 0) {
        if (state->group_taken[term.group_index]) {
          value = 0;
        }
        state->group_taken[term.group_index] = 1;
      }
      value = std::min(value, term.max_value);
      if (value != 0) {
        state->fired.push_back(Fired{i, value});
      }
    }
  }
}

namespace {

// The fired list of a values vector: its non-zero values.
template <typename FiredList>
void FiredOf(const std::vector<double>& values, FiredList* fired) {
  fired->clear();
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] != 0) {
      fired->push_back({static_cast<int>(i), values[i]});
    }
  }
}

}  // namespace

void ScoreModel::Features(const RowView& row, const Findings& findings,
                          int64_t now, std::vector<double>* values) const {
  thread_local RowState state;
  Evaluate(row, findings, now, &state);
  values->assign(rules_.size(), 0);
  for (const Fired& fired : state.fired) {
    (*values)[fired.rule] = fired.value;
  }
}

double ScoreModel::RawScore(const std::vector<double>& values) const {
  std::vector<Fired> fired;
  FiredOf(values, &fired);
  Decision decision;
  Decide(fired, &decision, nullptr);
  return Combine(decision.fit_points, decision.intent_points);
}

double ScoreModel::Combine(double fit, double intent) const {
  return settings_.fit_weight * fit + settings_.intent_weight * intent;
}

// One pass over the fired rules for the axis sums, the BANT letters and the
// largest contributions.
void ScoreModel::Decide(const std::vector<Fired>& fired, Decision* decision,
                        std::string* why) const {
  const ScoreSettings& s = settings_;
  double fit = 0;
  double intent = 0;
  int letters[4] = {0, 0, 0, 0};  // +1 mentioned, -1 negative
  TopContributions top(s.why_count), intercepts(s.why_count);
  for (const Fired& f : fired) {
    const RuleTerm& term = terms_[f.rule];
    double contribution = term.points * f.value;
    (term.fit ? fit : intent) += contribution;
    int letter = term.bant_index;
    if (f.value > 0 && letter >= 0) {
      int& state = letters[letter];
      state = term.bant_sign < 0 ? -1 : (state == 0 ? 1 : state);
    }
    double size = std::fabs(contribution);
    if (!(size < 0.5)) {
      (term.intercept ? intercepts : top).Add(size, &f);
    }
  }
  decision->fit_points = fit;
  decision->intent_points = intent;
  decision->fit = Clamp100(fit);
  decision->intent = Clamp100(intent);
  decision->score = Clamp100(Combine(fit, intent));
  int score = decision->score;
  decision->temperature = score >= s.hot_score    ? "hot"
                          : score >= s.warm_score ? "warm"
                                                  : "cold";
  int plus = 0;
  int minus = 0;
  static constexpr std::string_view kNoEvidence = "B? A? N? T?";
  std::copy(kNoEvidence.begin(), kNoEvidence.end(), decision->bant.begin());
  for (int k = 0; k < 4; ++k) {
    decision->bant[3 * k + 1] = letters[k] > 0   ? '+'
                                : letters[k] < 0 ? '-'
                                                 : '?';
    plus += letters[k] > 0;
    minus += letters[k] < 0;
  }
  bool sql = score >= s.sql_score && plus >= s.sql_bant_min && !minus;
  decision->stage = sql ? "sql" : score >= s.mql_score ? "mql" : "lead";
  if (why) {
    WriteWhy(top.size() ? top : intercepts, why);
  }
}

void ScoreModel::WriteWhy(const TopContributions& top, std::string* why) const {
  why->clear();
  if (top.size() == 0) {
    why->append("no_evidence+0");
    return;
  }
  for (size_t k = 0; k < top.size(); ++k) {
    const Fired& f = top[k];
    if (k > 0) {
      why->push_back(';');
    }
    if (f.value == 1) {
      why->append(rule_plans_[f.rule].why_at_one);
    } else {
      AppendWhyItem(rules_[f.rule].id, rules_[f.rule].points * f.value, why);
    }
  }
}

ScoreResult ScoreModel::Score(const std::vector<double>& values) const {
  std::vector<Fired> fired;
  FiredOf(values, &fired);
  Decision decision;
  ScoreResult result;
  Decide(fired, &decision, &result.why);
  result.fit = decision.fit;
  result.intent = decision.intent;
  result.score = decision.score;
  result.temperature = decision.temperature;
  result.stage = decision.stage;
  result.bant.assign(decision.bant.begin(), decision.bant.end());
  return result;
}

void ScoreModel::ScoreRow(const RowView& row, int64_t now,
                          Findings* findings) const {
  thread_local RowState state;
  Decision decision;
  Evaluate(row, *findings, now, &state);
  // Straight into the column, whose storage the pipeline's findings keep.
  Decide(state.fired, &decision, &findings->Col(Out::kWhy));
  SetScore(decision.fit, &findings->Col(Out::kFit));
  SetScore(decision.intent, &findings->Col(Out::kIntent));
  SetScore(decision.score, &findings->Col(Out::kScore));
  SetText(decision.temperature, &findings->Col(Out::kTemperature));
  SetText(decision.stage, &findings->Col(Out::kStage));
  SetText(std::string_view(decision.bant.data(), decision.bant.size()),
          &findings->Col(Out::kBant));
}

}  // namespace leadclean
