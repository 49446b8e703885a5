// Options of `leadclean clean` and the pipeline that runs them.
#ifndef LEADCLEAN_PIPELINE_H_
#define LEADCLEAN_PIPELINE_H_

#include <string>
#include <utility>
#include <vector>

#include "leadclean/csv.h"

namespace leadclean {

// Process exit codes; documented in README.md.
enum class ExitCode : int {
  kOk = 0,
  kQualityGate = 1,  // a --max-* gate tripped; outputs are still written
  kUsage = 2,        // bad option, bad --map, bad rule file
  kInput = 3,        // an input cannot be read
  kOutput = 4,       // an output cannot be written
  kInternal = 5,     // a bug: please report it
};

struct Options {
  std::vector<std::string> inputs;  // empty or "-" = stdin
  std::string output;               // "" or "-" = stdout
  std::string rejects;              // "" = derived, see ResolveRejectsPath
  std::string report;               // "" = none; .json
  std::string region = "VN";
  std::string rules_dir;  // user rules layered on the defaults
  std::string default_rules_dir;
  std::vector<std::pair<std::string, std::string>> maps;  // role, header
  int threads = 0;                                        // 0 = all cores
  bool quiet = false;
  // --fix-mojibake: stages read mojibake cells ("Nguyá»…n") repaired; the
  // original columns stay as read (see csv/encoding.h, RepairMojibake).
  bool fix_mojibake = false;
  // Prefix formula-like cells with ' in both outputs (OWASP CSV injection).
  bool excel_safe = true;
  // Quality gates (negative = off). A tripped gate still writes every
  // output, then exits with kQualityGate.
  double max_reject_rate = -1;
  double max_duplicate_rate = -1;
  long long min_rows = -1;
  // Dedup (see src/stages/dedup.cc).
  std::string keep = "first";  // first | newest | most-complete
  bool merge = false;
  std::vector<std::string> against;   // CRM exports: matches are "known"
  bool drop_known = false;            // reject known rows instead of flagging
  std::vector<std::string> suppress;  // do-not-call lists
  CsvOptions csv;
  size_t batch_rows = 4096;  // rows per parallel chunk
  // --stages: the stages to run, by registry name; "none" runs none (a
  // pass-through that still checks, counts and writes every row). Empty =
  // every stage.
  std::vector<std::string> stages;
  std::string score_now;  // --now: recency reference time; "" = current time
  std::string email_typos = "fix";  // --email-typos fix|suggest|off
  // --check-mx: ask DNS whether each email domain accepts mail (off: no
  // network at all). See src/stages/email_mx.h.
  bool check_mx = false;
  int mx_timeout_ms = 2000;  // per DNS query
  std::string dns_server;    // IP[:PORT]; "" = the system's resolvers
  // Telesales outputs (src/core/arrange.h).
  std::string sort_by;   // --sort: "" or "score"
  std::string split_by;  // --split-by: "", temperature, source or agent
  int agents = 0;        // --agents, for --split-by agent
  size_t sort_memory_bytes = 0;  // rows sorted in memory; 0 = 64 MiB
};

// Where rejects go when --rejects is not given: beside -o as
// "<stem>.rejects.csv", or "leadclean.rejects.csv" in the current directory
// when the cleaned output is stdout.
std::string ResolveRejectsPath(const Options& options);

// Runs `clean`. Writes outputs and the report, prints the summary to stderr
// unless quiet, and returns the exit code. Error messages go to stderr.
ExitCode RunClean(const Options& options);

}  // namespace leadclean

#endif  // LEADCLEAN_PIPELINE_H_
