#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "leadclean/rules_check.h"
#include "leadclean/stage.h"
#include "leadclean/text.h"
#include "rules_engine/fake_rules.h"
#include "rules_engine/gibberish.h"
#include "rules_engine/required_text.h"
#include "test_util.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

// A fresh user rules directory holding the given files.
class UserRules {
 public:
  explicit UserRules(
      const std::vector<std::pair<std::string, std::string>>& files) {
    static int counter = 0;
    dir_ = fs::temp_directory_path() /
           ("leadclean-fake-test-" + std::to_string(getpid()) + "-" +
            std::to_string(counter++));
    fs::create_directories(dir_);
    for (const auto& [name, text] : files) {
      std::ofstream(dir_ / name) << text;
    }
  }
  UserRules(const std::string& name, const std::string& text)
      : UserRules(std::vector<std::pair<std::string, std::string>>{
            {name, text}}) {}
  ~UserRules() { fs::remove_all(dir_); }

  std::string dir() const { return dir_.string(); }
  std::string path(const std::string& name) const {
    return (dir_ / name).string();
  }
  RuleFiles Files() const {
    return RuleFiles(std::string(LEADCLEAN_SOURCE_DIR) + "/rules", dir());
  }

 private:
  fs::path dir_;
};

constexpr const char* kHeader =
    "id,field,kind,pattern,action,reason,weight,message\n";

// Findings a row-local stage run would leave before the fake stage.
struct Upstream {
  std::string flags;  // ';'-separated
  bool valid_phone = true;
  bool valid_email = true;
};

Findings Prepared(const Upstream& upstream) {
  Findings findings;
  std::stringstream flags(upstream.flags);
  std::string flag;
  while (std::getline(flags, flag, ';')) {
    findings.Flag(flag);
  }
  if (upstream.valid_phone) {
    findings.Col(Out::kPhone) = "+84912000111";
    findings.phone_all = {"+84912000111"};
  }
  if (upstream.valid_email) {
    findings.Col(Out::kEmail) = "lan.nguyen@gmail.com";
  }
  return findings;
}

testing::TestTable LeadTable() {
  return testing::TestTable({{"Họ tên", Role::kName},
                             {"Email", Role::kEmail},
                             {"User agent", Role::kUserAgent},
                             {"hp", Role::kHoneypot},
                             {"Ghi chú", Role::kNotes}});
}

struct FakeCase {
  std::string name;
  std::string email;
  std::string user_agent;
  std::string honeypot;
  Upstream upstream;
  Reason reason;
  std::string rule;  // lc_rule when rejected, else a flag expected on the row
};

void RunCases(const std::vector<FakeCase>& cases) {
  testing::TestTable table = LeadTable();
  std::string error;
  auto stage = MakeFakeStage(table.Context(), &error);
  REQUIRE(stage);
  uint64_t row = 0;
  for (const FakeCase& c : cases) {
    INFO("name '" << c.name << "' email '" << c.email << "' ua '"
                  << c.user_agent << "' flags '" << c.upstream.flags << "'");
    Findings findings = Prepared(c.upstream);
    if (!c.email.empty()) {
      findings.Col(Out::kEmail) = c.email;
    }
    stage->Process(
        table.Row(++row, {c.name, c.email, c.user_agent, c.honeypot, ""}),
        &findings);
    INFO("got " << ReasonName(findings.reason) << " " << findings.rule
                << ": " << findings.detail << " flags " << findings.flags);
    CHECK(findings.reason == c.reason);
    if (c.reason != Reason::kNone) {
      CHECK(findings.rule == c.rule);
    } else if (!c.rule.empty()) {
      CHECK(findings.HasFlag(c.rule));
    }
  }
}

TEST_CASE("fake stage: placeholder, test and mash names are rejected",
          "[fake]") {
  RunCases({
      {"test", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"TEST TEST", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"asdf", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"N/A", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"-", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"khách hàng", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"Khach Hang", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"anh/chị", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"chị", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"Nguyễn Văn A", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"Nguyen Van A", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"nguyễn văn a", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"Trần Thị B", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"Phạm Văn D", "", "", "", {}, Reason::kFake, "name_textbook"},
      {"John Doe", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"<test lead: dummy data for full_name>", "", "", "", {},
       Reason::kFake, "name_placeholder"},
      {"Test Nguyen", "", "", "", {}, Reason::kFake, "name_test_word"},
      {"test123", "", "", "", {}, Reason::kFake, "name_test_word"},
      {"0912345678", "", "", "", {}, Reason::kFake, "name_digits_only"},
      {"nguye123", "", "", "", {}, Reason::kFake, "name_has_digit"},
      {"Nguyễn Văn 123", "", "", "", {}, Reason::kFake, "name_has_digit"},
      {"lan@gmail.com", "", "", "", {}, Reason::kFake, "name_has_at"},
      {"ádasdasd", "", "", "", {}, Reason::kFake, "name_gibberish"},
      {"sdfsdf", "", "", "", {}, Reason::kFake, "name_gibberish"},
      {"Jhgjhg Kjh", "", "", "", {}, Reason::kFake, "name_gibberish"},
      {"XkTpwQzLmRvBnJdY", "", "", "", {}, Reason::kFake, "name_gibberish"},
      {"www.seo-top1.vn", "", "", "", {}, Reason::kFake, "name_url"},
  });
}

