// --sort and --split-by over the finished cleaned CSV. Rows are copied as
// the pipeline wrote them (their raw bytes), so quoting and spreadsheet
// safety are untouched; only lc_score, lc_temperature and the source column
// are read.
#include "core/arrange.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <queue>
#include <unordered_map>

#include "core/temp_file.h"
#include "leadclean/csv.h"
#include "leadclean/pipeline.h"
#include "leadclean/report.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

constexpr size_t kFlushBytes = 1u << 20;
constexpr int kNoScore = -1;

// Temperature classes, in the order agents are dealt.
enum Temperature : uint8_t { kHot, kWarm, kCold, kOther, kTemperatureCount };
constexpr std::string_view kTemperatureNames[] = {"hot", "warm", "cold",
                                                  "other"};

Temperature TemperatureOf(std::string_view text) {
  for (int t = kHot; t < kOther; ++t) {
    if (text == kTemperatureNames[t]) {
      return static_cast<Temperature>(t);
    }
  }
  return kOther;
}

// lc_score as an integer 0..100, or kNoScore.
int ScoreKey(std::string_view text) {
  if (text.empty() || text.size() > 3) {
    return kNoScore;
  }
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return kNoScore;
    }
    value = value * 10 + (c - '0');
  }
  return std::min(value, 100);
}

std::string Errno(const std::string& path) {
  return path + ": " + std::strerror(errno);
}

bool IsRegularOrMissing(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode);
}

// One row on its way to an output.
struct Entry {
  int32_t key = kNoScore;
  uint32_t group = 0;
  uint8_t temperature = kOther;
  uint64_t offset = 0;  // into the sorter's buffer
  uint32_t length = 0;
};

bool ByScore(const Entry& a, const Entry& b) { return a.key > b.key; }

// Reads a run back record by record through a small buffer.
class RunReader {
 public:
  RunReader(int fd, uint64_t begin, uint64_t end, size_t buffer_bytes)
      : fd_(fd), next_(begin), end_(end), buffer_(buffer_bytes) {}

  // Reads the next record; false at the end of the run or on an error
  // (then failed() is true).
  bool Next(Entry* entry, std::string* bytes) {
    if (next_ == end_ && pos_ == filled_) {
      return false;
    }
    char head[13];
    if (!Read(head, sizeof head)) {
      return false;
    }
    std::memcpy(&entry->key, head, 4);
    std::memcpy(&entry->group, head + 4, 4);
    entry->temperature = static_cast<uint8_t>(head[8]);
    std::memcpy(&entry->length, head + 9, 4);
    bytes->resize(entry->length);
    return Read(bytes->data(), entry->length);
  }
  bool failed() const { return failed_; }

 private:
  bool Read(char* out, size_t n) {
    while (n > 0) {
      if (pos_ == filled_ && !Refill()) {
        failed_ = true;
        return false;
      }
      size_t take = std::min(n, filled_ - pos_);
      std::memcpy(out, buffer_.data() + pos_, take);
      pos_ += take;
      out += take;
      n -= take;
    }
    return true;
  }
  bool Refill() {
    size_t want = static_cast<size_t>(
        std::min<uint64_t>(buffer_.size(), end_ - next_));
    if (want == 0) {
      return false;
    }
    ssize_t got;
    do {
      got = pread(fd_, buffer_.data(), want, static_cast<off_t>(next_));
    } while (got < 0 && errno == EINTR);
    if (got <= 0) {
      return false;
    }
    next_ += static_cast<uint64_t>(got);
    pos_ = 0;
    filled_ = static_cast<size_t>(got);
    return true;
  }

  int fd_;
  uint64_t next_, end_;
  std::vector<char> buffer_;
  size_t pos_ = 0, filled_ = 0;
  bool failed_ = false;
};

}  // namespace

// One output: its file, a write buffer and its counts.
struct Arranger::Writer {
  AtomicFile file;
  std::string pending;
  ArrangedFile stats;

