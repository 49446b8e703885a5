// What a run counted, and the two ways it is told: the JSON report
// (schema in README.md, "Report") and the short summary on stderr.
#ifndef LEADCLEAN_REPORT_H_
#define LEADCLEAN_REPORT_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadclean/record.h"

namespace leadclean {

constexpr int kReasonCount = static_cast<int>(Reason::kDuplicate) + 1;

struct InputStats {
  std::string path;
  std::string encoding;
  double encoding_confidence = 1.0;  // see CsvReader::encoding_confidence
  std::string encoding_method;
  bool bom = false;
  char delimiter = ',';
  uint64_t rows = 0;  // data rows, malformed included
  uint64_t blank_lines = 0;
  uint64_t bytes = 0;
};

struct SourceStats {
  uint64_t rows = 0;
  uint64_t cleaned = 0;
  std::array<uint64_t, kReasonCount> rejected{};
  uint64_t scored = 0;  // kept rows with a score
  uint64_t score_sum = 0;
  uint64_t hot = 0;
};

// Kept rows' lc_score and lc_temperature.
struct ScoreStats {
  std::array<uint64_t, 10> histogram{};  // 0-9, 10-19, ..., 90-100
  uint64_t scored = 0;
  uint64_t sum = 0;
  uint64_t hot = 0, warm = 0, cold = 0;
};

// A few rejected rows per reason, for the people who read the report.
struct SampleRow {
  uint64_t row = 0;
  std::string rule;
  std::string detail;
  std::vector<std::pair<std::string, std::string>> values;  // column, value
};
constexpr size_t kSamplesPerReason = 5;

// What --sort / --split-by wrote (src/core/arrange.h).
struct ArrangedFile {
  std::string path;
  std::string group;  // "hot", "agent1", "source-facebook"; "" = no split
  uint64_t rows = 0;
  uint64_t hot = 0, warm = 0, cold = 0;
};
struct ArrangeStats {
  bool active = false;
  bool sorted = false;
  std::string split_by;  // "" = no split
  int agents = 0;
  uint64_t runs = 0;  // sorted runs spilled to disk; 0 = sorted in memory
  std::vector<ArrangedFile> files;
  uint64_t rows = 0;  // over every file: equals cleaned when conserved
};

struct RunStats {
  std::vector<InputStats> inputs;
  uint64_t rows_in = 0;
  uint64_t cleaned = 0;
  uint64_t rejected = 0;
  std::array<uint64_t, kReasonCount> by_reason{};
  // Keyed by text, looked up by string_view (std::less<>): counting a row
  // makes no string unless its key is new.
  std::map<std::string, uint64_t, std::less<>> by_flag;
  std::map<std::string, uint64_t, std::less<>> by_rule;  // rule ids of rejects
  bool has_source = false;
  std::map<std::string, SourceStats, std::less<>> by_source;
  uint64_t invalid_utf8_rows = 0;
  uint64_t mojibake_cells = 0;  // cells that read as UTF-8 mis-decoded as cp1252
  bool fix_mojibake = false;    // --fix-mojibake: stages saw the repairs
  ScoreStats scores;
  std::array<std::vector<SampleRow>, kReasonCount> samples;
  bool excel_safe = true;
  uint64_t cells_neutralised = 0;  // formula-like cells prefixed with 
  double seconds_total = 0;
  double seconds_setup = 0;
  // Two-pass runs: the first pass, the work between the passes (the
  // cross-row stages' FinishPrepass) and the second pass; a one-pass run
  // has only the last.
  double seconds_first_pass = 0;
  double seconds_between_passes = 0;
  double seconds_last_pass = 0;
  int threads = 0;
  std::string cleaned_path;  // "-" = stdout
  std::string rejects_path;
  nlohmann::json stages = nlohmann::json::object();
  nlohmann::json gates = nlohmann::json::array();  // see CheckGates
  ArrangeStats arrange;

  void Merge(const RunStats& batch);  // adds counts of a batch
  bool Conserved() const { return rows_in == cleaned + rejected; }
};

struct Schema;
struct Options;

// Builds the JSON report.
nlohmann::json BuildReport(const RunStats& stats, const Schema& schema,
                           const Options& options);

// Evaluates the --max-*/--min-* gates into stats->gates. Returns the
// messages of the gates that tripped ("reject rate 0.31 > 0.20").
std::vector<std::string> CheckGates(const Options& options, RunStats* stats);

// The human summary printed to stderr; `colour` adds ANSI colour to the
// counts (see UseColour in core/progress.h).
std::string Summary(const RunStats& stats, bool colour = false);

// One self-contained HTML page (inline CSS and SVG, no script, no network)
// drawn from a report built by BuildReport; never throws on odd JSON.
std::string RenderHtmlReport(const nlohmann::json& report);

// Version strings of leadclean and its libraries, for the report and
// --version.
nlohmann::json Versions();

}  // namespace leadclean

#endif  // LEADCLEAN_REPORT_H_
