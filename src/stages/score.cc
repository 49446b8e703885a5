// Score stage: decides lc_fit, lc_intent, lc_score, lc_temperature, lc_stage,
// lc_why and lc_bant for every row, from rules/scoring.csv,
// rules/source_quality.csv (or a learned_scoring.csv) and
// rules/scoring_settings.csv via ScoreModel. Covered by
// tests/stages/score_test.cc.
#include <ctime>
#include <string>

#include <nlohmann/json.hpp>

#include "leadclean/pipeline.h"
#include "leadclean/stage.h"
#include "stages/score_model.h"

namespace leadclean {
namespace {

// "2025-09-12T08:05:13Z" for the report.
std::string IsoUtc(int64_t seconds) {
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

class ScoreStage : public Stage {
 public:
  ScoreStage(std::unique_ptr<ScoreModel> model, int64_t now)
      : model_(std::move(model)), now_(now) {}

  void Process(const RowView& row, Findings* findings) const override {
    // A row already rejected (fake, no contact) is never scored: its lc_*
    // columns are not written and the report counts kept rows only.
    if (findings->rejected()) {
      return;
    }
    model_->ScoreRow(row, now_, findings);
  }

  void Report(nlohmann::json* out) const override {
    const ScoreSettings& s = model_->settings();
    (*out)["rules"] = model_->rules().size();
    (*out)["rule_files"] = model_->files_read();
    (*out)["now"] = IsoUtc(now_);
    (*out)["weights"] = {{"fit", s.fit_weight}, {"intent", s.intent_weight}};
    (*out)["thresholds"] = {{"hot", s.hot_score}, {"warm", s.warm_score},
                            {"mql", s.mql_score}, {"sql", s.sql_score},
                            {"sql_bant_min", s.sql_bant_min}};
    (*out)["recency_half_life_days"] = s.recency_half_life_days;
  }

 private:
  std::unique_ptr<ScoreModel> model_;
  int64_t now_;
};

}  // namespace

std::unique_ptr<Stage> MakeScoreStage(const StageContext& context,
                                      std::string* error) {
  int64_t now = 0;
  std::string now_text = context.options ? context.options->score_now : "";
  if (!ResolveNow(now_text, &now, error)) {
    return nullptr;
  }
  std::unique_ptr<ScoreModel> model = ScoreModel::Load(*context.rules, error);
  if (!model) {
    return nullptr;
  }
  return std::make_unique<ScoreStage>(std::move(model), now);
}

}  // namespace leadclean