TEST_CASE("fake stage: real names, pronoun-prefixed names and lookalikes "
          "are kept",
          "[fake]") {
  RunCases({
      {"Nguyễn Thị Thu Hương", "", "", "", {}, Reason::kNone, ""},
      {"Nguyen Thi Thu Huong", "", "", "", {}, Reason::kNone, ""},
      {"chị Hương", "", "", "", {}, Reason::kNone, ""},
      {"Chi", "", "", "", {}, Reason::kNone, ""},
      {"Bà Nguyễn Thị Ba", "", "", "", {}, Reason::kNone, ""},
      {"Ba", "", "", "", {}, Reason::kNone, ""},
      {"Anh", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"Ánh", "", "", "", {}, Reason::kNone, ""},
      {"Thu", "", "", "", {}, Reason::kNone, ""},
      {"Testa Maria", "", "", "", {}, Reason::kNone, ""},
      {"Nguyễn Văn An", "", "", "", {}, Reason::kNone, ""},
      {"Ksor H'Bia", "", "", "", {}, Reason::kNone, ""},
      {"Michael Schwarzenegger", "", "", "", {}, Reason::kNone, ""},
      {"Nguyễn Văn Test1", "", "", "", {}, Reason::kFake, "name_test_word"},
  });
}

TEST_CASE("fake stage: list rules match values whose first character "
          "folds onto an item's, in any case or spelling",
          "[fake][prefilter]") {
  RunCases({
      {"Lan", "Test@Meta.com", "", "", {}, Reason::kFake, "meta_test_email"},
      {"Lan", "(test@fb.com)", "", "", {}, Reason::kFake, "meta_test_email"},
      {"Éxample", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"Thử", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"ĐEMO", "", "", "", {}, Reason::kFake, "name_placeholder"},
      {"Lan", "lan.test@meta.com", "", "", {}, Reason::kNone, ""},
  });
}

TEST_CASE("fake stage: a group ruled out before its memo still fires on "
          "values its cheap tests pass",
          "[fake][prefilter]") {
  testing::TestTable table({{"Họ tên", Role::kName}, {"Phone", Role::kPhone}});
  std::string error;
  auto stage = MakeFakeStage(table.Context(), &error);
  REQUIRE(stage);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<test lead: dummy data for phone_number>", "meta_test_phone"},
      {"<TEST LEAD>", "meta_test_phone"},
      {"< test lead", "meta_test_phone"},
      {"0912 345 678", ""},
      {"test lead", ""},
  };
  uint64_t row = 0;
  for (const auto& [phone, rule] : cases) {
    INFO("phone '" << phone << "'");
    Findings findings = Prepared({});
    stage->Process(table.Row(++row, {"Lan", phone}), &findings);
    CHECK(findings.rule == rule);
  }
  RequiredText prefix_only;
  prefix_only.Add("^<\\s*test lead");
  CHECK_FALSE(prefix_only.ScansText());
  RequiredText with_k;
  with_k.Add("^ok");
  CHECK(with_k.ScansText());  // K (U+212A) anywhere passes
}

TEST_CASE("fake stage: upstream phone and email flags decide as documented",
          "[fake]") {
  RunCases({
      {"Lan", "", "", "", {"phone_placeholder", true, true}, Reason::kFake,
       "phone_placeholder"},
      {"Lan", "", "", "", {"email_disposable", false, true}, Reason::kFake,
       "email_disposable_only"},
      {"Lan", "", "", "", {"email_disposable", true, true}, Reason::kNone,
       "email_disposable"},
      {"Lan", "", "", "", {"email_placeholder", false, true}, Reason::kFake,
       "email_placeholder_only"},
      {"Lan", "", "", "", {"email_placeholder", true, true}, Reason::kNone,
       "email_placeholder"},
      {"Lan", "test@meta.com", "", "", {}, Reason::kFake, "meta_test_email"},
      {"Lan", "", "", "", {"email_role;email_free", true, true},
       Reason::kNone, ""},
  });
}

