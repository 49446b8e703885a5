// The telesales post-pass: `--sort score` and `--split-by
// temperature|source|agent`.
//
// The pipeline streams the cleaned CSV unchanged into a staging file (a
// hidden temp file beside the output, or in $TMPDIR when the output is
// stdout or a pipe). Arrange() then reads it back, orders and splits the
// rows, and writes each final output to its own AtomicFile; Commit() renames
// them into place with the pipeline's other outputs. The staging file and
// the external sort's runs never outlive the run.
//
// Sorting is by lc_score, highest first, stable (ties keep input order;
// rows without a score last). Up to `memory_bytes` of rows are sorted in
// memory; beyond that, sorted runs go to one anonymous temp file (unlinked
// at once) and are merged, so memory stays bounded whatever the input size.
#ifndef LEADCLEAN_CORE_ARRANGE_H_
#define LEADCLEAN_CORE_ARRANGE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/atomic_file.h"

namespace leadclean {

struct Options;
struct RunStats;

struct ArrangeSettings {
  bool sort = false;
  std::string split_by;  // "", "temperature", "source" or "agent"
  int agents = 0;        // split_by == "agent": 1..kMaxAgents
  // Rows held in memory for sorting; above this the sort spills runs.
  size_t memory_bytes = size_t{64} << 20;
  // split_by == "source": the largest sources get a file each; when there
  // are more, the rest share "<stem>.source-other.csv".
  size_t max_source_files = 64;
};
constexpr int kMaxAgents = 64;

// Checks --sort/--split-by/--agents against each other and the other
// outputs (split files must not be an input, the rejects or the report).
// Returns false with a usage message.
bool CheckArrangeOptions(const Options& options,
                         const std::string& rejects_path, std::string* error);

// "<dir>/<stem>.<group><ext>" for `-o <dir>/<stem><ext>` (ext ".csv" when
// the output has none).
std::string SplitPath(const std::string& output, std::string_view group);

// The file-name part for a source value: folded to ASCII letters and
// digits, other runs as '-', at most 40 bytes; "none" for an empty value;
// "x" and 8 hex digits of a hash when nothing ASCII is left (Thai, Chinese).
// Values with the same slug share a file.
std::string SourceSlug(std::string_view value);

// Sorts and splits the cleaned CSV at `path` into `outputs` (see Arranger).
// The building block of Arranger::Arrange, public for tests.
class Arranger {
 public:
  Arranger();
  ~Arranger();
  Arranger(const Arranger&) = delete;
  Arranger& operator=(const Arranger&) = delete;

  // Reads --sort/--split-by from `options`; a no-op run when neither is set.
  void Configure(const Options& options);
  void Configure(ArrangeSettings settings, std::string output);
  bool active() const { return settings_.sort || !settings_.split_by.empty(); }

  // Where the pipeline writes the cleaned CSV: `cleaned_path` when not
  // active, else a new staging file. Returns "" with `*error` when the
  // staging file cannot be created.
  std::string WritePath(const std::string& cleaned_path, std::string* error);

  // Commits `cleaned` (into the staging file), then writes the arranged
  // outputs to temp files and fills stats->arrange; `source_column` is the
  // cleaned CSV's column read for --split-by source (-1: none). Returns
  // true at once when not active; false with "path: reason" on an I/O
  // error, or when the outputs would not hold every cleaned row once.
  bool Arrange(AtomicFile* cleaned, int source_column, RunStats* stats,
               std::string* error);
  // Arranges the complete cleaned CSV at `path` (tests; Arrange uses it).
  bool ArrangeFile(const std::string& path, int source_column,
                   RunStats* stats, std::string* error);

  // Renames every arranged output into place.
  bool Commit(std::string* error);
  // Removes every temp file; safe to call twice.
  void Abort();

 private:
  struct Writer;
  bool Split(const std::string& path, int source_column, RunStats* stats,
             std::string* error);
  void RemoveStaging();
  bool IsProtected(const std::string& path) const;

  ArrangeSettings settings_;
  std::string output_;  // -o as given; "-" = stdout
  std::string staging_;
  std::vector<std::string> protected_;  // inputs, rejects, report
  std::vector<std::unique_ptr<Writer>> writers_;
};

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_ARRANGE_H_
