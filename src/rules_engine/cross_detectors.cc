// Keys are 64-bit hashes plus a time or number, kept on disk in the first
// pass (KeyStore); decisions sort the keys of repeated hashes once. Windows
// are closed intervals: K rows within T seconds means last - first <= T.
#include "rules_engine/cross_detectors.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <functional>
#include <optional>

#include "core/thread_memo.h"
#include "leadclean/text.h"
#include "leadclean/timestamp.h"
#include "rules_engine/key_store.h"

namespace leadclean {
namespace {

constexpr int64_t kNoTime = INT64_MIN;

// Rows are numbered in 32 bits here as in dedup (4 billion rows a run), so
// the per-row keys of a 10M-row first pass stay small: 24 and 40 bytes.
struct TimedKey {
  uint64_t key = 0;
  int64_t time = kNoTime;
  uint32_t row = 0;
  uint32_t number = 0;
};
static_assert(sizeof(TimedKey) == 24);

struct PairKey {
  uint64_t key = 0;
  uint64_t sub = 0;  // a person, for the text in `key`
  uint64_t row = 0;
};

// Trim, without decoding UTF-8 when there is nothing to trim: an empty
// cell, or printable ASCII at both ends (the usual case).
std::string_view QuickTrim(std::string_view text) {
  auto printable = [](char c) { return c > ' ' && c < '\x7f'; };
  if (text.empty() || (printable(text.front()) && printable(text.back()))) {
    return text;
  }
  return Trim(text);
}

// The value of `source` on a row as FieldValue gives it, as a view into the
// row where it can be one; otherwise it is built in `scratch`.
std::string_view FieldText(const FieldSource& source, const RowView& row,
                           const Findings& findings, std::string* scratch) {
  if (source.kind == FieldSource::Kind::kColumn) {
    return QuickTrim(row.fields[source.column]);
  }
  if (source.kind == FieldSource::Kind::kRole) {
    std::string_view value = QuickTrim(row.Get(source.role));
    if (!value.empty() || source.role != Role::kName) {
      return value;
    }
  }
  *scratch = FieldValue(source, row, findings);
  return *scratch;
}

// The part of created_at a time window can use: the trimmed text, or ""
// for none. A date without a time of day ("2025-03-01") puts a whole day's
// rows at one instant, which would make an office's leads of one day look
// like a burst: it does not count.
std::string_view WindowTimeText(std::string_view created_at) {
  std::string_view text = QuickTrim(created_at);
  bool epoch = !text.empty() &&
               std::all_of(text.begin(), text.end(),
                           [](char c) { return c >= '0' && c <= '9'; });
  if (!epoch && text.find(':') == std::string_view::npos) {
    return {};
  }
  return text;
}

// Keys with a time (TimedKey) whose created_at stays text until a decision
// needs it: only the rows of repeated keys (a few in a hundred) get their
// timestamp parsed, not every row of the first pass.
class TimedRows {
 public:
  // `created_at` as WindowTimeText gives it ("" = no time).
  void Append(uint64_t key, std::string_view created_at, uint32_t row,
              uint32_t number) {
    store_.Append(Row{key, texts_.Append(0, created_at, {}), row, number});
  }

  // The keys that occur at least `min_count` times, in the order they
  // came, with their times (kNoTime when none). Empties the store.
  std::vector<TimedKey> TakeRepeated(int64_t min_count) {
    std::vector<Row> rows = store_.TakeRepeated(min_count);
    std::vector<uint64_t> offsets;
    offsets.reserve(rows.size());
    for (const Row& row : rows) {
      offsets.push_back(row.text_at);
    }
    std::vector<TimedKey> keys;
    keys.reserve(rows.size());
    size_t next = 0;
    texts_.ReadEach(offsets, [&](uint8_t, std::string_view text,
                                 std::string_view) {
      const Row& row = rows[next++];
      std::optional<int64_t> time;
      if (!text.empty()) {
        time = ParseTimestamp(text);
      }
      keys.push_back({row.key, time.value_or(kNoTime), row.row, row.number});
    });
    texts_.Clear();
    return keys;
  }

 private:
  struct Row {
    uint64_t key = 0;
    uint64_t text_at = 0;  // created_at in texts_
    uint32_t row = 0;
    uint32_t number = 0;
  };

