// `leadclean learn`: fits the points of the scoring table from a labelled
// history and writes a table `clean` uses as it is.
//
//   leadclean learn HISTORY.csv --label COLUMN [-o FILE] [--folds K]
//                   [--rules DIR] [--map role=Header ...] [--region CC]
//                   [--now TIME]
//
// HISTORY.csv is read like a `clean` input (delimiter sniffing, encodings,
// header synonyms, --map). COLUMN is the outcome, found by exact header or a
// case/diacritic-insensitive match; its values may be yes/no, y/n, 1/0,
// true/false, won/lost, win/lose, converted/not converted, có/không; rows
// with any other value (blank included) are skipped and counted.
//
// Every row goes through the same row-local stages as `clean` (name, phone,
// email ...) and the same feature extractor as the score stage
// (stages/score_model.h), so a learned point means what a default point
// means. The fit is L2-regularised logistic regression (Newton steps on
// standardised features). Its points are scaled so the learned lc_score
// spreads over the history like the default lc_score does (5th and 95th
// percentiles), which keeps the hot/warm/cold and mql/sql thresholds of
// scoring_settings.csv meaningful; the intercept becomes the rule
// `learned_base` (kind always).
//
// Recency is measured from --now, by default from the newest created_at of
// the history (its export time); give `clean --now` the same kind of
// reference for the learned recency points to mean the same.
//
// Report (stderr): rows used and skipped, the AUC of the default rules, the
// k-fold cross-validated AUC of the learned table (out-of-fold, as lc_score
// and as the raw model), the strongest rules, and warnings. Leak guard: a
// column whose values alone predict the label with AUC >= 0.97 (as empty vs
// filled, as a number, or as categories encoded out of fold) is left out
// of learning, and so is a rule whose value alone does; both are named in a
// warning.
//
// Output: the whole rule table (every rule of the tables read, with learned
// points and caps scaled alike, plus learned_base) to FILE, written
// atomically, or stdout without -o. Name it learned_scoring.csv in a --rules
// DIR (or in rules/): when present it replaces scoring.csv and
// source_quality.csv.
//
// Returns an ExitCode value: kOk; kUsage for a bad option, a missing label
// column, a label with one class only, or bad rule files; kInput when the
// history cannot be read; kOutput when FILE cannot be written.
#ifndef LEADCLEAN_LEARN_H_
#define LEADCLEAN_LEARN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadclean {

struct LearnOptions {
  std::string history;  // path; "-" is stdin
  std::string label;    // outcome column header
  std::string output;   // "" or "-" = stdout
  int folds = 5;        // 2..20
  double l2 = 1.0;      // penalty on standardised weights
  std::string rules_dir;  // user rules layered on the defaults
  std::string default_rules_dir;
  std::vector<std::pair<std::string, std::string>> maps;  // role, header
  std::string region = "VN";
  std::string score_now;  // recency reference; "" = newest created_at
  bool quiet = false;     // no report on stderr (warnings still printed)
};

int RunLearn(const LearnOptions& options);

// ---- Building blocks (exposed for tests) ----------------------------------

// 1 for yes/y/1/true/won/win/converted/có, 0 for no/n/0/false/lost/lose/not
// converted/không (case- and accent-insensitive); nullopt otherwise.
std::optional<int> ParseLabel(std::string_view text);

// Area under the ROC curve (Mann-Whitney, ties count half). Returns 0.5
// when either class is missing.
double Auc(const std::vector<double>& scores, const std::vector<int>& labels);

// A dense design matrix: rows x cols, row-major.
struct Dataset {
  int cols = 0;
  std::vector<double> x;
  std::vector<int> y;
  size_t rows() const { return y.size(); }
  double at(size_t row, int col) const { return x[row * cols + col]; }
};

struct LogisticModel {
  double intercept = 0;
  std::vector<double> weights;  // per column, on the raw (unscaled) features
  int iterations = 0;
  bool converged = false;
  double Logit(const Dataset& data, size_t row) const;
};

// L2-regularised logistic regression on the rows of `data` listed in
// `rows` (all rows when empty). Columns are standardised internally; the
// penalty l2/2 * |w|^2 applies to the standardised weights, never to the
// intercept. Columns that are constant over the rows, or listed in
// `excluded`, get weight 0.
LogisticModel FitLogistic(const Dataset& data, const std::vector<size_t>& rows,
                          double l2, const std::vector<bool>& excluded = {});

}  // namespace leadclean

#endif  // LEADCLEAN_LEARN_H_