TEST_CASE("fake stage: flag weights reaching the threshold reject, naming "
          "every contributing rule",
          "[fake]") {
  RunCases({
      {"Lan", "", "", "", {"email_placeholder", true, true}, Reason::kNone,
       "email_placeholder"},
      {"Lan", "", "", "", {"email_placeholder;email_disposable", true, true},
       Reason::kFake, "email_placeholder+email_disposable"},
      {"Lan", "", "", "", {"email_placeholder;email_gibberish", true, true},
       Reason::kFake, "email_placeholder+email_gibberish"},
      {"Lan", "sdfsdf@gmail.com", "", "", {"email_gibberish", true, true},
       Reason::kFake, "email_gibberish+email_local_gibberish"},
      {"Lan", "ntthuong92@gmail.com", "", "", {}, Reason::kNone, ""},
  });
}

TEST_CASE("fake stage: bot user agents and a filled honeypot are bots",
          "[fake]") {
  const char* kBrowser =
      "Mozilla/5.0 (Linux; Android 11; CUBOT X50) AppleWebKit/537.36 "
      "(KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";
  RunCases({
      {"Lan", "", "python-requests/2.31.0", "", {}, Reason::kBot,
       "bot_user_agent"},
      {"Lan", "", "curl/8.4.0", "", {}, Reason::kBot, "bot_user_agent"},
      {"Lan", "", "Mozilla/5.0 HeadlessChrome/120.0.0.0", "", {},
       Reason::kBot, "bot_user_agent"},
      {"Lan", "", "Go-http-client/1.1", "", {}, Reason::kBot,
       "bot_user_agent"},
      {"Lan", "", "Scrapy/2.11 (+https://scrapy.org)", "", {}, Reason::kBot,
       "bot_user_agent"},
      {"Lan", "", "Mozilla/5.0 (compatible; Googlebot/2.1)", "", {},
       Reason::kBot, "bot_user_agent"},
      {"Lan", "", kBrowser, "", {}, Reason::kNone, ""},
      {"Lan", "", "", "http://spam.example", {}, Reason::kBot, "honeypot"},
      {"test", "", "curl/8.4.0", "", {}, Reason::kBot, "bot_user_agent"},
  });
}

TEST_CASE("fake stage: lc_detail names the rule, its message and the value",
          "[fake]") {
  testing::TestTable table = LeadTable();
  std::string error;
  auto stage = MakeFakeStage(table.Context(), &error);
  REQUIRE(stage);
  Findings findings = Prepared({});
  stage->Process(table.Row(1, {"sdfsdf", "", "", "", ""}), &findings);
  CHECK(findings.detail ==
        "name_gibberish: keyboard mash in the name (name 'sdfsdf'; "
        "repeated pattern 'sdfsdf')");
  findings = Prepared({"email_disposable", true, true});
  findings.Col(Out::kEmail) = "sdfsdf@gmail.com";
  stage->Process(table.Row(2, {"Lan", "sdfsdf@gmail.com", "", "", ""}),
                 &findings);
  CHECK(findings.detail ==
        "flag weight 3 >= 3: email_disposable: disposable email (flag "
        "email_disposable) [1]; email_local_gibberish: keyboard mash before "
        "the @ (email_local 'sdfsdf'; repeated pattern 'sdfsdf') [2]");
}

TEST_CASE("fake stage: rules on a column the input lacks stay inactive",
          "[fake]") {
  testing::TestTable table({{"Tên", Role::kName}});
  std::string error;
  auto stage = MakeFakeStage(table.Context(), &error);
  REQUIRE(stage);
  Findings findings = Prepared({});
  stage->Process(table.Row(1, {"Lan"}), &findings);
  CHECK_FALSE(findings.rejected());
  nlohmann::json report;
  stage->Report(&report);
  std::vector<std::string> inactive = report["inactive_rules"];
  CHECK(std::find(inactive.begin(), inactive.end(), "honeypot") !=
        inactive.end());
  CHECK(std::find(inactive.begin(), inactive.end(), "name_placeholder") ==
        inactive.end());
}

