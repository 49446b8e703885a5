#include <catch2/catch.hpp>
#include <random>

#include "leadclean/stage.h"
#include "leadclean/text.h"
#include "test_util.h"

namespace leadclean {
namespace {

struct NameCase {
  std::string raw;
  std::string expected;
  bool honorific;
};

TEST_CASE("name stage: normalises display names", "[name]") {
  testing::TestTable table({{"Họ và tên", Role::kName}});
  std::string error;
  auto stage = MakeNameStage(table.Context(), &error);
  REQUIRE(stage);
  const NameCase cases[] = {
      {"NGUYỄN VĂN AN", "Nguyễn Văn An", false},
      {"  nguyễn   thị hoà ", "Nguyễn Thị Hoà", false},
      {"Nguye\xCC\x82\xCC\x83n Va\xCC\x86n An", "Nguyễn Văn An", false},
      {"anh Tuấn", "Tuấn", true},
      {"Chị Mai", "Mai", true},
      {"Mr. Nam", "Nam", true},
      {"a Hùng", "Hùng", true},
      {"C. Lan", "Lan", true},
      {"A One", "A One", false},  // an initial, not "anh"
      {"Chu Văn An", "Chu Văn An", false},  // surname, not "chú"
      {"Anh", "Anh", false},                // nothing follows
      {"lê đức thọ", "Lê Đức Thọ", false},
      {"", "", false},
      // Honorifics found through the first-byte filter and around it.
      {"MR Nam", "Nam", true},
      {"Ông Nam", "Nam", true},
      {"BÀ   lan", "Lan", true},
      {"\tanh\t tuấn ", "Tuấn", true},
      {"Nguyễn Văn An", "Nguyễn Văn An", false},
      {"Đặng Thu", "Đặng Thu", false},
      {"Bùi Minh", "Bùi Minh", false},
      // The general path: NFD, NBSP, punctuation.
      {"a\xC2\xA0Hu\xCC\x80ng", "Hùng", true},
      {"O'neil  smith", "O'neil Smith", false},
  };
  for (const NameCase& c : cases) {
    INFO(c.raw);
    Findings findings;
    stage->Process(table.Row(1, {c.raw}), &findings);
    CHECK(findings.Col(Out::kName) == c.expected);
    CHECK(findings.HasFlag("name_honorific_stripped") == c.honorific);
  }
}

TEST_CASE("name stage: joins Vietnamese family and given columns",
          "[name]") {
  testing::TestTable table(
      {{"Họ", Role::kLastName}, {"Tên", Role::kFirstName}});
  std::string error;
  auto stage = MakeNameStage(table.Context(), &error);
  REQUIRE(stage);
  Findings findings;
  stage->Process(table.Row(1, {"nguyễn văn", "an"}), &findings);
  CHECK(findings.Col(Out::kName) == "Nguyễn Văn An");
}

TEST_CASE("name stage: joins English first and last name columns", "[name]") {
  testing::TestTable table(
      {{"First Name", Role::kFirstName}, {"Last Name", Role::kLastName}});
  std::string error;
  auto stage = MakeNameStage(table.Context(), &error);
  REQUIRE(stage);
  Findings findings;
  stage->Process(table.Row(1, {"john", "SMITH"}), &findings);
  CHECK(findings.Col(Out::kName) == "John Smith");
}

TEST_CASE("TitleCaseNameTo: equals TitleCase(CollapseSpaces(Nfc(text)))",
          "[name][text]") {
  const std::vector<std::string> pieces = {
      "a", "Z", "n", "0", " ", "  ", "\t", "\r\n", "\v", "-", ".", "'",
      "\xC2\xA0", "\xE2\x80\x8B", "\xEF\xBB\xBF", "ễ", "Ễ", "ư", "Ư", "đ",
      "Đ", "ạ", "Ậ", "ỹ", "à", "ı", "ß", "İ", "ſ", "ǆ", "ẞ", "ŉ", "Σ", "李",
      "e\xCC\x82\xCC\x83", "a\xCC\x81", "\xCC\x80", "\xFF", "\xC3",
      "\xE1\xBB", "\xE1\xB8\x80", "\xE1\xBB\xBF", "\xC9\x90", "\xCD\xB0"};
  std::mt19937 random(20261122);
  std::vector<std::string> texts = {"", "Nguyễn Văn An", " nguyễn  VĂN\tan "};
  for (const std::string& piece : pieces) {
    texts.push_back(piece);
    texts.push_back(" " + piece + "x " + piece);
  }
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    int count = static_cast<int>(random() % 10);
    for (int k = 0; k < count; ++k) {
      text += pieces[random() % pieces.size()];
    }
    texts.push_back(text);
  }
  std::string out;
  size_t fast = 0;
  for (const std::string& text : texts) {
    INFO(text);
    if (TitleCaseNameTo(text, &out)) {
      ++fast;
      CHECK(out == TitleCase(CollapseSpaces(Nfc(text))));
    }
    if (NfcTo(text, &out)) {
      CHECK(out == Nfc(text));
    }
  }
  CHECK(fast > texts.size() / 20);  // the fast path is exercised
}

}  // namespace
}  // namespace leadclean
