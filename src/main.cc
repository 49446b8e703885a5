// leadclean's entry point: CLI11 wiring, exceptions caught at this edge,
// one exit code per outcome (see ExitCode in leadclean/pipeline.h).
#include <csignal>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "core/arrange.h"
#include "core/atomic_file.h"
#include "leadclean/learn.h"
#include "leadclean/pipeline.h"
#include "leadclean/report.h"
#include "leadclean/rules.h"
#include "leadclean/rules_check.h"

namespace {

constexpr const char* kCleanExamples = R"(
Examples:
  leadclean clean leads.csv -o cleaned.csv --rejects rejects.csv --report report.json
  cat leads.csv | leadclean clean > cleaned.csv   # rejects -> leadclean.rejects.csv
  leadclean clean a.csv b.csv -o all.csv           # one list, dedup across files
  leadclean clean fb.tsv --map phone="Số ĐT khác" --region VN
  leadclean clean leads.csv -o calls.csv --sort score --split-by agent --agents 4
)";

void OnSignal(int signal_number) {
  leadclean::RemoveAllTempFiles();
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

bool ParseDelimiter(const std::string& text, char* out) {
  if (text == "\\t" || text == "tab" || text == "TAB") {
    *out = '\t';
    return true;
  }
  if (text.size() == 1 && text[0] != '"' && text[0] != '\r' &&
      text[0] != '\n') {
    *out = text[0];
    return true;
  }
  return text.empty();
}

void AddCleanOptions(CLI::App* clean, leadclean::Options* o,
                     std::vector<std::string>* maps, std::string* delimiter) {
  clean->add_option("inputs", o->inputs, "input CSV files; none or - = stdin");
  clean->add_option("-o,--output", o->output, "cleaned CSV (default stdout)");
  clean->add_option("--rejects", o->rejects,
                    "rejects CSV (default <output stem>.rejects.csv, or "
                    "leadclean.rejects.csv when output is stdout)");
  clean->add_option("--report", o->report, "write the JSON report here");
  clean->add_option("--region", o->region,
                    "default phone region, ISO 3166 code")
      ->capture_default_str();
  clean->add_option("--rules", o->rules_dir,
                    "directory of rule files layered on the defaults");
  clean->add_option("--map", *maps,
                    "role=Header: force a column's role (Header may be #N)");
  clean->add_option("--threads", o->threads, "worker threads (0 = all cores)")
      ->capture_default_str();
  clean->add_option("--delimiter", *delimiter,
                    "input delimiter: , ; | or \\t (default: sniffed)");
  clean->add_option("--encoding", o->csv.encoding,
                    "input encoding: an ICU name (windows-1258, UTF-16LE ...), "
                    "TCVN3 or VNI (default: detected)");
  clean->add_flag("--fix-mojibake", o->fix_mojibake,
                  "let the stages read cells like \"Nguyá»…n\" repaired "
                  "(UTF-8 once mis-read as windows-1252); original columns "
                  "stay as read");
  clean->add_option("--max-record-bytes", o->csv.max_record_bytes,
                    "quarantine a record longer than this")
      ->capture_default_str();
  clean->add_option("--read-size", o->csv.read_size,
                    "bytes per read (testing)")
      ->group("");
  clean->add_option("--batch-rows", o->batch_rows, "rows per parallel batch")
      ->capture_default_str();
  clean->add_option("--stages", o->stages,
                    "run only these stages (comma list: name, phone, email, "
                    "fake, no_contact, match_keys, score, call_window, bot, "
                    "dedup), or none for a pass-through; default all")
      ->delimiter(',');
  clean->add_option("--max-reject-rate", o->max_reject_rate,
                    "exit 1 when more than this share of rows is rejected "
                    "(0..1); outputs are still written");
  clean->add_option("--max-duplicate-rate", o->max_duplicate_rate,
                    "exit 1 when more than this share of rows are duplicates");
  clean->add_option("--min-rows", o->min_rows,
                    "exit 1 when the input has fewer data rows than this");
  clean->add_option("--keep", o->keep,
                    "dedup survivor: first, newest (created_at) or "
                    "most-complete")
      ->capture_default_str();
  clean->add_flag("--merge", o->merge,
                  "fill a kept row's empty lc_phone, lc_email and lc_name "
                  "(and add to lc_phone_alt / lc_email_alt) from its "
                  "duplicates; lc_merged_from says what came from which row");
  clean->add_option("--suppress", o->suppress,
                    "do-not-call list (CSV of phones/emails or SHA-256 "
                    "digests); matching people are rejected as suppressed");
  clean->add_option("--against", o->against,
                    "CRM export; matching people are flagged crm_known");
  clean->add_flag("--drop-known", o->drop_known,
                  "reject people found in --against lists as known");
  clean->add_flag("!--no-excel-safe", o->excel_safe,
                  "keep formula-like cells (=, @, +/- text) exactly as read "
                  "instead of prefixing them with '");
  clean->add_option("--email-typos", o->email_typos,
                    "provider typos (gmial.com): fix into lc_email, suggest "
                    "in lc_email_alt, or off")
      ->check(CLI::IsMember({"fix", "suggest", "off"}))
      ->capture_default_str();
  clean->add_option("--sort", o->sort_by,
                    "order the cleaned rows: score = highest lc_score first "
                    "(ties keep input order)")
      ->check(CLI::IsMember({"score"}));
  clean->add_option("--split-by", o->split_by,
                    "one cleaned file per temperature, source or agent, "
                    "named BASE.<group>.csv after -o BASE.csv (required)")
      ->check(CLI::IsMember({"temperature", "source", "agent"}));
  clean->add_option("--agents", o->agents,
                    "agents for --split-by agent: fair shares of hot, warm "
                    "and cold leads");
  clean->add_option("--sort-memory", o->sort_memory_bytes,
                    "bytes of rows sorted in memory before --sort spills "
                    "runs to disk (testing)")
      ->group("");
  CLI::Option* check_mx = clean->add_flag(
      "--check-mx", o->check_mx,
      "look up each email domain's MX (else A/AAAA) in DNS; flags "
      "email_no_mx, email_mx_unknown (off: no network)");
  clean->add_option("--mx-timeout", o->mx_timeout_ms,
                    "with --check-mx: milliseconds one DNS query may take")
      ->check(CLI::Range(1, 600000))
      ->capture_default_str()
      ->needs(check_mx);
  clean->add_option("--dns-server", o->dns_server,
                    "with --check-mx: resolver IP[:PORT] (default: the "
                    "system's, /etc/resolv.conf)")
      ->needs(check_mx);
  clean->add_option("--now", o->score_now,
                    "reference time for recency scoring (ISO 8601; default: "
                    "the current time)");
  clean->add_flag("-q,--quiet", o->quiet,
                  "no progress or summary on stderr (errors still print)");
  clean->footer(kCleanExamples);
}

// Splits role=Header options into pairs. Returns false with a message.
bool SplitMaps(const std::vector<std::string>& maps,
               std::vector<std::pair<std::string, std::string>>* out) {
  for (const std::string& map : maps) {
    size_t eq = map.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "leadclean: --map %s: expected role=Header\n",
                   map.c_str());
      return false;
    }
    out->emplace_back(map.substr(0, eq), map.substr(eq + 1));
  }
  return true;
}

