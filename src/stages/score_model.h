// The scoring model shared by the score stage and `leadclean learn`: the
// rule table (rules/scoring.csv + rules/source_quality.csv, or one
// learned_scoring.csv), the settings (rules/scoring_settings.csv), the
// feature extractor (rule id -> value for one row) and the arithmetic that
// turns feature values into lc_fit, lc_intent, lc_score, lc_temperature,
// lc_stage, lc_why and lc_bant. docs/scoring.md is the user's manual.
//
// A rule contributes points x value. The value is 0 or 1 for a match,
// log2(1 + n) for an engagement counter and 0.5^(age / half-life) for
// recency; a cap bounds the contribution. Because the contribution is linear
// in the points, `learn` can fit the points from history with the very same
// features the stage computes.
#ifndef LEADCLEAN_STAGES_SCORE_MODEL_H_
#define LEADCLEAN_STAGES_SCORE_MODEL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "leadclean/record.h"
#include "leadclean/rules.h"

namespace leadclean {

enum class ScoreAxis { kFit, kIntent };

enum class RuleKind {
  kMatch,    // RE2 pattern on the folded text of any listed field
  kPresent,  // every '+' part non-empty; a part is 'a|b' = any of
  kFlag,     // a flag raised by an earlier stage (pattern = flag id)
  kAmount,   // largest money amount in the fields >= pattern ("1 tỷ")
  kCount,    // engagement counter n: value log2(1 + n)
  kRecency,  // created_at: value 0.5^(age_days / recency_half_life_days)
  kAlways,   // value 1 (a learned intercept)
  kOff,      // never fires: disables a rule id from a lower layer
};

// A field a rule reads: an input role ("notes") or a column an earlier
// stage wrote ("lc_email").
struct FieldRef {
  bool is_output = false;
  Role role = Role::kNone;
  Out out = Out::kCount;
  bool operator<(const FieldRef& o) const {
    return std::tie(is_output, role, out) < std::tie(o.is_output, o.role, o.out);
  }
};

struct ScoreRule {
  // As written in the table, so `learn` can write the rule back.
  std::string id, axis_text, group, bant, kind_text, field_text, pattern;
  double points = 0;
  double cap = 0;  // 0 = no cap
  std::string message;
  std::string where;  // "path:line", for the report and learn's messages

  ScoreAxis axis = ScoreAxis::kFit;
  RuleKind kind = RuleKind::kMatch;
  char bant_letter = 0;  // 'B', 'A', 'N', 'T' or 0
  int bant_sign = 0;     // +1 mentioned, -1 negative
  int group_index = -1;  // rules sharing a group: the first that fires wins
  // kMatch/kAmount/kCount/kRecency: any of these; kPresent: all of the
  // outer list, each part any of the inner list.
  std::vector<std::vector<FieldRef>> fields;
  double threshold_vnd = 0;  // kAmount

  // Largest value the cap allows (cap / |points|), or a huge number.
  double MaxValue() const;
};

// Thresholds and weights from scoring_settings.csv.
struct ScoreSettings {
  double fit_weight = 0, intent_weight = 0;
  double hot_score = 0, warm_score = 0;
  double mql_score = 0, sql_score = 0, sql_bant_min = 0;
  double recency_half_life_days = 0;
  double usd_vnd = 0;
  double why_count = 0;
};

// What the stage writes for one row.
struct ScoreResult {
  int fit = 0, intent = 0, score = 0;
  std::string temperature, stage, why, bant;
};

class ScoreModel {
 public:
  ~ScoreModel();  // out of line: the plans are private to the .cc
  // Loads the settings and the rule table from `files`: learned_scoring.csv
  // when any copy exists (the user's wins; it is the whole table), else
  // scoring.csv then source_quality.csv, where a later row with an earlier
  // row's id replaces it in place. Returns nullptr with "path:line: message"
  // on a bad file.
  static std::unique_ptr<ScoreModel> Load(const RuleFiles& files,
                                          std::string* error);
  const std::vector<ScoreRule>& rules() const { return rules_; }
  const ScoreSettings& settings() const { return settings_; }
  const std::vector<std::string>& files_read() const { return files_read_; }

