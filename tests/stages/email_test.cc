// Unit tests of the email stage: address syntax, cell splitting, each flag,
// typo correction, dedup keys, multi-address cells and rule-file errors.
// Conformance with the public suites is in email_conformance_test.cc.
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "leadclean/pipeline.h"
#include "leadclean/rules.h"
#include "leadclean/stage.h"
#include "stages/email_address.h"
#include "stages/email_cell.h"
#include "stages/email_rules.h"
#include "stages/email_typo.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

const RuleFiles& ShippedRules() {
  static const RuleFiles rules(LEADCLEAN_SOURCE_DIR "/rules", "");
  return rules;
}

std::unique_ptr<Stage> MakeStage(const std::string& typos = "fix") {
  Options options;
  options.email_typos = typos;
  StageContext context{&options, &ShippedRules(), nullptr};
  std::string error;
  auto stage = MakeEmailStage(context, &error);
  INFO(error);
  REQUIRE(stage != nullptr);
  return stage;
}

const Stage& DefaultStage() {
  static const std::unique_ptr<Stage> stage = MakeStage();
  return *stage;
}

// Runs `stage` on one row whose columns are all email columns.
Findings RunCells(const Stage& stage, const std::vector<std::string>& cells) {
  Schema schema;
  std::array<std::vector<int>, static_cast<int>(Role::kCount)> columns;
  std::vector<std::string_view> fields;
  for (size_t i = 0; i < cells.size(); ++i) {
    schema.names.push_back("email" + std::to_string(i));
    schema.roles.push_back(Role::kEmail);
    columns[static_cast<int>(Role::kEmail)].push_back(static_cast<int>(i));
    fields.emplace_back(cells[i]);
  }
  RowView row{1, &schema, fields, &columns};
  Findings findings;
  stage.Process(row, &findings);
  return findings;
}

Findings Run(const std::string& cell) {
  return RunCells(DefaultStage(), {cell});
}

std::string Parsed(std::string_view text) {
  EmailAddress address;
  EmailSyntax syntax = ParseEmailAddress(text, &address);
  return syntax == EmailSyntax::kOk
             ? address.Joined()
             : "!" + std::string(EmailSyntaxName(syntax));
}

TEST_CASE("ParseEmailAddress: accepts practical addresses and normalises them",
          "[email][syntax]") {
  struct Case {
    std::string input;
    std::string expected;
  };
  const Case cases[] = {
      {"an.nguyen@gmail.com", "an.nguyen@gmail.com"},
      {"An.Nguyen@Gmail.COM", "An.Nguyen@gmail.com"},
      {"user+tag@sub.company.com.vn", "user+tag@sub.company.com.vn"},
      {"o'brien@x.ie", "o'brien@x.ie"},
      {"!#$%&'*+-/=?^_`{|}~@iana.org", "!#$%&'*+-/=?^_`{|}~@iana.org"},
      {"a@b.co", "a@b.co"},
      {"x@c--n.com", "x@c--n.com"},
      {"jeff@\u81FA\u7DB2\u4E2D\u5FC3.tw", "jeff@xn--fiqq24b10vi0d.tw"},
      {"sales@C\u00F4ng-Ty.vn", "sales@xn--cng-ty-ixa.vn"},
      {"nguy\u1EC5n@gmail.com", "nguy\u1EC5n@gmail.com"},
      // NFC: s + dot below + dot above -> U+1E69.
      {"s\u0323\u0307@nfc.tld", "\u1E69@nfc.tld"},
      {"test@xn--hxajbheg2az3al.xn--jxalpdlp",
       "test@xn--hxajbheg2az3al.xn--jxalpdlp"},
      {std::string(64, 'a') + "@iana.org", std::string(64, 'a') + "@iana.org"},
  };
  for (const Case& c : cases) {
    INFO(c.input);
    CHECK(Parsed(c.input) == c.expected);
  }
}

