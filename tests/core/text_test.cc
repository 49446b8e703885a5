#include "leadclean/text.h"

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
