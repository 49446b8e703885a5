#include <algorithm>
#include <cstdio>
#include <cstdlib>
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

// --merge: rows with the lc_* values a survivor can be filled from.
struct MergeRow {
  std::vector<std::string> phones = {};  // primary first, then alts
  std::string email = {};                // lc_email; the key is lower case
  std::string name = {};                 // lc_name
  std::string created = {};
  bool junk = false;
  std::string email_alt = {};
};

Findings MergeFindingsOf(const MergeRow& r) {
  Findings findings;
  findings.phone_all = r.phones;
  if (!r.phones.empty()) {
    findings.Col(Out::kPhone) = r.phones[0];
    findings.Col(Out::kPhoneNational) = "national " + r.phones[0];
    findings.Col(Out::kPhoneType) = "mobile";
    findings.Col(Out::kPhoneCarrier) = "Viettel";
    for (size_t i = 1; i < r.phones.size(); ++i) {
      std::string& alt = findings.Col(Out::kPhoneAlt);
      alt += (alt.empty() ? "" : ";") + r.phones[i];
    }
  }
  if (!r.email.empty()) {
    findings.Col(Out::kEmail) = r.email;
    findings.Col(Out::kEmailStatus) = "valid";
    std::string key = r.email;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    findings.email_key = key;
  }
  findings.Col(Out::kEmailAlt) = r.email_alt;
  findings.Col(Out::kName) = r.name;
  if (r.junk) {
    findings.Reject(Reason::kFake, "test", "");
  }
  return findings;
}

std::vector<Findings> RunMerge(const std::vector<MergeRow>& rows,
                               const std::string& keep = "first",
                               bool merge = true, RowSet bots = {}) {
  testing::TestTable table({{"created", Role::kCreatedAt}});
  table.options().keep = keep;
  table.options().merge = merge;
  std::string error;
  auto stage = MakeDedupStage(table.Context(), &error);
  REQUIRE(stage);
  for (size_t i = 0; i < rows.size(); ++i) {
    stage->Prepass(table.Row(i + 1, {rows[i].created}),
                   MergeFindingsOf(rows[i]));
  }
  stage->FinishPrepass(&bots);
  std::vector<Findings> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    Findings findings = MergeFindingsOf(rows[i]);
    if (bots.Contains(i + 1)) {
      findings.Reject(Reason::kBot, "bot", "");
    }
    stage->Process(table.Row(i + 1, {rows[i].created}), &findings);
    out.push_back(std::move(findings));
  }
  return out;
}

TEST_CASE("dedup --merge: empty lc_* fields filled from later duplicates",
          "[dedup][merge]") {
  std::vector<MergeRow> rows = {
      {{"+84912345678"}},                                       // 1 survivor
      {{"+84912345678"}, "an@x.vn", "Nguyễn Văn An"},           // 2
      {{"+84912345678", "+84987000111"}, "AN@x.vn"},            // 3 same key
      {{"+84333444555", "+84912345678"}, "an.work@y.vn", "An"}, // 4
      {{"+84999888777"}, "solo@z.vn"},                          // 5 alone
  };
  std::vector<Findings> got = RunMerge(rows);
  const Findings& kept = got[0];
  CHECK(kept.reason == Reason::kNone);
  CHECK(kept.Col(Out::kPhone) == "+84912345678");
  CHECK(kept.Col(Out::kEmail) == "an@x.vn");
  CHECK(kept.Col(Out::kEmailStatus) == "valid");
  CHECK(kept.Col(Out::kName) == "Nguyễn Văn An");
  CHECK(kept.Col(Out::kPhoneAlt) == "+84987000111;+84333444555");
  CHECK(kept.Col(Out::kEmailAlt) == "an.work@y.vn");
  CHECK(kept.Col(Out::kMergedFrom) ==
        "2:lc_email,lc_name;3:lc_phone_alt=+84987000111;"
        "4:lc_phone_alt=+84333444555,lc_email_alt=an.work@y.vn");
  for (int i : {1, 2, 3}) {
    INFO("row " << i + 1);
    CHECK(got[i].reason == Reason::kDuplicate);
    CHECK(got[i].duplicate_of == 1);
    CHECK(got[i].Col(Out::kMergedFrom).empty());
    // A duplicate's own lc_* values are left as they were.
    CHECK(got[i].Col(Out::kEmail) == rows[i].email);
  }
  CHECK(got[4].Col(Out::kMergedFrom).empty());
  CHECK(got[4].Col(Out::kEmail) == "solo@z.vn");

  // Without --merge nothing changes.
  std::vector<Findings> plain = RunMerge(rows, "first", false);
  CHECK(plain[0].Col(Out::kEmail).empty());
  CHECK(plain[0].Col(Out::kName).empty());
  CHECK(plain[0].Col(Out::kPhoneAlt).empty());
  CHECK(plain[0].Col(Out::kMergedFrom).empty());
}

