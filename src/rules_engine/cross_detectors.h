// The cross-row detectors of the bot stage. Each sees every row once in a
// first pass (Add), keeping a compact key of a few dozen bytes per row on
// disk (key_store.h) and no copy of the row's text, then decides once
// (Decide) which rows belong to a group it rejects: bursts from one IP,
// sequential email locals, one phone with many names, one long text from
// many people.
#ifndef LEADCLEAN_RULES_ENGINE_CROSS_DETECTORS_H_
#define LEADCLEAN_RULES_ENGINE_CROSS_DETECTORS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"
#include "leadclean/record.h"
#include "rules_engine/fake_rules.h"
#include "rules_engine/row_rules.h"

namespace leadclean {

// A group of rows a detector caught, for lc_detail.
struct CrossGroup {
  uint32_t rows = 0;
  uint64_t first_row = 0;
  uint64_t last_row = 0;
  int64_t seconds = -1;  // time span, -1 when unknown
  uint32_t distinct = 0;  // distinct names / people, when that is the count
};

// One row of a group: the rule (index in FakeRuleSet::rules) and the group.
struct CrossMark {
  uint64_t row = 0;
  uint32_t rule = 0;
  uint32_t group = 0;
};

// One row as the detectors see it in the first pass: the row and its
// row-local findings.
struct CrossRow {
  const RowView& view;
  const Findings& findings;
};

class CrossDetector {
 public:
  virtual ~CrossDetector() = default;
  // Called for every row in input order. Throws std::runtime_error when
  // the temp file that holds the keys cannot be written.
  virtual void Add(const CrossRow& row) = 0;
  // Appends the marked rows (any order); groups are appended to `groups`
  // and marks refer to them by index. Frees the keys. Throws
  // std::runtime_error when the keys cannot be read back.
  virtual void Decide(uint32_t rule_index, std::vector<CrossMark>* marks,
                      std::vector<CrossGroup>* groups) = 0;
  // The value shown for a marked row ("" if none) and what its group is.
  virtual std::string Value(const RowView& row,
                            const Findings& findings) const = 0;
  virtual std::string Explain(const CrossGroup& group) const = 0;
};

// A detector for a cross-row rule; nullptr for other rules.
std::unique_ptr<CrossDetector> MakeCrossDetector(const FakeRule& rule,
                                                 const FakeSettings& settings,
                                                 const Schema& schema);

}  // namespace leadclean

#endif  // LEADCLEAN_RULES_ENGINE_CROSS_DETECTORS_H_