  KeyStore<Row> store_;
  TextStore texts_;
};

void Touch(CrossGroup* group, uint64_t row) {
  group->first_row = group->rows == 0 ? row : std::min(group->first_row, row);
  group->last_row = std::max(group->last_row, row);
  ++group->rows;
}

// Marks every entry of [begin, end) that lies in a window of at least
// `min_count` consecutive entries whose first and last are `close`;
// overlapping windows form one group.
void MarkWindows(const std::vector<TimedKey>& keys, size_t begin, size_t end,
                 int min_count,
                 const std::function<bool(const TimedKey&, const TimedKey&)>&
                     close,
                 uint32_t rule, std::vector<CrossMark>* marks,
                 std::vector<CrossGroup>* groups) {
  size_t first = begin;
  size_t marked_end = begin;
  int64_t min_time = 0, max_time = 0;
  for (size_t j = begin; j < end; ++j) {
    while (!close(keys[first], keys[j])) {
      ++first;
    }
    if (j - first + 1 < static_cast<size_t>(min_count)) {
      continue;
    }
    if (first >= marked_end || marked_end == begin) {
      groups->push_back({});
      min_time = INT64_MAX;
      max_time = INT64_MIN;
    }
    CrossGroup& group = groups->back();
    for (size_t m = std::max(first, marked_end); m <= j; ++m) {
      marks->push_back({keys[m].row, rule,
                        static_cast<uint32_t>(groups->size() - 1)});
      Touch(&group, keys[m].row);
      if (keys[m].time != kNoTime) {
        min_time = std::min(min_time, keys[m].time);
        max_time = std::max(max_time, keys[m].time);
        group.seconds = max_time - min_time;
      }
    }
    marked_end = j + 1;
  }
}

// Runs of equal `key` in sorted `keys`, as [begin, end) pairs.
template <typename Key>
std::vector<std::pair<size_t, size_t>> Runs(const std::vector<Key>& keys) {
  std::vector<std::pair<size_t, size_t>> runs;
  for (size_t begin = 0; begin < keys.size();) {
    size_t end = begin + 1;
    while (end < keys.size() && keys[end].key == keys[begin].key) {
      ++end;
    }
    runs.emplace_back(begin, end);
    begin = end;
  }
  return runs;
}

std::string RowSpan(const CrossGroup& group) {
  return "rows " + std::to_string(group.first_row) + "-" +
         std::to_string(group.last_row);
}

// ≥ K rows from one IP within T seconds (rows without a parseable
// created_at do not count).
class BurstDetector : public CrossDetector {
 public:
  BurstDetector(const FakeRule& rule, const FakeSettings& settings,
                const Schema& schema)
      : ip_(ResolveField(rule.field, schema)),
        count_(settings.burst_count),
        seconds_(settings.burst_seconds) {}

  void Add(const CrossRow& row) override {
    std::string_view ip = FieldText(ip_, row.view, row.findings, &scratch_);
    if (ip.empty()) {
      return;
    }
    std::string_view created_at =
        WindowTimeText(row.view.Get(Role::kCreatedAt));
    if (!created_at.empty()) {
      rows_.Append(StableHash(ip), created_at,
                   static_cast<uint32_t>(row.view.row), 0);
    }
  }

  // Rows whose created_at does not parse do not count.
  void Decide(uint32_t rule, std::vector<CrossMark>* marks,
              std::vector<CrossGroup>* groups) override {
    keys_ = rows_.TakeRepeated(count_);
    std::erase_if(keys_,
                  [](const TimedKey& key) { return key.time == kNoTime; });
    std::sort(keys_.begin(), keys_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.key, a.time, a.row) < std::tie(b.key, b.time, b.row);
    });
    int64_t seconds = seconds_;
    auto close = [seconds](const TimedKey& a, const TimedKey& b) {
      return b.time - a.time <= seconds;
    };
    for (auto [begin, end] : Runs(keys_)) {
      MarkWindows(keys_, begin, end, count_, close, rule, marks, groups);
    }
    keys_ = {};
  }

  std::string Value(const RowView& row,
                    const Findings& findings) const override {
    return FieldValue(ip_, row, findings);
  }

  std::string Explain(const CrossGroup& group) const override {
    return std::to_string(group.rows) + " rows from one IP within " +
           std::to_string(group.seconds) + " s, " + RowSpan(group);
  }

 private:
  FieldSource ip_;
  int count_;
  int64_t seconds_;
  std::string scratch_;
  TimedRows rows_;
  std::vector<TimedKey> keys_;  // in Decide: the keys of repeated IPs
};

