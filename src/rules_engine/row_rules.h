// The row-local rules of fake_rules.csv compiled for one input schema:
// every regex and `contains` rule on a field runs as one RE2::Set pass over
// the raw value and one over its folded form (FoldKey), so "Nguyen Van A"
// and "Nguyễn Văn A" match the same rules.
#ifndef LEADCLEAN_RULES_ENGINE_ROW_RULES_H_
#define LEADCLEAN_RULES_ENGINE_ROW_RULES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadclean/record.h"
#include "rules_engine/fake_rules.h"

namespace leadclean {

// Where a rule's field value comes from.
struct FieldSource {
  enum class Kind { kNone, kRole, kEmailLocal, kEmailDomain, kColumn };
  Kind kind = Kind::kNone;
  Role role = Role::kNone;
  int column = -1;
};

// Resolves a rule's field against `schema`: a role name ("name", "notes"),
// "email_local" / "email_domain", or a header (exactly, else folded). kNone
// when the input has no such column: the rule is then inactive.
FieldSource ResolveField(const std::string& field, const Schema& schema);

// The value of `source` on a row, trimmed: a role's first non-empty column
// ("name" falls back to first_name + last_name); the email parts come from
// lc_email when the email stage filled it, else from the raw email.
std::string FieldValue(const FieldSource& source, const RowView& row,
                       const Findings& findings);

// FieldValue without a copy: a view into the row or the findings, or, for
// a name joined from first_name + last_name, into *scratch.
std::string_view FieldView(const FieldSource& source, const RowView& row,
                           const Findings& findings, std::string* scratch);

class RowRules {
 public:
  RowRules();
  ~RowRules();

  // Compiles the enabled row-local rules of `rules` (which must outlive
  // this). Returns nullptr and sets `error` if a pattern does not compile.
  static std::unique_ptr<RowRules> Build(const FakeRuleSet& rules,
                                         const Schema& schema,
                                         std::string* error);

  // Appends every rule that fires on the row. Thread-safe.
  void Match(const RowView& row, const Findings& findings,
             std::vector<RuleHit>* hits) const;

  // Enabled row-local rules whose field this input lacks.
  const std::vector<std::string>& inactive() const { return inactive_; }

 private:
  struct FieldGroup;
  // What a group's rules found on one value: (rule, note) pairs.
  using GroupHits = std::vector<std::pair<const FakeRule*, std::string>>;

  FieldGroup* GroupFor(const FieldSource& source);
  static bool AddRule(FieldGroup* group, const FakeRule& rule,
                      std::string* error);
  // The group's rules on `value`, from the per-thread memo when it helps.
  const GroupHits& Found(const FieldGroup& group, std::string_view value) const;
  void MatchGroup(const FieldGroup& group, const RowView& row,
                  const Findings& findings, std::vector<RuleHit>* hits) const;
  void MatchValue(const FieldGroup& group, std::string_view value,
                  GroupHits* found) const;
  // True when no rule of the group can fire on the (non-empty) value, by
  // tests that cost less than a memo lookup; false when unsure.
  static bool CannotFire(const FieldGroup& group, std::string_view value);
  void MatchRowRules(const RowView& row, const Findings& findings,
                     std::vector<RuleHit>* hits) const;

  std::vector<std::unique_ptr<FieldGroup>> groups_;
  std::vector<const FakeRule*> row_rules_;  // flag kind, *_only detectors
  // The flag each row rule reads, as a bit of the mask RowFlags() returns.
  std::vector<std::string> row_flags_;  // at most 64
  std::vector<int> row_rule_flag_;      // by row_rules_ index
  int RowFlagIndex(std::string_view flag);
  uint64_t RowFlags(const Findings& findings) const;
  std::vector<std::string> inactive_;
};

}  // namespace leadclean

#endif  // LEADCLEAN_RULES_ENGINE_ROW_RULES_H_
