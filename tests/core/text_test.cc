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

#include <random>

#include "core/text_old.h"

namespace leadclean {
namespace {

// Random texts built from pieces that stress the fast paths: ASCII,
// Vietnamese letters precomposed and as NFD, every kind of space the
// helpers trim, invalid and truncated UTF-8, letters outside the tables.
std::vector<std::string> TrickyTexts() {
  const std::vector<std::string> pieces = {
      "a", "Z", "n", "g", "0", "7", " ", "  ", "\t", "\r\n", "-", ".", "'",
      "_", "/", "@", "\xC2\xA0", "\xE2\x80\x8B", "\xE2\x80\x8C",
      "\xE2\x80\x8D", "\xEF\xBB\xBF", "\xE2\x80\x83", "\xC2\xAD", "ễ", "Ễ",
      "ư", "Ư", "đ", "Đ", "ơ", "ạ", "Ậ", "ỹ", "à", "Ê", "ı", "ß", "İ", "ſ",
      "\xE2\x84\xAA", "ª", "²", "µ", "Æ", "ǆ", "ẞ", "ẛ", "ŉ", "ǰ", "Σ",
      "ω", "李", "😀", "e\xCC\x82\xCC\x83", "a\xCC\x81", "\xCC\x80",
      "\xCC\xA3", "\xCD\x85", "\xFF", "\xC3", "\xE1\xBB", "\xED\xA0\x80",
      "\xC0\xAF", "\xE0\x80\xAF", "\xF4\x90\x80\x80", "\x80", "\xF0\x9F",
      "\xE1\xB8\x80", "\xE1\xBB\xBF", "\xC9\x90", "\xCD\xB0"};
  std::mt19937 random(20261122);
  std::vector<std::string> texts = {""};
  for (const std::string& piece : pieces) {
    texts.push_back(piece);
    texts.push_back(" " + piece + " ");
  }
  for (int i = 0; i < 60000; ++i) {
    std::string text;
    int count = static_cast<int>(random() % 14);
    for (int k = 0; k < count; ++k) {
      text += pieces[random() % pieces.size()];
    }
    texts.push_back(text);
  }
  return texts;
}

TEST_CASE("text helpers: the table paths equal the code they replaced",
          "[text][diff]") {
  std::vector<std::string> texts = TrickyTexts();
  for (const std::string& name : NameCorpus()) {
    texts.push_back(name);
  }
  std::string folded;
  for (const std::string& text : texts) {
    INFO(text);
    CHECK(Trim(text) == old_text::OldTrim(text));
    CHECK(Trim(text).data() == old_text::OldTrim(text).data());
    CHECK(IsValidUtf8(text) == old_text::OldIsValidUtf8(text));
    CHECK(Nfc(text) == old_text::OldNfc(text));
    CHECK(FoldKey(text) == old_text::OldFoldKey(text));
    FoldKeyTo(text, &folded);
    CHECK(folded == old_text::OldFoldKey(text));
    CHECK(CollapseSpaces(text) == old_text::OldCollapseSpaces(text));
    CHECK(TitleCase(text) == old_text::OldTitleCase(text));
    CHECK(Lower(text) == old_text::OldLower(text));
  }
}

TEST_CASE("text helpers: every code point below U+2100 as the old code",
          "[text][diff]") {
  for (UChar32 c = 0; c < 0x2100; ++c) {
    if (c >= 0xD800 && c < 0xE000) {
      continue;
    }
    icu::UnicodeString one(c);
    std::string utf8;
    one.toUTF8String(utf8);
    for (const std::string& text :
         {utf8, "a" + utf8 + "B " + utf8, utf8 + "x" + utf8 + " ",
          "\xC2\xA0" + utf8 + "\t"}) {
      INFO(c);
      CHECK(Trim(text) == old_text::OldTrim(text));
      CHECK(Nfc(text) == old_text::OldNfc(text));
      CHECK(FoldKey(text) == old_text::OldFoldKey(text));
      CHECK(CollapseSpaces(text) == old_text::OldCollapseSpaces(text));
      CHECK(TitleCase(text) == old_text::OldTitleCase(text));
      CHECK(Lower(text) == old_text::OldLower(text));
    }
  }
}

}  // namespace

TEST_CASE("IsValidUtf8: finds a sequence at any place in a long text",
          "[text]") {
  const std::vector<std::string> sequences = {
      "\xE1\xBB\x85", "\xC3\xA0",     "\xF0\x9F\x98\x80", "\xC3",
      "\xFF",         "\xED\xA0\x80", "\xE1\xBB",         "\x80"};
  for (const std::string& sequence : sequences) {
    for (size_t at = 0; at <= 40; ++at) {
      for (size_t after : {0, 1, 15, 16, 17, 40}) {
        const std::string text =
            std::string(at, 'a') + sequence + std::string(after, 'b');
        INFO(at << " + " << sequence.size() << " + " << after);
        CHECK(IsValidUtf8(text) == old_text::OldIsValidUtf8(text));
      }
    }
  }
}

}  // namespace leadclean
