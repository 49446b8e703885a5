#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include "leadclean/stage.h"
#include "leadclean/timestamp.h"
#include "stages/score_model.h"
#include "stages/score_parse.h"
#include "test_util.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

// A temporary rules folder; removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (fs::temp_directory_path() / "leadclean-score-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(fs::path(path_) / name, std::ios::binary) << text;
  }
  std::string File(const std::string& name) const {
    return (fs::path(path_) / name).string();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const char kSettings[] =
    "id,value,message\n"
    "fit_weight,0.5,\n"
    "intent_weight,0.5,\n"
    "hot_score,60,\n"
    "warm_score,30,\n"
    "mql_score,40,\n"
    "sql_score,50,\n"
    "sql_bant_min,2,\n"
    "recency_half_life_days,10,\n"
    "usd_vnd,25000,\n"
    "why_count,3,\n";

const char kHeader[] =
    "id,axis,group,bant,kind,field,pattern,points,cap,message\n";

// ---- Parsers ----------------------------------------------------------------

TEST_CASE("score parse: money amounts in Vietnamese and English phrasing",
          "[score][parse]") {
  struct Row {
    const char* text;
    bool allow_plain;
    std::optional<double> vnd;
  };
  const Row rows[] = {
      {"50 triệu", false, 50e6},
      {"50tr", false, 50e6},
      {"50 TRIEU dong", false, 50e6},
      {"1 tỷ", false, 1e9},
      {"1,5 tỷ", false, 1.5e9},
      {"1.2 ti", false, 1.2e9},
      {"trên 1 tỷ", false, 1e9},
      {"200-300 triệu", false, 300e6},
      {"500k", false, 500e3},
      {"500 nghìn", false, 500e3},
      {"50 củ", false, 50e6},
      {"$5,000", false, 5000 * 25000.0},
      {"5k USD", false, 5000 * 25000.0},
      {"2000 USD", false, 2000 * 25000.0},
      {"10.000.000đ", false, 10e6},
      {"5.000.000 VND", false, 5e6},
      {"1,500,000 ₫", false, 1.5e6},
      {"ngân sách 50 triệu, cần tư vấn ngay", false, 50e6},
      {"50000000", true, 50e6},
      {"50000000", false, std::nullopt},  // a bare number in free text
      {"gọi 0912345678 sau 5h", false, std::nullopt},
      {"diện tích 50m2", false, std::nullopt},
      {"năm 2025", true, std::nullopt},  // too small to be a VND budget
      {"chưa xác định", true, std::nullopt},
      {"", true, std::nullopt},
  };
  for (const Row& row : rows) {
    INFO("text: " << row.text);
    std::optional<double> got = ParseAmountVnd(row.text, row.allow_plain, 25000);
    REQUIRE(got.has_value() == row.vnd.has_value());
    if (got) {
      CHECK(*got == Approx(*row.vnd));
    }
  }
}

TEST_CASE("score parse: engagement counters", "[score][parse]") {
  const std::pair<const char*, double> rows[] = {
      {"12", 12}, {" 3 ", 3},  {"1,234", 1234}, {"2.0", 2},    {"", 0},
      {"-4", 0},  {"abc", 0},  {"Yes", 1},      {"có", 1},     {"x", 1},
      {"no", 0},  {"nan", 0},  {"inf", 0},
  };
  for (const auto& [text, expected] : rows) {
    INFO("text: '" << text << "'");
    CHECK(ParseCount(text) == expected);
  }
}

TEST_CASE("score parse: accents are stripped, case and punctuation kept",
          "[score][parse]") {
  CHECK(StripAccents("Báo GIÁ (đủ)") == "Bao GIA (du)");
  CHECK(StripAccents("ĐẶT HÀNG") == "DAT HANG");
  CHECK(StripAccents(R"(\b(gấp|ngay)\b)") == R"(\b(gap|ngay)\b)");
}

TEST_CASE("score parse: the fast StripAccents equals the ICU reference",
          "[score][parse]") {
  const std::string texts[] = {"Báo GIÁ (đủ) 1,5 tỷ",
                               "ĐẶT HÀNG gấp!",
                               "Nguye\xCC\x82\xCC\x83n",
                               "Zoë Ångström Æsir",
                               "Straße 50 triệu",
                               "北京 Lee",
                               "bad \xC3",
                               "\xE2\x80\x93 x \xC2\xA0y",
                               "",
                               "emoji \xF0\x9F\x98\x80",
                               "ǅemal Ǆ İ",
                               "ﬁne ½",
                               "Tr\xC6\xB0\xE1\xBB\x9Dng a\xCC\x81",
                               "ǻ Ḁ ẞ ỹ Ỹ ơ Ư"};
  for (const std::string& text : texts) {
    INFO("text: '" << text << "'");
    CHECK(StripAccents(text) == StripAccentsIcu(text));
  }
}

// ---- The model on a small table ---------------------------------------------

struct Lead {
  std::string title, budget, notes, views, created;
};

// A row of a table with the roles the small test tables read.
class LeadTable {
 public:
  LeadTable()
      : table_({{"Title", Role::kTitle},
                {"Budget", Role::kBudget},
                {"Notes", Role::kNotes},
                {"Views", Role::kPageViews},
                {"Created", Role::kCreatedAt}}) {}
  RowView Row(const Lead& lead) {
    return table_.Row(1, {lead.title, lead.budget, lead.notes, lead.views,
                          lead.created});
  }

 private:
  testing::TestTable table_;
};

std::unique_ptr<ScoreModel> LoadModel(const TempDir& dir, std::string* error) {
  return ScoreModel::Load(RuleFiles(dir.path(), ""), error);
}

TEST_CASE("score model: groups, caps, amounts, recency and why on a small table",
          "[score]") {
  TempDir dir;
  dir.Write("scoring_settings.csv", kSettings);
  dir.Write("scoring.csv",
            std::string(kHeader) +
                "boss,fit,title,A+,match,title,giám đốc|ceo,40,,boss\n"
                "staff,fit,title,,match,title,nhan vien|giam doc,5,,staff\n"
                "big_budget,intent,budget,B+,amount,budget|notes,1 tỷ,30,,big\n"
                "some_budget,intent,budget,B+,amount,budget|notes,1,20,,some\n"
                "no_need,intent,need,N-,match,notes,chua co nhu cau,-25,,no\n"
                "need,intent,need,N+,match,notes,nhu cau|bao gia,15,,need\n"
                "views,intent,,,count,page_views,,5,10,views\n"
                "fresh,intent,,,recency,,,10,,fresh\n");
  std::string error;
  auto model = LoadModel(dir, &error);
  REQUIRE(model);
  const int64_t now = *ParseTimestamp("2025-01-21T00:00:00+07:00");
  struct Row {
    Lead lead;
    int fit, intent, score;
    const char* temperature;
    const char* stage;
    const char* why;
    const char* bant;
  };
  const Row rows[] = {
      // "Phó Giám Đốc" matches boss and staff: the group keeps the first.
      {{"Phó Giám Đốc", "", "", "", ""}, 40, 0, 20, "cold", "lead",
       "boss+40", "B? A+ N? T?"},
      {{"Nhân viên", "2 tỷ", "cần báo giá", "", ""}, 5, 45, 25, "cold",
       "lead", "big_budget+30;need+15;staff+5", "B+ A? N+ T?"},
      // 1 view: 5 points; 3 views: 5 x 2 = 10; 100 views: capped at 10.
      {{"", "50tr", "", "1", ""}, 0, 25, 13, "cold", "lead",
       "some_budget+20;views+5", "B+ A? N? T?"},
      {{"", "", "", "100", ""}, 0, 10, 5, "cold", "lead", "views+10",
       "B? A? N? T?"},
      // Negative evidence first in its group: "nhu cau" does not count.
      {{"CEO", "1 tỷ", "chưa có nhu cầu", "", ""}, 40, 5, 23, "cold", "lead",
       "boss+40;big_budget+30;no_need-25", "B+ A+ N- T?"},
      // Recency: 10 days old with a 10-day half-life is worth half.
      {{"CEO", "1 tỷ", "báo giá", "3", "11/01/2025 00:00"}, 40, 60, 50,
       "warm", "sql", "boss+40;big_budget+30;need+15", "B+ A+ N+ T?"},
      {{"", "", "", "", ""}, 0, 0, 0, "cold", "lead", "no_evidence+0",
       "B? A? N? T?"},
  };
  LeadTable table;
  for (const Row& row : rows) {
    INFO("lead: " << row.lead.title << " | " << row.lead.budget << " | "
                  << row.lead.notes << " | " << row.lead.views);
    std::vector<double> values;
    Findings findings;
    model->Features(table.Row(row.lead), findings, now, &values);
    ScoreResult result = model->Score(values);
    CHECK(result.fit == row.fit);
    CHECK(result.intent == row.intent);
    CHECK(result.score == row.score);
    CHECK(result.temperature == row.temperature);
    CHECK(result.stage == row.stage);
    CHECK(result.why == row.why);
    CHECK(result.bant == row.bant);
  }
}

TEST_CASE("score model: present needs every '+' part, flag reads earlier stages",
          "[score]") {
  TempDir dir;
  dir.Write("scoring_settings.csv", kSettings);
  dir.Write("scoring.csv",
            std::string(kHeader) +
                "free,fit,email,,flag,,email_free,0,,free mail\n"
                "business,fit,email,,present,lc_email,,8,,business\n"
                "full,fit,contact,,present,lc_name+lc_phone+budget|notes,,9,,full\n"
                "quick,fit,contact,,present,lc_name+lc_phone,,3,,quick\n");
  std::string error;
  auto model = LoadModel(dir, &error);
  REQUIRE(model);
  struct Row {
    const char* name;
    const char* phone;
    const char* email;
    const char* flags;
    Lead lead;
    const char* why;
  };
  const Row rows[] = {
      {"An", "+84912345678", "an@acme.vn", "", {"", "", "gọi sau 5h", "", ""},
       "full+9;business+8"},
      {"An", "+84912345678", "an@gmail.com", "email_free", {"", "5tr", "", "", ""},
       "full+9"},
      {"An", "+84912345678", "", "", {"", "", "", "", ""}, "quick+3"},
      {"", "+84912345678", "", "", {"", "5tr", "", "", ""}, "no_evidence+0"},
  };
  LeadTable table;
  for (const Row& row : rows) {
    INFO("name " << row.name << ", email " << row.email << ", flags "
                 << row.flags);
    Findings findings;
    findings.Col(Out::kName) = row.name;
    findings.Col(Out::kPhone) = row.phone;
    findings.Col(Out::kEmail) = row.email;
    if (*row.flags) {
      findings.Flag(row.flags);
    }
    std::vector<double> values;
    model->Features(table.Row(row.lead), findings, 0, &values);
    CHECK(model->Score(values).why == row.why);
  }
}

TEST_CASE("score model: ScoreRow equals Score; why ties go in rule order",
          "[score]") {
  TempDir dir;
  dir.Write("scoring_settings.csv", kSettings);  // why_count 3
  dir.Write("scoring.csv", std::string(kHeader) +
                               "t1,fit,,,match,title,a,10,,\n"
                               "t2,fit,,,match,title,b,20,,\n"
                               "t3,fit,,,match,title,c,10,,\n"
                               "t4,fit,,,match,title,d,20,,\n"
                               "t5,fit,,,match,title,e,-20,,\n"
                               "some,intent,,B+,amount,budget|notes,1,4,,\n"
                               "said,intent,,,present,title+budget|notes,,6,,\n"
                               "views,intent,,,count,page_views,,2,5,\n"
                               "base,intent,,,always,,,0.4,,\n");
  std::string error;
  auto model = LoadModel(dir, &error);
  REQUIRE(model);
  struct Row {
    Lead lead;
    const char* why;
  };
  const Row rows[] = {
      // Three of five fire at 20: t2, t4, t5 in rule order; 10s drop out.
      {{"a b c d e", "", "", "", ""}, "t2+20;t4+20;t5-20"},
      {{"a c", "", "", "", ""}, "t1+10;t3+10"},
      {{"c a", "5tr", "", "", ""}, "t1+10;t3+10;said+6"},
      {{"", "", "50tr ok", "3", ""}, "some+4;views+4"},
      {{"x", "", "", "100", ""}, "views+5"},
      // Only the intercept: below 0.5, so no evidence.
      {{"", "", "", "", ""}, "no_evidence+0"},
  };
  LeadTable table;
  for (const Row& row : rows) {
    INFO("lead: " << row.lead.title << " | " << row.lead.budget << " | "
                  << row.lead.notes << " | " << row.lead.views);
    std::vector<double> values;
    Findings features_findings;
    model->Features(table.Row(row.lead), features_findings, 0, &values);
    ScoreResult result = model->Score(values);
    CHECK(result.why == row.why);
    Findings stage;
    model->ScoreRow(table.Row(row.lead), 0, &stage);
    CHECK(stage.Col(Out::kWhy) == result.why);
    CHECK(stage.Col(Out::kScore) == std::to_string(result.score));
    CHECK(stage.Col(Out::kFit) == std::to_string(result.fit));
    CHECK(stage.Col(Out::kIntent) == std::to_string(result.intent));
    CHECK(stage.Col(Out::kBant) == result.bant);
    CHECK(stage.Col(Out::kTemperature) == result.temperature);
    CHECK(stage.Col(Out::kStage) == result.stage);
  }
}

TEST_CASE("score model: a user row replaces the default row with its id",
          "[score]") {
  TempDir defaults, user;
  defaults.Write("scoring_settings.csv", kSettings);
  defaults.Write("scoring.csv",
                 std::string(kHeader) +
                     "a,fit,g,,match,title,giam doc,10,,first\n"
                     "b,fit,g,,match,title,giam,5,,second\n");
  user.Write("scoring.csv", std::string(kHeader) +
                                "b,fit,g,,off,title,,0,,disabled\n"
                                "a,fit,g,,match,title,giam doc,30,,mine\n"
                                "c,intent,,,match,notes,gap,7,,new\n");
  user.Write("scoring_settings.csv", "id,value\nwhy_count,1\n");
  std::string error;
  auto model = ScoreModel::Load(RuleFiles(defaults.path(), user.path()), &error);
  REQUIRE(model);
  REQUIRE(model->rules().size() == 3);
  CHECK(model->rules()[0].id == "a");
  CHECK(model->rules()[0].points == 30);
  CHECK(model->rules()[1].kind == RuleKind::kOff);
  CHECK(model->rules()[2].id == "c");
  CHECK(model->settings().why_count == 1);
  CHECK(model->settings().fit_weight == 0.5);
}

TEST_CASE("score model: learned_scoring.csv replaces the default tables",
          "[score]") {
  TempDir dir;
  dir.Write("scoring_settings.csv", kSettings);
  dir.Write("scoring.csv", std::string(kHeader) +
                               "a,fit,,,match,title,giam doc,10,,default\n");
  dir.Write("source_quality.csv",
            std::string(kHeader) + "s,intent,,,match,source,web,10,,\n");
  dir.Write("learned_scoring.csv",
            "# learned\n" + std::string(kHeader) +
                "a,fit,,,match,title,giam doc,3.5,,learned\n"
                "learned_base,intent,,,always,,,12.25,,base\n");
  std::string error;
  auto model = LoadModel(dir, &error);
  REQUIRE(model);
  REQUIRE(model->rules().size() == 2);
  CHECK(model->rules()[0].points == 3.5);
  CHECK(model->rules()[1].kind == RuleKind::kAlways);
}

TEST_CASE("score model: a rule written back by FormatScoreRule reads the same",
          "[score]") {
  TempDir dir;
  ScoreRule rule;
  rule.id = "x";
  rule.axis_text = "intent";
  rule.group = "g";
  rule.bant = "T+";
  rule.kind_text = "match";
  rule.field_text = "notes|timeline";
  rule.pattern = R"(\b(gap|\d{1,2} ngay)\b)";
  rule.points = 12.3456;
  rule.cap = 20;
  rule.message = "a, \"quoted\" message";
  dir.Write("t.csv", ScoreTableHeader() + FormatScoreRule(rule));
  std::vector<ScoreRule> rules;
  std::string error;
  REQUIRE(ReadScoreTable(dir.File("t.csv"), &rules, &error));
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].pattern == rule.pattern);
  CHECK(rules[0].points == Approx(12.346));
  CHECK(rules[0].cap == 20);
  CHECK(rules[0].message == rule.message);
  CHECK(rules[0].bant_letter == 'T');
  CHECK(rules[0].group == "g");
}

