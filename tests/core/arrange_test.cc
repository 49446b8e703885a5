#include "core/arrange.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "leadclean/csv.h"
#include "leadclean/report.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (fs::temp_directory_path() / "leadclean-arrange-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string File(const std::string& name) const {
    return (fs::path(path_) / name).string();
  }
  // Every file in the folder, hidden ones included.
  std::vector<std::string> List() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::string path_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Row {
  int lc_row;
  int score;  // -1: no score
  std::string temperature;
  std::string source;
};

// A cleaned CSV as the pipeline writes it: fields that need quoting (a
// comma, a line break) included, so rows are copied as raw records.
std::string CleanedCsv(const std::vector<Row>& rows) {
  std::string out;
  AppendCsvRecord({"Họ tên", "Nguồn", "Ghi chú", "lc_row", "lc_score",
                   "lc_temperature"},
                  &out);
  for (const Row& r : rows) {
    std::string note = r.lc_row % 3 ? "gọi sau 5h, chiều" : "dòng 1\ndòng 2";
    std::string row = std::to_string(r.lc_row);
    std::string score = r.score < 0 ? "" : std::to_string(r.score);
    AppendCsvRecord({"Tên " + row, r.source, note, row, score, r.temperature},
                    &out);
  }
  return out;
}

std::vector<Row> RandomRows(int n, unsigned seed) {
  std::mt19937 rng(seed);
  const char* sources[] = {"Facebook", "facebook ", "Zalo OA", "", "Giới thiệu",
                           "ไทย"};
  std::vector<Row> rows;
  for (int i = 1; i <= n; ++i) {
    int score = static_cast<int>(rng() % 12) * 9 - 1;  // ties, and -1
    score = std::min(score, 100);
    std::string t = score >= 50 ? "hot" : score >= 30 ? "warm" : "cold";
    rows.push_back({i, score, score < 0 ? "" : t, sources[rng() % 6]});
  }
  return rows;
}

// Runs the arranger over `rows`; returns the stats.
ArrangeStats Arrange(const TempDir& dir, const std::vector<Row>& rows,
                     ArrangeSettings settings, const std::string& output) {
  std::string input = dir.File("input.csv");
  std::ofstream(input, std::ios::binary) << CleanedCsv(rows);
  Arranger arranger;
  arranger.Configure(settings, output);
  RunStats stats;
  stats.cleaned = rows.size();
  std::string error;
  REQUIRE(arranger.ArrangeFile(input, 1, &stats, &error));
  REQUIRE(error.empty());
  REQUIRE(arranger.Commit(&error));
  return stats.arrange;
}

// lc_row values of a written file, in order.
std::vector<int> RowsOf(const std::string& path) {
  CsvOptions options;
  options.delimiter = ',';
  CsvReader reader(MemoryByteSource(Read(path)), options);
  CsvRecord record;
  std::vector<int> rows;
  reader.Next(&record);  // header
  while (reader.Next(&record)) {
    rows.push_back(std::stoi(std::string(record.fields[3])));
  }
  return rows;
}

TEST_CASE("arrange: an external sort with tiny runs equals the in-memory "
          "sort, byte for byte",
          "[arrange]") {
  std::vector<Row> rows = RandomRows(2000, 7);
  TempDir dir;
  ArrangeSettings settings;
  settings.sort = true;
  ArrangeStats memory = Arrange(dir, rows, settings, dir.File("memory.csv"));
  CHECK(memory.runs == 0);
  for (size_t bytes : {1, 200, 4096, 50000}) {
    INFO(bytes);
    settings.memory_bytes = bytes;
    ArrangeStats external =
        Arrange(dir, rows, settings, dir.File("external.csv"));
    CHECK(external.runs > 1);
    CHECK(Read(dir.File("external.csv")) == Read(dir.File("memory.csv")));
  }
  // No run file or staging file is left behind.
  CHECK(dir.List() ==
        std::vector<std::string>{"external.csv", "input.csv", "memory.csv"});
}

TEST_CASE("arrange: sorting is by score, highest first, stable, unscored "
          "rows last; the header stays first",
          "[arrange]") {
  std::vector<Row> rows = {{1, 40, "warm", "a"}, {2, 90, "hot", "a"},
                           {3, 40, "warm", "a"}, {4, -1, "", "a"},
                           {5, 90, "hot", "a"},  {6, 0, "cold", "a"},
                           {7, 40, "warm", "a"}};
  TempDir dir;
  for (size_t bytes : {size_t{1} << 20, size_t{1}}) {
    ArrangeSettings settings;
    settings.sort = true;
    settings.memory_bytes = bytes;
    Arrange(dir, rows, settings, dir.File("out.csv"));
    CHECK(RowsOf(dir.File("out.csv")) == std::vector<int>{2, 5, 1, 3, 7, 6, 4});
    CHECK(Read(dir.File("out.csv")).rfind("Họ tên,", 0) == 0);
  }
}