  bool Append(std::string_view row, uint8_t temperature, std::string* error) {
    pending.append(row).push_back('\n');
    ++stats.rows;
    stats.hot += temperature == kHot;
    stats.warm += temperature == kWarm;
    stats.cold += temperature == kCold;
    return pending.size() < kFlushBytes || Flush(error);
  }
  bool Flush(std::string* error) {
    bool ok = file.Write(pending, error);
    pending.clear();
    return ok;
  }
};

namespace {

// Sorts entries by score, spilling sorted runs to an anonymous temp file
// when the rows held pass `memory_bytes`, and hands them over in order.
class Sorter {
 public:
  Sorter(size_t memory_bytes, std::string dir)
      : memory_bytes_(memory_bytes), dir_(std::move(dir)) {}
  ~Sorter() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }

  bool Add(Entry entry, std::string_view bytes, std::string* error) {
    entry.offset = buffer_.size();
    entry.length = static_cast<uint32_t>(bytes.size());
    buffer_.append(bytes);
    entries_.push_back(entry);
    if (buffer_.size() + entries_.size() * sizeof(Entry) > memory_bytes_) {
      return SpillRun(error);
    }
    return true;
  }

  // Calls emit(entry, bytes) for every row in order.
  template <typename Emit>
  bool Finish(Emit emit, std::string* error) {
    if (runs_.empty()) {
      std::stable_sort(entries_.begin(), entries_.end(), ByScore);
      for (const Entry& e : entries_) {
        if (!emit(e, std::string_view(buffer_).substr(e.offset, e.length))) {
          return false;
        }
      }
      return true;
    }
    if (!entries_.empty() && !SpillRun(error)) {
      return false;
    }
    return Merge(emit, error);
  }

  uint64_t runs() const { return runs_.size(); }

 private:
  bool OpenRunsFile(std::string* error) {
    std::string path;
    fd_ = OpenAnonymousFile(dir_, ".leadclean-sort", &path);
    if (fd_ < 0) {
      *error = Errno(path);
      return false;
    }
    return true;
  }

  bool SpillRun(std::string* error) {
    if (fd_ < 0 && !OpenRunsFile(error)) {
      return false;
    }
    std::stable_sort(entries_.begin(), entries_.end(), ByScore);
    uint64_t begin = size_;
    std::string chunk;
    for (const Entry& e : entries_) {
      char head[13];
      std::memcpy(head, &e.key, 4);
      std::memcpy(head + 4, &e.group, 4);
      head[8] = static_cast<char>(e.temperature);
      std::memcpy(head + 9, &e.length, 4);
      chunk.append(head, sizeof head);
      chunk.append(buffer_, e.offset, e.length);
      if (chunk.size() >= kFlushBytes && !FlushChunk(&chunk, error)) {
        return false;
      }
    }
    if (!FlushChunk(&chunk, error)) {
      return false;
    }
    runs_.emplace_back(begin, size_);
    buffer_.clear();
    entries_.clear();
    return true;
  }

  bool FlushChunk(std::string* chunk, std::string* error) {
    if (!WriteAllAt(fd_, *chunk, size_)) {
      *error = "temp file for --sort: " + std::string(std::strerror(errno));
      return false;
    }
    size_ += chunk->size();
    chunk->clear();
    return true;
  }

