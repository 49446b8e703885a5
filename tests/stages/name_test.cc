#include <catch2/catch.hpp>

#include "leadclean/stage.h"
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

}  // namespace
}  // namespace leadclean
