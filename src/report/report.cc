// The JSON report and the stderr summary. Field names here are a contract:
// README.md ("Report") documents each one.
#include "leadclean/report.h"

#include <unicode/uversion.h>
#include <oneapi/tbb/version.h>

#include <cstdio>

#include "leadclean/pipeline.h"

#ifndef LEADCLEAN_VERSION
#define LEADCLEAN_VERSION "unknown"
#endif
#ifndef LEADCLEAN_LIBPHONENUMBER_VERSION
#define LEADCLEAN_LIBPHONENUMBER_VERSION "unknown"
#endif
#ifndef LEADCLEAN_RE2_VERSION
#define LEADCLEAN_RE2_VERSION "unknown"
#endif

namespace leadclean {
namespace {

nlohmann::json ReasonCounts(const std::array<uint64_t, kReasonCount>& counts,
                            bool skip_zero) {
  nlohmann::json out = nlohmann::json::object();
  for (int r = 1; r < kReasonCount; ++r) {
    if (!skip_zero || counts[r] > 0) {
      out[std::string(ReasonName(static_cast<Reason>(r)))] = counts[r];
    }
  }
  return out;
}

std::string DelimiterName(char delimiter) {
  return delimiter == '\t' ? "\\t" : std::string(1, delimiter);
}

nlohmann::json InputsJson(const RunStats& stats) {
  nlohmann::json inputs = nlohmann::json::array();
  for (const InputStats& in : stats.inputs) {
    inputs.push_back({{"path", in.path},
                      {"encoding", in.encoding},
                      {"encoding_confidence", in.encoding_confidence},
                      {"encoding_method", in.encoding_method},
                      {"bom", in.bom},
                      {"delimiter", DelimiterName(in.delimiter)},
                      {"rows", in.rows},
                      {"blank_lines", in.blank_lines},
                      {"bytes", in.bytes}});
  }
  return inputs;
}

nlohmann::json ColumnsJson(const Schema& schema) {
  nlohmann::json columns = nlohmann::json::array();
  for (int i = 0; i < schema.size(); ++i) {
    columns.push_back({{"index", i + 1},
                       {"name", schema.names[i]},
                       {"role", std::string(RoleName(schema.roles[i]))},
                       {"mapped_by", schema.role_source[i]}});
  }
  return columns;
}

// n / d, or null when d is 0.
nlohmann::json Ratio(uint64_t n, uint64_t d) {
  return d ? nlohmann::json(static_cast<double>(n) / d)
           : nlohmann::json(nullptr);
}

nlohmann::json SourcesJson(const RunStats& stats) {
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& [name, s] : stats.by_source) {
    uint64_t rejected = 0;
    for (uint64_t n : s.rejected) {
      rejected += n;
    }
    sources.push_back(
        {{"source", name},
         {"rows", s.rows},
         {"cleaned", s.cleaned},
         {"rejected", rejected},
         {"reject_rate", s.rows ? static_cast<double>(rejected) / s.rows : 0},
         {"duplicates", s.rejected[static_cast<int>(Reason::kDuplicate)]},
         {"rejected_by_reason", ReasonCounts(s.rejected, true)},
         {"mean_score", Ratio(s.score_sum, s.scored)},
         {"hot_share", Ratio(s.hot, s.scored)}});
  }
  return sources;
}

nlohmann::json ArrangeJson(const ArrangeStats& a, uint64_t cleaned) {
  if (!a.active) {
    return nullptr;
  }
  nlohmann::json files = nlohmann::json::array();
  for (const ArrangedFile& f : a.files) {
    files.push_back({{"path", f.path},
                     {"group", f.group},
                     {"rows", f.rows},
                     {"temperature",
                      {{"hot", f.hot}, {"warm", f.warm}, {"cold", f.cold}}}});
  }
  return {{"sort", a.sorted ? "score" : ""},
          {"split_by", a.split_by},
          {"agents", a.agents},
          {"sort_runs", a.runs},
          {"files", files},
          {"rows", a.rows},
          {"conserved", a.rows == cleaned}};
}

// Where the cleaned rows went, for the summary.
std::string CleanedDestination(const RunStats& stats) {
  const ArrangeStats& a = stats.arrange;
  std::string path = stats.cleaned_path == "-" ? "stdout" : stats.cleaned_path;
  if (!a.active) {
    return path;
  }
  if (a.split_by.empty()) {
    return path + " (sorted by score)";
  }
  std::string out = std::to_string(a.files.size()) + " files by " +
                    a.split_by + (a.sorted ? ", sorted by score" : "") + " (";
  constexpr size_t kListed = 8;
  for (size_t i = 0; i < a.files.size() && i < kListed; ++i) {
    out += (i ? ", " : "") + a.files[i].path + " " +
           std::to_string(a.files[i].rows);
  }
  return out + (a.files.size() > kListed ? ", ...)" : ")");
}

nlohmann::json ScoresJson(const ScoreStats& s) {
  if (s.scored == 0) {
    return nullptr;
  }
  return {{"scored", s.scored},
          {"mean", static_cast<double>(s.sum) / s.scored},
          {"histogram", s.histogram},
          {"temperature", {{"hot", s.hot}, {"warm", s.warm}, {"cold", s.cold}}}};
}

nlohmann::json SamplesJson(const RunStats& stats) {
  nlohmann::json out = nlohmann::json::object();
  for (int r = 1; r < kReasonCount; ++r) {
    if (stats.samples[r].empty()) {
      continue;
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const SampleRow& sample : stats.samples[r]) {
      nlohmann::json values = nlohmann::json::object();
      for (const auto& [column, value] : sample.values) {
        values[column] = value;
      }
      rows.push_back({{"lc_row", sample.row},
                      {"lc_rule", sample.rule},
                      {"lc_detail", sample.detail},
                      {"values", values}});
    }
    out[std::string(ReasonName(static_cast<Reason>(r)))] = rows;
  }
  return out;
}

}  // namespace

