#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "leadclean/stage.h"
#include "rules_engine/key_store.h"
#include "test_util.h"

namespace leadclean {
namespace {

// One input row of a bot test, and what the stage should decide.
struct BotRow {
  std::string name;
  std::string phone;  // E.164 as the phone stage would leave it; "" = none
  std::string email;
  std::string ip;
  std::string created_at;
  std::string company;
  std::string notes;
  std::string expected_rule;  // "" = kept (not rejected by this stage)
  bool junk_before = false;   // rejected by a row-local stage already
};

testing::TestTable BotTable() {
  return testing::TestTable({{"name", Role::kName},
                             {"email", Role::kEmail},
                             {"ip", Role::kIp},
                             {"created", Role::kCreatedAt},
                             {"company", Role::kCompany},
                             {"notes", Role::kNotes}});
}

Findings LocalFindings(const BotRow& r) {
  Findings findings;
  if (!r.phone.empty()) {
    findings.Col(Out::kPhone) = r.phone;
    findings.phone_all = {r.phone};
  }
  findings.Col(Out::kEmail) = r.email;
  findings.Col(Out::kName) = r.name;
  if (r.junk_before) {
    findings.Reject(Reason::kFake, "name_placeholder", "");
  }
  return findings;
}

// Runs both passes the way the pipeline does and checks every row. With
// `match_keys`, that stage fills the person keys first, as in a run.
void RunBot(const std::vector<BotRow>& rows, bool match_keys = false) {
  testing::TestTable table = BotTable();
  std::string error;
  auto stage = MakeBotStage(table.Context(), &error);
  REQUIRE(stage);
  REQUIRE(stage->NeedsPrepass());
  auto keys = MakeMatchKeysStage(table.Context(), &error);
  REQUIRE(keys);
  auto view = [&](size_t i) {
    const BotRow& r = rows[i];
    return table.Row(i + 1, {r.name, r.email, r.ip, r.created_at, r.company,
                             r.notes});
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    Findings findings = LocalFindings(rows[i]);
    if (match_keys) {
      keys->Process(view(i), &findings);
    }
    stage->Prepass(view(i), findings);
  }
  RowSet rejected_later;
  stage->FinishPrepass(&rejected_later);
  for (size_t i = 0; i < rows.size(); ++i) {
    const BotRow& r = rows[i];
    Findings findings = LocalFindings(r);
    stage->Process(view(i), &findings);
    INFO("row " << i + 1 << " " << r.name << " " << r.email << ": "
                << ReasonName(findings.reason) << " " << findings.rule
                << " / " << findings.detail << " / flags " << findings.flags);
    if (r.junk_before) {
      CHECK(findings.rule ==
            (r.expected_rule.empty() ? "name_placeholder" : r.expected_rule));
      continue;
    }
    CHECK(findings.rule == r.expected_rule);
    CHECK(rejected_later.Contains(i + 1) == !r.expected_rule.empty());
  }
}

TEST_CASE("bot stage: every row of a burst from one IP is rejected, the "
          "first ones included",
          "[bot]") {
  RunBot({
      {"An", "+84912000001", "", "1.2.3.4", "2025-03-01T02:10:00Z", "", "",
       "bot_burst"},
      {"Bình", "+84912000002", "", "1.2.3.4", "2025-03-01T02:10:05Z", "", "",
       "bot_burst"},
      {"Cúc", "+84912000003", "", "9.9.9.9", "2025-03-01T02:10:06Z", "", "",
       ""},
      {"Dũng", "+84912000004", "", "1.2.3.4", "01/03/2025 09:10:20", "", "",
       "bot_burst"},  // 02:10:20 UTC as a Vietnamese local time
      {"Em", "+84912000005", "", "1.2.3.4", "2025-03-01 09:10:31", "", "",
       "bot_burst"},  // no offset: Vietnamese local time too
      {"Giang", "+84912000006", "", "1.2.3.4", "2025-03-01T09:11:00+07:00",
       "", "", "bot_burst"},
      {"Hà", "+84912000007", "", "1.2.3.4", "not a date", "", "", ""},
      {"Hải", "+84912000016", "", "1.2.3.4", "1740795010", "", "",
       "bot_burst"},  // Unix time 02:10:10 UTC
      {"Khoa", "+84912000008", "", "1.2.3.4", "2025-03-01T05:00:00Z", "", "",
       ""},  // the same IP hours later
      {"Lan", "+84912000009", "", "5.5.5.5", "2025-03-01T02:10:00Z", "", "",
       ""},
      {"Nga", "+84912000011", "", "7.7.7.7", "2025-03-02", "", "", ""},
      {"Oanh", "+84912000012", "", "7.7.7.7", "2025-03-02", "", "", ""},
      {"Phúc", "+84912000013", "", "7.7.7.7", "02/03/2025", "", "", ""},
      {"Quân", "+84912000014", "", "7.7.7.7", "2025-03-02", "", "", ""},
      {"Sơn", "+84912000015", "", "7.7.7.7", "2025-03-02", "", "",
       ""},  // an office's leads of one day, dates without a time
      {"Minh", "+84912000010", "", "5.5.5.5", "2025-03-01T02:10:40Z", "", "",
       ""},  // two rows are not a burst
  });
}

TEST_CASE("bot stage: sequentially numbered email locals on one domain are "
          "rejected within the window",
          "[bot]") {
  RunBot({
      {"A", "", "user01@shop.vn", "", "2025-03-01T10:00:00Z", "", "",
       "sequential_email"},
      {"B", "", "user02@shop.vn", "", "2025-03-01T10:04:00Z", "", "",
       "sequential_email"},
      {"C", "", "lan.nguyen@gmail.com", "", "2025-03-01T10:05:00Z", "", "",
       ""},
      {"D", "", "user03@shop.vn", "", "2025-03-01T10:09:00Z", "", "",
       "sequential_email"},
      {"E", "", "user05@shop.vn", "", "2025-03-01T10:15:00Z", "", "",
       "sequential_email"},  // a gap of 2 continues the sequence
      {"F", "", "user06@other.vn", "", "2025-03-01T10:16:00Z", "", "", ""},
      {"G", "", "linh1990@gmail.com", "", "2025-01-01T10:00:00Z", "", "", ""},
      {"H", "", "linh1991@gmail.com", "", "2025-02-01T10:00:00Z", "", "", ""},
      {"I", "", "linh1992@gmail.com", "", "2025-03-01T10:00:00Z", "", "",
       ""},  // months apart: not a bot
  });
}

TEST_CASE("bot stage: one phone with many different names is rejected, a "
          "company switchboard and junk rows are not counted",
          "[bot]") {
  const std::string kShared = "+84987000111";
  const std::string kSwitchboard = "+842838123456";
  bool match_keys = GENERATE(false, true);
  INFO("person keys from match_keys: " << match_keys);
  const std::vector<BotRow> rows = {
      {"Nguyễn Văn An", kShared, "", "", "", "", "", "phone_shared"},
      {"Trần Thị Bích", kShared, "", "", "", "", "", "phone_shared"},
      {"Nguyen Van An", kShared, "", "", "", "", "", "phone_shared"},
      {"Lê Hoàng Cường", kShared, "", "", "", "", "", "phone_shared"},
      {"Phạm Dũng", kShared, "", "", "", "", "", "phone_shared"},
      {"Anh Phạm", "+84987000222", "", "", "", "", "", ""},
      {"Hà Anh Phạm", "+84987000222", "", "", "", "", "", ""},
      {"anh Tuấn", "+84987000222", "", "", "", "", "", ""},
      {"Tuấn Anh Nguyễn", "+84987000222", "", "", "", "", "", ""},
      {"Vũ Minh", kSwitchboard, "", "", "", "Công ty TNHH Sao Mai", "", ""},
      {"Lý Hạnh", kSwitchboard, "", "", "", "Cong ty TNHH Sao Mai", "", ""},
      {"Đỗ Quang", kSwitchboard, "", "", "", "Công ty TNHH Sao Mai", "", ""},
      {"Hồ Thư", kSwitchboard, "", "", "", "", "", ""},
      {"test", "+84987000333", "", "", "", "", "", "", true},
      {"asdf", "+84987000333", "", "", "", "", "", "", true},
      {"Khách", "+84987000333", "", "", "", "", "", "", true},
      {"Mai Hoa", "+84987000333", "", "", "", "", "", ""},
  };
  RunBot(rows, match_keys);
}

TEST_CASE("bot stage: groups spread over a list too big to keep its keys in "
          "memory are found whole",
          "[bot]") {
  // 50,000 rows: more than a 1 MiB block of every detector's keys, so
  // they go through the temp file.
  std::vector<BotRow> rows;
  for (int i = 0; i < 50000; ++i) {
    std::string n = std::to_string(i);
    rows.push_back(
        {"Khách " + n, "+8490" + std::string(7 - n.size(), '0') + n, "",
         "10." + std::to_string(i / 256) + ".0." + std::to_string(i % 256),
         "2025-03-01T02:10:00Z", "", "", ""});
  }
  for (int i : {3, 20000, 44000, 47000, 49990}) {
    rows[i].ip = "1.2.3.4";
    rows[i].expected_rule = "bot_burst";
  }
  const char* names[] = {"Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Cường",
                         "Phạm Dũng"};
  int n = 0;
  for (int i : {10, 30000, 40000, 49995}) {
    rows[i].phone = "+84987000111";
    rows[i].name = names[n++];
    rows[i].expected_rule = "phone_shared";
  }
  RunBot(rows);
}

TEST_CASE("key store: keeps the keys of repeated hashes, in order, through "
          "blocks on disk and count slices",
          "[bot]") {
  struct TestKey {
    uint64_t key;
    uint32_t row;
  };
  // Three keys a block, two hashes a slice: every path is taken.
  KeyStore<TestKey> store(3, 2);
  std::vector<uint64_t> hashes = {
      7ull << 56, 1, 9ull << 60, 7ull << 56, 5,         1,
      9ull << 60, 1, 2,          3ull << 56, 9ull << 60};
  for (size_t i = 0; i < hashes.size(); ++i) {
    store.Append({hashes[i], static_cast<uint32_t>(i)});
  }
  std::vector<TestKey> kept = store.TakeRepeated(2);
  std::vector<uint32_t> rows;
  for (const TestKey& key : kept) {
    rows.push_back(key.row);
  }
  CHECK(rows == std::vector<uint32_t>{0, 1, 2, 3, 5, 6, 7, 10});
  CHECK(store.size() == 0);
  CHECK(store.TakeRepeated(2).empty());
  for (size_t i = 0; i < hashes.size(); ++i) {
    store.Append({hashes[i], static_cast<uint32_t>(i)});
  }
  CHECK(store.TakeRepeated(3).size() == 6);
  store.Append({4, 0});
  CHECK(store.TakeRepeated(1).size() == 1);
}

TEST_CASE("text store: reads records back by offset across writes to disk",
          "[bot]") {
  TextStore texts(16);  // a write every 16 bytes: most records on disk
  std::vector<uint64_t> offsets;
  for (int i = 0; i < 40; ++i) {
    offsets.push_back(texts.Append(static_cast<uint8_t>(i % 3),
                                   "name " + std::to_string(i),
                                   std::string(i % 7, 'c')));
  }
  std::vector<uint64_t> wanted = {offsets[0], offsets[5], offsets[6],
                                  offsets[38], offsets[39]};
  std::vector<int> rows = {0, 5, 6, 38, 39};
  size_t next = 0;
  texts.ReadEach(wanted, [&](uint8_t tag, std::string_view first,
                             std::string_view second) {
    int i = rows[next++];
    INFO("record " << i);
    CHECK(tag == i % 3);
    CHECK(first == "name " + std::to_string(i));
    CHECK(second == std::string(i % 7, 'c'));
  });
  CHECK(next == wanted.size());
}

TEST_CASE("bot stage: a long text from many people is flagged, short common "
          "answers are not",
          "[bot]") {
  const std::string kSpam = "We offer web design services at low price";
  std::vector<BotRow> rows;
  for (int i = 0; i < 8; ++i) {
    rows.push_back({"Người " + std::to_string(i),
                    "+8491200010" + std::to_string(i), "", "", "", "",
                    i % 2 ? kSpam : "WE OFFER web design services, at low price!",
                    ""});
  }
  for (int i = 0; i < 12; ++i) {
    rows.push_back({"Khách " + std::to_string(i),
                    "+8491300010" + std::to_string(i), "", "", "", "",
                    "cần tư vấn thêm", ""});
  }
  testing::TestTable table = BotTable();
  std::string error;
  auto stage = MakeBotStage(table.Context(), &error);
  REQUIRE(stage);
  auto view = [&](size_t i) {
    return table.Row(i + 1, {rows[i].name, "", "", "", "", rows[i].notes});
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    stage->Prepass(view(i), LocalFindings(rows[i]));
  }
  RowSet rejected_later;
  stage->FinishPrepass(&rejected_later);
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i + 1);
    Findings findings = LocalFindings(rows[i]);
    stage->Process(view(i), &findings);
    CHECK_FALSE(findings.rejected());
    CHECK(findings.HasFlag("repeated_text") == (i < 8));
    CHECK_FALSE(rejected_later.Contains(i + 1));
  }
  nlohmann::json report;
  stage->Report(&report);
  CHECK(report["rows_in_groups"]["repeated_text"] == 8);
}

TEST_CASE("bot stage: lc_detail says what the group is", "[bot]") {
  testing::TestTable table = BotTable();
  std::string error;
  auto stage = MakeBotStage(table.Context(), &error);
  REQUIRE(stage);
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < 5; ++i) {
      RowView view = table.Row(
          i + 1, {"A", "", "10.0.0.7", "2025-03-01T02:10:0" + std::to_string(i),
                  "", ""});
      Findings findings;
      if (pass == 0) {
        stage->Prepass(view, findings);
        continue;
      }
      if (i == 0) {
        RowSet rejected_later;
        stage->FinishPrepass(&rejected_later);
      }
      stage->Process(view, &findings);
      CHECK(findings.reason == Reason::kBot);
      CHECK(findings.detail ==
            "bot_burst: burst of submissions from one IP (ip '10.0.0.7'; 5 "
            "rows from one IP within 4 s, rows 1-5)");
    }
  }
}

}  // namespace
}  // namespace leadclean
