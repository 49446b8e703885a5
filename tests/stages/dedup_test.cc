#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "leadclean/stage.h"
#include "stages/side_lists.h"
#include "test_util.h"

namespace leadclean {
namespace {

struct DedupRow {
  std::vector<std::string> phones = {};
  std::string email = {};
  std::string person = {};   // person key
  std::string company = {};  // company key
  bool junk = false;
  std::string created = {};
  uint32_t fixed_mask = 0;
};

struct Outcome {
  uint64_t duplicate_of;
  uint64_t cluster;
  Reason reason;
  std::string rule;
};

Findings FindingsOf(const DedupRow& r) {
  Findings findings;
  findings.phone_all = r.phones;
  findings.email_key = r.email;
  findings.person_key = r.person;
  findings.company_key = r.company;
  findings.phone_fixed_mask = r.fixed_mask;
  if (!r.phones.empty()) {
    findings.Col(Out::kPhone) = r.phones[0];
  }
  if (r.junk) {
    findings.Reject(Reason::kFake, "test", "");
  }
  return findings;
}

// Runs the two passes of the dedup stage over `rows`.
std::vector<Outcome> RunDedup(const std::vector<DedupRow>& rows,
                              const std::string& keep = "first",
                              RowSet bots = {}) {
  testing::TestTable table({{"created", Role::kCreatedAt}});
  table.options().keep = keep;
  std::string error;
  auto stage = MakeDedupStage(table.Context(), &error);
  REQUIRE(stage);
  REQUIRE(stage->NeedsPrepass());
  for (size_t i = 0; i < rows.size(); ++i) {
    stage->Prepass(table.Row(i + 1, {rows[i].created}), FindingsOf(rows[i]));
  }
  stage->FinishPrepass(&bots);
  std::vector<Outcome> outcomes;
  for (size_t i = 0; i < rows.size(); ++i) {
    Findings findings = FindingsOf(rows[i]);
    if (bots.Contains(i + 1)) {
      findings.Reject(Reason::kBot, "bot", "");
    }
    stage->Process(table.Row(i + 1, {rows[i].created}), &findings);
    outcomes.push_back(
        {findings.duplicate_of, findings.cluster, findings.reason, findings.rule});
  }
  return outcomes;
}

TEST_CASE("dedup stage: first kept, repeats point at the survivor", "[dedup]") {
  std::vector<DedupRow> rows = {
      {{"+84912345678"}, "an@x.vn"},                      // 1 kept
      {{"+84912345678"}, ""},                             // 2 dup of 1 (phone)
      {{}, "an@x.vn"},                                    // 3 dup of 1 (email)
      {{"+84987000111"}, "", "", "", true},               // 4 junk
      {{"+84987000111"}, "b@y.vn"},                       // 5 kept despite junk
      {{"+84333444555", "+84987000111"}, ""},             // 6 dup of 5 (alt)
      {{"+84333444555"}, ""},                             // 7 dup of 5 (via 6)
      {{}, ""},                                           // 8 no keys
      {{}, "", "an nguyen van", "fpt"},                   // 9 kept
      {{}, "", "an nguyen van", "viettel"},               // 10 same name only
      {{}, "", "an nguyen van", "fpt"},                   // 11 dup of 9
  };
  const Outcome expected[] = {
      {0, 1, Reason::kNone, ""},
      {1, 1, Reason::kDuplicate, "dedup_phone"},
      {1, 1, Reason::kDuplicate, "dedup_email"},
      {0, 4, Reason::kFake, "test"},
      {0, 5, Reason::kNone, ""},
      {5, 5, Reason::kDuplicate, "dedup_phone"},
      {5, 5, Reason::kDuplicate, "dedup_phone"},
      {0, 8, Reason::kNone, ""},
      {0, 9, Reason::kNone, ""},
      {0, 10, Reason::kNone, ""},
      {9, 9, Reason::kDuplicate, "dedup_name_company"},
  };
  std::vector<Outcome> got = RunDedup(rows);
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i + 1);
    CHECK(got[i].duplicate_of == expected[i].duplicate_of);
    CHECK(got[i].cluster == expected[i].cluster);
    CHECK(got[i].reason == expected[i].reason);
    CHECK(got[i].rule == expected[i].rule);
  }
}