TEST_CASE("ParseEmailAddress: refuses bad syntax with a reason",
          "[email][syntax]") {
  struct Case {
    std::string input;
    EmailSyntax expected;
  };
  const Case cases[] = {
      {"", EmailSyntax::kEmpty},
      {"hello.world", EmailSyntax::kNoAt},
      {"a@b@c.com", EmailSyntax::kManyAt},
      {"@gmail.com", EmailSyntax::kNoLocal},
      {"an@", EmailSyntax::kNoDomain},
      {"\xC3\x28@x.com", EmailSyntax::kBadUtf8},
      {"a\u200B@x.com", EmailSyntax::kUnsafeChar},
      {"\u0300a@x.com", EmailSyntax::kUnsafeChar},
      {"\uFFFD@x.com", EmailSyntax::kUnsafeChar},
      {"\"quoted\"@x.com", EmailSyntax::kQuotedLocal},
      {"white space@x.com", EmailSyntax::kLocalChar},
      {"a(comment)@x.com", EmailSyntax::kLocalChar},
      {".an@x.com", EmailSyntax::kLocalDot},
      {"an.@x.com", EmailSyntax::kLocalDot},
      {"a..n@x.com", EmailSyntax::kLocalDot},
      {std::string(65, 'a') + "@x.com", EmailSyntax::kLocalTooLong},
      {"a@[127.0.0.1]", EmailSyntax::kDomainLiteral},
      {"a@x_y.com", EmailSyntax::kDomainChar},
      {"a@x..com", EmailSyntax::kDomainDot},
      {"a@x.com.", EmailSyntax::kDomainDot},
      {"a@localhost", EmailSyntax::kDomainNoDot},
      {"a@-x.com", EmailSyntax::kDomainHyphen},
      {"a@x-.com", EmailSyntax::kDomainHyphen},
      {"a@yy--0.tld", EmailSyntax::kDomainHyphen},
      {"a@" + std::string(64, 'x') + ".com", EmailSyntax::kLabelTooLong},
      {"a@iana.123", EmailSyntax::kTldNotAlpha},
      {"a@bad.tld-2", EmailSyntax::kTldNotAlpha},
      {"a@xn--0.tld", EmailSyntax::kIdna},
      {"a@\u2488x.com", EmailSyntax::kIdna},
  };
  for (const Case& c : cases) {
    INFO(c.input);
    CHECK(Parsed(c.input) == "!" + std::string(EmailSyntaxName(c.expected)));
  }
}

TEST_CASE("ParseEmailAddress: limits whole addresses to 254 octets",
          "[email][syntax]") {
  std::string label(63, 'a');
  std::string domain = label + "." + label + "." + label + "." +
                       std::string(57, 'b') + ".com";  // 253 octets
  REQUIRE(domain.size() == 253);
  CHECK(Parsed("a@" + domain) == "!too_long");
  CHECK(Parsed("a@" + domain.substr(2)) == "a@" + domain.substr(2));
  CHECK(Parsed("a@b" + domain) == "!domain_too_long");
}

TEST_CASE("SplitEmailCell: finds every address in a cell", "[email][cell]") {
  struct Case {
    std::string cell;
    std::vector<std::string_view> expected;
  };
  const Case cases[] = {
      {"an@x.vn", {"an@x.vn"}},
      {"mailto:an@x.vn", {"an@x.vn"}},
      {"MAILTO:an@x.vn?subject=Hi", {"an@x.vn"}},
      {"Nguy\u1EC5n An <an@x.vn>", {"an@x.vn"}},
      {"\"An\" <an@x.vn>", {"an@x.vn"}},
      {"a@x.vn; b@y.vn", {"a@x.vn", "b@y.vn"}},
      {"a@x.vn,b@y.vn", {"a@x.vn", "b@y.vn"}},
      {"a@x.vn / b@y.vn", {"a@x.vn", "b@y.vn"}},
      {"a@x.vn/b@y.vn", {"a@x.vn", "b@y.vn"}},
      {"a@x.vn | b@y.vn", {"a@x.vn", "b@y.vn"}},
      {"a@x.vn\nb@y.vn", {"a@x.vn", "b@y.vn"}},
      {"Email: a@x.vn.", {"a@x.vn"}},
      {"(a@x.vn)", {"a@x.vn"}},
      {"'a@x.vn", {"a@x.vn"}},
      {"a@x.vn\u00A0", {"a@x.vn"}},
      {"a@x.vn\uFF0Cb@y.vn", {"a@x.vn", "b@y.vn"}},
      {"a/b@x.vn", {"a/b@x.vn"}},
      {"no address here", {}},
      {"aim anh77@x.vn", {"aim anh77@x.vn"}},
      {"nguyen van an@x.vn", {"van an@x.vn"}},
      {"An: an@x.vn", {"an@x.vn"}},
      {"a@x.vn b@y.vn", {"a@x.vn", "b@y.vn"}},
      {"note\nan@x.vn", {"an@x.vn"}},
  };
  for (const Case& c : cases) {
    INFO(c.cell);
    std::vector<std::string_view> found;
    SplitEmailCell(c.cell, &found);
    CHECK(found == c.expected);
  }
}

struct RowCase {
  std::string cell;
  std::string email;   // lc_email
  std::string status;  // lc_email_status
  std::string flags;   // lc_flags
};

void CheckRows(const Stage& stage, const std::vector<RowCase>& cases) {
  for (const RowCase& c : cases) {
    INFO("cell: " << c.cell);
    Findings findings = RunCells(stage, {c.cell});
    CHECK(findings.Col(Out::kEmail) == c.email);
    CHECK(findings.Col(Out::kEmailStatus) == c.status);
    CHECK(findings.flags == c.flags);
  }
}