void RunStats::Merge(const RunStats& batch) {
  rows_in += batch.rows_in;
  cells_neutralised += batch.cells_neutralised;
  for (int r = 0; r < kReasonCount; ++r) {
    for (const SampleRow& sample : batch.samples[r]) {
      if (samples[r].size() < kSamplesPerReason) {
        samples[r].push_back(sample);
      }
    }
  }
  for (size_t i = 0; i < scores.histogram.size(); ++i) {
    scores.histogram[i] += batch.scores.histogram[i];
  }
  scores.scored += batch.scores.scored;
  scores.sum += batch.scores.sum;
  scores.hot += batch.scores.hot;
  scores.warm += batch.scores.warm;
  scores.cold += batch.scores.cold;
  cleaned += batch.cleaned;
  rejected += batch.rejected;
  for (int r = 0; r < kReasonCount; ++r) {
    by_reason[r] += batch.by_reason[r];
  }
  for (const auto& [flag, n] : batch.by_flag) {
    by_flag[flag] += n;
  }
  for (const auto& [rule, n] : batch.by_rule) {
    by_rule[rule] += n;
  }
  for (const auto& [source, s] : batch.by_source) {
    SourceStats& total = by_source[source];
    total.rows += s.rows;
    total.cleaned += s.cleaned;
    total.scored += s.scored;
    total.score_sum += s.score_sum;
    total.hot += s.hot;
    for (int r = 0; r < kReasonCount; ++r) {
      total.rejected[r] += s.rejected[r];
    }
  }
}

nlohmann::json Versions() {
  return {{"leadclean", LEADCLEAN_VERSION},
          {"libphonenumber", LEADCLEAN_LIBPHONENUMBER_VERSION},
          {"phone_metadata", LEADCLEAN_LIBPHONENUMBER_VERSION},
          {"icu", U_ICU_VERSION},
          {"re2", LEADCLEAN_RE2_VERSION},
          {"onetbb", TBB_VERSION_STRING}};
}

nlohmann::json BuildReport(const RunStats& stats, const Schema& schema,
                           const Options& options) {
  nlohmann::json report;
  report["schema_version"] = 1;
  report["versions"] = Versions();
  report["options"] = {{"region", options.region},
                       {"threads", stats.threads},
                       {"rules_dir", options.rules_dir}};
  report["inputs"] = InputsJson(stats);
  report["columns"] = ColumnsJson(schema);
  report["outputs"] = {{"cleaned", stats.cleaned_path},
                       {"rejects", stats.rejects_path}};
  report["counts"] = {{"rows_in", stats.rows_in},
                      {"cleaned", stats.cleaned},
                      {"rejected", stats.rejected},
                      {"by_reason", ReasonCounts(stats.by_reason, false)},
                      {"by_rule", stats.by_rule},
                      {"by_flag", stats.by_flag}};
  report["sources"] = stats.has_source ? SourcesJson(stats)
                                       : nlohmann::json(nullptr);
  report["conservation"] = {{"ok", stats.Conserved()},
                            {"rows_in", stats.rows_in},
                            {"cleaned", stats.cleaned},
                            {"rejected", stats.rejected}};
  report["scores"] = ScoresJson(stats.scores);
  report["arrange"] = ArrangeJson(stats.arrange, stats.cleaned);
  report["samples"] = SamplesJson(stats);
  auto flagged = stats.by_flag.find("mojibake");
  report["mojibake"] = {
      {"cells", stats.mojibake_cells},
      {"rows", flagged == stats.by_flag.end() ? 0 : flagged->second},
      {"repaired", stats.fix_mojibake}};
  report["excel_safe"] = {{"enabled", stats.excel_safe},
                          {"cells_neutralised", stats.cells_neutralised}};
  report["stages"] = stats.stages;
  report["quality_gates"] = stats.gates;
  double rate = stats.seconds_total > 0 ? stats.rows_in / stats.seconds_total
                                        : 0;
  report["timings"] = {{"total_seconds", stats.seconds_total},
                       {"setup_seconds", stats.seconds_setup},
                       {"first_pass_seconds", stats.seconds_first_pass},
                       {"between_passes_seconds", stats.seconds_between_passes},
                       {"last_pass_seconds", stats.seconds_last_pass},
                       {"rows_per_second", rate}};
  return report;
}