TEST_CASE("score model: bad rule files stop with path:line: message",
          "[score][errors]") {
  struct Row {
    const char* scoring;   // body after the header
    const char* settings;  // "" = the good settings
    const char* file;
    const char* expected;  // after "path:"
  };
  const Row rows[] = {
      {"a,fitt,,,match,title,x,1,,\n", "", "scoring.csv",
       "2: axis 'fitt' must be fit or intent"},
      {"a,fit,,,regex,title,x,1,,\n", "", "scoring.csv",
       "2: unknown kind 'regex' (match, present, flag, amount, count, "
       "recency, always, off)"},
      {"a,fit,,X+,match,title,x,1,,\n", "", "scoring.csv",
       "2: bant 'X+' must be one of B+ B- A+ A- N+ N- T+ T-"},
      {"a,fit,,,match,job,x,1,,\n", "", "scoring.csv",
       "2: unknown field 'job' (a role such as notes, or an lc_ column)"},
      {"a,fit,,,match,title,x,many,,\n", "", "scoring.csv",
       "2: points 'many' is not a number"},
      {"a,fit,,,match,title,x,1,-3,\n", "", "scoring.csv",
       "2: cap '-3' must be 0 or more"},
      {"a,fit,,,match,title,,1,,\n", "", "scoring.csv",
       "2: kind match needs a pattern"},
      {"A b,fit,,,match,title,x,1,,\n", "", "scoring.csv",
       "2: rule id 'A b' must be lower-case letters, digits and _"},
      {"a,fit,,,match,title,x,1,,\na,fit,,,match,title,y,1,,\n", "",
       "scoring.csv", "3: duplicate rule id 'a' (first on line 2)"},
      {"a,fit,,,match,title,(gap,1,,\n", "", "scoring.csv",
       "2: bad pattern: missing ): (gap"},
      {"a,intent,,,amount,budget,lots,1,,\n", "", "scoring.csv",
       "2: amount 'lots' is not an amount"},
      {"a,fit,,,match,title,x,1,,\n", "id,value\nhot_score,170\n",
       "scoring_settings.csv", "2: hot_score 170 is outside 0..100"},
      {"a,fit,,,match,title,x,1,,\n", "id,value\nhot_scor,70\n",
       "scoring_settings.csv", "2: unknown setting 'hot_scor'"},
      {"a,fit,,,match,title,x,1,,\n",
       "id,value\nhot_score,30\nwarm_score,40\n", "scoring_settings.csv",
       "3: warm_score is above hot_score"},
  };
  for (const Row& row : rows) {
    INFO("scoring: " << row.scoring << "settings: " << row.settings);
    TempDir defaults, user;
    defaults.Write("scoring_settings.csv", kSettings);
    defaults.Write("scoring.csv", std::string(kHeader) + "ok,fit,,,match,title,x,1,,\n");
    user.Write("scoring.csv", std::string(kHeader) + row.scoring);
    if (*row.settings) {
      user.Write("scoring_settings.csv", row.settings);
    }
    std::string error;
    CHECK_FALSE(ScoreModel::Load(RuleFiles(defaults.path(), user.path()), &error));
    CHECK(error == user.File(row.file) + ":" + row.expected);
  }
}