TEST_CASE("dedup stage: guards stop weak keys from merging two people",
          "[dedup]") {
  std::vector<DedupRow> rows = {
      // A company switchboard shared by two colleagues: no match...
      {{"+842438123456"}, "", "an nguyen van", "", false, "", 1},
      {{"+842438123456"}, "", "binh tran", "", false, "", 1},
      // ...but the same landline with the same (or no) name is one person.
      {{"+842438123456"}, "", "an nguyen van", "", false, "", 1},
      {{"+842438123456"}, "", "", "", false, "", 1},
      // Two colleagues of one name with different mobiles: no match.
      {{"+84912000001"}, "", "tuan anh nguyen", "fpt"},
      {{"+84912000002"}, "", "tuan anh nguyen", "fpt"},
      // One of them again, email only: matches by name + company.
      {{}, "tuananh@fpt.com.vn", "tuan anh nguyen", "fpt"},
  };
  std::vector<Outcome> got = RunDedup(rows);
  CHECK(got[0].reason == Reason::kNone);
  CHECK(got[1].reason == Reason::kNone);
  CHECK(got[2].duplicate_of == 1);
  CHECK(got[2].rule == "dedup_landline");
  CHECK(got[3].duplicate_of == 1);
  CHECK(got[4].reason == Reason::kNone);
  CHECK(got[5].reason == Reason::kNone);
  CHECK(got[6].duplicate_of == 5);
  CHECK(got[6].rule == "dedup_name_company");
}

TEST_CASE("dedup stage: clusters are transitive across later links",
          "[dedup]") {
  // Row 3 joins row 1 (phone) and row 2 (email): all one person.
  std::vector<DedupRow> rows = {
      {{"+84912345678"}, ""}, {{}, "an@x.vn"}, {{"+84912345678"}, "an@x.vn"}};
  std::vector<Outcome> got = RunDedup(rows);
  CHECK(got[0].reason == Reason::kNone);
  CHECK(got[1].duplicate_of == 1);
  CHECK(got[2].duplicate_of == 1);
}

TEST_CASE("dedup stage: --keep newest and most-complete", "[dedup]") {
  std::vector<DedupRow> rows = {
      {{"+84912345678"}, "", "", "", false, "2025-01-01"},
      {{"+84912345678"}, "an@x.vn", "", "", false, "2025-03-01"},
      {{"+84912345678"}, "", "", "", false, "2025-02-01"},
  };
  std::vector<Outcome> newest = RunDedup(rows, "newest");
  CHECK(newest[0].duplicate_of == 2);
  CHECK(newest[1].reason == Reason::kNone);
  CHECK(newest[2].duplicate_of == 2);
  std::vector<Outcome> complete = RunDedup(rows, "most-complete");
  CHECK(complete[1].reason == Reason::kNone);  // it alone has an email
  CHECK(complete[0].duplicate_of == 2);
}

TEST_CASE("dedup stage: a row rejected later as a bot is never the survivor",
          "[dedup]") {
  std::vector<DedupRow> rows = {{{"+84912345678"}, ""}, {{"+84912345678"}, ""}};
  RowSet bots;
  bots.Add(1);
  std::vector<Outcome> got = RunDedup(rows, "first", bots);
  CHECK(got[0].reason == Reason::kBot);
  CHECK(got[1].reason == Reason::kNone);
  CHECK(got[0].cluster == 2);
}

TEST_CASE("dedup stage: the clusters do not depend on row order", "[dedup]") {
  // 300 rows of 60 people with random key subsets. Shuffled 5 times, the
  // partition of rows into clusters stays the same, and no cluster ever
  // holds two people.
  struct Tagged {
    int person;
    int id;
    DedupRow row;
  };
  std::mt19937 rng(11);
  std::vector<Tagged> rows;
  for (int i = 0; i < 300; ++i) {
    int person = static_cast<int>(rng() % 60);
    DedupRow row;
    if (rng() % 3 != 0) {
      row.phones.push_back("+8491200" + std::to_string(1000 + person));
    }
    if (rng() % 2 == 0 || row.phones.empty()) {
      row.email = "p" + std::to_string(person) + "@x.vn";
    }
    rows.push_back({person, i, row});
  }
  auto partition = [](const std::vector<Tagged>& in) {
    std::vector<DedupRow> plain;
    for (const Tagged& t : in) {
      plain.push_back(t.row);
    }
    std::vector<Outcome> got = RunDedup(plain);
    std::map<uint64_t, std::set<int>> ids;
    std::map<uint64_t, std::set<int>> people;
    for (size_t i = 0; i < in.size(); ++i) {
      ids[got[i].cluster].insert(in[i].id);
      people[got[i].cluster].insert(in[i].person);
    }
    for (const auto& [cluster, persons] : people) {
      CHECK(persons.size() == 1);
    }
    std::set<std::set<int>> result;
    for (const auto& [cluster, members] : ids) {
      result.insert(members);
    }
    return result;
  };
  auto reference = partition(rows);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(rows.begin(), rows.end(), rng);
    CHECK(partition(rows) == reference);
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

TEST_CASE("SideLists: SHA-256 digests are lower-case hex", "[dedup]") {
  CHECK(SideLists::Sha256Hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(SideLists::Hash('p', "+84912345678") !=
        SideLists::Hash('e', "+84912345678"));
}

}  // namespace
}  // namespace leadclean
