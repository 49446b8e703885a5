// Score stage: decides lc_fit, lc_intent, lc_score, lc_temperature, lc_stage,
// lc_why and lc_bant for every row, from rules/scoring.csv,
// rules/source_quality.csv (or a learned_scoring.csv) and
// rules/scoring_settings.csv via ScoreModel. Covered by
// tests/stages/score_test.cc.
#include <atomic>
#include <chrono>

#include <nlohmann/json.hpp>

#include "leadclean/pipeline.h"
#include "leadclean/stage.h"
#include "leadclean/timestamp.h"
#include "stages/score_model.h"

namespace leadclean {
namespace {

constexpr const char* kTemperatures[] = {"hot", "warm", "cold"};
constexpr const char* kStages[] = {"sql", "mql", "lead"};

int IndexOf(const char* const (&names)[3], const std::string& name) {
  for (int i = 0; i < 3; ++i) {
    if (name == names[i]) {
      return i;
    }
  }
  return 2;
}

class ScoreStage : public Stage {
 public:
  ScoreStage(std::unique_ptr<ScoreModel> model, int64_t now)
      : model_(std::move(model)), now_(now) {}

  void Process(const RowView& row, Findings* findings) const override {
    std::vector<double> values;
    model_->Features(row, *findings, now_, &values);
    ScoreResult result = model_->Score(values);
    findings->Col(Out::kFit) = std::to_string(result.fit);
    findings->Col(Out::kIntent) = std::to_string(result.intent);
    findings->Col(Out::kScore) = std::to_string(result.score);
    findings->Col(Out::kTemperature) = result.temperature;
    findings->Col(Out::kStage) = result.stage;
    findings->Col(Out::kWhy) = std::move(result.why);
    findings->Col(Out::kBant) = std::move(result.bant);
    if (!findings->rejected()) {
      Count(temperatures_, IndexOf(kTemperatures, result.temperature));
      Count(stages_, IndexOf(kStages, result.stage));
    }
  }

  void Report(nlohmann::json* out) const override {
    const ScoreSettings& s = model_->settings();
    (*out)["rules"] = model_->rules().size();
    (*out)["rule_files"] = model_->files_read();
    (*out)["now"] = now_;
    (*out)["weights"] = {{"fit", s.fit_weight}, {"intent", s.intent_weight}};
    (*out)["thresholds"] = {{"hot", s.hot_score}, {"warm", s.warm_score},
                            {"mql", s.mql_score}, {"sql", s.sql_score},
                            {"sql_bant_min", s.sql_bant_min}};
    for (int i = 0; i < 3; ++i) {
      (*out)["kept_by_temperature"][kTemperatures[i]] = temperatures_[i].load();
      (*out)["kept_by_stage"][kStages[i]] = stages_[i].load();
    }
  }

 private:
  using Counters = std::atomic<uint64_t>[3];
  static void Count(Counters& counters, int i) {
    counters[i].fetch_add(1, std::memory_order_relaxed);
  }

  std::unique_ptr<ScoreModel> model_;
  int64_t now_;
  mutable Counters temperatures_ = {};
  mutable Counters stages_ = {};
};

int64_t CurrentTime() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::unique_ptr<Stage> MakeScoreStage(const StageContext& context,
                                      std::string* error) {
  int64_t now = CurrentTime();
  if (context.options && !context.options->score_now.empty()) {
    std::optional<int64_t> parsed = ParseTimestamp(context.options->score_now);
    if (!parsed) {
      *error = "--now '" + context.options->score_now +
               "': not a date (use 2025-09-12, 2025-09-12T15:05+07:00 or "
               "12/09/2025 15:05)";
      return nullptr;
    }
    now = *parsed;
  }
  std::unique_ptr<ScoreModel> model = ScoreModel::Load(*context.rules, error);
  if (!model) {
    return nullptr;
  }
  return std::make_unique<ScoreStage>(std::move(model), now);
}

}  // namespace leadclean