  // K-way merge; equal scores come from the earlier run first, which holds
  // the earlier rows, so the merge is stable.
  template <typename Emit>
  bool Merge(Emit emit, std::string* error) {
    size_t buffer_bytes = std::clamp<size_t>(memory_bytes_ / (runs_.size() + 1),
                                             4 << 10, 1 << 20);
    std::vector<RunReader> readers;
    std::vector<Entry> heads(runs_.size());
    std::vector<std::string> bytes(runs_.size());
    auto later = [&heads](size_t a, size_t b) {
      return heads[a].key != heads[b].key ? heads[a].key < heads[b].key
                                          : a > b;
    };
    std::priority_queue<size_t, std::vector<size_t>, decltype(later)> queue(
        later);
    for (size_t r = 0; r < runs_.size(); ++r) {
      readers.emplace_back(fd_, runs_[r].first, runs_[r].second, buffer_bytes);
      if (readers[r].Next(&heads[r], &bytes[r])) {
        queue.push(r);
      }
    }
    while (!queue.empty()) {
      size_t r = queue.top();
      queue.pop();
      if (!emit(heads[r], bytes[r])) {
        return false;
      }
      if (readers[r].Next(&heads[r], &bytes[r])) {
        queue.push(r);
      }
    }
    for (const RunReader& reader : readers) {
      if (reader.failed()) {
        *error = "temp file for --sort: cannot read a run back";
        return false;
      }
    }
    return true;
  }

  size_t memory_bytes_;
  std::string dir_;
  std::string buffer_;
  std::vector<Entry> entries_;
  int fd_ = -1;
  uint64_t size_ = 0;
  std::vector<std::pair<uint64_t, uint64_t>> runs_;
};

// The cleaned CSV read back: a reader over the staging file.
struct CleanedReader {
  std::unique_ptr<CsvReader> reader;
  CsvRecord record;
  std::string header;
  std::string error;  // set when Next() stops on a read error
  int score = -1, temperature = -1;

  bool Open(const std::string& path, std::string* error) {
    std::unique_ptr<ByteSource> source = OpenByteSource(path, error);
    if (!source) {
      return false;
    }
    CsvOptions options;
    options.delimiter = ',';
    options.encoding = "UTF-8";
    options.max_record_bytes = size_t{1} << 40;
    reader = std::make_unique<CsvReader>(std::move(source), options);
    if (!reader->Next(&record)) {
      *error = path + ": the cleaned CSV has no header";
      return false;
    }
    header = std::string(record.raw);
    for (size_t i = 0; i < record.fields.size(); ++i) {
      score = record.fields[i] == "lc_score" ? static_cast<int>(i) : score;
      temperature = record.fields[i] == "lc_temperature" ? static_cast<int>(i)
                                                         : temperature;
    }
    return true;
  }
  bool Next() {
    if (reader->Next(&record)) {
      if (record.error.empty()) {
        return true;
      }
      error = "cleaned CSV read back: line " + std::to_string(record.line) +
              ": " + record.error;
      return false;
    }
    error = reader->io_error();
    return false;
  }
  std::string_view Field(int i) const {
    return i >= 0 && static_cast<size_t>(i) < record.fields.size()
               ? record.fields[i]
               : std::string_view();
  }
};

// Which output a row goes to. Agent shares are dealt round-robin over the
// rows in score order (stable), hot first, then warm, cold and the rest,
// the deal continuing across temperatures: each agent gets every N-th hot
// lead, and per temperature and in total the shares differ by at most one.
// The rank of a row in that order is found from per-score counts, so it is
// the same with or without --sort.
class Grouping {
 public:
  Grouping(const ArrangeSettings& settings, int source_column)
      : settings_(settings), source_column_(source_column) {}

  bool needs_count_pass() const {
    return settings_.split_by == "agent" || settings_.split_by == "source";
  }

  void Count(const CleanedReader& in) {
    if (settings_.split_by == "agent") {
      Temperature t = TemperatureOf(in.Field(in.temperature));
      ++counts_[t][ScoreKey(in.Field(in.score)) + 1];
    } else {
      ++source_rows_[Slug(in.Field(source_column_))];
    }
  }

  // The names of the outputs, in file order; call after the count pass.
  std::vector<std::string> Groups() {
    if (settings_.split_by == "temperature") {
      return {"hot", "warm", "cold", "other"};
    }
    if (settings_.split_by == "agent") {
      PrepareDeal();
      std::vector<std::string> names;
      for (int a = 1; a <= settings_.agents; ++a) {
        names.push_back("agent" + std::to_string(a));
      }
      return names;
    }
    if (settings_.split_by == "source") {
      return SourceGroups();
    }
    return {""};
  }

