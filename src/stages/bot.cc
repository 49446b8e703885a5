// Bot stage: rejects every row of a group that only shows across rows:
// bursts from one IP (bot_burst), sequential email locals
// (sequential_email), one phone with many names (phone_shared), one long
// text from many people (repeated_text). Rules and thresholds come from
// rules/fake_rules.csv and rules/fake_settings.csv; it decides in a first
// pass so the first rows of a burst are caught too. Runs before dedup.
// Covered by tests/stages/bot_test.cc.
#include <algorithm>
#include <iterator>
#include <vector>

#include <nlohmann/json.hpp>
#include <oneapi/tbb/parallel_for.h>

#include "leadclean/stage.h"
#include "rules_engine/cross_detectors.h"
#include "rules_engine/fake_rules.h"

namespace leadclean {
namespace {

class BotStage : public CrossStage {
 public:
  BotStage(std::unique_ptr<FakeRuleSet> rules, const Schema& schema)
      : rules_(std::move(rules)) {
    for (size_t i = 0; i < rules_->rules.size(); ++i) {
      const FakeRule& rule = rules_->rules[i];
      if (rule.action == RuleAction::kOff || !rule.CrossRow()) {
        continue;
      }
      if (auto detector = MakeCrossDetector(rule, rules_->settings, schema)) {
        detectors_.push_back({static_cast<uint32_t>(i), std::move(detector)});
      }
    }
    counts_.assign(rules_->rules.size(), 0);
  }

  bool NeedsPrepass() const override { return !detectors_.empty(); }

  void Prepass(const RowView& row, const Findings& findings) override {
    CrossRow cross_row{row, findings};
    for (auto& [rule, detector] : detectors_) {
      detector->Add(cross_row);
    }
  }

  // Decides, and tells dedup which rows a reject rule will take.
  void FinishPrepass(RowSet* rejected_later) override {
    Decide();
    for (const CrossMark& mark : marks_) {
      if (rules_->rules[mark.rule].action == RuleAction::kReject) {
        rejected_later->Add(mark.row);
      }
    }
  }

  void Process(const RowView& row, Findings* findings) override {
    if (!decided_) {
      Decide();
    }
    while (next_ < marks_.size() && marks_[next_].row < row.row) {
      ++next_;
    }
    std::vector<RuleHit> hits;
    for (; next_ < marks_.size() && marks_[next_].row == row.row; ++next_) {
      hits.push_back(Hit(marks_[next_], row, *findings));
    }
    if (!hits.empty()) {
      ApplyHits(*rules_, &hits, findings);
    }
  }

  void Report(nlohmann::json* out) const override {
    nlohmann::json rows = nlohmann::json::object();
    for (const auto& [rule, detector] : detectors_) {
      rows[rules_->rules[rule].id] = counts_[rule];
    }
    (*out)["rows_in_groups"] = rows;
    (*out)["groups"] = groups_.size();
  }

 private:
  struct Entry {
    uint32_t rule;
    std::unique_ptr<CrossDetector> detector;
  };

  void Decide() {
    if (decided_) {
      return;
    }
    decided_ = true;
    // The detectors decide on their own keys, so they run at once (between
    // the passes, where nothing else does); their marks and groups are then
    // joined in detector order, group numbers shifted, as one by one.
    std::vector<std::vector<CrossMark>> marks(detectors_.size());
    std::vector<std::vector<CrossGroup>> groups(detectors_.size());
    oneapi::tbb::parallel_for(size_t{0}, detectors_.size(), [&](size_t i) {
      detectors_[i].detector->Decide(detectors_[i].rule, &marks[i], &groups[i]);
    });
    for (size_t i = 0; i < detectors_.size(); ++i) {
      const auto shift = static_cast<uint32_t>(groups_.size());
      for (CrossMark& mark : marks[i]) {
        mark.group += shift;
        marks_.push_back(mark);
      }
      groups_.insert(groups_.end(), std::make_move_iterator(groups[i].begin()),
                     std::make_move_iterator(groups[i].end()));
    }
    std::sort(marks_.begin(), marks_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.row, a.rule) < std::tie(b.row, b.rule);
    });
    for (const CrossMark& mark : marks_) {
      ++counts_[mark.rule];
    }
  }

  RuleHit Hit(const CrossMark& mark, const RowView& row,
              const Findings& findings) const {
    const CrossDetector* detector = nullptr;
    for (const auto& entry : detectors_) {
      detector = entry.rule == mark.rule ? entry.detector.get() : detector;
    }
    return {&rules_->rules[mark.rule], detector->Value(row, findings),
            detector->Explain(groups_[mark.group])};
  }

  std::unique_ptr<FakeRuleSet> rules_;
  std::vector<Entry> detectors_;
  bool decided_ = false;
  std::vector<CrossMark> marks_;  // sorted by row once decided
  std::vector<CrossGroup> groups_;
  std::vector<uint64_t> counts_;  // marked rows per rule
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<CrossStage> MakeBotStage(const StageContext& context,
                                         std::string* error) {
  auto rules = std::make_unique<FakeRuleSet>();
  if (!LoadFakeRules(*context.rules, rules.get(), error)) {
    return nullptr;
  }
  return std::make_unique<BotStage>(std::move(rules), *context.schema);
}

}  // namespace leadclean