TEST_CASE("EmailStage: normalises a cell into lc_email", "[email][stage]") {
  CheckRows(
      DefaultStage(),
      {
          {"  An.Nguyen@Company.COM.VN  ", "An.Nguyen@company.com.vn", "valid",
           ""},
          {"mailto:an@company.vn", "an@company.vn", "valid", ""},
          {"Nguy\u1EC5n An <an@company.vn>", "an@company.vn", "valid", ""},
          {"an@company.vn.", "an@company.vn", "valid", ""},
          {"nguy\u1EC5n@c\u00F4ng-ty.vn", "nguy\u1EC5n@xn--cng-ty-ixa.vn",
           "valid", ""},
          {"s\u0323\u0307@company.vn", "\u1E69@company.vn", "valid", ""},
          {"an\u200B@company.vn", "an@company.vn", "valid", ""},
          {"\uFEFFan@com\u00ADpany.vn", "an@company.vn", "valid", ""},
      });
}

TEST_CASE("EmailStage: empty and blank cells give no email status",
          "[email][stage]") {
  for (const std::string cell :
       {"", "   ", "-", "N/A", "kh\u00F4ng c\u00F3", "none", "."}) {
    INFO("cell: '" << cell << "'");
    Findings findings = Run(cell);
    CHECK(findings.Col(Out::kEmailStatus).empty());
    CHECK(findings.flags.empty());
  }
}

TEST_CASE("EmailStage: invalid values are flagged email_invalid",
          "[email][stage]") {
  CheckRows(DefaultStage(),
            {
                {"an.nguyen", "", "invalid", "email_invalid"},
                {"0912345678", "", "invalid", "email_invalid"},
                {"an@@gmail.com", "", "invalid", "email_invalid"},
                {"an@company", "", "invalid", "email_invalid"},
                {"an..b@company.vn", "", "invalid", "email_invalid"},
                {"an@company.123", "", "invalid", "email_invalid"},
                {"an @ company.vn", "", "invalid", "email_invalid"},
                {"aim anh77@gmail.com", "", "invalid", "email_invalid"},
                {"an@an@gmail.com", "", "invalid", "email_invalid"},
            });
}

TEST_CASE("EmailStage: reserved and example domains are invalid",
          "[email][stage]") {
  CheckRows(
      DefaultStage(),
      {
          {"an@example.com", "", "invalid", "email_invalid;email_reserved"},
          {"an@mail.example.org", "", "invalid",
           "email_invalid;email_reserved"},
          {"an@host.localhost", "", "invalid", "email_invalid;email_reserved"},
          {"an@server.test", "", "invalid", "email_invalid;email_reserved"},
          {"an@site.onion", "", "invalid", "email_invalid;email_reserved"},
          {"an@printer.local", "", "invalid", "email_invalid;email_reserved"},
          {"an@examples.com", "an@examples.com", "valid", ""},
      });
}

TEST_CASE("EmailStage: disposable domains and their subdomains are risky",
          "[email][stage]") {
  CheckRows(
      DefaultStage(),
      {
          {"an@mailinator.com", "an@mailinator.com", "risky",
           "email_disposable"},
          {"an@x.mailinator.com", "an@x.mailinator.com", "risky",
           "email_disposable"},
          {"an@YOPMAIL.com", "an@yopmail.com", "risky", "email_disposable"},
          {"an@guerrillamail.com", "an@guerrillamail.com", "risky",
           "email_disposable"},
          {"an@10minutemail.com", "an@10minutemail.com", "risky",
           "email_disposable"},
          {"an@mailinatorx.vn", "an@mailinatorx.vn", "valid", ""},
      });
}

TEST_CASE("EmailStage: role mailboxes are risky", "[email][stage]") {
  CheckRows(
      DefaultStage(),
      {
          {"info@company.vn", "info@company.vn", "risky", "email_role"},
          {"Sales@company.vn", "Sales@company.vn", "risky", "email_role"},
          {"lienhe@company.vn", "lienhe@company.vn", "risky", "email_role"},
          {"cskh@company.vn", "cskh@company.vn", "risky", "email_role"},
          {"kinhdoanh2@company.vn", "kinhdoanh2@company.vn", "risky",
           "email_role"},
          {"info.hcm@company.vn", "info.hcm@company.vn", "risky", "email_role"},
          {"ketoan+q3@company.vn", "ketoan+q3@company.vn", "risky",
           "email_role"},
          {"no-reply@company.vn", "no-reply@company.vn", "risky", "email_role"},
          {"info@gmail.com", "info@gmail.com", "risky",
           "email_role;email_free"},
          {"information.nguyen@company.vn", "information.nguyen@company.vn",
           "valid", ""},
          {"salesman.an@company.vn", "salesman.an@company.vn", "valid", ""},
          {"hoang.sales.manager@company.vn", "hoang.sales.manager@company.vn",
           "valid", ""},
      });
}