TEST_CASE("dedup --merge: a phone fills the whole phone group",
          "[dedup][merge]") {
  std::vector<MergeRow> rows = {
      {{}, "an@x.vn", "An Nguyen"},
      {{"+84912345678", "+84987000111"}, "an@x.vn"},
  };
  std::vector<Findings> got = RunMerge(rows);
  CHECK(got[0].Col(Out::kPhone) == "+84912345678");
  CHECK(got[0].Col(Out::kPhoneNational) == "national +84912345678");
  CHECK(got[0].Col(Out::kPhoneType) == "mobile");
  CHECK(got[0].Col(Out::kPhoneCarrier) == "Viettel");
  CHECK(got[0].Col(Out::kPhoneAlt) == "+84987000111");
  CHECK(got[0].Col(Out::kMergedFrom) ==
        "2:lc_phone,lc_phone_alt=+84987000111");
}

TEST_CASE("dedup --merge: earlier duplicates fill a later survivor",
          "[dedup][merge]") {
  std::vector<MergeRow> rows = {
      {{"+84912345678"}, "", "An Nguyen", "2025-01-01"},
      {{}, "an@x.vn", "", "2025-02-01"},
      // Survivor (newest) links to both.
      {{"+84912345678"}, "an@x.vn", "", "2025-03-01"},
      // Junk and bot rows never give anything.
      {{"+84912345678"}, "junk@x.vn", "Junk Name", "2025-01-02", true},
      {{"+84912345678", "+84111222333"}, "bot@x.vn", "", "2025-01-03"},
  };
  RowSet bots;
  bots.Add(5);
  std::vector<Findings> got = RunMerge(rows, "newest", true, bots);
  CHECK(got[2].reason == Reason::kNone);
  CHECK(got[2].Col(Out::kName) == "An Nguyen");
  CHECK(got[2].Col(Out::kPhoneAlt).empty());
  CHECK(got[2].Col(Out::kEmailAlt).empty());
  CHECK(got[2].Col(Out::kMergedFrom) == "1:lc_name");
  CHECK(got[0].duplicate_of == 3);
  CHECK(got[1].duplicate_of == 3);
  CHECK(got[3].reason == Reason::kFake);
  CHECK(got[4].reason == Reason::kBot);
}

TEST_CASE("dedup --merge: a row that joins through a later bridge still gives",
          "[dedup][merge]") {
  // Row 2 shares no key with row 1; row 3 bridges them. Row 2's name and
  // alt phone still reach the survivor.
  std::vector<MergeRow> rows = {
      {{"+84912345678"}},
      {{"+84987000111", "+84333444555"}, "", "Tran Binh"},
      {{"+84912345678", "+84987000111"}},
  };
  std::vector<Findings> got = RunMerge(rows);
  CHECK(got[1].duplicate_of == 1);
  CHECK(got[2].duplicate_of == 1);
  CHECK(got[0].Col(Out::kName) == "Tran Binh");
  CHECK(got[0].Col(Out::kPhoneAlt) == "+84987000111;+84333444555");
  CHECK(got[0].Col(Out::kMergedFrom) ==
        "2:lc_phone_alt=+84987000111,lc_phone_alt=+84333444555,lc_name");
}