// user001, user002, ... on one domain: locals that differ only in a
// trailing number, numbers at most 2 apart, ≥ K of them within the window
// (seconds when both rows have a time, else rows).
class SequentialEmailDetector : public CrossDetector {
 public:
  SequentialEmailDetector(const FakeRule& rule, const FakeSettings& settings,
                          const Schema& schema)
      : email_(ResolveField(rule.field, schema)),
        count_(settings.sequential_count),
        window_seconds_(settings.sequential_window_seconds),
        window_rows_(settings.sequential_window_rows) {}

  // The key is the address with the local's trailing number cut out
  // ("user@shop.vn" for user007@shop.vn), ASCII lower case.
  void Add(const CrossRow& row) override {
    std::string_view email = EmailOf(row.view, row.findings);
    size_t at = email.rfind('@');
    if (at == std::string_view::npos || at == 0) {
      return;
    }
    size_t digits = at;
    while (digits > 0 && email[digits - 1] >= '0' && email[digits - 1] <= '9') {
      --digits;
    }
    size_t length = at - digits;
    if (length == 0 || length > 9) {
      return;
    }
    uint32_t number = 0;
    for (size_t i = digits; i < at; ++i) {
      number = number * 10 + static_cast<uint32_t>(email[i] - '0');
    }
    lower_.assign(email.substr(0, digits));
    lower_.append(email.substr(at));
    for (char& c : lower_) {
      c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    rows_.Append(StableHash(lower_),
                 WindowTimeText(row.view.Get(Role::kCreatedAt)),
                 static_cast<uint32_t>(row.view.row), number);
  }

  void Decide(uint32_t rule, std::vector<CrossMark>* marks,
              std::vector<CrossGroup>* groups) override {
    keys_ = rows_.TakeRepeated(count_);
    std::sort(keys_.begin(), keys_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.key, a.number, a.row) <
             std::tie(b.key, b.number, b.row);
    });
    for (auto [begin, end] : Runs(keys_)) {
      size_t chain = begin;
      for (size_t i = begin + 1; i <= end; ++i) {
        if (i == end || keys_[i].number > keys_[i - 1].number + 2) {
          DecideChain(chain, i, rule, marks, groups);
          chain = i;
        }
      }
    }
    keys_ = {};
  }

  std::string Value(const RowView& row,
                    const Findings& findings) const override {
    std::string scratch;
    return std::string(EmailOf(row, findings, &scratch));
  }

  std::string Explain(const CrossGroup& group) const override {
    return std::to_string(group.rows) +
           " email addresses numbered in sequence on one domain, " +
           RowSpan(group);
  }

 private:
  std::string_view EmailOf(const RowView& row, const Findings& findings) {
    return EmailOf(row, findings, &scratch_);
  }
  std::string_view EmailOf(const RowView& row, const Findings& findings,
                           std::string* scratch) const {
    const std::string& normalised = findings.Col(Out::kEmail);
    return normalised.empty() ? FieldText(email_, row, findings, scratch)
                              : std::string_view(normalised);
  }

  void DecideChain(size_t begin, size_t end, uint32_t rule,
                   std::vector<CrossMark>* marks,
                   std::vector<CrossGroup>* groups) {
    if (end - begin < static_cast<size_t>(count_)) {
      return;
    }
    std::sort(keys_.begin() + begin, keys_.begin() + end,
              [](const auto& a, const auto& b) { return a.row < b.row; });
    int64_t seconds = window_seconds_, rows = window_rows_;
    auto close = [seconds, rows](const TimedKey& a, const TimedKey& b) {
      if (a.time != kNoTime && b.time != kNoTime) {
        return std::max(a.time, b.time) - std::min(a.time, b.time) <= seconds;
      }
      return static_cast<int64_t>(b.row) - static_cast<int64_t>(a.row) <= rows;
    };
    MarkWindows(keys_, begin, end, count_, close, rule, marks, groups);
  }

  FieldSource email_;
  int count_;
  int64_t window_seconds_;
  int64_t window_rows_;
  std::string scratch_;
  std::string lower_;
  TimedRows rows_;
  std::vector<TimedKey> keys_;  // in Decide: the keys of repeated stems
};

void MarkGroup(size_t begin, size_t end, uint32_t distinct, uint32_t rule,
               const std::function<uint64_t(size_t)>& row_of,
               std::vector<CrossMark>* marks, std::vector<CrossGroup>* groups) {
  groups->push_back({});
  groups->back().distinct = distinct;
  for (size_t i = begin; i < end; ++i) {
    marks->push_back(
        {row_of(i), rule, static_cast<uint32_t>(groups->size() - 1)});
    Touch(&groups->back(), row_of(i));
  }
}