TEST_CASE("EmailStage: free-mail providers are flagged but valid",
          "[email][stage]") {
  CheckRows(
      DefaultStage(),
      {
          {"an.nguyen@gmail.com", "an.nguyen@gmail.com", "valid", "email_free"},
          {"an@yahoo.com.vn", "an@yahoo.com.vn", "valid", "email_free"},
          {"an@hn.vnn.vn", "an@hn.vnn.vn", "valid", "email_free"},
          {"an@outlook.com", "an@outlook.com", "valid", "email_free"},
          {"an@fpt.com.vn", "an@fpt.com.vn", "valid", ""},
      });
}

TEST_CASE("EmailStage: placeholder emails are invalid", "[email][stage]") {
  CheckRows(
      DefaultStage(),
      {
          {"test@test.com", "", "invalid", "email_invalid;email_placeholder"},
          {"abc@gmail.com", "", "invalid", "email_invalid;email_placeholder"},
          {"TEST@meta.com", "", "invalid", "email_invalid;email_placeholder"},
          {"test@fb.com", "", "invalid", "email_invalid;email_placeholder"},
          {"noemail@company.vn", "", "invalid",
           "email_invalid;email_placeholder"},
          {"nguyenvana@gmail.com", "", "invalid",
           "email_invalid;email_placeholder"},
          {"<test lead: dummy data for email>", "", "invalid",
           "email_invalid;email_placeholder"},
          {"a@a.com", "", "invalid", "email_invalid;email_placeholder"},
          {"tester.nguyen@gmail.com", "tester.nguyen@gmail.com", "valid",
           "email_free"},
      });
}

TEST_CASE("EmailStage: keyboard-mash local parts are gibberish",
          "[email][stage]") {
  CheckRows(DefaultStage(),
            {
                {"xktpwqzlmrvbnjdy@gmail.com", "xktpwqzlmrvbnjdy@gmail.com",
                 "risky", "email_free;email_gibberish"},
                {"asdfgh@company.vn", "asdfgh@company.vn", "risky",
                 "email_gibberish"},
                {"qwer1234@company.vn", "qwer1234@company.vn", "risky",
                 "email_gibberish"},
                {"aaaaaa@company.vn", "aaaaaa@company.vn", "risky",
                 "email_gibberish"},
                {"sdfsdfsdf@company.vn", "sdfsdfsdf@company.vn", "risky",
                 "email_gibberish"},
            });
}

// IsGibberishLocal as it was before its non-letter shortcut: the reference
// the current one must equal.
bool OldIsGibberishLocal(std::string_view local) {
  size_t consonants = 0;
  size_t repeats = 0;
  char previous = 0;
  int direction = 0;
  size_t walk = 1;
  auto vowel = [](char c) {
    return std::string_view("aeiouy").find(c) != std::string_view::npos;
  };
  for (size_t i = 0; i < local.size(); ++i) {
    const char c = local[i];
    const bool letter = c >= 'a' && c <= 'z';
    consonants = (letter && !vowel(c)) ? consonants + 1 : 0;
    repeats = (letter && c == previous) ? repeats + 1 : 1;
    if (consonants >= 6 || (letter && repeats >= 4)) {
      return true;
    }
    if (i > 0) {
      const bool pair = letter && previous >= 'a' && previous <= 'z';
      const int step = pair ? KeyRowStep(previous, c) : 0;
      walk = step == 0 ? 1 : (step == direction ? walk + 1 : 2);
      direction = step;
      if (walk >= 4 && local.substr(i - 3, 4) != "erty" &&
          local.substr(i - 3, 4) != "ytre") {
        return true;
      }
    }
    previous = c;
  }
  return false;
}

TEST_CASE("IsGibberishLocal: equals the reference on random local parts",
          "[email][gibberish]") {
  const std::string_view alphabet = "asdfqwertyuiopzxcvbnmghjkl.0_9-+Aerty";
  std::mt19937 random(20261122);
  for (int i = 0; i < 200000; ++i) {
    std::string local;
    int size = static_cast<int>(random() % 14);
    for (int k = 0; k < size; ++k) {
      local += alphabet[random() % alphabet.size()];
    }
    INFO(local);
    CHECK(IsGibberishLocal(local) == OldIsGibberishLocal(local));
  }
}

TEST_CASE("IsGibberishLocal: real names are not gibberish",
          "[email][gibberish]") {
  for (const char* local :
       {"nguyenthanhnghia", "nguyenvanthanh", "tranthithanhhuong",
        "lethihongnhung", "nttkhanh", "pqdkhoa92", "phamngocanh.1990",
        "hoangtrung_ngh", "strengths", "property", "liberty.mutual",
        "krzysztof", "schmidt", "tuan9999", "ngoc.anh", "cskh", "mcknight",
        "uyen", "thuy.duong"}) {
    INFO(local);
    CHECK_FALSE(IsGibberishLocal(local));
  }
}