TEST_CASE("score model: a missing setting is named", "[score][errors]") {
  TempDir dir;
  dir.Write("scoring_settings.csv", "id,value\nfit_weight,1\n");
  dir.Write("scoring.csv", std::string(kHeader) + "a,fit,,,match,title,x,1,,\n");
  std::string error;
  CHECK_FALSE(LoadModel(dir, &error));
  CHECK(error == dir.File("scoring_settings.csv") +
                     ": missing setting 'intent_weight'");
}

// ---- The shipped rules through the stage --------------------------------------

class ShippedLeads {
 public:
  ShippedLeads()
      : table_({{"Chức vụ", Role::kTitle},
                {"Công ty", Role::kCompany},
                {"Nguồn", Role::kSource},
                {"Ngân sách", Role::kBudget},
                {"Thời gian", Role::kTimeline},
                {"Nhu cầu", Role::kNeed},
                {"Ghi chú", Role::kNotes},
                {"Lượt xem", Role::kPageViews},
                {"Ngày tạo", Role::kCreatedAt}}) {
    table_.options().score_now = "2025-03-01";
    std::string error;
    stage_ = MakeScoreStage(table_.Context(), &error);
    INFO(error);
    REQUIRE(stage_);
  }
  Findings Score(const std::vector<std::string>& values) {
    Findings findings;
    findings.Col(Out::kName) = "Nguyễn Văn An";
    findings.Col(Out::kPhone) = "+84912345678";
    stage_->Process(table_.Row(1, values), &findings);
    return findings;
  }

