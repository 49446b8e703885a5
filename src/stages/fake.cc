// Fake stage: rejects a row as fake (or bot) when a reject rule of
// rules/fake_rules.csv fires on it, or when the weights of its flags reach
// flag_threshold (rules/fake_settings.csv); kept rows carry the flags in
// lc_flags. Row-local rules only; the cross-row detectors are bot.cc.
// Covered by tests/stages/fake_test.cc.
#include <nlohmann/json.hpp>

#include "leadclean/stage.h"
#include "rules_engine/fake_rules.h"
#include "rules_engine/row_rules.h"

namespace leadclean {
namespace {

class FakeStage : public Stage {
 public:
  explicit FakeStage(std::unique_ptr<FakeRuleSet> rules) : rules_(std::move(rules)) {}

  bool Build(const Schema& schema, std::string* error) {
    matcher_ = RowRules::Build(*rules_, schema, error);
    return matcher_ != nullptr;
  }

  void Process(const RowView& row, Findings* findings) const override {
    if (findings->rejected()) {
      return;
    }
    thread_local std::vector<RuleHit> hits;
    hits.clear();
    matcher_->Match(row, *findings, &hits);
    if (!hits.empty()) {
      ApplyHits(*rules_, &hits, findings);
    }
  }

  void Report(nlohmann::json* out) const override {
    int enabled = 0;
    for (const FakeRule& rule : rules_->rules) {
      enabled += rule.action != RuleAction::kOff && !rule.CrossRow() ? 1 : 0;
    }
    (*out)["rules"] = enabled;
    (*out)["inactive_rules"] = matcher_->inactive();
    (*out)["flag_threshold"] = rules_->settings.flag_threshold;
  }

 private:
  std::unique_ptr<FakeRuleSet> rules_;  // stable address: hits point in it
  std::unique_ptr<RowRules> matcher_;
};

}  // namespace

std::unique_ptr<Stage> MakeFakeStage(const StageContext& context,
                                     std::string* error) {
  auto rules = std::make_unique<FakeRuleSet>();
  if (!LoadFakeRules(*context.rules, rules.get(), error)) {
    return nullptr;
  }
  auto stage = std::make_unique<FakeStage>(std::move(rules));
  if (!stage->Build(*context.schema, error)) {
    return nullptr;
  }
  return stage;
}

}  // namespace leadclean
