// The clean pipeline: read batches in order, run row-local stages on them in
// parallel, cross-row stages in order, format in parallel and write in
// order (oneTBB parallel_pipeline). Every data row read leaves through
// exactly one writer; RunStats counts them so the report can prove it.
#include "leadclean/pipeline.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <tuple>
#include <unordered_map>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>

#include "core/arrange.h"
#include "core/atomic_file.h"
#include "core/progress.h"
#include "csv/encoding.h"
#include "core/spill.h"
#include "core/temp_file.h"
#include "leadclean/report.h"
#include "leadclean/roles.h"
#include "leadclean/stage.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

using Clock = std::chrono::steady_clock;
using RoleColumns = std::array<std::vector<int>, static_cast<int>(Role::kCount)>;

struct Input {
  std::string path;       // as given; "-" is stdin
  std::string open_path;  // what is opened: the spool file for stdin
  std::unique_ptr<CsvReader> reader;
  std::vector<std::string> header;
  std::vector<int> to_schema;  // input column -> schema column
  InputStats stats;
};

// One data row of a batch. Its fields lie in its chunk or in Batch::bytes
// (see in_segment).
struct PendingRow {
  uint64_t row = 0;
  int input = 0;
  uint64_t line = 0;
  uint64_t byte_offset = 0;
  uint32_t first_span = 0;
  uint32_t num_spans = 0;
  // Where the spans point: into segments[in_segment].chunk.bytes, where the
  // reader left an unquoted record's fields, or (kInBytes) into Batch::bytes.
  uint32_t in_segment = 0;
  std::string error;  // non-empty: malformed
  uint32_t raw_begin = 0;
  uint32_t raw_length = 0;
  bool raw_truncated = false;
};

// What the serial read hands to the parallel split, in input order: a chunk
// of records, or one record already read.
struct Segment {
  int input = 0;
  uint64_t first_row = 0;
  CsvChunk chunk;
  // A record NextChunk() read with care, kept until the batch is split.
  std::unique_ptr<OwnedCsvRecord> careful;
};

// One batch's findings in the spill file.
struct SpillChunk {
  uint64_t rows = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

constexpr uint32_t kInBytes = UINT32_MAX;

struct Batch {
  // Split into `rows` by SplitBatch; kept until the batch is done, since
  // rows' fields may point into their chunks.
  std::vector<Segment> segments;
  uint64_t row_count = 0;
  std::string split_error;  // a chunk split into other records than counted
  std::string bytes;
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // offset, length
  // Each row's fields lined up with the schema (rows x schema width), built
  // once the batch's bytes are final; a malformed row's are empty.
  std::vector<std::string_view> fields;
  size_t width = 0;
  std::vector<PendingRow> rows;
  std::vector<Findings> findings;
  std::string cleaned;
  std::string rejects;
  uint64_t cleaned_at = 0;  // where WriteBatch placed them
  uint64_t rejects_at = 0;
  // Per cross-row stage: what PrepareRow() gave each row, back to back, and
  // where each row's part ends.
  std::vector<std::string> prepared;
  std::vector<std::vector<uint32_t>> prepared_ends;
  SpillChunk spill_at;      // where they are in the spill file
  std::string spill_error;  // writing or reading them failed
  bool corrupt = false;  // the spill chunk did not decode
  RunStats stats;

  // Empties the batch for reuse, keeping its buffers (see TakeBatch).
  // `findings` keeps its size; SplitBatch clears the ones it uses.
  void Reset() {
    segments.clear();
    row_count = 0;
    split_error.clear();
    bytes.clear();
    spans.clear();
    fields.clear();
    width = 0;
    rows.clear();
    cleaned.clear();
    rejects.clear();
    cleaned_at = 0;
    rejects_at = 0;
    prepared.clear();
    prepared_ends.clear();
    spill_at = {};
    spill_error.clear();
    corrupt = false;
    stats = RunStats();
  }

  uint32_t Append(std::string_view text) {
    auto offset = static_cast<uint32_t>(bytes.size());
    bytes.append(text);
    return offset;
  }