TEST_CASE("arrange: agents get fair shares of each temperature, best leads "
          "dealt first, with or without --sort",
          "[arrange]") {
  std::vector<Row> rows = RandomRows(1001, 11);
  for (bool sort : {false, true}) {
    INFO("sort " << sort);
    TempDir dir;
    ArrangeSettings settings;
    settings.sort = sort;
    settings.split_by = "agent";
    settings.agents = 4;
    ArrangeStats stats = Arrange(dir, rows, settings, dir.File("calls.csv"));
    REQUIRE(stats.files.size() == 4);
    CHECK(stats.rows == rows.size());
    std::map<int, int> seen;
    uint64_t min_hot = ~0ull, max_hot = 0, min_rows = ~0ull, max_rows = 0;
    for (int a = 1; a <= 4; ++a) {
      std::string path = dir.File("calls.agent" + std::to_string(a) + ".csv");
      CHECK(stats.files[a - 1].path == path);
      std::vector<int> got = RowsOf(path);
      CHECK(got.size() == stats.files[a - 1].rows);
      for (int row : got) {
        ++seen[row];
      }
      min_hot = std::min(min_hot, stats.files[a - 1].hot);
      max_hot = std::max(max_hot, stats.files[a - 1].hot);
      min_rows = std::min(min_rows, stats.files[a - 1].rows);
      max_rows = std::max(max_rows, stats.files[a - 1].rows);
    }
    CHECK(seen.size() == rows.size());  // every row exactly once
    for (const auto& [row, count] : seen) {
      CHECK(count == 1);
    }
    CHECK(max_hot - min_hot <= 1);
    CHECK(max_rows - min_rows <= 1);
    // The best hot lead goes to agent 1, the second best to agent 2.
    std::vector<int> first = RowsOf(dir.File("calls.agent1.csv"));
    std::vector<int> second = RowsOf(dir.File("calls.agent2.csv"));
    std::vector<Row> by_score = rows;
    std::stable_sort(by_score.begin(), by_score.end(),
                     [](const Row& a, const Row& b) { return a.score > b.score; });
    CHECK(std::count(first.begin(), first.end(), by_score[0].lc_row) == 1);
    CHECK(std::count(second.begin(), second.end(), by_score[1].lc_row) == 1);
  }
}

TEST_CASE("arrange: split by temperature and by source", "[arrange]") {
  std::vector<Row> rows = {{1, 90, "hot", "Facebook"},
                           {2, 10, "cold", "facebook "},
                           {3, 35, "warm", ""},
                           {4, 60, "hot", "Zalo OA"},
                           {5, 20, "cold", "ไทย"}};
  TempDir dir;
  ArrangeSettings settings;
  settings.split_by = "temperature";
  ArrangeStats t = Arrange(dir, rows, settings, dir.File("c.csv"));
  REQUIRE(t.files.size() == 3);  // no "other": every row has a temperature
  CHECK(RowsOf(dir.File("c.hot.csv")) == std::vector<int>{1, 4});
  CHECK(RowsOf(dir.File("c.warm.csv")) == std::vector<int>{3});
  CHECK(RowsOf(dir.File("c.cold.csv")) == std::vector<int>{2, 5});

  settings.split_by = "source";
  ArrangeStats s = Arrange(dir, rows, settings, dir.File("c.csv"));
  std::vector<std::string> groups;
  for (const ArrangedFile& f : s.files) {
    groups.push_back(f.group);
  }
  std::string thai = "source-" + SourceSlug("ไทย");
  CHECK(groups == std::vector<std::string>{"source-facebook", "source-none",
                                           thai, "source-zalo-oa"});
  CHECK(RowsOf(dir.File("c.source-facebook.csv")) == std::vector<int>{1, 2});
  CHECK(RowsOf(dir.File("c.source-none.csv")) == std::vector<int>{3});

  settings.max_source_files = 2;  // the largest source, then "other"
  ArrangeStats capped = Arrange(dir, rows, settings, dir.File("d.csv"));
  REQUIRE(capped.files.size() == 2);
  CHECK(capped.files[0].group == "source-facebook");
  CHECK(capped.files[1].group == "source-other");
  CHECK(capped.files[1].rows == 3);
}

TEST_CASE("arrange: source slugs are safe file names", "[arrange]") {
  struct Case {
    const char* value;
    const char* slug;
  } cases[] = {
      {"Facebook Lead Ads", "facebook-lead-ads"},
      {"  Giới thiệu  ", "gioi-thieu"},
      {"../../etc/passwd", "etc-passwd"},
      {"", "none"},
      {"   ", "none"},
      {"Đối tác / CTV", "doi-tac-ctv"},
      {"a-very-long-source-name-that-goes-on-and-on-forever", "a-very-long-source-name-that-goes-on-and"},
  };
  for (const Case& c : cases) {
    INFO(c.value);
    CHECK(SourceSlug(c.value) == c.slug);
  }
  CHECK(SourceSlug("ไทย").size() == 9);  // "x" + 8 hex digits
  CHECK(SourceSlug("ไทย")[0] == 'x');
  CHECK(SplitPath("out/leads.csv", "hot") == "out/leads.hot.csv");
  CHECK(SplitPath("leads", "agent2") == "leads.agent2.csv");
}

}  // namespace
}  // namespace leadclean