TEST_CASE("fake rules: a user's rules add, replace and switch off defaults",
          "[fake][rules]") {
  UserRules user({{"fake_rules.csv",
                   std::string(kHeader) +
                       "name_placeholder,name,list,x,off,,,\n"
                       "name_gibberish,name,detector,gibberish,flag,fake,1,"
                       "mash\n"
                       "vip_only,company,regex,\"^acme, inc$\",reject,fake,,"
                       "our own company\n"},
                  {"fake_settings.csv", "setting,value\nburst_count,9\n"}});
  FakeRuleSet rules;
  std::string error;
  REQUIRE(LoadFakeRules(user.Files(), &rules, &error));
  auto find = [&](const std::string& id) -> const FakeRule* {
    for (const FakeRule& rule : rules.rules) {
      if (rule.id == id) {
        return &rule;
      }
    }
    return nullptr;
  };
  REQUIRE(find("name_placeholder"));
  CHECK(find("name_placeholder")->action == RuleAction::kOff);
  CHECK(find("name_gibberish")->action == RuleAction::kFlag);
  CHECK(find("name_gibberish")->weight == 1);
  REQUIRE(find("vip_only"));
  CHECK(find("vip_only")->pattern == "^acme, inc$");
  CHECK(rules.settings.burst_count == 9);
  CHECK(rules.settings.flag_threshold == 3);
}

TEST_CASE("fake rules: a user's list file adds to the default list",
          "[fake][rules]") {
  UserRules user("placeholder_names.txt", "# ours\nBệnh nhân\n");
  testing::TestTable table({{"name", Role::kName}});
  RuleFiles files = user.Files();
  StageContext context = table.Context();
  context.rules = &files;
  std::string error;
  auto stage = MakeFakeStage(context, &error);
  REQUIRE(stage);
  for (std::string name : {"benh nhan", "test"}) {
    INFO(name);
    Findings findings = Prepared({});
    stage->Process(table.Row(1, {name}), &findings);
    CHECK(findings.rule == "name_placeholder");
  }
}

struct BadRule {
  std::string file;
  std::string text;
  std::string message;  // after "<path>:"
};

TEST_CASE("fake rules: a bad rule stops with file:line: message",
          "[fake][rules]") {
  const std::string h = kHeader;
  const BadRule cases[] = {
      {"fake_rules.csv", h + ",name,regex,x,reject,fake,,m\n",
       "2: rule id is empty"},
      {"fake_rules.csv", h + "Bad-Id,name,regex,x,reject,fake,,m\n",
       "2: rule id 'Bad-Id' may only use a-z, 0-9 and '_'"},
      {"fake_rules.csv", h + "r1,name,regexp,x,reject,fake,,m\n",
       "2: rule 'r1': unknown kind 'regexp' (expected regex, list, "
       "contains, flag or detector)"},
      {"fake_rules.csv", h + "r1,name,regex,x,drop,fake,,m\n",
       "2: rule 'r1': unknown action 'drop' (expected reject, flag or off)"},
      {"fake_rules.csv", h + "r1,name,regex,x,reject,spam,,m\n",
       "2: rule 'r1': unknown reason 'spam' (expected fake or bot)"},
      {"fake_rules.csv", h + "r1,name,regex,x,flag,fake,heavy,m\n",
       "2: rule 'r1': weight 'heavy' is not a number >= 0"},
      {"fake_rules.csv", h + "r1,name,regex,x,flag,fake,-1,m\n",
       "2: rule 'r1': weight '-1' is not a number >= 0"},
      {"fake_rules.csv", h + "# note\nr1,name,regex,(abc,reject,fake,,m\n",
       "3: rule 'r1': bad regex: missing ): (abc"},
      {"fake_rules.csv", h + "r1,name,regex,,reject,fake,,m\n",
       "2: rule 'r1': pattern is empty"},
      {"fake_rules.csv", h + "r1,,regex,x,reject,fake,,m\n",
       "2: rule 'r1': field is empty"},
      {"fake_rules.csv", h + "r1,name,detector,magic,reject,fake,,m\n",
       "2: rule 'r1': unknown detector 'magic' (expected gibberish, "
       "unlikely_letters, filled, disposable_only, placeholder_email_only, "
       "burst, sequential_email, shared_phone or repeated_text)"},
      {"fake_rules.csv",
       h + "r1,name,regex,x,reject,fake,,m\nr1,name,regex,y,reject,fake,,m\n",
       "3: rule 'r1' is already defined on line 2"},
      {"fake_rules.csv", h + "r1,name,list,@nope.txt,reject,fake,,m\n",
       "2: rule 'r1': list file 'nope.txt' not found in the rules "
       "directories"},
      {"fake_rules.csv", h + "r1,name,list,@../x.txt,reject,fake,,m\n",
       "2: rule 'r1': list file '../x.txt' must be a plain file name in the "
       "rules directory"},
      {"fake_settings.csv", "setting,value\nburst_size,3\n",
       "2: unknown setting 'burst_size'"},
      {"fake_settings.csv", "setting,value\n\nburst_count,2.5\n",
       "3: setting 'burst_count': '2.5' is not a whole number > 0"},
      {"fake_settings.csv", "setting,value\nflag_threshold,0\n",
       "2: setting 'flag_threshold': '0' is not a number > 0"},
  };
  for (const BadRule& c : cases) {
    INFO(c.text);
    UserRules user(c.file, c.text);
    FakeRuleSet rules;
    std::string error;
    CHECK_FALSE(LoadFakeRules(user.Files(), &rules, &error));
    CHECK(error == user.path(c.file) + ":" + c.message);
  }
}

