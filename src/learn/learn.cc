// `leadclean learn` (contract in include/leadclean/learn.h). The history is
// read once into memory: the leak guard must see every row before the
// features are computed without the leaking columns. The regression is a
// plain Newton solver: the tables have tens of rules, so a dense Hessian
// is small and converges in a handful of steps.
#include "leadclean/learn.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <numeric>
#include <unordered_map>

#include "core/atomic_file.h"
#include "leadclean/csv.h"
#include "leadclean/pipeline.h"
#include "leadclean/roles.h"
#include "leadclean/stage.h"
#include "leadclean/text.h"
#include "leadclean/timestamp.h"
#include "stages/score_model.h"

namespace leadclean {
namespace {

using RoleColumns = std::array<std::vector<int>, static_cast<int>(Role::kCount)>;

constexpr double kLeakAuc = 0.97;
constexpr char kBaseId[] = "learned_base";

// ---- Reading the history ----------------------------------------------------

// The labelled rows, their field bytes in one buffer.
struct History {
  Schema schema;
  RoleColumns role_columns;
  int label_column = -1;
  std::string bytes;
  std::vector<std::pair<size_t, size_t>> spans;  // offset, length
  std::vector<int> labels;                       // one per kept row
  uint64_t rows_read = 0;
  uint64_t malformed = 0;
  uint64_t unlabelled = 0;