  uint32_t GroupOf(const CleanedReader& in, Temperature t, int key) {
    if (settings_.split_by == "temperature") {
      return t;
    }
    if (settings_.split_by == "agent") {
      uint64_t rank = above_[t][key + 1] + seen_[t][key + 1]++;
      return static_cast<uint32_t>((first_of_[t] + rank) % settings_.agents);
    }
    if (settings_.split_by == "source") {
      return group_of_slug_[Slug(in.Field(source_column_))];
    }
    return 0;
  }

 private:
  static constexpr int kKeys = 102;  // no score, 0..100

  const std::string& Slug(std::string_view value) {
    auto it = slug_of_value_.find(std::string(value));
    if (it == slug_of_value_.end()) {
      if (slug_of_value_.size() > 100000) {
        slug_of_value_.clear();
      }
      it = slug_of_value_.emplace(std::string(value), SourceSlug(value)).first;
    }
    return it->second;
  }

  void PrepareDeal() {
    uint64_t dealt = 0;
    for (int t = 0; t < kTemperatureCount; ++t) {
      first_of_[t] = dealt;
      uint64_t above = 0;
      for (int k = kKeys - 1; k >= 0; --k) {
        above_[t][k] = above;
        above += counts_[t][k];
      }
      dealt += above;
    }
  }

  std::vector<std::string> SourceGroups() {
    std::vector<std::pair<std::string, uint64_t>> slugs(source_rows_.begin(),
                                                        source_rows_.end());
    std::vector<std::string> names;
    size_t limit = std::max<size_t>(settings_.max_source_files, 2);
    if (slugs.size() > limit) {
      std::stable_sort(slugs.begin(), slugs.end(),
                       [](const auto& a, const auto& b) {
                         return a.second > b.second;
                       });
      for (size_t i = limit - 1; i < slugs.size(); ++i) {
        group_of_slug_[slugs[i].first] = static_cast<uint32_t>(limit - 1);
      }
      slugs.resize(limit - 1);
      std::sort(slugs.begin(), slugs.end());
    }
    for (const auto& [slug, rows] : slugs) {
      group_of_slug_[slug] = static_cast<uint32_t>(names.size());
      names.push_back("source-" + slug);
    }
    if (source_rows_.size() > limit) {
      names.push_back("source-other");
    }
    return names;
  }

  const ArrangeSettings& settings_;
  int source_column_;
  std::array<std::array<uint64_t, kKeys>, kTemperatureCount> counts_{};
  std::array<std::array<uint64_t, kKeys>, kTemperatureCount> above_{};
  std::array<std::array<uint64_t, kKeys>, kTemperatureCount> seen_{};
  std::array<uint64_t, kTemperatureCount> first_of_{};
  std::map<std::string, uint64_t> source_rows_;  // sorted: file order
  std::unordered_map<std::string, uint32_t> group_of_slug_;
  std::unordered_map<std::string, std::string> slug_of_value_;
};

}  // namespace

std::string SplitPath(const std::string& output, std::string_view group) {
  fs::path out(output);
  std::string ext = out.has_extension() ? out.extension().string() : ".csv";
  return (out.parent_path() /
          (out.stem().string() + "." + std::string(group) + ext))
      .string();
}

std::string SourceSlug(std::string_view value) {
  value = Trim(value);
  if (value.empty()) {
    return "none";
  }
  std::string folded = FoldKey(value);
  std::string slug;
  for (char c : folded) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) {
      slug.push_back(c);
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  if (slug.size() > 40) {
    slug.resize(40);
  }
  while (!slug.empty() && slug.back() == '-') {
    slug.pop_back();
  }
  if (slug.empty()) {
    uint32_t hash = 2166136261u;  // FNV-1a
    for (unsigned char c : value) {
      hash = (hash ^ c) * 16777619u;
    }
    char text[16];
    std::snprintf(text, sizeof text, "x%08x", hash);
    slug = text;
  }
  return slug;
}

