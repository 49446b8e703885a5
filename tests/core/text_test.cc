#include "leadclean/text.h"

#include <fstream>
#include <vector>

#include <unicode/unistr.h>

#include <catch2/catch.hpp>

namespace leadclean {
namespace {

struct Case {
  std::string input;
  std::string expected;
};

TEST_CASE("FoldKey: folds case, diacritics, đ and punctuation", "[text]") {
  const Case cases[] = {
      {"Họ và Tên", "ho va ten"},
      {"SĐT/Zalo", "sdt zalo"},
      {"SO_DIEN_THOAI", "so dien thoai"},
      {"  Số   điện thoại  ", "so dien thoai"},
      {"Tỉnh/Thành phố", "tinh thanh pho"},
      {"Nguye\xCC\x82\xCC\x83n", "nguyen"},  // NFD input
      {"ĐẶNG Đức", "dang duc"},
      {"E-mail", "e mail"},
      {"", ""},
  };
  for (const Case& c : cases) {
    INFO(c.input);
    CHECK(FoldKey(c.input) == c.expected);
  }
}

TEST_CASE("TitleCase: capitalises every Vietnamese syllable", "[text]") {
  const Case cases[] = {
      {"NGUYỄN VĂN AN", "Nguyễn Văn An"},
      {"nguyễn thị hoà", "Nguyễn Thị Hoà"},
      {"lê đức thọ", "Lê Đức Thọ"},
      {"đặng THỊ mai", "Đặng Thị Mai"},
  };
  for (const Case& c : cases) {
    INFO(c.input);
    CHECK(TitleCase(c.input) == c.expected);
  }
}

TEST_CASE("Nfc: composes combining sequences", "[text]") {
  CHECK(Nfc("Nguye\xCC\x82\xCC\x83n") == "Nguyễn");
  CHECK(Nfc("Va\xCC\x86n") == "Văn");
  CHECK(Nfc("plain") == "plain");
}

TEST_CASE("Trim: strips ASCII space, NBSP and zero-width characters",
          "[text]") {
  CHECK(Trim("  a b  ") == "a b");
  CHECK(Trim("\xC2\xA0x\xE2\x80\x8B") == "x");
  CHECK(Trim("\xEF\xBB\xBFx ") == "x");
  CHECK(Trim("   ").empty());
}

TEST_CASE("CollapseSpaces: one space between words", "[text]") {
  CHECK(CollapseSpaces("  Nguyễn \t Văn\xC2\xA0\xC2\xA0 An ") == "Nguyễn Văn An");
}

TEST_CASE("IsValidUtf8: rejects broken sequences", "[text]") {
  CHECK(IsValidUtf8("Nguyễn"));
  CHECK(IsValidUtf8(""));
  CHECK_FALSE(IsValidUtf8("\xC3"));
  CHECK_FALSE(IsValidUtf8("a\xFF" "b"));
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
}

}  // namespace
}  // namespace leadclean

namespace leadclean {
namespace {

// Vietnamese names from the shipped sample, in several casings and forms,
// plus hand-picked edge cases.
std::vector<std::string> NameCorpus() {
  std::vector<std::string> names = {
      "NGUYỄN ĐỨC HOÀ", "đặng thị thuỷ", "Ưng Hoàng Phúc", "ÂU DƯƠNG",
      "lê văn tám", "Nguye\xCC\x82\xCC\x83n", "O'Neil", "anh-thư",
      "Trần  Thị", "José Ñúñez", "Zoë", "Σωκράτης", "李小龍", "x2 y",
      "\xFF\xFE", "Đ", "ß straße",
  };
  std::ifstream in(std::string(LEADCLEAN_SOURCE_DIR) + "/samples/leads_vi.csv");
  std::string line;
  while (std::getline(in, line)) {
    size_t a = 0;
    for (int i = 0; i < 4 && a != std::string::npos; ++i) {
      a = line.find(',', a + 1);
    }
    size_t b = a == std::string::npos ? a : line.find(',', a + 1);
    if (b != std::string::npos) {
      std::string name = line.substr(a + 1, b - a - 1);
      names.push_back(name);
      names.push_back(Lower(name));
      icu::UnicodeString upper = icu::UnicodeString::fromUTF8(name);
      upper.toUpper();
      std::string upper_utf8;
      upper.toUTF8String(upper_utf8);
      names.push_back(upper_utf8);
    }
  }
  return names;
}

TEST_CASE("FoldKey: the fast path equals the ICU path", "[text][diff]") {
  std::vector<std::string> corpus = NameCorpus();
  REQUIRE(corpus.size() > 500);
  for (const std::string& text : corpus) {
    INFO(text);
    CHECK(FoldKey(text) == FoldKeyIcu(text));
  }
  // Every code point of the tables, alone and between letters.
  for (UChar32 c = 0xA0; c < 0x2000; ++c) {
    icu::UnicodeString one(c);
    std::string utf8;
    one.toUTF8String(utf8);
    std::string text = "a" + utf8 + "b " + utf8;
    INFO(c);
    CHECK(FoldKey(text) == FoldKeyIcu(text));
  }
}

TEST_CASE("TitleCase: the fast path equals ICU's title casing",
          "[text][diff]") {
  for (const std::string& text : NameCorpus()) {
    INFO(text);
    CHECK(TitleCase(text) == TitleCaseIcu(text));
  }
}

}  // namespace
}  // namespace leadclean