  size_t rows() const { return labels.size(); }
  std::string_view Field(size_t row, int column) const {
    const auto& [offset, length] = spans[row * schema.size() + column];
    return std::string_view(bytes).substr(offset, length);
  }
};

int FindLabelColumn(const Schema& schema, const std::string& label) {
  for (int i = 0; i < schema.size(); ++i) {
    if (schema.names[i] == label) {
      return i;
    }
  }
  std::string key = FoldKey(label);
  for (int i = 0; i < schema.size(); ++i) {
    if (!key.empty() && FoldKey(schema.names[i]) == key) {
      return i;
    }
  }
  return -1;
}

ExitCode ReadHeader(const LearnOptions& options, const RuleFiles& rules,
                    CsvReader* reader, History* history, std::string* error) {
  CsvRecord header;
  if (!reader->Next(&header)) {
    *error = reader->io_error().empty() ? options.history + ": empty file"
                                        : reader->io_error();
    return reader->io_error().empty() ? ExitCode::kUsage : ExitCode::kInput;
  }
  for (std::string_view field : header.fields) {
    history->schema.names.emplace_back(field);
  }
  RoleTable table;
  if (!LoadRoleTable(rules, &table, error) ||
      !AssignRoles(table, options.maps, &history->schema, error)) {
    return ExitCode::kUsage;
  }
  history->label_column = FindLabelColumn(history->schema, options.label);
  if (history->label_column < 0) {
    *error = options.history + ": no column '" + options.label + "'";
    return ExitCode::kUsage;
  }
  history->schema.roles[history->label_column] = Role::kNone;
  for (int r = 0; r < static_cast<int>(Role::kCount); ++r) {
    history->role_columns[r] = history->schema.ColumnsOf(static_cast<Role>(r));
  }
  return ExitCode::kOk;
}

void AddRecord(const CsvRecord& record, History* history) {
  ++history->rows_read;
  if (!record.error.empty() ||
      record.fields.size() != history->schema.names.size()) {
    ++history->malformed;
    return;
  }
  std::optional<int> label =
      ParseLabel(record.fields[history->label_column]);
  if (!label) {
    ++history->unlabelled;
    return;
  }
  history->labels.push_back(*label);
  for (std::string_view field : record.fields) {
    history->spans.emplace_back(history->bytes.size(), field.size());
    history->bytes.append(field);
  }
}

ExitCode ReadHistory(const LearnOptions& options, const RuleFiles& rules,
                     History* history, std::string* error) {
  std::unique_ptr<ByteSource> source = OpenByteSource(options.history, error);
  if (!source) {
    return ExitCode::kInput;
  }
  CsvReader reader(std::move(source), CsvOptions{});
  ExitCode code = ReadHeader(options, rules, &reader, history, error);
  if (code != ExitCode::kOk) {
    return code;
  }
  CsvRecord record;
  while (reader.Next(&record)) {
    AddRecord(record, history);
  }
  if (!reader.io_error().empty()) {
    *error = reader.io_error();
    return ExitCode::kInput;
  }
  return ExitCode::kOk;
}

// The newest created_at of the history: the moment it was exported, which
// recency is measured from when --now is not given. Sets *text to the value
// as written; returns false when no row has a readable created_at.
bool NewestCreated(const History& history, int64_t* newest, std::string* text) {
  bool found = false;
  for (size_t i = 0; i < history.rows(); ++i) {
    for (int column : history.role_columns[static_cast<int>(Role::kCreatedAt)]) {
      std::string_view value = history.Field(i, column);
      std::optional<int64_t> time = ParseTimestamp(value);
      if (time && (!found || *time > *newest)) {
        *newest = *time;
        *text = std::string(Trim(value));
        found = true;
      }
    }
  }
  return found;
}

// ---- Folds and the leak guard -------------------------------------------------

int FoldOf(size_t row, int folds) {
  uint64_t z = row + 0x9E3779B97F4A7C15ull;  // SplitMix64: stable everywhere
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return static_cast<int>((z ^ (z >> 31)) % static_cast<uint64_t>(folds));
}

double Separation(double auc) { return std::max(auc, 1 - auc); }

std::optional<double> AsNumber(std::string_view text) {
  std::string copy(text);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// Values encoded by the label rate of the same value in the other folds,
// so a unique id predicts nothing while a status column predicts all.
std::vector<double> OutOfFoldRates(const std::vector<size_t>& keys,
                                   const std::vector<int>& labels, int folds) {
  struct Counts {
    double positive = 0, total = 0;
  };
  std::unordered_map<size_t, Counts> all;
  std::vector<std::unordered_map<size_t, Counts>> per_fold(folds);
  for (size_t i = 0; i < keys.size(); ++i) {
    for (Counts* c : {&all[keys[i]], &per_fold[FoldOf(i, folds)][keys[i]]}) {
      c->positive += labels[i];
      c->total += 1;
    }
  }
  double prior = std::accumulate(labels.begin(), labels.end(), 0.0) /
                 std::max<size_t>(1, labels.size());
  std::vector<double> rates(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const Counts& a = all[keys[i]];
    const Counts& f = per_fold[FoldOf(i, folds)][keys[i]];
    rates[i] = (a.positive - f.positive + prior) / (a.total - f.total + 1);
  }
  return rates;
}

// How well `column` alone separates the labels: as empty vs filled, as a
// number when it mostly is one, and as out-of-fold category rates.
double ColumnSeparation(const History& history, int column, int folds) {
  size_t n = history.rows();
  std::vector<double> filled(n), numbers(n);
  std::vector<size_t> keys(n);
  size_t filled_count = 0, numeric_count = 0;
  double lowest = 0;
  for (size_t i = 0; i < n; ++i) {
    std::string_view value = Trim(history.Field(i, column));
    filled[i] = !value.empty();
    filled_count += !value.empty();
    keys[i] = std::hash<std::string_view>()(value);
    std::optional<double> number = AsNumber(value);
    numbers[i] = number.value_or(std::nan(""));
    numeric_count += number.has_value();
    lowest = number ? std::min(lowest, *number) : lowest;
  }
  double best = Separation(Auc(filled, history.labels));
  if (filled_count > 0 && numeric_count * 10 >= filled_count * 9) {
    for (double& number : numbers) {
      number = std::isnan(number) ? lowest - 1 : number;
    }
    best = std::max(best, Separation(Auc(numbers, history.labels)));
  }
  return std::max(best, Separation(Auc(OutOfFoldRates(keys, history.labels,
                                                      folds),
                                       history.labels)));
}

void Warn(const std::string& message) {
  std::fprintf(stderr, "leadclean learn: warning: %s\n", message.c_str());
}

std::string Fixed(double value, int decimals = 3) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// Columns to blank out before the features are computed.
std::vector<bool> LeakingColumns(const History& history, int folds) {
  std::vector<bool> leaking(history.schema.size(), false);
  for (int c = 0; c < history.schema.size(); ++c) {
    if (c == history.label_column) {
      continue;
    }
    double separation = ColumnSeparation(history, c, folds);
    if (separation >= kLeakAuc) {
      leaking[c] = true;
      Warn("column '" + history.schema.names[c] +
           "' alone predicts the label (AUC " + Fixed(separation) +
           "): it may be recorded after the outcome; left out of learning");
    }
  }
  return leaking;
}

// ---- Features -----------------------------------------------------------------

using StageList = std::vector<std::unique_ptr<Stage>>;

// Every row-local stage except the score stage itself, as `clean` runs them.
bool BuildStages(const StageContext& context, StageList* stages,
                 std::string* error) {
  for (const StageInfo& info : StageRegistry()) {
    if (info.kind != StageKind::kRowLocal || info.name == "score") {
      continue;
    }
    std::unique_ptr<Stage> stage = info.make_local(context, error);
    if (!stage) {
      return false;
    }
    stages->push_back(std::move(stage));
  }
  return true;
}

// The feature matrix and the default rules' raw and lc_score per row.
struct Features {
  Dataset data;
  std::vector<double> default_raw;
  std::vector<double> default_score;
};

void ComputeFeatures(const History& history, const std::vector<bool>& blanked,
                     const StageList& stages, const ScoreModel& model,
                     int64_t now, Features* out) {
  out->data.cols = static_cast<int>(model.rules().size());
  out->data.y = history.labels;
  std::vector<std::string_view> fields(history.schema.size());
  std::vector<double> values;
  for (size_t i = 0; i < history.rows(); ++i) {
    for (int c = 0; c < history.schema.size(); ++c) {
      fields[c] = blanked[c] ? std::string_view() : history.Field(i, c);
    }
    RowView view;
    view.row = i + 1;
    view.schema = &history.schema;
    view.fields = fields;
    view.role_columns = &history.role_columns;
    Findings findings;
    for (const auto& stage : stages) {
      stage->Process(view, &findings);
    }
    model.Features(view, findings, now, &values);
    out->data.x.insert(out->data.x.end(), values.begin(), values.end());
    out->default_raw.push_back(model.RawScore(values));
    out->default_score.push_back(model.Score(values).score);
  }
}

// How each rule of the table is treated by the fit.
enum class RuleFate {
  kLearned,
  kLeak,     // alone predicts the label: points 0
  kTooRare,  // too few rows with a value to learn from: default points kept
  kConstant,  // the same value in every row: nothing to learn, points 0
  kFixed,    // kind off, or an old learned intercept (replaced)
};

constexpr size_t kMinRowsToLearn = 10;

RuleFate FateOf(const ScoreRule& rule, const Dataset& data, int j) {
  if (rule.kind == RuleKind::kAlways || rule.kind == RuleKind::kOff) {
    return RuleFate::kFixed;
  }
  std::vector<double> column(data.rows());
  size_t with_value = 0;
  for (size_t i = 0; i < data.rows(); ++i) {
    column[i] = data.at(i, j);
    with_value += column[i] >= 0.01;
  }
  auto [low, high] = std::minmax_element(column.begin(), column.end());
  if (*high - *low < 1e-9) {
    return RuleFate::kConstant;
  }
  if (with_value < kMinRowsToLearn) {
    return RuleFate::kTooRare;
  }
  double separation = Separation(Auc(column, data.y));
  if (separation >= kLeakAuc) {
    Warn("rule '" + rule.id + "' alone predicts the label (AUC " +
         Fixed(separation) + "): left out of learning (points 0)");
    return RuleFate::kLeak;
  }
  return RuleFate::kLearned;
}

std::vector<RuleFate> RuleFates(const ScoreModel& model, const Dataset& data) {
  std::vector<RuleFate> fates;
  for (int j = 0; j < data.cols; ++j) {
    fates.push_back(FateOf(model.rules()[j], data, j));
  }
  return fates;
}

std::vector<bool> NotLearned(const std::vector<RuleFate>& fates) {
  std::vector<bool> excluded;
  for (RuleFate fate : fates) {
    excluded.push_back(fate != RuleFate::kLearned);
  }
  return excluded;
}

// ---- Scaling the model into points ----------------------------------------

// lc_score raw value = offset + scale x logit.
struct Scaling {
  double scale = 1;
  double offset = 0;
};

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) {
    return 0;
  }
  size_t k = static_cast<size_t>(q * (values.size() - 1));
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[k];
}

// Matches the 5th and 95th percentiles of the learned logits on `rows` to
// those of the default raw score, so thresholds keep their share of rows.
Scaling ScaleLike(const LogisticModel& model, const Features& features,
                  const std::vector<size_t>& rows) {
  std::vector<double> logits, defaults;
  for (size_t i : rows) {
    logits.push_back(model.Logit(features.data, i));
    defaults.push_back(features.default_raw[i]);
  }
  double l5 = Percentile(logits, 0.05), l95 = Percentile(logits, 0.95);
  double d5 = Percentile(defaults, 0.05), d95 = Percentile(defaults, 0.95);
  if (d95 - d5 < 10) {
    d5 = 10;
    d95 = 80;
  }
  Scaling s;
  s.scale = l95 - l5 > 1e-9 ? (d95 - d5) / (l95 - l5) : 1;
  s.offset = d5 - s.scale * l5;
  return s;
}

double ScoreOf(const Scaling& s, double logit) {
  return std::clamp(std::round(s.offset + s.scale * logit), 0.0, 100.0);
}

// ---- Cross-validation ---------------------------------------------------------

struct CvResult {
  double auc_logit = 0;
  double auc_score = 0;
  std::vector<double> fold_auc;
};

CvResult CrossValidate(const Features& features, int folds, double l2,
                       const std::vector<bool>& excluded) {
  const Dataset& data = features.data;
  std::vector<double> logit(data.rows()), score(data.rows());
  CvResult result;
  for (int k = 0; k < folds; ++k) {
    std::vector<size_t> train, test;
    for (size_t i = 0; i < data.rows(); ++i) {
      (FoldOf(i, folds) == k ? test : train).push_back(i);
    }
    LogisticModel model = FitLogistic(data, train, l2, excluded);
    Scaling scaling = ScaleLike(model, features, train);
    std::vector<double> fold_scores;
    std::vector<int> fold_labels;
    for (size_t i : test) {
      logit[i] = model.Logit(data, i);
      score[i] = ScoreOf(scaling, logit[i]);
      fold_scores.push_back(logit[i]);
      fold_labels.push_back(data.y[i]);
    }
    result.fold_auc.push_back(Auc(fold_scores, fold_labels));
  }
  result.auc_logit = Auc(logit, data.y);
  result.auc_score = Auc(score, data.y);
  return result;
}

// ---- The learned table --------------------------------------------------------

std::vector<ScoreRule> LearnedRules(const ScoreModel& model,
                                    const std::vector<RuleFate>& fates,
                                    const LogisticModel& fit,
                                    const Scaling& scaling) {
  const ScoreSettings& s = model.settings();
  std::vector<ScoreRule> rules;
  for (size_t j = 0; j < model.rules().size(); ++j) {
    ScoreRule rule = model.rules()[j];
    if (rule.kind == RuleKind::kAlways) {
      continue;
    }
    if (fates[j] == RuleFate::kTooRare) {
      rule.message += " [default points: too rare in the history to learn]";
    } else if (fates[j] == RuleFate::kLeak || fates[j] == RuleFate::kConstant) {
      rule.points = 0;
      rule.cap = 0;
      rule.message += fates[j] == RuleFate::kLeak
                          ? " [left out: alone predicts the label]"
                          : " [points 0: the same in every history row]";
    } else if (fates[j] == RuleFate::kLearned) {
      double axis_weight =
          rule.axis == ScoreAxis::kFit ? s.fit_weight : s.intent_weight;
      double max_value = rule.MaxValue();
      rule.points =
          axis_weight > 0 ? scaling.scale * fit.weights[j] / axis_weight : 0;
      rule.cap =
          std::isfinite(max_value) ? std::fabs(rule.points) * max_value : 0;
    }
    rules.push_back(std::move(rule));
  }
  ScoreRule base;
  base.id = kBaseId;
  base.axis_text = s.intent_weight > 0 ? "intent" : "fit";
  base.kind_text = "always";
  double weight = s.intent_weight > 0 ? s.intent_weight : s.fit_weight;
  base.points = (scaling.offset + scaling.scale * fit.intercept) / weight;
  base.message = "learned intercept: the points every lead starts with";
  rules.push_back(std::move(base));
  return rules;
}

std::string TableText(const LearnOptions& options, const History& history,
                      const std::vector<ScoreRule>& rules, double default_auc,
                      const CvResult& cv) {
  size_t positives = std::count(history.labels.begin(), history.labels.end(), 1);
  std::string name = std::filesystem::path(options.history).filename().string();
  std::string text =
      "# Learned by `leadclean learn` from " + name + ", label '" +
      options.label + "': " + std::to_string(history.rows()) + " rows, " +
      std::to_string(positives) + " positive.\n" +
      "# AUC: default rules " + Fixed(default_auc) + "; learned, " +
      std::to_string(options.folds) + "-fold cross-validated, " +
      Fixed(cv.auc_score) + " (lc_score), " + Fixed(cv.auc_logit) +
      " (model).\n"
      "# L2 logistic regression (l2 " + Fixed(options.l2, 2) +
      "); points are scaled so lc_score spreads like the default rules'.\n"
      "# As learned_scoring.csv in a rules folder it replaces scoring.csv "
      "and source_quality.csv (docs/scoring.md).\n";
  text += ScoreTableHeader();
  for (const ScoreRule& rule : rules) {
    text += FormatScoreRule(rule);
  }
  return text;
}

bool WriteOutput(const std::string& path, const std::string& text,
                 std::string* error) {
  AtomicFile file;
  std::string target = path.empty() ? "-" : path;
  std::error_code ec;
  if (target != "-" && std::filesystem::is_directory(target, ec)) {
    target = (std::filesystem::path(target) / "learned_scoring.csv").string();
  }
  return file.Open(target, error) && file.Write(text, error) &&
         file.Commit(error);
}

// ---- The run ------------------------------------------------------------------

void PrintSummary(const History& history, double default_auc,
                  const CvResult& cv, int folds,
                  const std::vector<ScoreRule>& learned,
                  const ScoreModel& model) {
  size_t positives = std::count(history.labels.begin(), history.labels.end(), 1);
  std::fprintf(stderr,
               "leadclean learn: %llu rows read, %zu used (%zu positive, "
               "%.1f%%), %llu without a yes/no label, %llu malformed\n",
               static_cast<unsigned long long>(history.rows_read),
               history.rows(), positives,
               100.0 * positives / std::max<size_t>(1, history.rows()),
               static_cast<unsigned long long>(history.unlabelled),
               static_cast<unsigned long long>(history.malformed));
  auto [low, high] = std::minmax_element(cv.fold_auc.begin(), cv.fold_auc.end());
  std::fprintf(stderr, "  AUC default rules (lc_score):       %.3f\n",
               default_auc);
  std::fprintf(stderr,
               "  AUC learned, %d-fold CV (lc_score): %.3f  (model %.3f, "
               "folds %.3f..%.3f)\n",
               folds, cv.auc_score, cv.auc_logit, *low, *high);
  std::vector<size_t> order(learned.size() - 1);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::fabs(learned[a].points) > std::fabs(learned[b].points);
  });
  std::string top;
  for (size_t k = 0; k < std::min<size_t>(8, order.size()); ++k) {
    const ScoreRule& rule = learned[order[k]];
    top += (k ? ", " : "") + rule.id + " " + Fixed(rule.points, 1) + " (was " +
           Fixed(model.rules()[order[k]].points, 0) + ")";
  }
  std::fprintf(stderr, "  strongest rules: %s\n", top.c_str());
}