bool CheckArrangeOptions(const Options& options,
                         const std::string& rejects_path, std::string* error) {
  const std::string& split = options.split_by;
  if (!options.sort_by.empty() && options.sort_by != "score") {
    *error = "--sort " + options.sort_by + ": only 'score' is known";
    return false;
  }
  if (!split.empty() && split != "temperature" && split != "source" &&
      split != "agent") {
    *error = "--split-by " + split + ": expected temperature, source or agent";
    return false;
  }
  if (!split.empty() && (options.output.empty() || options.output == "-")) {
    *error = "--split-by " + split +
             " needs -o BASE.csv: the files are named BASE.<group>.csv "
             "beside it (BASE.csv itself is not written)";
    return false;
  }
  if (split == "agent" && (options.agents < 1 || options.agents > kMaxAgents)) {
    *error = "--split-by agent needs --agents N (1.." +
             std::to_string(kMaxAgents) + ")";
    return false;
  }
  if (split != "agent" && options.agents != 0) {
    *error = "--agents is only for --split-by agent";
    return false;
  }
  if (split.empty() || split == "source") {
    return true;  // source files are checked when opened
  }
  std::vector<std::string> names;
  if (split == "temperature") {
    names = {"hot", "warm", "cold"};
  } else {
    for (int a = 1; a <= options.agents; ++a) {
      names.push_back("agent" + std::to_string(a));
    }
  }
  for (const std::string& name : names) {
    std::string path = SplitPath(options.output, name);
    if (path == rejects_path || path == options.report) {
      *error = path + ": a --split-by file would overwrite the rejects or the "
                      "report";
      return false;
    }
  }
  return true;
}

Arranger::Arranger() = default;
Arranger::~Arranger() { Abort(); }

void Arranger::Configure(const Options& options) {
  ArrangeSettings settings;
  settings.sort = options.sort_by == "score";
  settings.split_by = options.split_by;
  settings.agents = options.agents;
  if (options.sort_memory_bytes > 0) {
    settings.memory_bytes = options.sort_memory_bytes;
  }
  Configure(settings, options.output.empty() ? "-" : options.output);
  protected_ = options.inputs;
  protected_.push_back(ResolveRejectsPath(options));
  protected_.push_back(options.report);
}

bool Arranger::IsProtected(const std::string& path) const {
  struct stat target;
  bool exists = stat(path.c_str(), &target) == 0;
  for (const std::string& other : protected_) {
    struct stat st;
    if (other.empty() || other == "-") {
      continue;
    }
    if (other == path || (exists && stat(other.c_str(), &st) == 0 &&
                          st.st_dev == target.st_dev &&
                          st.st_ino == target.st_ino)) {
      return true;
    }
  }
  return false;
}

void Arranger::Configure(ArrangeSettings settings, std::string output) {
  settings_ = std::move(settings);
  output_ = std::move(output);
}

std::string Arranger::WritePath(const std::string& cleaned_path,
                                std::string* error) {
  if (!active()) {
    return cleaned_path;
  }
  bool beside = output_ != "-" && IsRegularOrMissing(output_);
  fs::path out(output_);
  std::string dir = beside ? out.parent_path().string() : TempDir();
  std::string name = beside ? out.filename().string() : "leadclean-cleaned";
  staging_ = (fs::path(dir.empty() ? "." : dir) /
              ("." + name + ".leadclean-XXXXXX"))
                 .string();
  int fd = mkstemp(staging_.data());
  if (fd < 0) {
    *error = Errno(beside ? output_ : staging_);
    staging_.clear();
    return "";
  }
  close(fd);
  RegisterTempFile(staging_);
  return staging_;
}

bool Arranger::Arrange(AtomicFile* cleaned, int source_column,
                       RunStats* stats, std::string* error) {
  if (!active()) {
    return true;
  }
  return cleaned->Commit(error) &&
         ArrangeFile(staging_, source_column, stats, error);
}