// Rejects every row of a `key` that has at least `min` distinct `sub`s.
void MarkDistinct(std::vector<PairKey>* keys, int min, uint32_t rule,
                  std::vector<CrossMark>* marks,
                  std::vector<CrossGroup>* groups) {
  std::sort(keys->begin(), keys->end(), [](const auto& a, const auto& b) {
    return std::tie(a.key, a.sub, a.row) < std::tie(b.key, b.sub, b.row);
  });
  auto row_of = [keys](size_t i) { return (*keys)[i].row; };
  for (auto [begin, end] : Runs(*keys)) {
    uint32_t distinct = 0;
    for (size_t i = begin; i < end; ++i) {
      distinct += (i == begin || (*keys)[i].sub != (*keys)[i - 1].sub) ? 1 : 0;
    }
    if (distinct >= static_cast<uint32_t>(min)) {
      MarkGroup(begin, end, distinct, rule, row_of, marks, groups);
    }
  }
}

const std::string& PrimaryPhone(const Findings& findings) {
  return findings.phone_all.empty() ? findings.Col(Out::kPhone)
                                    : findings.phone_all.front();
}

// A row's phone, company and the words of its name, as sorted 32-bit
// hashes (up to five; 0 = none).
struct NameKey {
  uint64_t key = 0;  // the phone
  uint64_t company = 0;
  uint32_t row = 0;
  std::array<uint32_t, 5> words{};

  size_t size() const {
    return std::find(words.begin(), words.end(), 0u) - words.begin();
  }
  // Every word of `other` is a word of this name.
  bool Includes(const NameKey& other) const {
    return std::includes(words.begin(), words.begin() + size(),
                         other.words.begin(),
                         other.words.begin() + other.size());
  }
};

// The words of a folded name as NameKey keeps them: the five smallest
// distinct 32-bit word hashes, sorted (0 = none).
using NameWords = std::array<uint32_t, 5>;

NameWords MakeNameWords(std::string_view folded) {
  NameWords words{};  // sorted, distinct, 0 after the last
  size_t count = 0;
  for (size_t start = 0; start < folded.size();) {
    size_t end = std::min(folded.find(' ', start), folded.size());
    uint32_t hash =
        static_cast<uint32_t>(StableHash(folded.substr(start, end - start)));
    hash = hash == 0 ? 1 : hash;
    start = end + 1;
    size_t at = std::lower_bound(words.begin(), words.begin() + count, hash) -
                words.begin();
    if (at == words.size() || (at < count && words[at] == hash)) {
      continue;  // larger than five smaller ones, or already there
    }
    count = std::min(count + 1, words.size());
    std::copy_backward(words.begin() + at, words.begin() + count - 1,
                       words.begin() + count);
    words[at] = hash;
  }
  return words;
}

// Per-value work of the shared-phone detector's decision, memoised by the
// raw text: names and companies repeat, and FoldKey is most of the cost.
struct FoldedName {
  bool empty = true;  // the name folds to nothing
  NameWords words{};
};
using NameMemo = ThreadMemo<FoldedName, 4096, 4>;

struct FoldedCompany {
  uint64_t hash = 0;  // StableHash of the folded company, 0 = none
};
using CompanyMemo = ThreadMemo<FoldedCompany, 4096, 4>;

// Distinct people among one phone's names: a name whose words all appear in
// another name is the same person written shorter ("Hương", "chị Hương",
// "Nguyễn Thị Hương", "Huong Nguyen Thi"). `names` is sorted by words.
uint32_t DistinctPeople(const NameKey* names, size_t count) {
  constexpr size_t kMaxCompared = 256;
  std::vector<const NameKey*> unique;
  for (size_t i = 0; i < count; ++i) {
    if (i == 0 || names[i].words != names[i - 1].words) {
      unique.push_back(&names[i]);
    }
  }
  if (unique.size() > kMaxCompared) {
    return static_cast<uint32_t>(unique.size());
  }
  std::stable_sort(unique.begin(), unique.end(), [](auto* a, auto* b) {
    return a->size() > b->size();
  });
  std::vector<const NameKey*> people;
  for (const NameKey* name : unique) {
    bool known = std::any_of(people.begin(), people.end(),
                             [name](auto* p) { return p->Includes(*name); });
    if (!known) {
      people.push_back(name);
    }
  }
  return static_cast<uint32_t>(people.size());
}