std::vector<std::string> CheckGates(const Options& options, RunStats* stats) {
  std::vector<std::string> tripped;
  double rows = static_cast<double>(stats->rows_in);
  auto rate = [rows](uint64_t n) { return rows > 0 ? n / rows : 0.0; };
  uint64_t duplicates = stats->by_reason[static_cast<int>(Reason::kDuplicate)];
  struct Gate {
    const char* name;
    double limit;
    double value;
    bool is_minimum;
  };
  const Gate gates[] = {
      {"max_reject_rate", options.max_reject_rate, rate(stats->rejected), false},
      {"max_duplicate_rate", options.max_duplicate_rate, rate(duplicates),
       false},
      {"min_rows", static_cast<double>(options.min_rows), rows, true},
  };
  for (const Gate& gate : gates) {
    if (gate.limit < 0) {
      continue;
    }
    bool trip = gate.is_minimum ? gate.value < gate.limit
                                : gate.value > gate.limit;
    stats->gates.push_back({{"gate", gate.name},
                            {"limit", gate.limit},
                            {"value", gate.value},
                            {"tripped", trip}});
    if (trip) {
      char text[128];
      std::snprintf(text, sizeof(text), "quality gate %s: %g %s %g",
                    gate.name, gate.value, gate.is_minimum ? "<" : ">",
                    gate.limit);
      tripped.push_back(text);
    }
  }
  return tripped;
}

namespace {

// `text` in ANSI colour `code` when `colour`.
std::string Paint(const std::string& text, const char* code, bool colour) {
  return colour ? std::string("\x1b[") + code + "m" + text + "\x1b[0m" : text;
}

}  // namespace

std::string Summary(const RunStats& stats, bool colour) {
  const char* kGreen = "32";
  const char* kYellow = "33";
  const char* kRed = "1;31";
  std::string out = "leadclean: " + std::to_string(stats.rows_in) +
                    " rows in, " +
                    Paint(std::to_string(stats.cleaned), kGreen, colour) +
                    " cleaned -> " +
                    CleanedDestination(stats) +
                    ", " +
                    Paint(std::to_string(stats.rejected),
                          stats.rejected > 0 ? kYellow : kGreen, colour) +
                    " rejected -> " + stats.rejects_path + "\n";
  std::string reasons;
  for (int r = 1; r < kReasonCount; ++r) {
    if (stats.by_reason[r] > 0) {
      reasons += (reasons.empty() ? "" : ", ") +
                 Paint(std::to_string(stats.by_reason[r]), kYellow, colour) +
                 " " + std::string(ReasonName(static_cast<Reason>(r)));
    }
  }
  if (!reasons.empty()) {
    out += "  rejected: " + reasons + "\n";
  }
  if (stats.mojibake_cells > 0) {
    out += "  mojibake: " +
           Paint(std::to_string(stats.mojibake_cells), kYellow, colour) +
           (stats.fix_mojibake
                ? " cells read repaired (--fix-mojibake)\n"
                : " cells look like UTF-8 mis-read as windows-1252 (flag "
                  "mojibake; --fix-mojibake repairs them for the stages)\n");
  }
  char line[160];
  std::snprintf(line, sizeof(line),
                " (%llu = %llu + %llu); %.2f s, %d threads\n",
                static_cast<unsigned long long>(stats.rows_in),
                static_cast<unsigned long long>(stats.cleaned),
                static_cast<unsigned long long>(stats.rejected),
                stats.seconds_total, stats.threads);
  return out + "  conservation: " +
         (stats.Conserved() ? Paint("ok", kGreen, colour)
                            : Paint("FAILED", kRed, colour)) +
         line;
}

}  // namespace leadclean