TEST_CASE("EmailStage: provider typos are corrected", "[email][typo]") {
  struct Case {
    std::string cell;
    std::string email;
  };
  const Case cases[] = {
      {"an@gmial.com", "an@gmail.com"},
      {"an@gmai.com", "an@gmail.com"},
      {"an@gmail.con", "an@gmail.com"},
      {"an@gamil.com", "an@gmail.com"},
      {"an@gmail.co", "an@gmail.com"},
      {"an@gmaill.com", "an@gmail.com"},
      {"an@gnail.com", "an@gmail.com"},
      {"an@GMAIL.CON", "an@gmail.com"},
      {"an@gmailcom", "an@gmail.com"},
      {"an@gmail..com", "an@gmail.com"},
      {"an@gmail", "an@gmail.com"},
      {"an@gmail.com.vn", "an@gmail.com"},
      {"an@yahooo.com", "an@yahoo.com"},
      {"an@yaho.com", "an@yahoo.com"},
      {"an@yahoo.com.vm", "an@yahoo.com.vn"},
      {"an@yaho.com.vn", "an@yahoo.com.vn"},
      {"an@yahoo.vn", "an@yahoo.com.vn"},
      {"an@hotmial.com", "an@hotmail.com"},
      {"an@hotmai.com", "an@hotmail.com"},
      {"an@hotmaill.com", "an@hotmail.com"},
      {"an@outlok.com", "an@outlook.com"},
      {"an@outllook.com", "an@outlook.com"},
      {"an@icloud.co", "an@icloud.com"},
      {"an@iclod.com", "an@icloud.com"},
      {"an@live.con", "an@live.com"},
      {"an@aol.con", "an@aol.com"},
      {"an@googlemial.com", "an@googlemail.com"},
      {"an@ymail.co", "an@ymail.com"},
  };
  for (const Case& c : cases) {
    INFO("cell: " << c.cell);
    Findings findings = Run(c.cell);
    CHECK(findings.Col(Out::kEmail) == c.email);
    CHECK(findings.Col(Out::kEmailStatus) == "valid");
    CHECK(findings.HasFlag("email_typo_corrected"));
  }
}

// Real domains that sit near a provider, ccTLDs, and ordinary businesses.
constexpr const char* kRealDomains[] = {
    "pacific.co",       "fpt.com.vn",
    "gmx.com",          "mail.com",
    "email.com",        "ymail.com",
    "live.com",         "msn.com",
    "cloud.com",        "wahoo.com",
    "aon.com",          "hotmart.com",
    "yahoo.co.jp",      "yahoo.fr",
    "hotmail.co.uk",    "outlook.com.vn",
    "vnn.vn",           "fpt.vn",
    "viettel.com.vn",   "vnpt.vn",
    "vinamilk.com.vn",  "vietcombank.com.vn",
    "mobifone.vn",      "thegioididong.com",
    "tiki.vn",          "shopee.vn",
    "vng.com.vn",       "masan.com.vn",
    "hoaphat.com.vn",   "petrolimex.com.vn",
    "gmail.co.jp",      "mail.ru",
    "gmx.de",           "email.cz",
    "seznam.cz",        "web.de",
    "icloud.net",       "acme.co",
    "company.com",      "gemalto.com",
    "gmai.vn",          "pmail.vn",
    "gmailservices.vn", "outlooks.vn",
    "yahoo-ads.vn",     "hot.com",
    "mailchimp.com",    "nail.com",
    "gmc.com",          "sol.com",
    "co.com",           "zalo.me",
    "grab.com",
};

TEST_CASE("EmailStage: real domains are never corrected", "[email][typo]") {
  for (const char* domain : kRealDomains) {
    std::string address = std::string("hoang.an@") + domain;
    INFO(address);
    Findings findings = Run(address);
    CHECK(findings.Col(Out::kEmail) == address);
    CHECK_FALSE(findings.HasFlag("email_typo_corrected"));
  }
}

TEST_CASE("EmailStage: --email-typos suggest flags without rewriting",
          "[email][typo]") {
  auto stage = MakeStage("suggest");
  CheckRows(
      *stage,
      {
          {"an@gmial.com", "an@gmial.com", "risky",
           "email_disposable;email_typo_suggested"},
          {"an@gmail.con", "an@gmail.con", "risky", "email_typo_suggested"},
          {"an@gmailcom", "", "invalid", "email_invalid;email_typo_suggested"},
          {"an@gmail.com", "an@gmail.com", "valid", "email_free"},
      });
}

