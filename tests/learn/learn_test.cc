#include "leadclean/learn.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "leadclean/pipeline.h"
#include "stages/score_model.h"
#include "test_util.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system temp folder; the test removes it.
fs::path MakeTempDir() {
  std::string pattern =
      (fs::temp_directory_path() / "leadclean-learn-XXXXXX").string();
  return mkdtemp(pattern.data());
}

// Uniform in [0, 1) from the 53 high bits: the same on every platform.
double Unit(std::mt19937_64* engine) {
  return static_cast<double>((*engine)() >> 11) * 0x1.0p-53;
}

TEST_CASE("learn: labels yes/no, 1/0, won/lost and Vietnamese", "[learn]") {
  const std::pair<const char*, std::optional<int>> rows[] = {
      {"yes", 1},   {"YES", 1},  {"y", 1},     {"1", 1},   {"1.0", 1},
      {"true", 1},  {"Won", 1},  {"win", 1},   {"Có", 1},  {"converted", 1},
      {"no", 0},    {"N", 0},    {"0", 0},     {"0.0", 0}, {"false", 0},
      {"Lost", 0},  {"lose", 0}, {"Không", 0}, {"not converted", 0},
      {"", std::nullopt},        {"maybe", std::nullopt},
      {"2", std::nullopt},       {"pending", std::nullopt},
  };
  for (const auto& [text, expected] : rows) {
    INFO("label: '" << text << "'");
    CHECK(ParseLabel(text) == expected);
  }
}

TEST_CASE("learn: AUC counts ties as half and needs both classes", "[learn]") {
  struct Row {
    std::vector<double> scores;
    std::vector<int> labels;
    double auc;
  };
  const Row rows[] = {
      {{1, 2, 3, 4}, {0, 0, 1, 1}, 1.0},
      {{4, 3, 2, 1}, {0, 0, 1, 1}, 0.0},
      {{1, 1, 1, 1}, {0, 1, 0, 1}, 0.5},
      {{1, 2, 2, 3}, {0, 0, 1, 1}, 0.875},
      {{0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}, 0.75},
      {{1, 2, 3}, {1, 1, 1}, 0.5},
  };
  for (const Row& row : rows) {
    INFO("expected " << row.auc);
    CHECK(Auc(row.scores, row.labels) == Approx(row.auc));
  }
}

TEST_CASE("learn: logistic regression recovers the weights that drew the data",
          "[learn]") {
  std::mt19937_64 engine(42);
  Dataset data;
  data.cols = 3;  // a binary feature, a continuous one, a constant one
  const double kIntercept = -1.0, kW0 = 2.0, kW1 = -0.75;
  for (int i = 0; i < 40000; ++i) {
    double x0 = Unit(&engine) < 0.3 ? 1 : 0;
    double x1 = 4 * Unit(&engine);
    double p = 1 / (1 + std::exp(-(kIntercept + kW0 * x0 + kW1 * x1)));
    data.x.insert(data.x.end(), {x0, x1, 7.0});
    data.y.push_back(Unit(&engine) < p ? 1 : 0);
  }
  LogisticModel model = FitLogistic(data, {}, 0.01);
  CHECK(model.converged);
  CHECK(model.intercept == Approx(kIntercept).margin(0.1));
  CHECK(model.weights[0] == Approx(kW0).margin(0.1));
  CHECK(model.weights[1] == Approx(kW1).margin(0.05));
  CHECK(model.weights[2] == 0);
  SECTION("a strong penalty shrinks the weights toward 0") {
    LogisticModel shrunk = FitLogistic(data, {}, 1e5);
    CHECK(std::fabs(shrunk.weights[0]) < std::fabs(model.weights[0]) / 2);
  }
  SECTION("an excluded column gets weight 0") {
    LogisticModel without = FitLogistic(data, {}, 0.01, {true, false, false});
    CHECK(without.weights[0] == 0);
    CHECK(without.weights[1] != 0);
  }
}

// A history whose conversion depends on BANT phrases, engagement and
// source, drawn from a latent probability; "Status" leaks the label.
struct Lead {
  std::string title, notes, source;
  int views;
  int converted;
};

Lead DrawLead(std::mt19937_64* engine) {
  const char* titles[] = {"Giám đốc", "Nhân viên", "Sinh viên", ""};
  const char* notes[] = {"cần báo giá gấp", "chưa có nhu cầu", "tìm hiểu thôi",
                         "ngân sách 50 triệu", ""};
  const char* sources[] = {"Giới thiệu", "Facebook Ads", "Data mua"};
  Lead lead;
  int t = static_cast<int>(Unit(engine) * 4);
  int n = static_cast<int>(Unit(engine) * 5);
  int s = static_cast<int>(Unit(engine) * 3);
  lead.title = titles[t];
  lead.notes = notes[n];
  lead.source = sources[s];
  lead.views = static_cast<int>(Unit(engine) * Unit(engine) * 20);
  double logit = -2.5 + (t == 0 ? 1.0 : t == 2 ? -1.0 : 0) +
                 (n == 0 ? 1.8 : n == 1 ? -1.5 : n == 3 ? 1.0 : 0) +
                 (s == 0 ? 0.8 : s == 2 ? -0.8 : 0) +
                 0.4 * std::log2(1 + lead.views);
  lead.converted = Unit(engine) < 1 / (1 + std::exp(-logit)) ? 1 : 0;
  return lead;
}