bool Arranger::ArrangeFile(const std::string& path, int source_column,
                           RunStats* stats, std::string* error) {
  ArrangeStats& out = stats->arrange;
  out = ArrangeStats{};
  out.active = true;
  out.sorted = settings_.sort;
  out.split_by = settings_.split_by;
  out.agents = settings_.split_by == "agent" ? settings_.agents : 0;
  if (!Split(path, source_column, stats, error)) {
    return false;
  }
  RemoveStaging();
  for (const auto& writer : writers_) {
    out.files.push_back(writer->stats);
    out.rows += writer->stats.rows;
  }
  if (out.rows != stats->cleaned) {
    *error = "--sort/--split-by: " + std::to_string(out.rows) +
             " rows written for " + std::to_string(stats->cleaned) +
             " cleaned rows (conservation check failed)";
    return false;
  }
  return true;
}

bool Arranger::Split(const std::string& path, int source_column,
                     RunStats* stats, std::string* error) {
  Grouping grouping(settings_, source_column);
  CleanedReader in;
  if (grouping.needs_count_pass()) {
    if (!in.Open(path, error)) {
      return false;
    }
    while (in.Next()) {
      grouping.Count(in);
    }
    if (!in.error.empty()) {
      *error = in.error;
      return false;
    }
  }
  if (!in.Open(path, error)) {
    return false;
  }
  std::vector<std::string> groups = grouping.Groups();
  bool split = !settings_.split_by.empty();
  for (const std::string& group : groups) {
    auto writer = std::make_unique<Writer>();
    writer->stats.group = group;
    writer->stats.path = split ? SplitPath(output_, group) : output_;
    if (IsProtected(writer->stats.path)) {
      *error = writer->stats.path +
               ": refusing to overwrite an input, the rejects or the report";
      return false;
    }
    if (!writer->file.Open(writer->stats.path, error) ||
        !writer->file.Write(in.header + "\n", error)) {
      return false;
    }
    writers_.push_back(std::move(writer));
  }
  auto emit = [this, error](const Entry& e, std::string_view bytes) {
    return writers_[e.group]->Append(bytes, e.temperature, error);
  };
  std::string dir = staging_.empty() ? TempDir()
                                      : fs::path(staging_).parent_path().string();
  Sorter sorter(settings_.memory_bytes, dir.empty() ? "." : dir);
  while (in.Next()) {
    Entry e;
    e.key = ScoreKey(in.Field(in.score));
    e.temperature = TemperatureOf(in.Field(in.temperature));
    e.group = grouping.GroupOf(in, static_cast<Temperature>(e.temperature),
                               e.key);
    bool ok = settings_.sort ? sorter.Add(e, in.record.raw, error)
                             : emit(e, in.record.raw);
    if (!ok) {
      return false;
    }
  }
  if (!in.error.empty()) {
    *error = in.error;
    return false;
  }
  if (settings_.sort && !sorter.Finish(emit, error)) {
    return false;
  }
  stats->arrange.runs = sorter.runs();
  // The "other" temperature file only when some row has no known one.
  if (settings_.split_by == "temperature" && writers_.back()->stats.rows == 0) {
    writers_.back()->file.Abort();
    writers_.pop_back();
  }
  for (const auto& writer : writers_) {
    if (!writer->Flush(error)) {
      return false;
    }
  }
  return true;
}

bool Arranger::Commit(std::string* error) {
  for (const auto& writer : writers_) {
    if (!writer->file.Commit(error)) {
      return false;
    }
  }
  RemoveStaging();
  return true;
}

void Arranger::RemoveStaging() {
  if (!staging_.empty()) {
    unlink(staging_.c_str());
    UnregisterTempFile(staging_);
    staging_.clear();
  }
}

void Arranger::Abort() {
  for (const auto& writer : writers_) {
    writer->file.Abort();
  }
  RemoveStaging();
}

}  // namespace leadclean