TEST_CASE("EmailStage: --email-typos suggest puts the fix in lc_email_alt",
          "[email][typo]") {
  auto stage = MakeStage("suggest");
  struct Case {
    std::vector<std::string> cells;
    std::string alt;
  };
  const Case cases[] = {
      {{"an@gmial.com"}, "an@gmail.com"},
      {{"an@gmailcom"}, "an@gmail.com"},
      {{"an@gmail.com"}, ""},
      {{"an@company.vn; an@yahooo.com"}, "an@yahooo.com;an@yahoo.com"},
      {{"an@yahooo.com", "an@company.vn"}, "an@yahooo.com;an@yahoo.com"},
      {{"an@yahooo.com", "bo@gmial.com"},
       "an@yahoo.com;bo@gmial.com;bo@gmail.com"},
  };
  for (const Case& c : cases) {
    INFO("cells: " << c.cells.front() << " | " << c.cells.back());
    CHECK(RunCells(*stage, c.cells).Col(Out::kEmailAlt) == c.alt);
  }
}

TEST_CASE("EmailStage: --email-typos off leaves typos alone", "[email][typo]") {
  auto stage = MakeStage("off");
  CheckRows(*stage, {
                        {"an@gmail.con", "an@gmail.con", "valid", ""},
                        {"an@gmailcom", "", "invalid", "email_invalid"},
                    });
}

TEST_CASE("MakeEmailStage: an unknown --email-typos value is an error",
          "[email][options]") {
  Options options;
  options.email_typos = "maybe";
  StageContext context{&options, &ShippedRules(), nullptr};
  std::string error;
  CHECK(MakeEmailStage(context, &error) == nullptr);
  CHECK(error == "--email-typos: expected fix, suggest or off, got 'maybe'");
}

TEST_CASE("EmailStage: one cell with several addresses", "[email][multi]") {
  struct Case {
    std::vector<std::string> cells;
    std::string email;
    std::string status;
    std::string alt;
  };
  const Case cases[] = {
      {{"a@x.vn; b@y.vn"}, "a@x.vn", "valid", "b@y.vn"},
      {{"a@x.vn, b@y.vn, a@x.vn"}, "a@x.vn", "valid", "b@y.vn"},
      {{"bad@, b@y.vn"}, "b@y.vn", "valid", ""},
      {{"info@x.vn; an@x.vn"}, "an@x.vn", "valid", "info@x.vn"},
      {{"test@test.com / an@x.vn"}, "an@x.vn", "valid", ""},
      {{"info@x.vn; sales@x.vn"}, "info@x.vn", "risky", "sales@x.vn"},
      {{"", "a@x.vn"}, "a@x.vn", "valid", ""},
      {{"a@x.vn", "b@y.vn; c@z.vn"}, "a@x.vn", "valid", "b@y.vn;c@z.vn"},
      {{"junk", "b@y.vn"}, "b@y.vn", "valid", ""},
  };
  for (const Case& c : cases) {
    INFO("cells: " << c.cells.front() << " | " << c.cells.back());
    Findings findings = RunCells(DefaultStage(), c.cells);
    CHECK(findings.Col(Out::kEmail) == c.email);
    CHECK(findings.Col(Out::kEmailStatus) == c.status);
    CHECK(findings.Col(Out::kEmailAlt) == c.alt);
  }
}

TEST_CASE("EmailStage: email_key folds what the provider ignores",
          "[email][dedup]") {
  struct Case {
    std::string cell;
    std::string key;
  };
  const Case cases[] = {
      {"T.E.C.H.Buyer+2024@Gmail.com", "techbuyer@gmail.com"},
      {"techbuyer@googlemail.com", "techbuyer@gmail.com"},
      {"an.nguyen+crm@outlook.com", "an.nguyen@outlook.com"},
      {"an.nguyen+x@icloud.com", "an.nguyen@icloud.com"},
      {"An.Nguyen+x@company.vn", "an.nguyen+x@company.vn"},
      {"an.nguyen@yahoo.com", "an.nguyen@yahoo.com"},
      {"an.nguyen@gmial.com", "annguyen@gmail.com"},
      {"NGUY\u1EC4N@company.vn", "nguy\u1EC5n@company.vn"},
      {"not an email", ""},
  };
  for (const Case& c : cases) {
    INFO("cell: " << c.cell);
    Findings findings = Run(c.cell);
    CHECK(findings.email_key == c.key);
  }
}

TEST_CASE("EmailStage: the report lists rule sizes and typo changes",
          "[email][report]") {
  auto stage = MakeStage();
  RunCells(*stage, {"an@gmial.com"});
  RunCells(*stage, {"binh@gmial.com"});
  RunCells(*stage, {"an@gmailcom"});
  nlohmann::json report = nlohmann::json::object();
  stage->Report(&report);
  CHECK(report["typo_mode"] == "fix");
  CHECK(report["typo_corrections"] ==
        nlohmann::json::array(
            {"gmailcom -> gmail.com", "gmial.com -> gmail.com"}));
  CHECK(report["rules"]["disposable_domains"].get<int>() >= 500);
}