 private:
  testing::TestTable table_;
  std::unique_ptr<Stage> stage_;
};

TEST_CASE("score stage: shipped rules read BANT evidence in Vietnamese and "
          "English",
          "[score][shipped]") {
  struct Row {
    std::vector<std::string> values;
    const char* bant;
    const char* why_has;  // a rule id lc_why must cite
  };
  const Row rows[] = {
      {{"Giám đốc", "", "", "", "", "", "cần báo giá gấp", "", ""},
       "B? A+ N+ T+", "need_quote"},
      {{"Chủ doanh nghiệp", "", "", "50 triệu", "", "", "", "", ""},
       "B+ A+ N? T?", "title_owner"},
      {{"Trưởng phòng", "", "", "", "Trên 6 tháng", "", "", "", ""},
       "B? A+ N? T-", "title_manager"},
      {{"Sinh viên", "", "", "", "", "", "sinh viên làm bài tập", "", ""},
       "B? A- N? T?", "title_student"},
      {{"", "", "", "", "", "", "chưa có nhu cầu", "", ""}, "B? A? N- T?",
       "need_none"},
      {{"", "", "", "Thỏa thuận", "Trong tháng này", "", "", "", ""},
       "B? A? N? T+", "timeline_month"},
      {{"CEO", "", "", "$20,000", "ASAP", "", "Please send quotation", "", ""},
       "B+ A+ N+ T+", "title_executive"},
      {{"", "", "", "chưa có", "", "", "bao gia", "", ""}, "B- A? N+ T?",
       "need_quote"},
      {{"", "", "Data mua", "", "", "", "", "", ""}, "B? A? N? T?",
       "src_purchased"},
      {{"", "", "", "", "", "", "", "", "2025-02-28"}, "B? A? N? T?",
       "recent_lead"},
  };
  ShippedLeads leads;
  for (const Row& row : rows) {
    INFO("row: " << row.values[0] << " | " << row.values[3] << " | "
                 << row.values[4] << " | " << row.values[6]);
    Findings f = leads.Score(row.values);
    CHECK(f.Col(Out::kBant) == row.bant);
    CHECK(f.Col(Out::kWhy).find(row.why_has) != std::string::npos);
    CHECK_FALSE(f.Col(Out::kWhy).empty());
    for (Out out : {Out::kFit, Out::kIntent, Out::kScore}) {
      int value = std::stoi(f.Col(out));
      CHECK((value >= 0 && value <= 100));
    }
  }
}