ExitCode CheckOptions(const LearnOptions& options, std::string* error) {
  if (options.label.empty()) {
    *error = "learn: --label COLUMN is required";
  } else if (options.folds < 2 || options.folds > 20) {
    *error = "learn: --folds must be 2..20";
  } else if (!(options.l2 >= 0)) {
    *error = "learn: --l2 must be 0 or more";
  }
  return error->empty() ? ExitCode::kOk : ExitCode::kUsage;
}

ExitCode CheckClasses(const History& history, const LearnOptions& options,
                      std::string* error) {
  size_t positives = std::count(history.labels.begin(), history.labels.end(), 1);
  if (positives < 2 || history.rows() - positives < 2) {
    *error = options.history + ": label '" + options.label + "' has " +
             std::to_string(positives) + " yes and " +
             std::to_string(history.rows() - positives) +
             " no rows; learning needs at least 2 of each";
    return ExitCode::kUsage;
  }
  return ExitCode::kOk;
}

ExitCode Learn(const LearnOptions& options, std::string* error) {
  ExitCode code = CheckOptions(options, error);
  RuleFiles rules(options.default_rules_dir, options.rules_dir);
  History history;
  if (code == ExitCode::kOk) {
    code = ReadHistory(options, rules, &history, error);
  }
  if (code == ExitCode::kOk) {
    code = CheckClasses(history, options, error);
  }
  if (code != ExitCode::kOk) {
    return code;
  }
  int64_t now = 0;
  std::string newest;
  if (options.score_now.empty() && NewestCreated(history, &now, &newest) &&
      !options.quiet) {
    std::fprintf(stderr,
                 "leadclean learn: recency measured from the newest "
                 "created_at, %s (--now to change)\n",
                 newest.c_str());
  }
  Options stage_options;
  stage_options.region = options.region;
  stage_options.rules_dir = options.rules_dir;
  stage_options.default_rules_dir = options.default_rules_dir;
  StageContext context{&stage_options, &rules, &history.schema};
  StageList stages;
  std::unique_ptr<ScoreModel> model = ScoreModel::Load(rules, error);
  if (!model || (newest.empty() && !ResolveNow(options.score_now, &now, error)) ||
      !BuildStages(context, &stages, error)) {
    return ExitCode::kUsage;
  }
  std::vector<bool> blanked = LeakingColumns(history, options.folds);
  Features features;
  ComputeFeatures(history, blanked, stages, *model, now, &features);
  std::vector<RuleFate> fates = RuleFates(*model, features.data);
  std::vector<bool> excluded = NotLearned(fates);
  double default_auc = Auc(features.default_score, history.labels);
  CvResult cv = CrossValidate(features, options.folds, options.l2, excluded);
  LogisticModel fit = FitLogistic(features.data, {}, options.l2, excluded);
  if (!fit.converged) {
    Warn("the regression did not converge; try a larger --l2");
  }
  std::vector<size_t> all(history.rows());
  std::iota(all.begin(), all.end(), 0);
  std::vector<ScoreRule> learned =
      LearnedRules(*model, fates, fit, ScaleLike(fit, features, all));
  if (!options.quiet) {
    PrintSummary(history, default_auc, cv, options.folds, learned, *model);
  }
  std::string text = TableText(options, history, learned, default_auc, cv);
  return WriteOutput(options.output, text, error) ? ExitCode::kOk
                                                  : ExitCode::kOutput;
}