// True when one company is on at least half of the rows: colleagues
// sharing a switchboard.
bool OneCompany(const NameKey* names, size_t count) {
  std::vector<uint64_t> companies;
  for (size_t i = 0; i < count; ++i) {
    if (names[i].company != 0) {
      companies.push_back(names[i].company);
    }
  }
  std::sort(companies.begin(), companies.end());
  size_t best = 0;
  for (size_t i = 0; i < companies.size();) {
    size_t j = i;
    while (j < companies.size() && companies[j] == companies[i]) {
      ++j;
    }
    best = std::max(best, j - i);
    i = j;
  }
  return best * 2 >= count;
}

// One phone given with ≥ N different people's names (see DistinctPeople).
// Rows already rejected do not count, so a real lead who shares a phone with
// junk rows is safe, and a phone shared by one company's staff is exempt.
class SharedPhoneDetector : public CrossDetector {
 public:
  SharedPhoneDetector(const FakeRule&, const FakeSettings& settings,
                      const Schema& schema)
      : name_(ResolveField("name", schema)),
        company_(ResolveField("company", schema)),
        min_names_(settings.shared_phone_names) {}

  // Keeps the phone's hash, and copies the name and company for Decide,
  // which folds them only for the rows of repeated phones.
  void Add(const CrossRow& row) override {
    const Findings& findings = row.findings;
    const std::string& phone = PrimaryPhone(findings);
    if (findings.rejected() || phone.empty()) {
      return;
    }
    const std::string& shown = findings.Col(Out::kName);
    NameText kind = NameText::kPersonKey;
    std::string_view name = findings.person_key;
    if (shown.empty() || name.empty()) {
      kind = NameText::kRaw;
      name = shown.empty() ? FieldText(name_, row.view, findings, &scratch_)
                           : std::string_view(shown);
    }
    if (name.empty()) {
      return;
    }
    std::string_view company =
        FieldText(company_, row.view, findings, &company_scratch_);
    uint64_t at = texts_.Append(static_cast<uint8_t>(kind), name, company);
    store_.Append(
        PhoneRow{StableHash(phone), at, static_cast<uint32_t>(row.view.row)});
  }

  void Decide(uint32_t rule, std::vector<CrossMark>* marks,
              std::vector<CrossGroup>* groups) override {
    LoadRepeated();
    std::sort(keys_.begin(), keys_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.key, a.words, a.row) < std::tie(b.key, b.words, b.row);
    });
    auto row_of = [this](size_t i) { return keys_[i].row; };
    for (auto [begin, end] : Runs(keys_)) {
      size_t count = end - begin;
      if (count < static_cast<size_t>(min_names_)) {
        continue;
      }
      uint32_t people = DistinctPeople(&keys_[begin], count);
      if (people >= static_cast<uint32_t>(min_names_) &&
          !OneCompany(&keys_[begin], count)) {
        MarkGroup(begin, end, people, rule, row_of, marks, groups);
      }
    }
    keys_ = {};
  }

  std::string Value(const RowView&, const Findings& findings) const override {
    return PrimaryPhone(findings);
  }

  std::string Explain(const CrossGroup& group) const override {
    return "one phone with " + std::to_string(group.distinct) +
           " different names on " + std::to_string(group.rows) + " rows, " +
           RowSpan(group);
  }

 private:
  // How a row's name text is kept: the match_keys stage has already folded
  // lc_name into person_key (its words sorted and joined by spaces; empty
  // for fewer than two words), which is taken when it is there; else the
  // name as shown or given, folded in Decide.
  enum class NameText : uint8_t { kRaw, kPersonKey };

  // A row with a phone and a name: the phone's hash, where its texts are.
  struct PhoneRow {
    uint64_t key = 0;
    uint64_t text_at = 0;
    uint32_t row = 0;
  };

  // keys_ = the NameKeys of the rows whose phone is on enough rows.
  void LoadRepeated() {
    std::vector<PhoneRow> rows = store_.TakeRepeated(min_names_);
    std::vector<uint64_t> offsets;
    offsets.reserve(rows.size());
    for (const PhoneRow& row : rows) {
      offsets.push_back(row.text_at);
    }
    keys_.clear();
    keys_.reserve(rows.size());
    size_t next = 0;
    texts_.ReadEach(offsets, [&](uint8_t kind, std::string_view name,
                                 std::string_view company) {
      const PhoneRow& row = rows[next++];
      NameKey key;
      if (!NameWordsOf(static_cast<NameText>(kind), name, &key.words)) {
        return;
      }
      key.company = CompanyHash(company);
      key.key = row.key;
      key.row = row.row;
      keys_.push_back(key);
    });
    texts_.Clear();
  }

  // The words of a name; false when it has none.
  bool NameWordsOf(NameText kind, std::string_view text, NameWords* words) {
    if (kind == NameText::kPersonKey) {
      *words = MakeNameWords(text);
      return true;
    }
    const FoldedName& name = NameMemo::Get(
        memo_owner_, text, [](std::string_view raw, FoldedName* out) {
          std::string folded = FoldKey(raw);
          out->empty = folded.empty();
          out->words = MakeNameWords(folded);
        });
    *words = name.words;
    return !name.empty;
  }

  uint64_t CompanyHash(std::string_view company) {
    return CompanyMemo::Get(memo_owner_, company,
                            [](std::string_view text, FoldedCompany* out) {
                              std::string folded = FoldKey(text);
                              out->hash =
                                  folded.empty() ? 0 : StableHash(folded);
                            })
        .hash;
  }

  FieldSource name_;
  FieldSource company_;
  int min_names_;
  uint64_t memo_owner_ = NewMemoOwner();  // raw names, companies
  std::string scratch_;
  std::string company_scratch_;
  KeyStore<PhoneRow> store_;
  TextStore texts_;
  std::vector<NameKey> keys_;  // in Decide: the keys of repeated phones
};