TEST_CASE("EmailStage: the original column is never changed",
          "[email][stage]") {
  std::string cell = " Mailto:An@GMIAL.com ";
  std::string before = cell;
  Findings findings = Run(cell);
  CHECK(cell == before);
  CHECK(findings.Col(Out::kEmail) == "An@gmail.com");
}

// --- Measured goals of issue 4 -------------------------------------------

// Every single-edit typo a person makes on a keyboard: a dropped, doubled,
// swapped or neighbouring-key letter in the provider name, and a dropped,
// doubled or swapped letter in the suffix.
std::vector<std::string> KeyboardTypos(std::string_view domain) {
  std::vector<std::string> typos;
  size_t dot = domain.find('.');
  std::string name(domain.substr(0, dot));
  std::string suffix(domain.substr(dot));
  for (size_t i = 0; i < name.size(); ++i) {
    std::string dropped = name;
    dropped.erase(i, 1);
    typos.push_back(dropped + suffix);
    std::string doubled = name;
    doubled.insert(i, 1, name[i]);
    typos.push_back(doubled + suffix);
    if (i + 1 < name.size() && name[i] != name[i + 1]) {
      std::string swapped = name;
      std::swap(swapped[i], swapped[i + 1]);
      typos.push_back(swapped + suffix);
    }
    for (char key = 'a'; key <= 'z'; ++key) {
      if (KeysAdjacent(key, name[i])) {
        std::string replaced = name;
        replaced[i] = key;
        typos.push_back(replaced + suffix);
      }
    }
  }
  for (const char* tld : {".con", ".co", ".cm", ".om", ".comm", ".cmo"}) {
    if (suffix == ".com") {
      typos.push_back(name + tld);
    }
  }
  return typos;
}

TEST_CASE("EmailStage: at least 95% of provider typos are corrected",
          "[email][typo][goal]") {
  int total = 0;
  int corrected = 0;
  for (const char* provider : {"gmail.com", "yahoo.com", "hotmail.com",
                               "outlook.com", "icloud.com", "yahoo.com.vn"}) {
    for (const std::string& typo : KeyboardTypos(provider)) {
      Findings findings = Run("hoang.an@" + typo);
      if (typo == provider) {
        continue;
      }
      ++total;
      bool fixed =
          findings.Col(Out::kEmail) == std::string("hoang.an@") + provider;
      corrected += fixed ? 1 : 0;
      if (!fixed) {
        UNSCOPED_INFO("not corrected: " << typo << " -> "
                                        << findings.Col(Out::kEmail));
      }
    }
  }
  INFO(corrected << " of " << total << " corrected");
  CHECK(corrected * 100 >= total * 95);
}

TEST_CASE("EmailStage: at least 99.5% of valid addresses come out unchanged",
          "[email][goal]") {
  const char* locals[] = {
      "nguyenvanan",  "tran.thi.bich", "le_minh_hoang92", "hoang.anh1990",
      "phamthuha",    "vu.duc.thang",  "dangngoclan",     "bui.quang.huy",
      "do-thanh-tam", "ngo.bao.chau",  "duongthuy88",     "lythanhson",
      "hoa.nguyen",   "minhtri.le",    "thao_vy",         "an.nguyen+crm",
      "KimLien.Pham", "quocbao2001",   "tuan9999",        "giang.h",
  };
  const char* domains[] = {
      "gmail.com",         "yahoo.com",       "yahoo.com.vn",
      "outlook.com",       "hotmail.com",     "icloud.com",
      "fpt.com.vn",        "viettel.com.vn",  "vnpt.vn",
      "vinamilk.com.vn",   "pacific.co",      "hcm.vnn.vn",
      "company.vn",        "startup.io",      "agency.com.au",
      "university.edu.vn", "hospital.org.vn", "bank.com.vn",
      "shop.vn",           "group.co.jp",
  };
  int total = 0;
  int unchanged = 0;
  for (const char* local : locals) {
    for (const char* domain : domains) {
      std::string address = std::string(local) + "@" + domain;
      ++total;
      bool same = Run(address).Col(Out::kEmail) == address;
      unchanged += same ? 1 : 0;
      if (!same) {
        UNSCOPED_INFO("changed: " << address);
      }
    }
  }
  INFO(unchanged << " of " << total << " unchanged");
  CHECK(unchanged * 1000 >= total * 995);
}

// --- Rule files -----------------------------------------------------------

