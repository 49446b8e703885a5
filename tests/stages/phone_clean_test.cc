// Cleaning phone cells before parsing (src/stages/phone_clean.cc).
#include "stages/phone_clean.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace leadclean {
namespace {

std::string Join(const std::vector<PhoneRun>& runs) {
  std::string out;
  for (const PhoneRun& run : runs) {
    out += out.empty() ? "" : "|";
    out += run.digits;
  }
  return out;
}

TEST_CASE("phone_clean: folds Unicode noise to ASCII", "[phone][clean]") {
  struct Case {
    std::string cell;
    std::string folded;
  };
  const std::vector<Case> cases = {
      {"\xEF\xBC\x90\xEF\xBC\x99\xEF\xBC\x91\xEF\xBC\x92",
       "0912"},  // fullwidth
      {"0912\xC2\xA0"
       "345",
       "0912 345"},  // NBSP
      {"\xE2\x80\x8B"
       "0912",
       "0912"},  // U+200B
      {"0912\xE2\x80\x93"
       "345",
       "0912-345"},  // en dash
      {"\xEF\xBC\x8B"
       "84",
       "+84"},                       // fullwidth plus
      {"\xD9\xA0\xD9\xA9", "09"},    // Arabic-Indic
      {"S\xC4\x90T", "s\xC4\x91t"},  // "SĐT" lower-cased
      {"09\xC2\xAD"
       "12",
       "0912"},  // soft hyphen
  };
  for (const Case& c : cases) {
    INFO(c.cell);
    CHECK(FoldPhoneText(c.cell) == c.folded);
  }
}

TEST_CASE("phone_clean: repairs Excel damage and refuses lossy values",
          "[phone][clean]") {
  struct Case {
    std::string cell;
    std::string repaired;
    uint32_t flags;
  };
  const std::vector<Case> cases = {
      {"0912345678", "0912345678", 0},
      {"912345678.0", "912345678", kCleanExcelRepaired},
      {"84912345678.00", "84912345678", kCleanExcelRepaired},
      {"9.12345678e+8", "912345678", kCleanExcelRepaired},
      {"9,12345678e+8", "912345678", kCleanExcelRepaired},
      {"8.4912345678e10", "84912345678", kCleanExcelRepaired},
      {"8.49123e+10", "", kCleanExcelDamaged},
      {"9.1e+8", "", kCleanExcelDamaged},
      {"'0912345678", "0912345678", kCleanExcelRepaired},
      {"=\"0912345678\"", "0912345678", kCleanExcelRepaired},
      {"0912.345.678", "0912.345.678", 0},
      {"912345678.5", "912345678.5", 0},
      {"e+8", "e+8", 0},
  };
  for (const Case& c : cases) {
    INFO(c.cell);
    uint32_t flags = 0;
    CHECK(RepairExcel(c.cell, &flags) == c.repaired);
    CHECK(flags == c.flags);
  }
}

TEST_CASE("phone_clean: finds the runs of digits and strips labels",
          "[phone][clean]") {
  struct Case {
    std::string cell;
    std::string runs;  // digits of each run, '|'-separated
    uint32_t flags;
  };
  const std::vector<Case> cases = {
      {"0912345678", "0912345678", 0},
      {"(+84) 912 345 678", "+84912345678", 0},
      {"+ 84 912 345 678", "+84912345678", 0},
      {"+84 (0) 912 345 678", "+840912345678", 0},
      {"p:+84912345678", "+84912345678", 0},
      {"\xC4\x90T: 0912.345.678", "0912345678", kCleanLabelStripped},
      {"0912 345 678 (Zalo)", "0912345678", kCleanLabelStripped},
      {"0912345678 (anh Nam)", "0912345678", kCleanLabelStripped},
      {"tel:+84912345678", "+84912345678", kCleanLabelStripped},
      {"0912345678 ext 12", "0912345678", kCleanLabelStripped},
      {"0912345678 x12", "0912345678", kCleanLabelStripped},
      {"0912345678 m\xC3\xA1y l\xE1\xBA\xBB 123", "0912345678",
       kCleanLabelStripped},
      {"0912345678 #12", "0912345678", kCleanLabelStripped},
      {"# 0912345678", "0912345678", 0},
      {"0912345678 nh\xC3\xA1nh 12", "0912345678", kCleanLabelStripped},
      {"0912345678 ch\xE1\xBB\x8B L\xC3\xAA 0987654321",
       "0912345678|0987654321", kCleanLabelStripped},
      {"S\xC4\x90T 1: 0912345678", "0912345678", kCleanLabelStripped},
      {"0912345678 / 0987654321", "09123456780987654321", 0},
      {"0912345678;0987654321", "0912345678|0987654321", 0},
      {"0912345678 | 0987654321", "0912345678|0987654321", 0},
      {"0912345678\n0987654321", "0912345678|0987654321", 0},
      {"0912.345.678 ho\xE1\xBA\xB7"
       "c 098 765 4321",
       "0912345678|0987654321", 0},
      {"0912345678 HO\xE1\xBA\xB6"
       "C 0987654321",
       "0912345678|0987654321", 0},
      {"0912345678 (Zalo 0987654321)", "0912345678|0987654321",
       kCleanLabelStripped},
      {"+84912345678 +84987654321", "+84912345678|+84987654321", 0},
      {"84+912345678", "84912345678", 0},
      {"09l2345678", "2345678", kCleanLabelStripped},
      {"<test lead: dummy data for phone_number>", "", 0},
      {"8.49123E+10", "", kCleanExcelDamaged},
      {"912345678.0", "912345678", kCleanExcelRepaired},
      {"", "", 0},
  };
  for (const Case& c : cases) {
    INFO(c.cell);
    CleanedPhoneCell cleaned = CleanPhoneCell(c.cell);
    CHECK(Join(cleaned.runs) == c.runs);
    CHECK(cleaned.flags == c.flags);
  }
}

TEST_CASE("phone_clean: records where punctuation cut a run",
          "[phone][clean]") {
  CleanedPhoneCell cleaned = CleanPhoneCell("+84 912-345 / 0987");
  REQUIRE(cleaned.runs.size() == 1);
  CHECK(cleaned.runs[0].digits == "+849123450987");
  CHECK(cleaned.runs[0].breaks == std::vector<size_t>{2, 5, 8});
}

}  // namespace
}  // namespace leadclean