// One free text of at least min_chars (folded) from ≥ N different people
// (a person: their phone, else email, else name, else the row itself).
class RepeatedTextDetector : public CrossDetector {
 public:
  RepeatedTextDetector(const FakeRule& rule, const FakeSettings& settings,
                       const Schema& schema)
      : text_(ResolveField(rule.field, schema)),
        name_(ResolveField("name", schema)),
        min_people_(settings.repeated_text_people),
        min_chars_(settings.repeated_text_min_chars) {}

  void Add(const CrossRow& row) override {
    std::string_view text = FieldText(text_, row.view, row.findings, &scratch_);
    if (text.size() < static_cast<size_t>(min_chars_)) {
      return;
    }
    std::string folded = FoldKey(text);
    if (folded.size() < static_cast<size_t>(min_chars_)) {
      return;
    }
    store_.Append(PairKey{StableHash(folded), Person(row.view, row.findings),
                          row.view.row});
  }

  void Decide(uint32_t rule, std::vector<CrossMark>* marks,
              std::vector<CrossGroup>* groups) override {
    keys_ = store_.TakeRepeated(min_people_);
    MarkDistinct(&keys_, min_people_, rule, marks, groups);
    keys_ = {};
  }

  std::string Value(const RowView& row,
                    const Findings& findings) const override {
    return FieldValue(text_, row, findings);
  }

  std::string Explain(const CrossGroup& group) const override {
    return "the same text from " + std::to_string(group.distinct) +
           " people, " + RowSpan(group);
  }

 private:
  uint64_t Person(const RowView& row, const Findings& findings) const {
    const std::string& phone = PrimaryPhone(findings);
    if (!phone.empty()) {
      return StableHash(phone, 'p');
    }
    const std::string& email = findings.email_key.empty()
                                   ? findings.Col(Out::kEmail)
                                   : findings.email_key;
    if (!email.empty()) {
      return StableHash(email, 'e');
    }
    std::string name = FoldKey(FieldValue(name_, row, findings));
    return name.empty() ? StableHash(std::to_string(row.row), 'r')
                        : StableHash(name, 'n');
  }

  FieldSource text_;
  FieldSource name_;
  int min_people_;
  int min_chars_;
  std::string scratch_;
  KeyStore<PairKey> store_;
  std::vector<PairKey> keys_;  // in Decide: the keys of repeated texts
};

}  // namespace

std::unique_ptr<CrossDetector> MakeCrossDetector(const FakeRule& rule,
                                                 const FakeSettings& settings,
                                                 const Schema& schema) {
  switch (rule.detector) {
    case Detector::kBurst:
      return std::make_unique<BurstDetector>(rule, settings, schema);
    case Detector::kSequentialEmail:
      return std::make_unique<SequentialEmailDetector>(rule, settings, schema);
    case Detector::kSharedPhone:
      return std::make_unique<SharedPhoneDetector>(rule, settings, schema);
    case Detector::kRepeatedText:
      return std::make_unique<RepeatedTextDetector>(rule, settings, schema);
    default:
      return nullptr;
  }
}

}  // namespace leadclean