// ---- Logistic regression helpers ----------------------------------------------

double Sigmoid(double t) { return 1 / (1 + std::exp(-t)); }

// -log likelihood of one row, stable for large |eta|.
double RowLoss(double eta, int y) {
  return std::max(eta, 0.0) + std::log1p(std::exp(-std::fabs(eta))) - y * eta;
}

// Solves the symmetric positive-definite system a x = b (n x n, row-major)
// by Cholesky; returns false when `a` is not positive definite.
bool CholeskySolve(std::vector<double> a, std::vector<double>* b, int n) {
  for (int j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (int k = 0; k < j; ++k) {
      d -= a[j * n + k] * a[j * n + k];
    }
    if (d <= 0) {
      return false;
    }
    a[j * n + j] = std::sqrt(d);
    for (int i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (int k = 0; k < j; ++k) {
        s -= a[i * n + k] * a[j * n + k];
      }
      a[i * n + j] = s / a[j * n + j];
    }
  }
  std::vector<double>& x = *b;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < i; ++k) {
      x[i] -= a[i * n + k] * x[k];
    }
    x[i] /= a[i * n + i];
  }
  for (int i = n - 1; i >= 0; --i) {
    for (int k = i + 1; k < n; ++k) {
      x[i] -= a[k * n + i] * x[k];
    }
    x[i] /= a[i * n + i];
  }
  return true;
}