TEST_CASE("Email rules: shipped lists are sane", "[email][rules]") {
  EmailRules rules;
  std::string error;
  REQUIRE(rules.Load(ShippedRules(), &error));
  nlohmann::json sizes;
  rules.Describe(&sizes);
  CHECK(sizes["disposable_domains"].get<int>() >= 500);
  for (const char* domain : kRealDomains) {
    INFO(domain);
    CHECK_FALSE(rules.Classify(domain).disposable);
    CHECK(rules.Classify(domain).typo_of.empty());
  }
  // No provider is itself disposable, reserved or a typo of another.
  std::vector<ListItem> providers;
  REQUIRE(ReadLists(ShippedRules(), "email_free_providers.txt", &providers,
                    &error));
  for (const ListItem& item : providers) {
    std::string domain = item.text.substr(0, item.text.find(' '));
    INFO(domain);
    DomainInfo info = rules.Classify(domain);
    CHECK_FALSE(info.disposable);
    CHECK_FALSE(info.reserved);
    CHECK(info.typo_of.empty());
    CHECK(info.free);
  }
}

class TempRules {
 public:
  TempRules() {
    path_ = fs::temp_directory_path() /
            ("leadclean-email-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempRules() { fs::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return (path_ / name).string();
  }
  RuleFiles Files() const { return RuleFiles(path_.string(), ""); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST_CASE("Email rules: a bad line stops with path:line: message",
          "[email][rules]") {
  struct Case {
    std::string file;
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"email_disposable_domains.txt", "# c\nok.com\nnot a domain\n",
       ":3: not a lower-case ASCII domain (domain_char): 'not a domain'"},
      {"email_disposable_domains.txt", "Mailinator.com\n",
       ":1: not a lower-case ASCII domain (domain_char): 'Mailinator.com'"},
      {"email_free_providers.txt", "gmail.com dots pluss\n",
       ":1: expected 'dots', 'plus' or '=domain', got 'pluss'"},
      {"email_role_locals.txt", "info\nInfo\n",
       ":2: expected a lower-case local part, got 'Info'"},
      {"email_placeholders.txt", "test\n",
       ":1: expected local@domain, local@*, *@domain, 'blank: text' or "
       "'cell: text' in lower case, got 'test'"},
      {"email_typo_targets.txt", "gmail.com: gm ail.com\n",
       ":1: not a domain name: 'gm'"},
      {"email_typo_targets.txt", "mail.gmail.com\n",
       ":1: a provider must be name.suffix, not a subdomain: "
       "'mail.gmail.com'"},
      {"email_reserved_domains.txt", "exa mple\n",
       ":1: not a lower-case ASCII domain (domain_char): 'exa mple'"},
  };
  for (const Case& c : cases) {
    INFO(c.file << ": " << c.text);
    TempRules dir;
    std::string path = dir.Write(c.file, c.text);
    RuleFiles files = dir.Files();
    Options options;
    StageContext context{&options, &files, nullptr};
    std::string error;
    CHECK(MakeEmailStage(context, &error) == nullptr);
    CHECK(error == path + c.message);
  }
}

TEST_CASE("Email rules: a user overlay adds and removes items",
          "[email][rules]") {
  TempRules dir;
  dir.Write("email_disposable_domains.txt", "-mailinator.com\nmyspam.vn\n");
  RuleFiles files(LEADCLEAN_SOURCE_DIR "/rules", dir.Files().default_dir());
  Options options;
  StageContext context{&options, &files, nullptr};
  std::string error;
  auto stage = MakeEmailStage(context, &error);
  REQUIRE(stage != nullptr);
  CheckRows(*stage, {
                        {"an@mailinator.com", "an@mailinator.com", "valid", ""},
                        {"an@x.myspam.vn", "an@x.myspam.vn", "risky",
                         "email_disposable"},
                    });
}

TEST_CASE("EmailStage: concurrent rows give the same findings",
          "[email][threads]") {
  std::vector<std::string> cells;
  for (int i = 0; i < 400; ++i) {
    const char* domains[] = {"gmial.com", "company.vn", "mailinator.com",
                             "yahoo.com.vn", "example.com"};
    cells.push_back("user" + std::to_string(i) + "@" + domains[i % 5]);
  }
  std::vector<std::string> serial;
  for (const std::string& cell : cells) {
    Findings findings = Run(cell);
    serial.push_back(findings.Col(Out::kEmail) + "|" + findings.flags);
  }
  std::vector<std::string> parallel(cells.size());
  auto work = [&](size_t start) {
    for (size_t i = start; i < cells.size(); i += 2) {
      Findings findings = Run(cells[i]);
      parallel[i] = findings.Col(Out::kEmail) + "|" + findings.flags;
    }
  };
  std::thread a(work, 0);
  std::thread b(work, 1);
  a.join();
  b.join();
  CHECK(parallel == serial);
}

}  // namespace
}  // namespace leadclean