  // The bytes a row's spans are offsets into.
  std::string_view SpanBase(const PendingRow& row) const {
    return row.in_segment == kInBytes
               ? std::string_view(bytes)
               : std::string_view(segments[row.in_segment].chunk.bytes);
  }
};

constexpr size_t kBatchBytes = 8u << 20;

// stdin copied to a temp file (see SpoolStdin); removed when the run ends.
struct Spool {
  std::string path;
  ~Spool() {
    if (!path.empty()) {
      std::remove(path.c_str());
      UnregisterTempFile(path);
    }
  }
};

// Everything a run shares between the filters.
struct Run {
  const Options* options = nullptr;
  std::vector<Input> inputs;
  Schema schema;
  RoleColumns role_columns;
  std::vector<std::unique_ptr<Stage>> local_stages;
  std::vector<std::unique_ptr<CrossStage>> cross_stages;
  std::vector<std::string> local_names;
  std::vector<std::string> cross_names;
  int source_column = -1;
  size_t current_input = 0;
  uint64_t next_row = 1;
  AtomicFile cleaned;
  AtomicFile rejects;
  AtomicFile report;
  Spool spool;
  // The first pass's findings, when there are two passes (see spill.h).
  SpillFile spill;
  std::vector<SpillChunk> spill_index;  // batch by batch, in input order
  size_t spill_next = 0;                // the second pass's next batch
  bool two_pass = false;
  std::string error;
  ExitCode error_code = ExitCode::kOk;
  // An output write that failed on a worker (WriteBatchAt); Fail()ed with
  // kOutput once the pipeline is done.
  std::mutex worker_error_mutex;
  std::string worker_error;
  // Finished batches, kept for reuse so that their strings and vectors
  // (a few thousand Findings each) are not allocated again.
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<Batch>> pool;
  RunStats stats;
  Arranger arranger;  // --sort / --split-by: a post-pass over the cleaned CSV
  Progress* progress = nullptr;              // null: no progress line
  mutable std::atomic<uint64_t> mojibake_cells{0};
};

void Fail(Run* run, ExitCode code, const std::string& message) {
  if (run->error.empty()) {
    run->error = message;
    run->error_code = code;
  }
}

// ---- Setup ----------------------------------------------------------------

bool OpenInput(const Options& options, Input* input, std::string* error) {
  input->header.clear();
  std::unique_ptr<ByteSource> source = OpenByteSource(input->open_path, error);
  if (!source) {
    return false;
  }
  input->reader = std::make_unique<CsvReader>(std::move(source), options.csv);
  CsvRecord header;
  if (input->reader->Next(&header)) {
    if (!header.error.empty()) {
      *error = input->path + ":" + std::to_string(header.line) +
               ": header: " + header.error;
      return false;
    }
    for (std::string_view field : header.fields) {
      input->header.emplace_back(field);
    }
  } else if (!input->reader->io_error().empty()) {
    *error = input->reader->io_error();
    return false;
  }
  return true;
}

// Whether --stages selects the stage called `name`.
bool StageSelected(const Options& options, std::string_view name) {
  return options.stages.empty() ||
         std::find(options.stages.begin(), options.stages.end(), name) !=
             options.stages.end();
}

// Checks --stages against the registry.
bool CheckStageNames(const Options& options, std::string* error) {
  if (options.stages.size() == 1 && options.stages[0] == "none") {
    return true;
  }
  std::string known;
  for (const StageInfo& info : StageRegistry()) {
    known += (known.empty() ? "" : ", ") + std::string(info.name);
  }
  for (const std::string& name : options.stages) {
    bool found = std::any_of(
        StageRegistry().begin(), StageRegistry().end(),
        [&](const StageInfo& info) { return info.name == name; });
    if (!found) {
      *error = "--stages: unknown stage '" + name + "' (stages: " + known +
               ", or none)";
      return false;
    }
  }
  return true;
}

bool MayNeedPrepass(const Options& options) {
  for (const StageInfo& info : StageRegistry()) {
    if (info.may_need_prepass && StageSelected(options, info.name)) {
      return true;
    }
  }
  return false;
}

bool SpoolStdin(Spool* spool, std::string* path, std::string* error) {
  spool->path = TempDir() + "/leadclean-stdin-XXXXXX";
  int fd = mkstemp(spool->path.data());
  if (fd < 0) {
    *error = spool->path + ": " + std::strerror(errno);
    spool->path.clear();
    return false;
  }
  RegisterTempFile(spool->path);
  std::vector<char> buffer(1 << 20);
  ssize_t n;
  bool ok = true;
  while ((n = read(STDIN_FILENO, buffer.data(), buffer.size())) != 0) {
    if (n < 0 && errno == EINTR) {
      continue;
    }
    ok = n > 0 && write(fd, buffer.data(), n) == n;
    if (!ok) {
      break;
    }
  }
  ok = (close(fd) == 0) && ok;
  if (!ok) {
    *error = "stdin: cannot spool to " + spool->path + ": " + std::strerror(errno);
    return false;
  }
  *path = spool->path;
  return true;
}

// Opens every input again for the second pass.
bool RewindInputs(Run* run, std::string* error) {
  run->current_input = 0;
  run->next_row = 1;
  for (Input& input : run->inputs) {
    input.stats = InputStats{};
    input.stats.path = input.path;
    if (!OpenInput(*run->options, &input, error)) {
      return false;
    }
  }
  return true;
}

bool AnyPrepass(const Run& run) {
  for (const auto& stage : run.cross_stages) {
    if (stage->NeedsPrepass()) {
      return true;
    }
  }
  return false;
}

// Columns are matched across inputs by name and occurrence, so a second
// "Phone" column lines up with the second "Phone" of another file.
void AddToSchema(Input* input, Schema* schema) {
  // name -> schema columns of that name, in order
  std::unordered_map<std::string, std::vector<int>> columns;
  for (int i = 0; i < schema->size(); ++i) {
    columns[schema->names[i]].push_back(i);
  }
  std::unordered_map<std::string, size_t> seen_here;
  for (const std::string& name : input->header) {
    size_t occurrence = seen_here[name]++;
    std::vector<int>& same = columns[name];
    if (occurrence >= same.size()) {
      schema->names.push_back(name);
      same.push_back(schema->size() - 1);
    }
    input->to_schema.push_back(same[occurrence]);
  }
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool CheckOutputs(const Options& options, const std::string& rejects_path,
                  std::string* error) {
  std::vector<std::string> outputs = {options.output, rejects_path,
                                      options.report};
  for (const std::string& out : outputs) {
    if (out.empty() || out == "-") {
      continue;
    }
    for (const std::string& in : options.inputs) {
      if (in != "-" && SameFile(in, out)) {
        *error = out + ": refusing to overwrite an input file";
        return false;
      }
    }
  }
  if (!options.output.empty() && options.output != "-" &&
      options.output == rejects_path) {
    *error = rejects_path + ": cleaned and rejects outputs are the same file";
    return false;
  }
  return true;
}

bool BuildStages(Run* run, const RuleFiles& rules, std::string* error) {
  StageContext context{run->options, &rules, &run->schema};
  if (!CheckStageNames(*run->options, error)) {
    return false;
  }
  for (const StageInfo& info : StageRegistry()) {
    if (!StageSelected(*run->options, info.name)) {
      continue;
    }
    if (info.kind == StageKind::kRowLocal) {
      auto stage = info.make_local(context, error);
      if (!stage) {
        return false;
      }
      run->local_stages.push_back(std::move(stage));
      run->local_names.emplace_back(info.name);
    } else {
      auto stage = info.make_cross(context, error);
      if (!stage) {
        return false;
      }
      run->cross_stages.push_back(std::move(stage));
      run->cross_names.emplace_back(info.name);
    }
  }
  return true;
}

std::vector<std::string_view> CleanedHeader(const Schema& schema) {
  std::vector<std::string_view> header(schema.names.begin(),
                                       schema.names.end());
  header.push_back("lc_row");
  for (int i = 0; i < kOutCount; ++i) {
    header.push_back(OutName(static_cast<Out>(i)));
    if (i == static_cast<int>(kLastBeforeCluster)) {
      header.push_back("lc_cluster");
      header.push_back("lc_flags");
    }
  }
  return header;
}

std::vector<std::string_view> RejectsHeader(const Schema& schema) {
  std::vector<std::string_view> header(schema.names.begin(),
                                       schema.names.end());
  for (std::string_view name :
       {"lc_row", "lc_reason", "lc_rule", "lc_duplicate_of", "lc_detail",
        "lc_raw", "lc_cluster", "lc_flags"}) {
    header.push_back(name);
  }
  return header;
}

// ---- Reading --------------------------------------------------------------

// Adds a record to the batch. The record's fields are used where they are
// when they lie in `chunk` (segment `segment`'s bytes), and copied into
// Batch::bytes otherwise.
void AddRecord(const CsvRecord& record, int input_index, const Input& input,
               uint64_t row, std::string_view chunk, uint32_t segment,
               Batch* batch) {
  PendingRow pending;
  pending.row = row;
  pending.input = input_index;
  pending.line = record.line;
  pending.byte_offset = record.byte_offset;
  pending.error = record.error;
  if (pending.error.empty() && record.fields.size() != input.header.size()) {
    pending.error = "expected " + std::to_string(input.header.size()) +
                    " fields, found " + std::to_string(record.fields.size());
  }
  if (!pending.error.empty()) {
    pending.raw_begin = batch->Append(record.raw);
    pending.raw_length = static_cast<uint32_t>(record.raw.size());
    pending.raw_truncated = record.raw_truncated;
  } else {
    pending.first_span = static_cast<uint32_t>(batch->spans.size());
    pending.num_spans = static_cast<uint32_t>(record.fields.size());
    // The reader's fields lie in order in one range (a byte apart): in the
    // chunk, used where they are; elsewhere (quoted fields the reader
    // unquoted, a careful record), one copy of the range and spans into it.
    const char* first =
        record.fields.empty() ? nullptr : record.fields.front().data();
    const char* last = first;
    for (std::string_view field : record.fields) {
      if (field.data() < last) {
        last = nullptr;
        break;
      }
      last = field.data() + field.size();
    }
    if (first != nullptr && last != nullptr && !chunk.empty() &&
        first >= chunk.data() &&
        last <= chunk.data() + chunk.size()) {
      pending.in_segment = segment;
      for (std::string_view field : record.fields) {
        batch->spans.emplace_back(static_cast<uint32_t>(field.data() - chunk.data()),
                                  static_cast<uint32_t>(field.size()));
      }
    } else if (first != nullptr && last != nullptr) {
      pending.in_segment = kInBytes;
      const uint32_t base = batch->Append(std::string_view(first, last - first));
      for (std::string_view field : record.fields) {
        batch->spans.emplace_back(base + static_cast<uint32_t>(field.data() - first),
                                  static_cast<uint32_t>(field.size()));
      }
    } else {
      pending.in_segment = kInBytes;
      for (std::string_view field : record.fields) {
        uint32_t offset = batch->Append(field);
        batch->spans.emplace_back(offset, static_cast<uint32_t>(field.size()));
      }
    }
  }
  batch->rows.push_back(std::move(pending));
}

// AddRecord for a record CsvChunkReader left in place: its `count` fields
// are already the last spans of the batch, offsets in segment `segment`.
void AddInPlaceRecord(const CsvRecord& record, size_t count, int input_index,
                      const Input& input, uint64_t row, uint32_t segment,
                      Batch* batch) {
  PendingRow& pending = batch->rows.emplace_back();
  pending.row = row;
  pending.input = input_index;
  pending.line = record.line;
  pending.byte_offset = record.byte_offset;
  const size_t first = batch->spans.size() - count;
  if (count != input.header.size()) {
    batch->spans.resize(first);
    pending.error = "expected " + std::to_string(input.header.size()) +
                    " fields, found " + std::to_string(count);
    pending.raw_begin = batch->Append(record.raw);
    pending.raw_length = static_cast<uint32_t>(record.raw.size());
    pending.raw_truncated = record.raw_truncated;
    return;
  }
  pending.first_span = static_cast<uint32_t>(first);
  pending.num_spans = static_cast<uint32_t>(count);
  pending.in_segment = segment;
}

void FinishInput(Input* input) {
  input->stats.encoding = input->reader->encoding();
  input->stats.bom = input->reader->had_bom();
  input->stats.delimiter = input->reader->delimiter();
  input->stats.blank_lines = input->reader->blank_lines();
  input->stats.bytes = input->reader->bytes_read();
  input->stats.encoding_confidence = input->reader->encoding_confidence();
  input->stats.encoding_method = input->reader->encoding_method();
}

std::unique_ptr<Batch> TakeBatch(Run* run) {
  std::lock_guard<std::mutex> lock(run->pool_mutex);
  if (run->pool.empty()) {
    return std::make_unique<Batch>();
  }
  std::unique_ptr<Batch> batch = std::move(run->pool.back());
  run->pool.pop_back();
  return batch;
}

// Ends a batch's trip through the pipeline: back to the pool, unless it
// grew past a normal batch (a huge record), whose memory is let go.
void ReturnBatch(Run* run, Batch* batch) {
  std::unique_ptr<Batch> owned(batch);
  if (owned->bytes.capacity() > 2 * kBatchBytes) {
    return;
  }
  owned->Reset();
  std::lock_guard<std::mutex> lock(run->pool_mutex);
  run->pool.push_back(std::move(owned));
}

// Reads the next batch, or returns nullptr at the end of all inputs. This
// runs serially, so it only cuts chunks of whole records (NextChunk); the
// records are split into fields in parallel by SplitBatch.
Batch* ReadBatch(Run* run) {
  std::unique_ptr<Batch> batch = TakeBatch(run);
  size_t bytes = 0;
  CsvRecord careful;
  while (run->current_input < run->inputs.size() &&
         batch->row_count < run->options->batch_rows && bytes < kBatchBytes) {
    Input& input = run->inputs[run->current_input];
    Segment segment;
    if (!input.reader->NextChunk(kBatchBytes - bytes,
                                 run->options->batch_rows - batch->row_count,
                                 &segment.chunk, &careful)) {
      if (!input.reader->io_error().empty()) {
        Fail(run, ExitCode::kInput, input.reader->io_error());
      }
      FinishInput(&input);
      ++run->current_input;
      continue;
    }
    const uint64_t records = segment.chunk.records;
    segment.input = static_cast<int>(run->current_input);
    segment.first_row = run->next_row;
    if (records == 0) {
      segment.careful = std::make_unique<OwnedCsvRecord>(OwnedCsvRecord::Of(careful));
    }
    const uint64_t rows = records == 0 ? 1 : records;
    bytes += segment.chunk.bytes.size();
    input.stats.rows += rows;
    run->next_row += rows;
    batch->row_count += rows;
    batch->segments.push_back(std::move(segment));
  }
  if (run->progress != nullptr) {  // once per batch: a few atomic stores
    const size_t at = run->current_input;
    run->progress->Update(at, at < run->inputs.size() ? run->inputs[at].reader->source_bytes() : 0, batch->row_count);
  }
  if (batch->row_count == 0) {
    ReturnBatch(run, batch.release());
    return nullptr;
  }
  return batch.release();
}

// Splits the batch's chunks into rows, in parallel with other batches.
// `clear_findings`: start every row's Findings empty (the second pass
// decodes them from the spill instead, which sets every member).
void SplitBatch(const Run& run, Batch* batch, bool clear_findings) {
  batch->rows.reserve(batch->row_count);
  batch->spans.reserve(batch->row_count * run.schema.size());
  CsvRecord record;
  for (uint32_t s = 0; s < batch->segments.size(); ++s) {
    Segment& segment = batch->segments[s];
    const Input& input = run.inputs[segment.input];
    if (segment.careful) {
      segment.careful->ViewAs(&record);
      AddRecord(record, segment.input, input, segment.first_row, {}, s, batch);
      continue;
    }
    const uint64_t expected = segment.chunk.records;
    CsvChunkReader reader(&segment.chunk);
    uint64_t found = 0;
    size_t in_place = 0;
    while (reader.Next(&record, &batch->spans, &in_place)) {
      if (in_place != 0) {
        AddInPlaceRecord(record, in_place, segment.input, input,
                         segment.first_row + found, s, batch);
      } else {
        AddRecord(record, segment.input, input, segment.first_row + found,
                  segment.chunk.bytes, s, batch);
      }
      ++found;
    }
    if (found != expected) {
      batch->split_error = "a chunk of input " + input.path + " split into " +
                           std::to_string(found) + " records, not " +
                           std::to_string(expected);
    }
  }
  batch->findings.resize(batch->rows.size());
  if (clear_findings) {
    for (Findings& findings : batch->findings) {
      findings.Clear();
    }
  }
  batch->width = run.schema.size();
  batch->fields.assign(batch->rows.size() * batch->width, std::string_view());
  for (size_t r = 0; r < batch->rows.size(); ++r) {
    const PendingRow& row = batch->rows[r];
    const std::string_view bytes = batch->SpanBase(row);
    const std::vector<int>& to_schema = run.inputs[row.input].to_schema;
    std::string_view* out = &batch->fields[r * batch->width];
    const CsvSpan* spans = batch->spans.data() + row.first_span;
    for (uint32_t i = 0; i < row.num_spans; ++i) {
      out[to_schema[i]] =
          std::string_view(bytes.data() + spans[i].first, spans[i].second);
    }
  }
}

// ---- Processing -----------------------------------------------------------

// Row `i` of the batch, its fields lined up with the schema.
RowView MakeView(const Run& run, const Batch& batch, size_t i) {
  RowView view;
  view.row = batch.rows[i].row;
  view.schema = &run.schema;
  view.fields = std::span<const std::string_view>(
      batch.fields.data() + i * batch.width, batch.width);
  view.role_columns = &run.role_columns;
  return view;
}

std::string MalformedDetail(const PendingRow& row) {
  std::string detail = "line " + std::to_string(row.line) + ", byte " +
                       std::to_string(row.byte_offset) + ": " + row.error;
  if (row.raw_truncated) {
    detail += " (raw text cut to its first 4096 bytes)";
  }
  return detail;
}

// A row's fields sit back to back in the batch, so one check covers them.
std::string_view RowBytes(const Batch& batch, const PendingRow& row) {
  if (row.num_spans == 0) {
    return {};
  }
  const auto& last = batch.spans[row.first_span + row.num_spans - 1];
  uint32_t begin = batch.spans[row.first_span].first;
  return batch.SpanBase(row)
      .substr(begin, last.first + last.second - begin);
}

// Shows the whole batch to the stages that ask for it (Stage::WantsBatch,
// e.g. --check-mx) before any of its rows is processed.
void BeginBatch(const Run& run, const Batch& batch) {
  if (std::none_of(run.local_stages.begin(), run.local_stages.end(),
                   [](const auto& stage) { return stage->WantsBatch(); })) {
    return;
  }
  std::vector<RowView> views;
  for (size_t i = 0; i < batch.rows.size(); ++i) {
    if (batch.rows[i].error.empty()) {
      views.push_back(MakeView(run, batch, i));
    }
  }
  for (const auto& stage : run.local_stages) {
    if (stage->WantsBatch()) {
      stage->BeginBatch(views);
    }
  }
}

void RunLocalStages(const Run& run, Batch* batch) {
  BeginBatch(run, *batch);
  std::vector<std::string_view> scratch;
  std::vector<std::string> repaired;  // --fix-mojibake
  for (size_t i = 0; i < batch->rows.size(); ++i) {
    const PendingRow& row = batch->rows[i];
    Findings& findings = batch->findings[i];
    if (!row.error.empty()) {
      findings.Reject(Reason::kMalformed, "malformed", MalformedDetail(row));
      continue;
    }
    RowView view = MakeView(run, *batch, i);
    const std::string_view bytes = RowBytes(*batch, row);
    if (!IsValidUtf8(bytes)) {
      findings.Flag("invalid_utf8");
    } else if (MayHoldMojibake(bytes)) {
      // With --fix-mojibake the stages see the repaired cells (scratch);
      // the original columns are still written from the batch as read.
      scratch.assign(view.fields.begin(), view.fields.end());
      if (size_t cells = FindMojibakeCells(scratch, run.options->fix_mojibake, &repaired)) {
        findings.Flag("mojibake");
        run.mojibake_cells.fetch_add(cells, std::memory_order_relaxed);
        view.fields = scratch;
      }
    }
    for (const auto& stage : run.local_stages) {
      stage->Process(view, &findings);
    }
  }
}

// The first pass: the batch's findings, encoded and written to the spill
// file; where they went is kept in batch->spill_at.
void EncodeBatch(Run* run, Batch* batch) {
  const std::string_view chunk = EncodeFindings(batch->findings);
  batch->spill_at.rows = batch->rows.size();
  batch->spill_at.size = chunk.size();
  run->spill.Write(chunk, &batch->spill_at.offset, &batch->spill_error);
}

// The second pass: the batch's findings, read back from batch->spill_at; a
// chunk that does not decode marks the batch corrupt.
void DecodeBatch(const Run& run, Batch* batch) {
  std::string_view chunk;
  if (run.spill.Read(batch->spill_at.offset, batch->spill_at.size, &chunk,
                     &batch->spill_error)) {
    batch->corrupt = !DecodeFindings(chunk, batch->findings);
  }
}

void RunCrossStages(Run* run, Batch* batch) {
  for (size_t i = 0; i < batch->rows.size(); ++i) {
    const PendingRow& row = batch->rows[i];
    if (!row.error.empty()) {
      continue;
    }
    RowView view = MakeView(*run, *batch, i);
    for (const auto& stage : run->cross_stages) {
      stage->Process(view, &batch->findings[i]);
    }
  }
}

// lc_score of a kept row, when the score stage set one.
std::optional<int> ScoreOf(const Findings& findings) {
  const std::string& text = findings.Col(Out::kScore);
  if (findings.rejected() || text.empty()) {
    return std::nullopt;
  }
  return std::clamp(std::atoi(text.c_str()), 0, 100);
}

void CountScore(int score, const std::string& temperature, ScoreStats* s) {
  ++s->histogram[std::min(score / 10, 9)];
  ++s->scored;
  s->sum += score;
  s->hot += temperature == "hot";
  s->warm += temperature == "warm";
  s->cold += temperature == "cold";
}

// map[key], without making a std::string when `key` is already there.
template <typename Map>
typename Map::mapped_type& CountIn(Map& map, std::string_view key) {
  auto at = map.find(key);
  if (at == map.end()) {
    at = map.emplace(std::string(key), typename Map::mapped_type()).first;
  }
  return at->second;
}

void CountRow(const Run& run, const RowView* view, const Findings& findings,
              RunStats* stats) {
  ++stats->rows_in;
  int reason = static_cast<int>(findings.reason);
  if (findings.rejected()) {
    ++stats->rejected;
    ++stats->by_reason[reason];
    ++CountIn(stats->by_rule, findings.rule);
  } else {
    ++stats->cleaned;
  }
  std::string_view flags = findings.flags;
  while (!flags.empty()) {
    size_t end = std::min(flags.find(';'), flags.size());
    ++CountIn(stats->by_flag, flags.substr(0, end));
    flags.remove_prefix(std::min(end + 1, flags.size()));
  }
  std::optional<int> score = ScoreOf(findings);
  if (score) {
    CountScore(*score, findings.Col(Out::kTemperature), &stats->scores);
  }
  if (run.source_column >= 0) {
    std::string_view source = view ? Trim(view->fields[run.source_column]) : "";
    SourceStats& s = CountIn(stats->by_source, source.empty() ? "(none)" : source);
    ++s.rows;
    findings.rejected() ? ++s.rejected[reason] : ++s.cleaned;
    if (score) {
      ++s.scored;
      s.score_sum += *score;
      s.hot += findings.Col(Out::kTemperature) == "hot";
    }
  }
}

// Keeps the first few rejected rows of each reason for the report.
void SampleRejected(const Run& run, const RowView* view, std::string_view raw,
                    const Findings& findings, RunStats* stats) {
  auto& samples = stats->samples[static_cast<int>(findings.reason)];
  if (samples.size() >= kSamplesPerReason) {
    return;
  }
  constexpr size_t kMaxValue = 200;
  SampleRow sample{view ? view->row : 0, findings.rule, findings.detail, {}};
  if (view) {
    for (int i = 0; i < run.schema.size(); ++i) {
      sample.values.emplace_back(
          run.schema.names[i],
          std::string(view->fields[i].substr(0, kMaxValue)));
    }
  } else {
    sample.values.emplace_back("lc_raw", std::string(raw.substr(0, kMaxValue)));
  }
  samples.push_back(std::move(sample));
}

// Writes one output record: `read` (the row's columns, views into
// `source`, its bytes as read, so the columns found there side by side are
// copied in one piece) and then `added`.
void AppendRecord(const Run& run, std::span<const std::string_view> read,
                  std::string_view source,
                  std::span<const std::string_view> added, std::string* out,
                  RunStats* stats) {
  stats->cells_neutralised += AppendCsvRecordFrom(
      read, source, added, run.options->excel_safe, out);
}

// Decimal text of a row number or cluster id (empty for 0 when `blank_zero`),
// in `buffer`.
std::string_view Number(uint64_t value, bool blank_zero, char (&buffer)[24]) {
  if (value == 0 && blank_zero) {
    return {};
  }
  return std::string_view(buffer, std::to_chars(buffer, buffer + 24, value).ptr - buffer);
}

void FormatCleaned(const Run& run, const RowView& view, std::string_view source,
                   const Findings& findings, std::string* out, RunStats* stats) {
  char row_number[24], cluster[24];
  std::array<std::string_view, kOutCount + 3> added;
  auto next = added.begin();
  *next++ = Number(view.row, false, row_number);
  for (int i = 0; i < kOutCount; ++i) {
    *next++ = findings.out[i];
    if (i == static_cast<int>(kLastBeforeCluster)) {
      *next++ = Number(findings.cluster, true, cluster);
      *next++ = findings.flags;
    }
  }
  AppendRecord(run, view.fields, source, added, out, stats);
}

// A malformed row (no `view`) gets empty columns and its raw text.
void FormatRejected(const Run& run, const Batch& batch, const PendingRow& row,
                    const RowView* view, const Findings& findings,
                    std::vector<std::string_view>* empty, std::string* out,
                    RunStats* stats) {
  char row_number[24], duplicate_of[24], cluster[24];
  std::string_view raw =
      std::string_view(batch.bytes).substr(row.raw_begin, row.raw_length);
  const std::array<std::string_view, 8> added = {
      Number(row.row, false, row_number),
      ReasonName(findings.reason),
      findings.rule,
      Number(findings.duplicate_of, true, duplicate_of),
      findings.detail,
      row.error.empty() ? std::string_view() : raw,
      Number(findings.cluster, true, cluster),
      findings.flags};
  if (view) {
    AppendRecord(run, view->fields, RowBytes(batch, row), added, out, stats);
  } else {
    empty->assign(run.schema.size(), std::string_view());
    AppendRecord(run, *empty, {}, added, out, stats);
  }
  SampleRejected(run, view, raw, findings, stats);
}

void FormatBatch(const Run& run, Batch* batch) {
  std::vector<std::string_view> empty;  // a malformed row's columns
  for (size_t i = 0; i < batch->rows.size(); ++i) {
    const PendingRow& row = batch->rows[i];
    const Findings& findings = batch->findings[i];
    std::optional<RowView> view;
    if (row.error.empty()) {
      view = MakeView(run, *batch, i);
    }
    const RowView* view_ptr = view ? &*view : nullptr;
    CountRow(run, view_ptr, findings, &batch->stats);
    if (findings.rejected()) {
      FormatRejected(run, *batch, row, view_ptr, findings, &empty,
                     &batch->rejects, &batch->stats);
    } else {
      FormatCleaned(run, *view, RowBytes(*batch, row), findings,
                    &batch->cleaned, &batch->stats);
    }
  }
}

// Serial, in order: merges the counts and places the batch's text in the
// outputs. A positional output only gets its bytes reserved here, and
// WriteBatchAt() writes them on a worker; any other is written now.
void WriteBatch(Run* run, Batch* batch) {
  std::string error;
  for (auto [file, text, at] :
       {std::tuple{&run->cleaned, &batch->cleaned, &batch->cleaned_at},
        std::tuple{&run->rejects, &batch->rejects, &batch->rejects_at}}) {
    if (file->positional()) {
      *at = file->Reserve(text->size());
    } else if (!file->Write(*text, &error)) {
      Fail(run, ExitCode::kOutput, error);
    }
  }
  run->stats.Merge(batch->stats);
}

void WriteBatchAt(Run* run, Batch* batch) {
  std::string error;
  if ((run->cleaned.positional() &&
       !run->cleaned.WriteAt(batch->cleaned, batch->cleaned_at, &error)) ||
      (run->rejects.positional() &&
       !run->rejects.WriteAt(batch->rejects, batch->rejects_at, &error))) {
    std::lock_guard<std::mutex> lock(run->worker_error_mutex);
    if (run->worker_error.empty()) {
      run->worker_error = error;
    }
  }
}

int ThreadCount(const Options& options) {
  int cores = oneapi::tbb::info::default_concurrency();
  return options.threads > 0 ? options.threads : std::max(1, cores);
}

// The parallel half of the first pass's cross-row work (PrepareRow).
void PrepareRows(const Run& run, Batch* batch) {
  const size_t stages = run.cross_stages.size();
  batch->prepared.assign(stages, std::string());
  batch->prepared_ends.assign(stages, std::vector<uint32_t>());
  for (size_t s = 0; s < stages; ++s) {
    const CrossStage& stage = *run.cross_stages[s];
    if (!stage.NeedsPrepass() || !stage.PreparesRows()) {
      continue;
    }
    std::string& prepared = batch->prepared[s];
    std::vector<uint32_t>& ends = batch->prepared_ends[s];
    ends.resize(batch->rows.size());
    for (size_t i = 0; i < batch->rows.size(); ++i) {
      if (batch->rows[i].error.empty()) {
        stage.PrepareRow(MakeView(run, *batch, i), batch->findings[i],
                         &prepared);
      }
      ends[i] = static_cast<uint32_t>(prepared.size());
    }
  }
}

void RunPrepass(Run* run, Batch* batch) {
  for (size_t i = 0; i < batch->rows.size(); ++i) {
    const PendingRow& row = batch->rows[i];
    if (!row.error.empty()) {
      continue;
    }
    RowView view = MakeView(*run, *batch, i);
    for (size_t s = 0; s < run->cross_stages.size(); ++s) {
      CrossStage& stage = *run->cross_stages[s];
      if (!stage.NeedsPrepass()) {
        continue;
      }
      const std::vector<uint32_t>& ends = batch->prepared_ends[s];
      std::string_view prepared;
      if (!ends.empty()) {
        const uint32_t begin = i == 0 ? 0 : ends[i - 1];
        prepared = std::string_view(batch->prepared[s]).substr(begin, ends[i] - begin);
      }
      stage.PrepassPrepared(view, batch->findings[i], prepared);
    }
  }
  batch->prepared = {};
  batch->prepared_ends = {};
}

// The next batch, or nullptr (and the pipeline stops) at the end or after
// an error.
Batch* NextBatch(Run* run, oneapi::tbb::flow_control& control) {
  Batch* batch = run->error.empty() ? ReadBatch(run) : nullptr;
  if (!batch) {
    control.stop();
  }
  return batch;
}

// In the second pass each batch is read again, and is told where the first
// pass's findings about it are; batches cut the same way both times.
Batch* ReadSecondPassBatch(Run* run, oneapi::tbb::flow_control& control) {
  Batch* batch = NextBatch(run, control);
  if (!batch) {
    return nullptr;
  }
  if (run->spill_next == run->spill_index.size() ||
      run->spill_index[run->spill_next].rows != batch->row_count) {
    Fail(run, ExitCode::kInternal,
         "the second pass read different rows than the first");
    ReturnBatch(run, batch);
    control.stop();
    return nullptr;
  }
  batch->spill_at = run->spill_index[run->spill_next++];
  return batch;
}

// The first of two passes: row-local stages, then Prepass() in order, with
// the findings kept in the spill file for the second pass.
void Prepass(Run* run, int threads) {
  std::string error;
  if (!run->spill.Open(&error)) {
    Fail(run, ExitCode::kOutput, error);
    return;
  }
  oneapi::tbb::global_control limit(
      oneapi::tbb::global_control::max_allowed_parallelism, threads);
  oneapi::tbb::parallel_pipeline(
      static_cast<size_t>(threads) * 2 + 2,
      oneapi::tbb::make_filter<void, Batch*>(
          oneapi::tbb::filter_mode::serial_in_order,
          [run](oneapi::tbb::flow_control& control) {
            return NextBatch(run, control);
          }) &
          oneapi::tbb::make_filter<Batch*, Batch*>(
              oneapi::tbb::filter_mode::parallel,
              [run](Batch* batch) {
                SplitBatch(*run, batch, /*clear_findings=*/true);
                RunLocalStages(*run, batch);
                PrepareRows(*run, batch);
                EncodeBatch(run, batch);
                return batch;
              }) &
          oneapi::tbb::make_filter<Batch*, void>(
              oneapi::tbb::filter_mode::serial_in_order, [run](Batch* batch) {
                if (!batch->split_error.empty()) {
                  Fail(run, ExitCode::kInternal, batch->split_error);
                }
                if (!batch->spill_error.empty()) {
                  Fail(run, ExitCode::kOutput, batch->spill_error);
                }
                RunPrepass(run, batch);
                run->spill_index.push_back(batch->spill_at);
                ReturnBatch(run, batch);
              }));
}

void Process(Run* run, int threads) {
  oneapi::tbb::global_control limit(
      oneapi::tbb::global_control::max_allowed_parallelism, threads);
  bool two_pass = run->two_pass;
  oneapi::tbb::parallel_pipeline(
      static_cast<size_t>(threads) * 2 + 2,
      oneapi::tbb::make_filter<void, Batch*>(
          oneapi::tbb::filter_mode::serial_in_order,
          [run, two_pass](oneapi::tbb::flow_control& control) {
            return two_pass ? ReadSecondPassBatch(run, control)
                            : NextBatch(run, control);
          }) &
          oneapi::tbb::make_filter<Batch*, Batch*>(
              oneapi::tbb::filter_mode::parallel,
              [run, two_pass](Batch* batch) {
                SplitBatch(*run, batch, /*clear_findings=*/!two_pass);
                if (!two_pass) {
                  RunLocalStages(*run, batch);
                } else {
                  DecodeBatch(*run, batch);
                }
                return batch;
              }) &
          oneapi::tbb::make_filter<Batch*, Batch*>(
              oneapi::tbb::filter_mode::serial_in_order,
              [run](Batch* batch) {
                if (!batch->spill_error.empty()) {
                  Fail(run, ExitCode::kInternal, batch->spill_error);
                }
                if (batch->corrupt) {
                  Fail(run, ExitCode::kInternal,
                       "temp file for the first pass: corrupt chunk");
                }
                if (!batch->split_error.empty()) {
                  Fail(run, ExitCode::kInternal, batch->split_error);
                }
                RunCrossStages(run, batch);
                return batch;
              }) &
          oneapi::tbb::make_filter<Batch*, Batch*>(
              oneapi::tbb::filter_mode::parallel,
              [run](Batch* batch) {
                FormatBatch(*run, batch);
                return batch;
              }) &
          oneapi::tbb::make_filter<Batch*, Batch*>(
              oneapi::tbb::filter_mode::serial_in_order,
              [run](Batch* batch) {
                WriteBatch(run, batch);
                return batch;
              }) &
          oneapi::tbb::make_filter<Batch*, void>(
              oneapi::tbb::filter_mode::parallel, [run](Batch* batch) {
                WriteBatchAt(run, batch);
                ReturnBatch(run, batch);
              }));
  if (!run->worker_error.empty()) {
    Fail(run, ExitCode::kOutput, run->worker_error);
  }
}

bool OpenOutputs(Run* run, const std::string& rejects_path,
                 std::string* error) {
  std::string cleaned_path =
      run->options->output.empty() ? "-" : run->options->output;
  std::string write_path = run->arranger.WritePath(cleaned_path, error);
  if (write_path.empty() || !run->cleaned.Open(write_path, error) ||
      !run->rejects.Open(rejects_path, error) ||
      (!run->options->report.empty() &&
       !run->report.Open(run->options->report, error))) {
    return false;
  }
  std::string header;
  AppendRecord(*run, CleanedHeader(run->schema), {}, {}, &header, &run->stats);
  std::string rejects_header;
  AppendRecord(*run, RejectsHeader(run->schema), {}, {}, &rejects_header, &run->stats);
  run->stats.cleaned_path = cleaned_path;
  run->stats.rejects_path = rejects_path;
  return run->cleaned.Write(header, error) &&
         run->rejects.Write(rejects_header, error);
}

bool WriteReport(Run& run, std::string* error) {
  if (run.options->report.empty()) {
    return true;
  }
  AtomicFile& file = run.report;
  nlohmann::json report = BuildReport(run.stats, run.schema, *run.options);
  const std::string& path = run.options->report;
  bool html = path.size() >= 5 && path.compare(path.size() - 5, 5, ".html") == 0;
  std::string text =
      html ? RenderHtmlReport(report)
           : report.dump(2, ' ', false,
                         nlohmann::json::error_handler_t::replace) +
                 "\n";
  return file.Write(text, error);
}

void CollectStageReports(const Run& run, nlohmann::json* out) {
  for (size_t i = 0; i < run.local_stages.size(); ++i) {
    nlohmann::json report = nlohmann::json::object();
    run.local_stages[i]->Report(&report);
    (*out)[run.local_names[i]] = report;
  }
  for (size_t i = 0; i < run.cross_stages.size(); ++i) {
    nlohmann::json report = nlohmann::json::object();
    run.cross_stages[i]->Report(&report);
    (*out)[run.cross_names[i]] = report;
  }
}

ExitCode Setup(Run* run, const Options& options, RuleFiles* rules) {
  std::string error;
  std::vector<std::string> paths = options.inputs;
  if (paths.empty()) {
    paths.push_back("-");
  }
  run->inputs.resize(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    Input& input = run->inputs[i];
    input.path = paths[i].empty() ? "-" : paths[i];
    input.stats.path = input.path;
    input.open_path = input.path;
    if (input.path == "-" && MayNeedPrepass(options) &&
        !SpoolStdin(&run->spool, &input.open_path, &error)) {
      Fail(run, ExitCode::kInput, error);
      return ExitCode::kInput;
    }
    if (!OpenInput(options, &input, &error)) {
      Fail(run, ExitCode::kInput, error);
      return ExitCode::kInput;
    }
    AddToSchema(&run->inputs[i], &run->schema);
  }
  RoleTable roles;
  Schema headers = run->schema;  // --fix-mojibake: roles from repaired names
  if (options.fix_mojibake) RepairMojibakeNames(&headers.names);
  if (!LoadRoleTable(*rules, &roles, &error) ||
      !AssignRoles(roles, options.maps, &headers, &error)) {
    Fail(run, ExitCode::kUsage, error);
    return ExitCode::kUsage;
  }
  run->schema.roles = headers.roles;
  run->schema.role_source = headers.role_source;
  for (int r = 0; r < static_cast<int>(Role::kCount); ++r) {
    run->role_columns[r] = run->schema.ColumnsOf(static_cast<Role>(r));
  }
  std::vector<int> sources = run->schema.ColumnsOf(Role::kSource);
  run->source_column = sources.empty() ? -1 : sources.front();
  run->stats.has_source = run->source_column >= 0;
  if (!BuildStages(run, *rules, &error)) {
    Fail(run, ExitCode::kUsage, error);
    return ExitCode::kUsage;
  }
  return ExitCode::kOk;
}

}  // namespace

std::string ResolveRejectsPath(const Options& options) {
  if (!options.rejects.empty()) {
    return options.rejects;
  }
  if (options.output.empty() || options.output == "-") {
    return "leadclean.rejects.csv";
  }
  std::filesystem::path out(options.output);
  std::string stem = out.stem().string();
  return (out.parent_path() / (stem + ".rejects.csv")).string();
}

ExitCode RunClean(const Options& options) {
  Clock::time_point start = Clock::now();
  Run run;
  run.options = &options;
  run.arranger.Configure(options);
  std::string default_dir = options.default_rules_dir.empty()
                                ? DefaultRulesDir()
                                : options.default_rules_dir;
  RuleFiles rules(default_dir, options.rules_dir);
  std::string rejects_path = ResolveRejectsPath(options);
  std::string error;
  if (default_dir.empty()) {
    Fail(&run, ExitCode::kUsage,
         "cannot find the default rules directory (rules/ beside the "
         "binary's tree, or share/leadclean/rules)");
  } else if (!CheckOutputs(options, rejects_path, &error)) {
    Fail(&run, ExitCode::kUsage, error);
  } else if (Setup(&run, options, &rules) == ExitCode::kOk &&
             !OpenOutputs(&run, rejects_path, &error)) {
    Fail(&run, ExitCode::kOutput, error);
  }
  if (!run.error.empty()) {
    std::fprintf(stderr, "leadclean: %s\n", run.error.c_str());
    return run.error_code;
  }
  run.stats.threads = ThreadCount(options);
  run.stats.excel_safe = options.excel_safe;
  run.stats.seconds_setup =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<std::string> progress_paths;
  for (const Input& input : run.inputs) progress_paths.push_back(input.open_path);
  std::unique_ptr<Progress> progress = MakeProgress(progress_paths, options.quiet, AnyPrepass(run) ? 2 : 1);
  run.progress = progress.get();
  auto seconds_since = [](Clock::time_point* mark) {
    const Clock::time_point now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - *mark).count();
    *mark = now;
    return seconds;
  };
  Clock::time_point mark = Clock::now();
  if (AnyPrepass(run)) {
    run.two_pass = true;
    Prepass(&run, run.stats.threads);
    run.stats.seconds_first_pass = seconds_since(&mark);
    RowSet rejected_later;
    oneapi::tbb::global_control limit(  // FinishPrepass may run in parallel
        oneapi::tbb::global_control::max_allowed_parallelism,
        run.stats.threads);
    for (const auto& stage : run.cross_stages) {
      if (stage->NeedsPrepass()) {
        stage->FinishPrepass(&rejected_later);
      }
    }
    if (run.error.empty() && !RewindInputs(&run, &error)) {
      Fail(&run, ExitCode::kInput, error);
    }
    run.stats.seconds_between_passes = seconds_since(&mark);
  }
  if (run.error.empty()) {
    if (progress) progress->StartPass(AnyPrepass(run) ? 2 : 1);
    Process(&run, run.stats.threads);
    run.stats.seconds_last_pass = seconds_since(&mark);
  }
  for (Input& input : run.inputs) {
    run.stats.inputs.push_back(input.stats);
  }
  progress.reset();  // clears the progress line
  run.progress = nullptr;
  run.stats.mojibake_cells = run.mojibake_cells.load();
  run.stats.fix_mojibake = options.fix_mojibake;
  CollectStageReports(run, &run.stats.stages);
  if (run.error.empty() && !run.stats.Conserved()) {
    Fail(&run, ExitCode::kInternal, "conservation check failed");
  }
  run.stats.seconds_total =
      std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<std::string> tripped = CheckGates(options, &run.stats);
  // Everything is written before anything is renamed into place, so a
  // failure leaves the previous outputs (or none) rather than a mixed set.
  if (run.error.empty() &&
      (!run.arranger.Arrange(&run.cleaned, run.source_column, &run.stats,
                             &error) ||
       !WriteReport(run, &error) || !run.cleaned.Commit(&error) ||
       !run.arranger.Commit(&error) || !run.rejects.Commit(&error) ||
       !run.report.Commit(&error))) {
    Fail(&run, ExitCode::kOutput, error);
  }
  if (!run.error.empty()) {
    run.arranger.Abort();
    run.cleaned.Abort();
    run.rejects.Abort();
    run.report.Abort();
    std::fprintf(stderr, "leadclean: %s\n", run.error.c_str());
    return run.error_code;
  }
  if (!options.quiet) {
    std::fputs(Summary(run.stats, UseColour()).c_str(), stderr);
  }
  for (const std::string& message : tripped) {
    std::fprintf(stderr, "leadclean: %s\n", message.c_str());
  }
  return tripped.empty() ? ExitCode::kOk : ExitCode::kQualityGate;
}

}  // namespace leadclean