// The standardised problem: z = (x - mean) / sd over the active columns,
// beta[0] the intercept.
class StandardProblem {
 public:
  StandardProblem(const Dataset& data, const std::vector<size_t>& rows,
                  double l2, const std::vector<bool>& excluded)
      : data_(data), rows_(rows), l2_(l2) {
    for (int j = 0; j < data.cols; ++j) {
      double mean = 0, square = 0;
      for (size_t i : rows) {
        mean += data.at(i, j);
        square += data.at(i, j) * data.at(i, j);
      }
      mean /= rows.size();
      double sd = std::sqrt(std::max(0.0, square / rows.size() - mean * mean));
      bool skip = j < static_cast<int>(excluded.size()) && excluded[j];
      if (!skip && sd > 1e-9) {
        active_.push_back(j);
        mean_.push_back(mean);
        sd_.push_back(sd);
      }
    }
  }

  int size() const { return static_cast<int>(active_.size()) + 1; }

  void Row(size_t i, std::vector<double>* z) const {
    (*z)[0] = 1;
    for (size_t k = 0; k < active_.size(); ++k) {
      (*z)[k + 1] = (data_.at(i, active_[k]) - mean_[k]) / sd_[k];
    }
  }

  double Loss(const std::vector<double>& beta) const {
    std::vector<double> z(size());
    double loss = 0;
    for (size_t i : rows_) {
      Row(i, &z);
      loss += RowLoss(std::inner_product(z.begin(), z.end(), beta.begin(), 0.0),
                      data_.y[i]);
    }
    for (int k = 1; k < size(); ++k) {
      loss += l2_ / 2 * beta[k] * beta[k];
    }
    return loss;
  }