TEST_CASE("fake rules: a bad list file reports its own file and line",
          "[fake][rules]") {
  UserRules user("placeholder_names.txt", "ok\n\xff\xfe\n");
  FakeRuleSet rules;
  std::string error;
  CHECK_FALSE(LoadFakeRules(user.Files(), &rules, &error));
  CHECK(error == user.path("placeholder_names.txt") + ":2: not valid UTF-8");
}

TEST_CASE("rules check: the shipped rules pass, a bad user rule is reported",
          "[fake][rules]") {
  CHECK(CheckRules(testing::ShippedRules()).empty());
  UserRules user("fake_rules.csv",
                 std::string(kHeader) + "r1,name,regex,[z-a],reject,,,\n");
  std::vector<std::string> problems = CheckRules(user.Files());
  REQUIRE(problems.size() == 1);  // once, though two stages load it
  CHECK(problems[0] == user.path("fake_rules.csv") +
                           ":2: rule 'r1': bad regex: invalid character "
                           "class range: z-a");
}

// ---- Gibberish -------------------------------------------------------------

TEST_CASE("gibberish: keyboard mash in names is detected", "[fake][gibberish]") {
  const char* mash[] = {
      "ádasdasd", "sdfsdf",  "jhgjhg", "asdf",   "qwerty", "XkTpwQzLmRvBnJdY",
      "aaa",      "xxx",     "zzzz",   "abcabc", "lkjlkj", "fghfgh",
      "sdfghj",   "kjhkjh",  "asdasd", "qweqwe", "dsfsdf", "sdfdsf",
      "gfdgfd",   "jkljkl",  "asdkjh", "sadsad", "dasdas", "ddddd",
      "zxcvb",    "poiuy",   "lkjhg",  "hgfhgf", "fjdksla", "dfghjk",
      "hjkl",     "xcvxcv",  "rtyrty", "Nguyễn sdf", "Trần Jhgk",
      "ưqeưqe",   "yCytYoteOnNTu", "tryNPOnlNIoktRYR"};
  for (const char* name : mash) {
    INFO(name);
    GibberishVerdict verdict = ScoreName(name, FoldKey(name));
    CHECK(verdict.level == GibberishLevel::kMash);
  }
}

TEST_CASE("gibberish: mash in email local parts is detected, initials and "
          "numbers are not",
          "[fake][gibberish]") {
  const std::pair<const char*, bool> locals[] = {
      {"sdfsdf", true},        {"asdfgh123", true},   {"qwerty", true},
      {"jhgjhg.kjh", true},    {"ntthuong92", false}, {"hungpv", false},
      {"nguyenvanan", false},  {"lan.anh.1995", false}, {"tphcm.sales", false},
      {"thu_huong", false},    {"john.smith", false}, {"info", false},
      {"ttxvn2020", false},    {"kimlt", false},
  };
  for (const auto& [local, mash] : locals) {
    INFO(local);
    CHECK((ScoreEmailLocal(FoldKey(local)).level == GibberishLevel::kMash) ==
          mash);
  }
}

// Names built from reference/vietnam.md §4.2-4.4.
const std::vector<std::string>& Surnames() {
  static const std::vector<std::string> names = {
      "Nguyễn", "Trần", "Lê",    "Phạm",  "Hoàng", "Huỳnh", "Phan",  "Vũ",
      "Võ",     "Đặng", "Bùi",   "Đỗ",    "Hồ",    "Ngô",   "Dương", "Lý",
      "Trương", "Đoàn", "Đinh",  "Trịnh", "Cao",   "Đào",   "Mai",   "Lương",
      "Lưu",    "Lâm",  "Hà",    "Thái",  "Phùng", "Tạ",    "Vương", "Chu",
      "Tô",     "Tăng", "Quách", "La",    "Kiều",  "Triệu", "Thạch", "Kim",
      "Hứa",    "Châu", "Giàng", "Vừ",    "Lò",    "Sùng",  "Thào",  "Hờ"};
  return names;
}