  // One value per rule (see the header comment), groups and caps applied.
  // `now` is seconds since the epoch (recency). Thread-safe.
  void Features(const RowView& row, const Findings& findings, int64_t now,
                std::vector<double>* values) const;
  // The row's scores from Features() values.
  ScoreResult Score(const std::vector<double>& values) const;
  // The weighted sum behind lc_score, unrounded and unclamped.
  double RawScore(const std::vector<double>& values) const;
  // Score(Features(...)) written into the row's lc_fit, lc_intent,
  // lc_score, lc_temperature, lc_stage, lc_why and lc_bant: the stage's
  // path, which keeps its scratch per thread. Thread-safe.
  void ScoreRow(const RowView& row, int64_t now, Findings* findings) const;

 private:
  struct MatchSlot;
  struct FieldPlan;
  struct RulePlan;
  struct RuleTerm;
  struct PresentRule;
  struct CountRule;
  struct AmountRule;
  struct TextFacts;
  struct RowState;
  struct Decision;
  // A rule with a non-zero value on a row.
  struct Fired {
    int rule;
    double value;
  };
  class TopContributions;
  ScoreModel();
  bool Compile(std::string* error);
  bool CompileAmount(ScoreRule* rule, std::string* error) const;
  bool CompileMatch(int index, std::map<FieldRef, MatchSlot*>* slots,
                    std::string* error);
  void CompilePlans(const std::map<FieldRef, MatchSlot*>& slots);
  // The row's fired rules in rule order, groups and caps applied. Only the
  // match rules the row's texts fire and the rules of other kinds are
  // visited: a rule at 0 changes no sum, group, why or bant.
  void Evaluate(const RowView& row, const Findings& findings, int64_t now,
                RowState* state) const;
  // Reads every planned field once: marks the match rules the texts fire
  // as candidates and keeps what the other rules need in `state`.
  void ReadFields(const RowView& row, const Findings& findings,
                  RowState* state) const;
  // Works out what `text` of fields_[field] gives and appends it to
  // `facts` as its last entry.
  void Study(int field, std::string_view text, TextFacts* facts) const;
  // The value of a flag, recency or always rule; Evaluate reads present,
  // count and amount rules in loops of their own.
  double RuleValue(int index, const RowState& state, const Findings& findings,
                   int64_t now) const;
  // The scores of a row from its fired rules; lc_why into `why` unless null.
  void Decide(const std::vector<Fired>& fired, Decision* decision,
              std::string* why) const;
  // lc_why: "id+points;..." or "no_evidence+0".
  void WriteWhy(const TopContributions& top, std::string* why) const;
  // fit_weight x fit + intent_weight x intent.
  double Combine(double fit, double intent) const;

  std::vector<ScoreRule> rules_;
  ScoreSettings settings_;
  std::vector<std::string> files_read_;
  std::vector<std::unique_ptr<MatchSlot>> slots_;
  std::vector<FieldPlan> fields_;     // every field a rule reads, once
  std::vector<RulePlan> rule_plans_;  // parallel to rules_
  std::vector<RuleTerm> terms_;       // parallel to rules_
  // The rules not of kind match or off, by how Evaluate reads them.
  std::vector<PresentRule> present_rules_;
  std::vector<uint64_t> present_masks_;  // their '+' parts' field bits
  std::vector<CountRule> count_rules_;
  std::vector<AmountRule> amount_rules_;
  std::vector<int> amount_fields_;    // their fields, indexes in fields_
  std::vector<int> other_rules_;      // flag, recency, always
  size_t field_words_ = 0;            // 64-bit words for a bit per field
  uint64_t memo_owner_;               // keys the per-thread text memo
  int group_count_ = 0;
};

// The recency reference time in seconds since the epoch: `text` (--now,
// read like created_at) or, when empty, the current time. Returns false with
// a message when `text` is not a date.
bool ResolveNow(const std::string& text, int64_t* now, std::string* error);

// Parses one rule table file into `rules`, replacing rules with the same id
// in place and appending new ones. Returns false with "path:line: message".
bool ReadScoreTable(const std::string& path, std::vector<ScoreRule>* rules,
                    std::string* error);

// The header line of a rule table and one rule as a CSV line (learn's
// output; reads back with ReadScoreTable).
std::string ScoreTableHeader();
std::string FormatScoreRule(const ScoreRule& rule);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_SCORE_MODEL_H_