  // Gradient and Hessian of Loss at beta.
  void Derivatives(const std::vector<double>& beta, std::vector<double>* grad,
                   std::vector<double>* hessian) const {
    int n = size();
    grad->assign(n, 0);
    hessian->assign(n * n, 0);
    std::vector<double> z(n);
    for (size_t i : rows_) {
      Row(i, &z);
      double p = Sigmoid(std::inner_product(z.begin(), z.end(), beta.begin(), 0.0));
      double w = p * (1 - p);
      for (int a = 0; a < n; ++a) {
        (*grad)[a] += (p - data_.y[i]) * z[a];
        double wa = w * z[a];
        for (int b = 0; b <= a; ++b) {
          (*hessian)[a * n + b] += wa * z[b];
        }
      }
    }
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < a; ++b) {
        (*hessian)[b * n + a] = (*hessian)[a * n + b];
      }
      double penalty = a > 0 ? l2_ : 0;
      (*grad)[a] += penalty * beta[a];
      (*hessian)[a * n + a] += penalty + 1e-9;
    }
  }

  LogisticModel Unstandardise(const std::vector<double>& beta) const {
    LogisticModel model;
    model.weights.assign(data_.cols, 0);
    model.intercept = beta[0];
    for (size_t k = 0; k < active_.size(); ++k) {
      model.weights[active_[k]] = beta[k + 1] / sd_[k];
      model.intercept -= beta[k + 1] * mean_[k] / sd_[k];
    }
    return model;
  }

 private:
  const Dataset& data_;
  const std::vector<size_t>& rows_;
  double l2_;
  std::vector<int> active_;
  std::vector<double> mean_, sd_;
};