std::string HistoryCsv(int rows, uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::ostringstream out;
  out << "Họ và tên,Số điện thoại,Chức vụ,Ghi chú,Nguồn,Lượt xem trang,"
         "Status,Converted\n";
  for (int i = 0; i < rows; ++i) {
    Lead lead = DrawLead(&engine);
    out << "Nguyễn Văn An,09" << 12000000 + i << "," << lead.title << ","
        << lead.notes << "," << lead.source << "," << lead.views << ","
        << (lead.converted ? "Won" : "Lost") << ","
        << (lead.converted ? "yes" : "no") << "\n";
  }
  return out.str();
}

// Runs `learn` with stderr captured into `*err`.
int RunCaptured(const LearnOptions& options, const std::string& err_path,
                std::string* err) {
  std::fflush(stderr);
  int saved = dup(2);
  int fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(fd, 2);
  close(fd);
  int code = RunLearn(options);
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::ifstream in(err_path);
  *err = std::string(std::istreambuf_iterator<char>(in), {});
  return code;
}

TEST_CASE("learn: a learned table loads as rules and ranks fresh leads well",
          "[learn]") {
  fs::path dir = MakeTempDir();
  std::ofstream(dir / "history.csv") << HistoryCsv(4000, 1);
  LearnOptions options;
  options.history = (dir / "history.csv").string();
  options.label = "converted";  // a folded match of "Converted"
  options.output = dir.string();  // a folder: learned_scoring.csv inside
  options.default_rules_dir = std::string(LEADCLEAN_SOURCE_DIR) + "/rules";
  options.score_now = "2025-01-01";
  std::string err;
  REQUIRE(RunCaptured(options, (dir / "err.txt").string(), &err) == 0);
  INFO(err);
  CHECK(err.find("column 'Status' alone predicts the label") !=
        std::string::npos);
  CHECK(err.find("AUC default rules (lc_score)") != std::string::npos);
  CHECK(err.find("5-fold CV") != std::string::npos);

  std::string error;
  RuleFiles files(options.default_rules_dir, dir.string());
  auto learned = ScoreModel::Load(files, &error);
  auto defaults =
      ScoreModel::Load(RuleFiles(options.default_rules_dir, ""), &error);
  REQUIRE(learned);
  REQUIRE(defaults);
  CHECK(learned->rules().back().id == "learned_base");
  CHECK(learned->rules().size() == defaults->rules().size() + 1);

  // Score a fresh sample from the same latent with both tables.
  testing::TestTable table({{"Chức vụ", Role::kTitle},
                            {"Ghi chú", Role::kNotes},
                            {"Nguồn", Role::kSource},
                            {"Lượt xem trang", Role::kPageViews}});
  std::mt19937_64 engine(2);
  std::vector<double> learned_scores, default_scores;
  std::vector<int> labels;
  std::vector<double> values;
  for (int i = 0; i < 4000; ++i) {
    Lead lead = DrawLead(&engine);
    RowView row = table.Row(i + 1, {lead.title, lead.notes, lead.source,
                                    std::to_string(lead.views)});
    Findings findings;
    learned->Features(row, findings, 0, &values);
    learned_scores.push_back(learned->Score(values).score);
    defaults->Features(row, findings, 0, &values);
    default_scores.push_back(defaults->Score(values).score);
    labels.push_back(lead.converted);
  }
  double learned_auc = Auc(learned_scores, labels);
  double default_auc = Auc(default_scores, labels);
  INFO("learned " << learned_auc << ", default " << default_auc);
  CHECK(learned_auc > 0.75);
  CHECK(learned_auc >= default_auc - 0.01);
  fs::remove_all(dir);
}

TEST_CASE("learn: usage errors name the problem", "[learn][errors]") {
  fs::path dir = MakeTempDir();
  std::ofstream(dir / "one_class.csv") << "Ghi chú,Converted\na,yes\nb,yes\n";
  struct Row {
    std::string history, label;
    int folds;
    int code;
    std::string message;
  };
  const std::string one_class = (dir / "one_class.csv").string();
  const Row rows[] = {
      {one_class, "", 5, 2, "learn: --label COLUMN is required"},
      {one_class, "Converted", 1, 2, "learn: --folds must be 2..20"},
      {one_class, "Outcome", 5, 2, one_class + ": no column 'Outcome'"},
      {one_class, "Converted", 5, 2,
       one_class + ": label 'Converted' has 2 yes and 0 no rows; learning "
                   "needs at least 2 of each"},
      {(dir / "missing.csv").string(), "Converted", 5, 3, "missing.csv"},
  };
  for (const Row& row : rows) {
    INFO("expected: " << row.message);
    LearnOptions options;
    options.history = row.history;
    options.label = row.label;
    options.folds = row.folds;
    options.default_rules_dir = std::string(LEADCLEAN_SOURCE_DIR) + "/rules";
    std::string err;
    CHECK(RunCaptured(options, (dir / "err.txt").string(), &err) == row.code);
    CHECK(err.find(row.message) != std::string::npos);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace leadclean