const std::vector<std::string>& Middles() {
  static const std::vector<std::string> names = {
      "Văn",  "Thị",  "Minh", "Hoàng", "Ngọc",  "Thanh", "Đức", "Quốc",
      "Quang", "Hữu", "Đình", "Xuân",  "Thành", "Duy",   "Anh", "Trung",
      "Tấn",  "Công", "Tuấn", "Trọng", "Hồng",  "Thế",   "Tiến", "Mạnh",
      "Nhật", "Việt", "Huy",  "Chí",   "Hoài",  "Hải",   "Đăng", "Bá",
      "Phước", "Kim", "Thu",  "Mỹ",    "Bích",  "Phương", "Thùy", "Như",
      "Thúy", "Diễm", "Kiều"};
  return names;
}

const std::vector<std::string>& GivenNames() {
  static const std::vector<std::string> names = {
      "Anh",  "Huy",   "Tuấn",  "Duy",   "Hoàng", "Nam",   "Minh",  "Dũng",
      "Hiếu", "Đạt",   "Cường", "Hùng",  "Tùng",  "Sơn",   "Thành", "Trung",
      "Hải",  "Long",  "Vũ",    "Linh",  "Nguyên", "Đức",  "Tâm",   "Tiến",
      "Phương", "Phúc", "Thắng", "Thịnh", "Khoa", "Vinh",  "Hưng",  "Khánh",
      "Quân", "Tài",   "Trí",   "An",    "Bảo",   "Phong", "Toàn",  "Quang",
      "Nghĩa", "Nhân", "Việt",  "Dung",  "Thảo",  "Ngân",  "Trang", "Hương",
      "Nga",  "Hà",    "Huyền", "Mai",   "Loan",  "Ngọc",  "Thúy",  "Hằng",
      "Yến",  "Nhi",   "Hiền",  "Thương", "Hường", "Nhung", "Thanh", "Vân",
      "Hạnh", "Thư",   "Trâm",  "Duyên", "Thủy",  "My",    "Thoa",  "Ánh",
      "Hoa",  "Châu",  "Hân",   "Oanh",  "Thùy",  "Hồng",  "Lan",   "Cúc",
      "Huệ",  "Đào",   "Thu",   "Nguyệt", "Phú",  "Dương", "Lâm"};
  return names;
}

std::vector<std::string> GeneratedVietnameseNames(int count) {
  std::mt19937 random(42);
  auto pick = [&](const std::vector<std::string>& list) {
    return list[random() % list.size()];
  };
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    std::string name = pick(Surnames());
    for (int m = random() % 3; m > 0; --m) {
      name += " " + pick(Middles());
    }
    names.push_back(name + " " + pick(GivenNames()));
  }
  return names;
}

TEST_CASE("gibberish: no false positive on generated Vietnamese names, with "
          "or without diacritics and spaces",
          "[fake][gibberish]") {
  int checked = 0;
  for (const std::string& name : GeneratedVietnameseNames(600)) {
    std::string folded = FoldKey(name);
    std::string joined = folded;
    std::erase(joined, ' ');
    for (const std::string& form : {name, folded, joined}) {
      INFO(form);
      CHECK(ScoreName(form, FoldKey(form)).level == GibberishLevel::kNone);
      CHECK(ScoreEmailLocal(FoldKey(form)).level == GibberishLevel::kNone);
      ++checked;
    }
  }
  CHECK(checked == 1800);
}

TEST_CASE("fold: FoldKey equals the ICU fold on names the fake stage sees",
          "[fake][fold]") {
  std::vector<std::string> texts = {
      "Nguyễn Thị Thu Hương", "ĐẶNG VĂN ĐỨC", "Hoà Thuỷ", "Trần-Lê  (Mai)",
      "Nguye\xCC\x82\xCC\x83n", "Zoë Ångström", "Straße", "Æsir Øre",
      "O'Brien 3rd", "Số ĐT/Zalo: 0912", "\xE2\x80\x93 x \xC2\xA0y",
      "北京 Lee", "bad \xC3", "emoji \xF0\x9F\x98\x80 ok", "", "  ",
      "ǅemal Ǆ", "İstanbul", "ﬁne"};
  for (const std::string& name : GeneratedVietnameseNames(300)) {
    texts.push_back(name);
    texts.push_back(Lower(name));
  }
  for (const std::string& text : texts) {
    INFO(text);
    CHECK(FoldKey(text) == FoldKeyIcu(text));
  }
}