// One damped Newton step; returns the largest change of a coefficient, or
// -1 when the Hessian is singular (only possible with l2 = 0).
double NewtonStep(const StandardProblem& problem, std::vector<double>* beta) {
  std::vector<double> step, hessian;
  problem.Derivatives(*beta, &step, &hessian);
  if (!CholeskySolve(hessian, &step, problem.size())) {
    return -1;
  }
  double before = problem.Loss(*beta);
  for (double t = 1; t > 1e-6; t /= 2) {
    std::vector<double> next = *beta;
    for (int k = 0; k < problem.size(); ++k) {
      next[k] -= t * step[k];
    }
    if (problem.Loss(next) <= before) {
      double change = 0;
      for (int k = 0; k < problem.size(); ++k) {
        change = std::max(change, std::fabs(next[k] - (*beta)[k]));
      }
      *beta = std::move(next);
      return change;
    }
  }
  return 0;
}

}  // namespace

std::optional<int> ParseLabel(std::string_view text) {
  std::string key = FoldKey(text);
  static const char* const kYes[] = {"yes", "y", "1", "true", "won", "win",
                                     "converted", "co", "success"};
  static const char* const kNo[] = {"no",   "n",    "0",         "false",
                                    "lost", "lose", "not converted",
                                    "khong", "failed"};
  for (const char* word : kYes) {
    if (key == word) {
      return 1;
    }
  }
  for (const char* word : kNo) {
    if (key == word) {
      return 0;
    }
  }
  std::optional<double> number = AsNumber(Trim(text));
  if (number && (*number == 0 || *number == 1)) {
    return static_cast<int>(*number);
  }
  return std::nullopt;
}

