// The stage interface and the registry of stages.
//
// A row-local stage looks at one row and adds findings; it runs on several
// threads at once, so Process() must not mutate shared state (per-thread
// caches are fine). A cross-row stage sees every row once, in input order,
// on one thread.
#ifndef LEADCLEAN_STAGE_H_
#define LEADCLEAN_STAGE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadclean/record.h"
#include "leadclean/rules.h"

namespace leadclean {

struct Options;

// What a factory gets to build a stage.
struct StageContext {
  const Options* options = nullptr;
  const RuleFiles* rules = nullptr;
  const Schema* schema = nullptr;
};

class Stage {
 public:
  virtual ~Stage() = default;
  // Row-local: called concurrently for different rows.
  virtual void Process(const RowView& row, Findings* findings) const = 0;
  // Adds this stage's own figures to the report (optional).
  virtual void Report(nlohmann::json* /*stage_report*/) const {}
  // A stage that waits on slow I/O per distinct value (the email stage's
  // --check-mx DNS lookups) returns true; BeginBatch() then sees every
  // well-formed row of a batch, on the thread that will Process() them,
  // before any of them is processed, so it can start all the work at once.
  virtual bool WantsBatch() const { return false; }
  virtual void BeginBatch(std::span<const RowView> /*rows*/) const {}
};

// A set of row numbers (a bitmap: one bit per row).
class RowSet {
 public:
  void Add(uint64_t row) {
    if (row / 64 >= bits_.size()) {
      bits_.resize(row / 64 + 1, 0);
    }
    bits_[row / 64] |= uint64_t{1} << (row % 64);
  }
  bool Contains(uint64_t row) const {
    return row / 64 < bits_.size() && (bits_[row / 64] >> (row % 64)) & 1;
  }

 private:
  std::vector<uint64_t> bits_;
};

class CrossStage {
 public:
  virtual ~CrossStage() = default;
  // Called once per row, in input order, after every row-local stage.
  virtual void Process(const RowView& row, Findings* findings) = 0;
  // A stage that must see every row before deciding (bursts, the newest
  // survivor) returns true. The pipeline then makes a first pass over all
  // inputs (stdin is spooled to a temp file), calling Prepass() for every
  // row in input order with the row-local findings, before the pass that
  // calls Process().
  virtual bool NeedsPrepass() const { return false; }
  virtual void Prepass(const RowView& /*row*/, const Findings& /*findings*/) {}
  // Prepass() runs serially, so a stage may split off the part that looks
  // at one row only (folding, hashing, parsing times): PrepareRow() runs on
  // any thread, in any order, after the row-local stages, and what it
  // appends to `*prepared` is handed to PrepassPrepared() for the same row,
  // in input order. The default PrepassPrepared() calls Prepass().
  virtual bool PreparesRows() const { return false; }
  virtual void PrepareRow(const RowView& /*row*/, const Findings& /*findings*/,
                          std::string* /*prepared*/) const {}
  virtual void PrepassPrepared(const RowView& row, const Findings& findings,
                               std::string_view /*prepared*/) {
    Prepass(row, findings);
  }
  // Called once after the first pass, in registry order. A stage adds the
  // rows it will reject to `rejected_later`; a later stage (dedup) reads it,
  // so a row that will be rejected as a bot never becomes a survivor.
  virtual void FinishPrepass(RowSet* /*rejected_later*/) {}
  virtual void Report(nlohmann::json* /*stage_report*/) const {}
};

enum class StageKind { kRowLocal, kCrossRow };

// One entry of the registry. Exactly one factory is set, per `kind`. A
// factory returns nullptr and sets `*error` ("path:line: message") when its
// rule tables are bad.
struct StageInfo {
  std::string_view name;
  std::string_view help;
  StageKind kind;
  std::unique_ptr<Stage> (*make_local)(const StageContext&, std::string*);
  std::unique_ptr<CrossStage> (*make_cross)(const StageContext&,
                                            std::string*);
  // True when the stage may ask for a first pass (NeedsPrepass); stdin is
  // then spooled to a temp file so it can be read twice.
  bool may_need_prepass = false;
};

// The one table of stages, in the order they run.
const std::vector<StageInfo>& StageRegistry();

// Factories, one per stage file.
std::unique_ptr<Stage> MakeNameStage(const StageContext&, std::string*);
std::unique_ptr<Stage> MakePhoneStage(const StageContext&, std::string*);
std::unique_ptr<Stage> MakeEmailStage(const StageContext&, std::string*);
std::unique_ptr<Stage> MakeFakeStage(const StageContext&, std::string*);
std::unique_ptr<Stage> MakeNoContactStage(const StageContext&, std::string*);
std::unique_ptr<Stage> MakeMatchKeysStage(const StageContext&, std::string*);
std::unique_ptr<Stage> MakeScoreStage(const StageContext&, std::string*);
std::unique_ptr<Stage> MakeCallWindowStage(const StageContext&, std::string*);
std::unique_ptr<CrossStage> MakeBotStage(const StageContext&, std::string*);
std::unique_ptr<CrossStage> MakeDedupStage(const StageContext&, std::string*);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGE_H_