TEST_CASE("gibberish: no false positive on common English names",
          "[fake][gibberish]") {
  const char* names[] = {
      "James Smith",       "Mary Johnson",     "Robert Williams",
      "Patricia Brown",    "Michael Jones",    "Jennifer Garcia",
      "William Miller",    "Elizabeth Davis",  "Christopher Wilson",
      "Jessica Anderson",  "Matthew Taylor",   "Ashley Thomas",
      "Joshua Moore",      "Stephanie Jackson", "Andrew Martin",
      "Kimberly Thompson", "Kenneth White",    "Rebecca Harris",
      "Kevin Clark",       "Deborah Lewis",    "Brian Robinson",
      "Katherine Walker",  "Timothy Young",    "Samantha Allen",
      "Jeffrey Wright",    "Nicole Scott",     "Gregory Hill",
      "Heather Green",     "Raymond Adams",    "Catherine Baker",
      "Dennis Nelson",     "Christina Carter", "Tyler Mitchell",
      "Kathleen Roberts",  "Aaron Phillips",   "Megan Campbell",
      "Zachary Parker",    "Hannah Evans",     "Douglas Turner",
      "Jacqueline Collins", "Ethan Edwards",   "Abigail Stewart",
      "Walter Morris",     "Madison Murphy",   "Jeremy Cook",
      "Brittany Rogers",   "Harold Morgan",    "Theresa Cooper",
      "Bruce Peterson",    "Natalie Bailey",   "Werner Schmidt",
      "Lachlan Berry",     "Siobhan O'Brien",  "Seamus McDonald",
      "Mohammed Hassan",   "Priya Patel",      "Wei Zhang",
      "Xiaoming Liu",      "Hyun Choi",        "Knightley Wright",
      "Schwarz Hugh",      "Lynn Flynn",       "Bryn Glyn",
      "Gwyneth Strickland", "Dwight Yoakam",   "Angelique DeLaCruz",
      "JohnMcDonaldSmith", "NguyenThiThuHuong", "MacKenzieDeLaCruz",
      "LeThiBaoAn",        "McDONALD Ronald",  "O'Neil-MacArthur",
  };
  for (const char* name : names) {
    INFO(name);
    GibberishVerdict verdict = ScoreName(name, FoldKey(name));
    CHECK(verdict.level != GibberishLevel::kMash);
  }
}

TEST_CASE("gibberish: FEBRL names are almost never mash, and never "
          "rejected as such in bulk",
          "[fake][gibberish]") {
  std::ifstream in(std::string(LEADCLEAN_TESTDATA_DIR) +
                   "/febrl/dataset2.csv");
  if (!in) {
    WARN("FEBRL test data not found; skipped");
    return;
  }
  std::string line;
  int names = 0;
  int mash = 0;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.find("-org,") == std::string::npos) {
      continue;
    }
    std::stringstream cells(line);
    std::string id, given, surname;
    std::getline(cells, id, ',');
    std::getline(cells, given, ',');
    std::getline(cells, surname, ',');
    std::string name = std::string(Trim(given)) + " " +
                       std::string(Trim(surname));
    ++names;
    if (ScoreName(name, FoldKey(name)).level == GibberishLevel::kMash) {
      ++mash;
      UNSCOPED_INFO("mash: " << name);
    }
  }
  CHECK(names > 3000);
  CHECK(mash * 1000 <= names);  // at most 0.1 %
}

}  // namespace
}  // namespace leadclean

#include <re2/re2.h>

#include "rules_engine/required_text.h"

