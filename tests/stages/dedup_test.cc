#include <catch2/catch.hpp>

#include "leadclean/stage.h"
#include "test_util.h"

namespace leadclean {
namespace {

struct DedupRow {
  std::vector<std::string> phones;
  std::string email;
  bool junk;
  uint64_t expected_duplicate_of;  // 0 = kept
  uint64_t expected_cluster;
};

TEST_CASE("dedup stage: first kept, later repeats point at the survivor",
          "[dedup]") {
  testing::TestTable table({{"x", Role::kNone}});
  std::string error;
  auto stage = MakeDedupStage(table.Context(), &error);
  REQUIRE(stage);
  const DedupRow rows[] = {
      {{"+84912345678"}, "an@x.vn", false, 0, 1},
      {{"+84912345678"}, "", false, 1, 1},                 // same phone
      {{}, "an@x.vn", false, 1, 1},                        // same email
      {{"+84987000111"}, "", true, 0, 0},                  // junk: not indexed
      {{"+84987000111"}, "b@y.vn", false, 0, 5},           // kept despite junk
      {{"+84333444555", "+84987000111"}, "", false, 5, 5},  // alt phone match
      {{"+84333444555"}, "", false, 5, 5},  // key learned from a duplicate
      {{}, "", false, 0, 0},                // no keys
  };
  uint64_t row_number = 0;
  for (const DedupRow& r : rows) {
    ++row_number;
    INFO("row " << row_number);
    Findings findings;
    findings.phone_all = r.phones;
    findings.email_key = r.email;
    if (r.junk) {
      findings.Reject(Reason::kFake, "test", "");
    }
    stage->Process(table.Row(row_number, {""}), &findings);
    CHECK(findings.duplicate_of == r.expected_duplicate_of);
    CHECK(findings.cluster == r.expected_cluster);
    if (r.expected_duplicate_of) {
      CHECK(findings.reason == Reason::kDuplicate);
    }
  }
}

TEST_CASE("Findings: the higher-priority reason wins", "[dedup]") {
  Findings findings;
  findings.Reject(Reason::kDuplicate, "dedup_phone", "d");
  findings.Reject(Reason::kFake, "fake_name", "f");
  findings.Reject(Reason::kNoContact, "no_contact", "n");
  CHECK(findings.reason == Reason::kFake);
  CHECK(findings.rule == "fake_name");
}

}  // namespace
}  // namespace leadclean