TEST_CASE("score stage: a committed hot lead outranks a browsing one",
          "[score][shipped]") {
  ShippedLeads leads;
  Findings hot = leads.Score({"Giám đốc", "Công ty TNHH An Phát", "Giới thiệu",
                              "500 triệu", "Gấp", "Phần mềm CRM",
                              "sếp duyệt rồi, cần hợp đồng", "12", "2025-02-27"});
  Findings cold = leads.Score({"Sinh viên", "", "Data mua", "", "Năm sau", "",
                               "tìm hiểu thôi", "0", "2024-01-01"});
  CHECK(hot.Col(Out::kTemperature) == "hot");
  CHECK(hot.Col(Out::kStage) == "sql");
  CHECK(cold.Col(Out::kTemperature) == "cold");
  CHECK(cold.Col(Out::kStage) == "lead");
  CHECK(std::stoi(hot.Col(Out::kScore)) > std::stoi(cold.Col(Out::kScore)) + 40);
}

// ParseTimestamp reads the common export shapes at fixed offsets (recency
// reads created_at on every row); each must agree with a spelling that
// takes the general parser.
TEST_CASE("score recency: common created_at shapes read like general forms",
          "[score][timestamp]") {
  struct Case {
    const char* common;
    const char* general;  // the same instant, or nullptr: not a date
  };
  const Case cases[] = {
      {"12/09/2025 15:05", "12-09-2025 15:05"},
      {"12/09/2025 15:05:13", "12.09.2025 15:05:13"},
      {"2025-09-12 15:05:13", "2025-09-12T15:05:13"},
      {"2025-09-12T15:05:13+07:00", "2025-09-12T15:05:13+0700"},
      {"2025-09-12T05:35:13-03:00", "2025-09-12T05:35:13-0300"},
      {"29/02/2024 23:59:60", "29-02-2024 23:59:60"},
      {"31/04/2025 10:00", nullptr},
      {"29/02/2025 10:00:00", nullptr},
      {"12/09/2025 24:00", nullptr},
      {"12/09/2025 15:60", nullptr},
      {"12/09/2025 15:05:61", nullptr},
      {"2025-13-01 10:00:00", nullptr},
      {"2025-09-12T15:05:13+07:0x", nullptr},
      {"12/09/2025 15:0x", nullptr},
      {"12/09/1899 15:05", nullptr},
  };
  for (const Case& c : cases) {
    INFO(c.common);
    std::optional<int64_t> common = ParseTimestamp(c.common);
    if (c.general == nullptr) {
      CHECK_FALSE(common);
      continue;
    }
    REQUIRE(common);
    CHECK(common == ParseTimestamp(c.general));
    CHECK(ParseTimestamp(c.common, 0) == ParseTimestamp(c.general, 0));
  }
}

TEST_CASE("score stage: --now must be a date", "[score][errors]") {
  testing::TestTable table({{"x", Role::kNone}});
  table.options().score_now = "yesterday";
  std::string error;
  CHECK_FALSE(MakeScoreStage(table.Context(), &error));
  CHECK(error ==
        "--now 'yesterday': not a date (use 2025-09-12, 2025-09-12T15:05+07:00 "
        "or 12/09/2025 15:05)");
}

}  // namespace
}  // namespace leadclean