namespace leadclean {
namespace {

// Random texts made of a pattern's own characters and of characters that
// fold onto ASCII letters (K, ſ) or look like them.
std::vector<std::string> TextsFor(const std::string& pattern,
                                  std::mt19937* random) {
  std::vector<std::string> pieces = {
      "a", "K", "k", "s", "S", "\xE2\x84\xAA", "\xC5\xBF", " ", "\t", "0",
      "9", "@", "<", ".", "-", "é", "ệ", "x", "_", "\n", "test", "van ",
      "http://", "www.", "Nguyễn", "thi a"};
  for (char c : pattern) {
    pieces.emplace_back(1, c);
    pieces.emplace_back(1, static_cast<char>(std::toupper(c)));
  }
  std::vector<std::string> texts;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    int count = static_cast<int>((*random)() % 9);
    for (int k = 0; k < count; ++k) {
      text += pieces[(*random)() % pieces.size()];
    }
    texts.push_back(text);
  }
  // The pattern's literal text, whole and cut.
  texts.push_back(pattern);
  for (size_t cut = 0; cut < pattern.size(); ++cut) {
    texts.push_back(pattern.substr(cut));
    texts.push_back(pattern.substr(0, cut));
  }
  return texts;
}

TEST_CASE("RequiredText: never rules out a text the regex matches",
          "[fake][prefilter]") {
  const std::vector<std::string> patterns = {
      "^<\\s*test lead",
      "^(?:[a-z]+ )?(?:van|thi) [a-e]$",
      "\\b(?:test|testing|tester|demo|dummy|sample|asdf|qwerty)\\d*\\b",
      "^[\\d\\s.+()-]+$",
      "https?://|www\\.",
      "\\d",
      "@",
      "^(?:test|testing|tester|asdf|qwerty|fake|dummy|spam|example|noemail|"
      "none|null)[\\d._-]*$",
      "seo\\ service|d\xE1\xBB\x8B" "ch\\ v\xE1\xBB\xA5\\ seo|backlink",
      "a+b", "^abc|xyz", "(?:a|b)c", "[a-c]x", "\\bfoo\\b", "x?y",
      "(?i)k", "k", "s", "[^a]", "a{2}", "(?-i)abc", "\\d+", "[[:alpha:]]z",
      "\\x41", "ab*c", "a.c", "(ab)+c", "^?ab", "\xC3\xA9", "x\xC3\xA9+",
      "[\xC3\xA9]", "\\pL", "a|", "(?:)", "()a", "\\Qab\\E", "[\\d.]+$",
      "^[\\w]", "\xC5\xBF", "\xE2\x84\xAA", "[]a]", "[a-]", "[-a]x",
      "^^a", "(?:^a|b)c", "a*?b", "a+?b", "(a|b)*c", "\\Bx", "\\.\\-",
      "[\\]]", "s\\b", "[k-m]", "[A-Z]q", "^\\s*$", "^$", "a$b", "\\S\\w",
      "(?:ab|cd)+e", "(?:ab|)c", "\\Aab\\z", "x\\Cy", "ab$", "a+b$",
      "ab+$", "[xy]z$", "x\\z", "a$|b", "(?:a$|b)c", "\\d$", "k$", "s\\z",
      "^a.*b$", " [a-e]$", "a\\b$", "a?b$", "(?:x|y)z$", "[\\d.]{2}$",
      "\\.\\d+$", "a$$", "ab$c"};
  std::mt19937 random(9);
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  for (const std::string& pattern : patterns) {
    RE2 re(pattern, options);
    if (!re.ok()) {
      continue;
    }
    RequiredText required;
    required.Add(pattern);
    for (const std::string& text : TextsFor(pattern, &random)) {
      INFO(pattern << " on '" << text << "'");
      if (RE2::PartialMatch(text, re)) {
        CHECK(required.MayMatch(text));
      }
      if (!required.MayMatchFolded()) {
        CHECK_FALSE(RE2::PartialMatch(FoldKey(text), re));
      }
    }
  }
}

TEST_CASE("RequiredText: rules out ordinary names for the name rules",
          "[fake][prefilter]") {
  RequiredText required;
  for (const char* pattern :
       {"^<\\s*test lead", "^(?:[a-z]+ )?(?:van|thi) [a-e]$",
        "\\b(?:test|testing|tester|demo|dummy|sample|asdf|qwerty)\\d*\\b",
        "^[\\d\\s.+()-]+$", "https?://|www\\.", "\\d", "@"}) {
    required.Add(pattern);
  }
  CHECK_FALSE(required.passes_all());
  CHECK_FALSE(required.MayMatch("Nguyễn Hoàng Long"));
  CHECK_FALSE(required.MayMatch("le minh tai"));
  CHECK(required.MayMatch("Nguyen Van A"));
  CHECK(required.MayMatch("Test User"));
  CHECK(required.MayMatch(" 0901"));
  CHECK(required.MayMatchFolded());
  RequiredText phone;
  phone.Add("^<\\s*test lead");
  CHECK_FALSE(phone.MayMatchFolded());
  RequiredText flags;
  flags.Add("(?i)abc");
  CHECK(flags.passes_all());
  CHECK(flags.MayMatch("zzz"));
}

TEST_CASE("RequiredText: a pattern ending in $ needs its last characters "
          "at the end, in either case",
          "[fake][prefilter]") {
  RequiredText textbook;
  textbook.Add("^(?:[a-z]+ )?(?:van|thi) [a-e]$");
  CHECK(textbook.MayMatch("nguyen van a"));
  CHECK(textbook.MayMatch("Nguyễn Thị E"));
  CHECK_FALSE(textbook.MayMatch("nguyen van anh"));
  CHECK_FALSE(textbook.MayMatch("Le Thi Ngoc"));
  CHECK(textbook.MayMatchFolded());
  RequiredText kelvin;
  kelvin.Add("ak$");
  CHECK(kelvin.MayMatch("A\xE2\x84\xAA"));  // K folds onto k in RE2
  CHECK_FALSE(kelvin.MayMatch("akx"));
  RequiredText pairs;
  pairs.Add("www\\.");
  CHECK(pairs.MayMatch("see WwW.example"));
  CHECK_FALSE(pairs.MayMatch("ww w."));
}

}  // namespace
}  // namespace leadclean