TEST_CASE("dedup --merge: the merged values do not depend on row order",
          "[dedup][merge]") {
  // 240 rows of 40 people, each row a random subset of its person's two
  // phones, two addresses and name. Shuffled, every survivor ends up with
  // exactly the phones and addresses of its cluster, and a name when any
  // row of the cluster has one.
  struct Tagged {
    int person;
    MergeRow row;
  };
  std::mt19937 rng(7);
  std::vector<Tagged> rows;
  for (int i = 0; i < 240; ++i) {
    int person = static_cast<int>(rng() % 40);
    MergeRow row;
    for (int k = 0; k < 2; ++k) {
      if (rng() % 2) {
        row.phones.push_back("+849120" + std::to_string(10000 + person * 2 + k));
      }
    }
    if (rng() % 2 || row.phones.empty()) {
      row.email = "p" + std::to_string(person) + "_" +
                  std::to_string(rng() % 2) + "@x.vn";
    }
    if (rng() % 3 == 0) {
      row.name = "Person " + std::to_string(person);
    }
    rows.push_back({person, row});
  }
  auto split = [](const std::string& list, std::set<std::string>* out) {
    size_t start = 0;
    while (start < list.size()) {
      size_t end = std::min(list.find(';', start), list.size());
      out->insert(list.substr(start, end - start));
      start = end + 1;
    }
  };
  auto check = [&](const std::vector<Tagged>& in, const std::string& keep) {
    std::vector<MergeRow> plain;
    for (const Tagged& t : in) {
      plain.push_back(t.row);
    }
    std::vector<Findings> got = RunMerge(plain, keep);
    std::map<uint64_t, std::set<std::string>> phones, emails;
    std::map<uint64_t, bool> named;
    for (size_t i = 0; i < in.size(); ++i) {
      uint64_t c = got[i].cluster;
      phones[c].insert(in[i].row.phones.begin(), in[i].row.phones.end());
      if (!in[i].row.email.empty()) {
        emails[c].insert(in[i].row.email);
      }
      named[c] = named[c] || !in[i].row.name.empty();
    }
    std::set<std::set<std::string>> result;
    for (size_t i = 0; i < in.size(); ++i) {
      if (got[i].reason != Reason::kNone) {
        continue;
      }
      uint64_t c = got[i].cluster;
      std::set<std::string> have_phones, have_emails;
      split(got[i].Col(Out::kPhone) + ";" + got[i].Col(Out::kPhoneAlt),
            &have_phones);
      split(got[i].Col(Out::kEmail) + ";" + got[i].Col(Out::kEmailAlt),
            &have_emails);
      have_phones.erase("");
      have_emails.erase("");
      CHECK(have_phones == phones[c]);
      CHECK(have_emails == emails[c]);
      CHECK(!got[i].Col(Out::kName).empty() == named[c]);
      std::set<std::string> all = have_phones;
      all.insert(have_emails.begin(), have_emails.end());
      result.insert(all);
    }
    return result;
  };
  for (const std::string keep : {"first", "most-complete"}) {
    auto reference = check(rows, keep);
    for (int round = 0; round < 3; ++round) {
      std::shuffle(rows.begin(), rows.end(), rng);
      CHECK(check(rows, keep) == reference);
    }
  }
}

// Runs rows (person key, dob) through dedup with `user_rules` as the
// --rules DIR copy of dedup_rules.csv ("" = shipped rules only).
std::vector<Outcome> RunDob(
    const std::vector<std::pair<std::string, std::string>>& rows,
    const std::string& user_rules) {
  testing::TestTable table({{"dob", Role::kDob}});
  std::string dir;
  if (!user_rules.empty()) {
    char tmpl[] = "/tmp/leadclean-dedup-test-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    dir = tmpl;
    std::FILE* f = std::fopen((dir + "/dedup_rules.csv").c_str(), "w");
    REQUIRE(f);
    std::fputs(user_rules.c_str(), f);
    std::fclose(f);
  }
  RuleFiles rules(std::string(LEADCLEAN_SOURCE_DIR) + "/rules", dir);
  StageContext context = table.Context();
  context.rules = &rules;
  std::string error;
  auto stage = MakeDedupStage(context, &error);
  REQUIRE(stage);
  auto findings_of = [](const std::string& person) {
    Findings findings;
    findings.person_key = person;
    return findings;
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    stage->Prepass(table.Row(i + 1, {rows[i].second}),
                   findings_of(rows[i].first));
  }
  RowSet none;
  stage->FinishPrepass(&none);
  std::vector<Outcome> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    Findings findings = findings_of(rows[i].first);
    stage->Process(table.Row(i + 1, {rows[i].second}), &findings);
    out.push_back(
        {findings.duplicate_of, findings.cluster, findings.reason, findings.rule});
  }
  if (!dir.empty()) {
    std::remove((dir + "/dedup_rules.csv").c_str());
    std::remove(dir.c_str());
  }
  return out;
}

TEST_CASE("dedup: name+dob, off by default, dates in any common format",
          "[dedup]") {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"an nguyen", "1990-01-02"},  // 1
      {"an nguyen", "02/01/1990"},  // 2 same day, day first
      {"an nguyen", "19900102"},    // 3 digits only
      {"an nguyen", "1990-01-03"},  // 4 another day
      {"binh tran", "1990-01-02"},  // 5 another name
      {"an nguyen", ""},            // 6 no date: name alone never matches
  };
  std::vector<Outcome> off = RunDob(rows, "");
  for (const Outcome& o : off) {
    CHECK(o.reason == Reason::kNone);
  }
  std::vector<Outcome> on = RunDob(
      rows, "id,keys,guard,enabled,message\n"
            "dedup_name_dob,name+dob,contacts_agree,1,same name and dob\n");
  CHECK(on[0].reason == Reason::kNone);
  CHECK(on[1].duplicate_of == 1);
  CHECK(on[1].rule == "dedup_name_dob");
  CHECK(on[2].duplicate_of == 1);
  CHECK(on[3].reason == Reason::kNone);
  CHECK(on[4].reason == Reason::kNone);
  CHECK(on[5].reason == Reason::kNone);
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