double Auc(const std::vector<double>& scores, const std::vector<int>& labels) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0;
  double positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      ++j;
    }
    double rank = (i + 1 + j) / 2.0;  // average of ranks i+1 .. j
    for (size_t k = i; k < j; ++k) {
      positive_rank_sum += labels[order[k]] ? rank : 0;
      positives += labels[order[k]] ? 1 : 0;
    }
    i = j;
  }
  double negatives = static_cast<double>(order.size()) - positives;
  if (positives == 0 || negatives == 0) {
    return 0.5;
  }
  return (positive_rank_sum - positives * (positives + 1) / 2) /
         (positives * negatives);
}

double LogisticModel::Logit(const Dataset& data, size_t row) const {
  double logit = intercept;
  for (int j = 0; j < data.cols; ++j) {
    logit += weights[j] * data.at(row, j);
  }
  return logit;
}

LogisticModel FitLogistic(const Dataset& data, const std::vector<size_t>& rows,
                          double l2, const std::vector<bool>& excluded) {
  std::vector<size_t> all;
  if (rows.empty()) {
    all.resize(data.rows());
    std::iota(all.begin(), all.end(), 0);
  }
  const std::vector<size_t>& use = rows.empty() ? all : rows;
  StandardProblem problem(data, use, l2, excluded);
  std::vector<double> beta(problem.size(), 0);
  double positives = 0;
  for (size_t i : use) {
    positives += data.y[i];
  }
  double rate = std::clamp(positives / std::max<size_t>(1, use.size()), 1e-6,
                           1 - 1e-6);
  beta[0] = std::log(rate / (1 - rate));
  LogisticModel model;
  for (model.iterations = 1; model.iterations <= 50; ++model.iterations) {
    double change = NewtonStep(problem, &beta);
    if (change < 1e-7) {
      model.converged = change >= 0;
      break;
    }
  }
  LogisticModel result = problem.Unstandardise(beta);
  result.iterations = model.iterations;
  result.converged = model.converged;
  return result;
}

int RunLearn(const LearnOptions& options) {
  std::string error;
  ExitCode code = Learn(options, &error);
  if (code != ExitCode::kOk) {
    std::fprintf(stderr, "leadclean learn: %s\n", error.c_str());
  }
  return static_cast<int>(code);
}

}  // namespace leadclean