void AddLearnOptions(CLI::App* learn, leadclean::LearnOptions* o,
                     std::vector<std::string>* maps) {
  learn->add_option("history", o->history, "labelled history CSV (- = stdin)")
      ->required();
  learn->add_option("--label", o->label,
                    "outcome column: yes/no, 1/0, won/lost ...")
      ->required();
  learn->add_option("-o,--output", o->output,
                    "learned scoring table (default stdout); name it "
                    "learned_scoring.csv in a --rules DIR");
  learn->add_option("--folds", o->folds, "cross-validation folds")
      ->capture_default_str();
  learn->add_option("--l2", o->l2, "L2 penalty")->capture_default_str();
  learn->add_option("--rules", o->rules_dir, "rules layered on the defaults");
  learn->add_option("--map", *maps, "role=Header: force a column's role");
  learn->add_option("--region", o->region, "default phone region")
      ->capture_default_str();
  learn->add_option("--now", o->score_now,
                    "recency reference (default: newest created_at)");
  learn->add_flag("-q,--quiet", o->quiet, "no report on stderr");
  learn->footer(
      "\nExample:\n  leadclean learn won_lost.csv --label Converted -o "
      "myrules/learned_scoring.csv\n  leadclean clean new.csv --rules myrules "
      "-o scored.csv\n");
}


int Main(int argc, char** argv) {
  CLI::App app{"leadclean: clean, validate and score CSV lead lists"};
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       "leadclean " + leadclean::Versions().dump());
  leadclean::Options options;
  std::vector<std::string> maps;
  std::string delimiter;
  CLI::App* clean = app.add_subcommand("clean", "clean lead lists");
  AddCleanOptions(clean, &options, &maps, &delimiter);
  CLI::App* rules = app.add_subcommand("rules", "work with rule tables");
  rules->require_subcommand(1);
  std::string rules_dir;
  CLI::App* check = rules->add_subcommand(
      "check", "lint rule files (DIR layered on the defaults): file:line: message");
  check->add_option("dir", rules_dir, "your rules directory");
  leadclean::LearnOptions learn_options;
  std::vector<std::string> learn_maps;
  CLI::App* learn = app.add_subcommand(
      "learn", "fit scoring points from a labelled history");
  AddLearnOptions(learn, &learn_options, &learn_maps);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(leadclean::ExitCode::kUsage);
  }
  if (*check) {
    return leadclean::RunRulesCheck(rules_dir);
  }
  if (*learn) {
    learn_options.default_rules_dir = leadclean::DefaultRulesDir();
    return SplitMaps(learn_maps, &learn_options.maps)
               ? leadclean::RunLearn(learn_options)
               : static_cast<int>(leadclean::ExitCode::kUsage);
  }
  if (!SplitMaps(maps, &options.maps)) {
    return static_cast<int>(leadclean::ExitCode::kUsage);
  }
  if (!ParseDelimiter(delimiter, &options.csv.delimiter)) {
    std::fprintf(stderr,
                 "leadclean: --delimiter %s: one character other than a "
                 "quote or line break expected\n",
                 delimiter.c_str());
    return static_cast<int>(leadclean::ExitCode::kUsage);
  }
  if (options.batch_rows == 0 || options.csv.read_size == 0) {
    std::fprintf(stderr, "leadclean: --batch-rows and --read-size must be > 0\n");
    return static_cast<int>(leadclean::ExitCode::kUsage);
  }
  std::string arrange_error;
  if (!leadclean::CheckArrangeOptions(
          options, leadclean::ResolveRejectsPath(options), &arrange_error)) {
    std::fprintf(stderr, "leadclean: %s\n", arrange_error.c_str());
    return static_cast<int>(leadclean::ExitCode::kUsage);
  }
  return static_cast<int>(leadclean::RunClean(options));
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leadclean: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "leadclean: internal error\n");
  }
  leadclean::RemoveAllTempFiles();
  return static_cast<int>(leadclean::ExitCode::kInternal);
}
