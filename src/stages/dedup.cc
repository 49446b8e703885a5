// Dedup stage: clusters rows that are the same person and keeps one.
// Keys (rules/dedup_rules.csv): every E.164 phone of the row, the canonical
// email key, and name+company (name+city is shipped disabled: same names are
// common in Vietnam, so a name never matches alone). Clusters are transitive
// (union-find over a first pass); the survivor is chosen by --keep among
// rows that are not junk. Rows matching --suppress lists are rejected as
// suppressed, rows matching --against lists are flagged or rejected as
// known; both apply to the whole cluster. With --merge, the survivor's
// empty lc_* fields are filled from its duplicates (see Merge below).
// Covered by tests/stages/dedup_test.cc and tests/e2e (shuffle property).
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/fccp.h"
#include "core/spill.h"
#include "core/temp_file.h"
#include "leadclean/pipeline.h"
#include "leadclean/stage.h"
#include "leadclean/timestamp.h"
#include "stages/side_lists.h"

namespace leadclean {
namespace {

enum class KeyKind : uint8_t {
  kPhone,
  kMobile,
  kLandline,
  kEmail,
  kNameCompany,
  kNameCity,
  kNameDob
};

// When a key match is not enough on its own.
enum class Guard : uint8_t {
  kNone,
  kNamesAgree,     // no link when both rows have a name and they differ
  kContactsAgree,  // no link when both have a phone, or both an email,
                   // and they differ
};

struct MatchRule {
  std::string id;
  KeyKind kind;
  Guard guard;
  std::string message;
};

bool KindFromText(const std::string& keys, KeyKind* kind) {
  static const std::pair<const char*, KeyKind> kKinds[] = {
      {"phone", KeyKind::kPhone},
      {"mobile", KeyKind::kMobile},
      {"landline", KeyKind::kLandline},
      {"email", KeyKind::kEmail},
      {"name+company", KeyKind::kNameCompany},
      {"name+city", KeyKind::kNameCity},
      {"name+dob", KeyKind::kNameDob}};
  for (const auto& [text, value] : kKinds) {
    if (keys == text) {
      *kind = value;
      return true;
    }
  }
  return false;
}

bool GuardFromText(const std::string& text, Guard* guard) {
  static const std::pair<const char*, Guard> kGuards[] = {
      {"", Guard::kNone},
      {"none", Guard::kNone},
      {"names_agree", Guard::kNamesAgree},
      {"contacts_agree", Guard::kContactsAgree}};
  for (const auto& [name, value] : kGuards) {
    if (text == name) {
      *guard = value;
      return true;
    }
  }
  return false;
}

MatchRule ParseRule(int line, const std::string& id, const std::string& keys,
                    const std::string& guard_text, const std::string& message) {
  MatchRule rule{id, KeyKind::kPhone, Guard::kNone, message};
  if (!KindFromText(keys, &rule.kind)) {
    throw RuleError(line, "unknown keys '" + keys +
                              "' (phone, mobile, landline, email, "
                              "name+company, name+city, name+dob)");
  }
  if (!GuardFromText(guard_text, &rule.guard)) {
    throw RuleError(line, "unknown guard '" + guard_text +
                              "' (none, names_agree, contacts_agree)");
  }
  return rule;
}

bool LoadRules(const RuleFiles& files, std::vector<MatchRule>* rules,
               std::string* error) {
  for (const std::string& path : files.Paths("dedup_rules.csv")) {
    bool ok = ReadTable(
        path,
        [&] {
          RuleTableReader<5> in(path);
          in.read_header(io::ignore_extra_column, "id", "keys", "guard",
                         "enabled", "message");
          std::string id, keys, guard, enabled, message;
          while (in.read_row(id, keys, guard, enabled, message)) {
            int line = static_cast<int>(in.get_file_line());
            MatchRule rule = ParseRule(line, id, keys, guard, message);
            if (enabled != "0" && enabled != "1") {
              throw RuleError(line, "enabled must be 0 or 1");
            }
            std::erase_if(*rules,
                          [&](const MatchRule& r) { return r.id == id; });
            if (enabled == "1") {
              rules->push_back(std::move(rule));
            }
          }
        },
        error);
    if (!ok) {
      return false;
    }
  }
  return true;
}

enum class Keep { kFirst, kNewest, kMostComplete };

// Filled roles, for --keep most-complete.
uint8_t Completeness(const RowView& row, const Findings& findings) {
  uint8_t score = 0;
  for (Role role : {Role::kName, Role::kCompany, Role::kTitle, Role::kCity,
                    Role::kNotes, Role::kBudget, Role::kTimeline}) {
    score += !row.Get(role).empty();
  }
  score += 2 * !findings.Col(Out::kPhone).empty();
  score += 2 * !findings.Col(Out::kEmail).empty();
  return score;
}

// Per-row facts from the first pass: 32 bytes a row. What only some runs
// need lives in tables of its own, grown only then: created_at (--keep
// newest / most-complete) and the merge spill offset (--merge).
struct RowFacts {
  uint64_t person = 0;  // hash of the person key, 0 = none
  uint64_t phone = 0;   // hash of the primary phone, 0 = none
  uint64_t email = 0;   // hash of the email key, 0 = none
  uint32_t parent = 0;
  uint8_t completeness = 0;
  uint8_t link_rule = 0;  // 1 + index into rules_, 0 = not linked
  bool junk = false;
};
static_assert(sizeof(RowFacts) == 32);

// Key hash -> the first row that had it. Open addressing with linear
// probing over two plain arrays (8 + 4 bytes a slot, load at most 3/4):
// about 16 bytes a key against 17-34 for a node or SwissTable map of
// <uint64_t, uint32_t>, whose slots pad to 16 bytes. Key 0 marks an empty
// slot, so a key of 0 is stored as 1 (a 2^-64 chance of joining two keys).
// The table is 256 shards picked by the top byte of the key, each growing
// on its own: a growth copies 1/256 of the keys, so the index never holds
// its old and new arrays at once (one table would peak at 1.5 times its
// size while doubling, 200 MB more at 10M rows).
class KeyIndex {
 public:
  size_t size() const { return size_; }
  void Clear() { *this = KeyIndex(); }

  // The row stored for `key`; stores `row` first when there is none.
  uint32_t Insert(uint64_t key, uint32_t row, bool* inserted) {
    key = key ? key : 1;
    Shard& shard = shards_[key >> 56];
    if ((shard.size + 1) * 4 > shard.keys.size() * 3) {
      shard.Grow();
    }
    size_t i = shard.Slot(key);
    while (shard.keys[i] != 0) {
      if (shard.keys[i] == key) {
        *inserted = false;
        return shard.rows[i];
      }
      i = (i + 1) & shard.mask;
    }
    shard.keys[i] = key;
    shard.rows[i] = row;
    ++shard.size;
    ++size_;
    *inserted = true;
    return row;
  }

  // The row stored for `key`, 0 when none (rows count from 1).
  uint32_t Find(uint64_t key) const {
    key = key ? key : 1;
    const Shard& shard = shards_[key >> 56];
    if (shard.size == 0) {
      return 0;
    }
    for (size_t i = shard.Slot(key); shard.keys[i] != 0;
         i = (i + 1) & shard.mask) {
      if (shard.keys[i] == key) {
        return shard.rows[i];
      }
    }
    return 0;
  }

 private:
  struct Shard {
    std::vector<uint64_t> keys;
    std::vector<uint32_t> rows;
    size_t size = 0;
    size_t mask = 0;
    int shift = 64;

    size_t Slot(uint64_t key) const {
      return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> shift);
    }
    void Grow() {
      std::vector<uint64_t> old_keys = std::move(keys);
      std::vector<uint32_t> old_rows = std::move(rows);
      int bits = old_keys.empty() ? 8 : 64 - shift + 1;
      keys.assign(size_t{1} << bits, 0);
      rows.assign(size_t{1} << bits, 0);
      mask = (size_t{1} << bits) - 1;
      shift = 64 - bits;
      for (size_t j = 0; j < old_keys.size(); ++j) {
        if (old_keys[j] != 0) {
          size_t i = Slot(old_keys[j]);
          while (keys[i] != 0) {
            i = (i + 1) & mask;
          }
          keys[i] = old_keys[j];
          rows[i] = old_rows[j];
        }
      }
    }
  };

  std::array<Shard, 256> shards_;
  size_t size_ = 0;
};

// One value per row in fixed blocks of 64k rows: growing never copies and
// never holds twice the rows (a doubling vector peaks at 3x during a
// resize), so 10M rows of RowFacts cost 320 MB, not up to 960 MB.
template <typename T>
class RowTable {
 public:
  size_t size() const { return blocks_.size() * kBlock; }
  // Makes rows [0, n) addressable; new rows are value-initialised.
  void Grow(size_t n) {
    while (size() < n) {
      blocks_.push_back(std::make_unique<T[]>(kBlock));
    }
  }
  T& operator[](size_t i) { return blocks_[i / kBlock][i % kBlock]; }
  const T& operator[](size_t i) const {
    return blocks_[i / kBlock][i % kBlock];
  }

 private:
  static constexpr size_t kBlock = 65536;
  std::vector<std::unique_ptr<T[]>> blocks_;
};

// The date of birth as a comparable key: yyyymmdd when the value is three
// numbers (year first, or day/month/year as written in Vietnam and Europe),
// else its digits; "" when fewer than 6 digits.
std::string DobKey(std::string_view text) {
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      parts.back().push_back(c);
    } else if (!parts.back().empty()) {
      parts.emplace_back();
    }
  }
  if (parts.back().empty()) {
    parts.pop_back();
  }
  auto two = [](const std::string& p) {
    return p.size() == 1 ? "0" + p : p;
  };
  if (parts.size() == 3 && parts[0].size() == 4 && parts[1].size() <= 2 &&
      parts[2].size() <= 2) {
    return parts[0] + two(parts[1]) + two(parts[2]);
  }
  if (parts.size() == 3 && parts[2].size() == 4 && parts[0].size() <= 2 &&
      parts[1].size() <= 2) {
    return parts[2] + two(parts[1]) + two(parts[0]);
  }
  std::string digits;
  for (const std::string& part : parts) {
    digits += part;
  }
  return digits.size() >= 6 ? digits : "";
}

// --merge: what a row can give its survivor, read back in the second pass.
struct MergeValues {
  std::string phone, national, type, carrier, phone_alt, email, status, name;

  template <typename Fn>
  void ForEach(Fn&& fn) {
    for (std::string* field :
         {&phone, &national, &type, &carrier, &phone_alt, &email, &status,
          &name}) {
      fn(*field);
    }
  }
};

// The merge values of every non-junk row of the first pass, appended to an
// anonymous temp file ($TMPDIR, else /tmp; unlinked at once, so nothing is
// left behind even after SIGKILL) and read back by offset for the survivors.
// Memory: a 1 MiB write buffer; the offsets live in spill_at_. Disk: about
// 100 bytes a row. A failing write or read throws (exit 5 with the message):
// a silently partial merge would be worse.
class MergeSpill {
 public:
  MergeSpill() = default;
  MergeSpill(MergeSpill&& other) noexcept { *this = std::move(other); }
  MergeSpill& operator=(MergeSpill&& other) noexcept {
    std::swap(fd_, other.fd_);
    std::swap(buffer_, other.buffer_);
    std::swap(flushed_, other.flushed_);
    return *this;
  }
  ~MergeSpill() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }

  bool Open(std::string* error) {
    std::string path;
    fd_ = OpenAnonymousFile(TempDir(), "leadclean-merge", &path);
    if (fd_ < 0) {
      *error = "--merge: cannot create a temp file in " + path + ": " +
               std::strerror(errno);
      return false;
    }
    return true;
  }

  // Appends `values`; returns their offset.
  uint64_t Append(MergeValues& values) {
    uint64_t offset = flushed_ + buffer_.size();
    size_t start = buffer_.size();
    buffer_.append(4, '\0');
    values.ForEach(
        [&](const std::string& field) { PutString(field, &buffer_); });
    auto body = static_cast<uint32_t>(buffer_.size() - start - 4);
    std::memcpy(&buffer_[start], &body, 4);
    if (buffer_.size() >= (1u << 20)) {
      Flush();
    }
    return offset;
  }

  void Flush() {
    if (!WriteAllAt(fd_, buffer_, flushed_)) {
      throw std::runtime_error(std::string("--merge: temp file write: ") +
                               std::strerror(errno));
    }
    flushed_ += buffer_.size();
    buffer_.clear();
  }

  void Read(uint64_t offset, MergeValues* values) {
    uint32_t body = 0;
    ReadAt(offset, reinterpret_cast<char*>(&body), 4);
    read_.resize(body);
    ReadAt(offset + 4, read_.data(), body);
    std::string_view in = read_;
    values->ForEach([&](std::string& field) {
      uint64_t size = 0;
      GetVarint(&in, &size);
      size = std::min<uint64_t>(size, in.size());
      field.assign(in.substr(0, size));
      in.remove_prefix(size);
    });
  }

  uint64_t bytes() const { return flushed_ + buffer_.size(); }

 private:
  void ReadAt(uint64_t offset, char* out, size_t size) {
    errno = 0;
    if (!ReadAllAt(fd_, out, size, offset)) {
      throw std::runtime_error(std::string("--merge: temp file read: ") +
                               (errno == 0 ? "cut short" : std::strerror(errno)));
    }
  }

  int fd_ = -1;
  std::string buffer_;
  std::string read_;
  uint64_t flushed_ = 0;
};

// Fields --merge fills, for the report.
enum MergeField { kMPhone, kMPhoneAlt, kMEmail, kMEmailAlt, kMName, kMCount };
constexpr const char* kMergeFieldNames[] = {"lc_phone", "lc_phone_alt",
                                            "lc_email", "lc_email_alt",
                                            "lc_name"};

// Whether the ';'-separated `list` holds `item`.
bool InList(std::string_view list, std::string_view item) {
  while (!list.empty()) {
    size_t end = list.find(';');
    if (list.substr(0, end) == item) {
      return true;
    }
    if (end == std::string_view::npos) {
      break;
    }
    list.remove_prefix(end + 1);
  }
  return false;
}

void AddToList(std::string_view item, std::string* list) {
  if (!list->empty()) {
    list->push_back(';');
  }
  list->append(item);
}

class DedupStage : public CrossStage {
 public:
  DedupStage(std::vector<MatchRule> rules, Keep keep, SideLists side,
             bool drop_known, bool merge, MergeSpill spill)
      : rules_(std::move(rules)),
        keep_(keep),
        side_(std::move(side)),
        drop_known_(drop_known),
        merge_(merge),
        spill_(std::move(spill)) {
    for (const MatchRule& rule : rules_) {
      uses_dob_ |= rule.kind == KeyKind::kNameDob;
    }
  }

  bool NeedsPrepass() const override { return true; }

  void Prepass(const RowView& row, const Findings& findings) override {
    std::string prepared;
    PrepareRow(row, findings, &prepared);
    PrepassPrepared(row, findings, prepared);
  }

  // The hashing half of the first pass, on a worker: a kept row's person,
  // email and phone hashes, then its keys as (hash, rule) in ForEachKey's
  // order, for PrepassPrepared to insert in input order.
  bool PreparesRows() const override { return true; }
  void PrepareRow(const RowView& row, const Findings& findings,
                  std::string* prepared) const override {
    if (findings.rejected()) {
      return;
    }
    thread_local std::vector<uint64_t> phones;
    phones.clear();
    for (const std::string& phone : findings.phone_all) {
      phones.push_back(SideLists::Hash('p', phone));
    }
    const uint64_t email = HashOrZero('e', findings.email_key);
    PutWord(HashOrZero('n', findings.person_key), prepared);
    PutWord(email, prepared);
    PutWord(phones.empty() ? 0 : phones[0], prepared);
    std::string dob = uses_dob_ ? DobKey(row.Get(Role::kDob)) : std::string();
    ForEachKey(findings, phones, email, dob, [&](uint64_t hash, uint8_t rule) {
      PutWord(hash, prepared);
      prepared->push_back(static_cast<char>(rule));
    });
  }

  void PrepassPrepared(const RowView& row, const Findings& findings,
                       std::string_view prepared) override {
    uint32_t id = static_cast<uint32_t>(row.row);
    facts_.Grow(static_cast<size_t>(id) + 1);
    RowFacts& facts = facts_[id];
    facts.parent = id;
    facts.junk = findings.rejected();
    max_row_ = std::max(max_row_, id);
    if (facts.junk) {
      return;
    }
    if (keep_ != Keep::kFirst) {  // only Better() reads them
      created_.Grow(static_cast<size_t>(id) + 1);
      created_[id] =  // unknown sorts oldest
          ParseTimestamp(row.Get(Role::kCreatedAt)).value_or(INT64_MIN);
      facts.completeness = Completeness(row, findings);
    }
    facts.person = GetWord(&prepared);
    facts.email = GetWord(&prepared);
    facts.phone = GetWord(&prepared);
    if (merge_) {
      SpillValues(findings, id);
    }
    while (prepared.size() >= 9) {
      const uint64_t hash = GetWord(&prepared);
      const auto rule = static_cast<uint8_t>(prepared.front());
      prepared.remove_prefix(1);
      if (rules_[rule - 1].guard == Guard::kNamesAgree) {
        LinkByNamedKey(id, hash, rule);
        continue;
      }
      bool inserted;
      uint32_t first = index_.Insert(hash, id, &inserted);
      if (!inserted && GuardAllows(rules_[rule - 1].guard, id, first)) {
        Union(id, first, rule);
      }
    }
    peak_keys_ = std::max<uint64_t>(peak_keys_, index_.size());
    if (!side_.empty(SideLists::kSuppress) &&
        side_.Matches(findings, SideLists::kSuppress)) {
      suppressed_rows_.Add(id);
    }
    if (!side_.empty(SideLists::kAgainst) &&
        side_.Matches(findings, SideLists::kAgainst)) {
      known_rows_.Add(id);
    }
  }

  static void PutWord(uint64_t word, std::string* out) {
    out->append(reinterpret_cast<const char*>(&word), sizeof word);
  }
  static uint64_t GetWord(std::string_view* in) {
    uint64_t word = 0;
    if (in->size() >= sizeof word) {
      std::memcpy(&word, in->data(), sizeof word);
      in->remove_prefix(sizeof word);
    }
    return word;
  }

  void FinishPrepass(RowSet* rejected_later) override {
    best_.assign(max_row_ + 1, 0);
    for (uint32_t id = 1; id <= max_row_; ++id) {
      if (facts_.size() <= id || facts_[id].parent == 0) {
        continue;
      }
      uint32_t root = Find(id);
      if (suppressed_rows_.Contains(id)) {
        suppressed_roots_.Add(root);
      }
      if (known_rows_.Contains(id)) {
        known_roots_.Add(root);
      }
      if (!facts_[id].junk && !rejected_later->Contains(id) &&
          Better(id, best_[root])) {
        best_[root] = id;
      }
    }
    index_.Clear();
    if (merge_) {
      CollectMergeMembers(*rejected_later);
    }
  }

  void Process(const RowView& row, Findings* findings) override {
    uint32_t id = static_cast<uint32_t>(row.row);
    if (id >= facts_.size() || facts_[id].parent == 0) {
      return;
    }
    uint32_t root = Find(id);
    uint32_t survivor = best_[root] ? best_[root] : id;
    findings->cluster = survivor;
    if (findings->rejected()) {
      return;
    }
    if (suppressed_roots_.Contains(root)) {
      ++suppressed_;
      findings->Reject(Reason::kSuppressed, "suppress_list",
                       "phone or email on a do-not-call list");
      return;
    }
    if (known_roots_.Contains(root)) {
      ++known_;
      if (drop_known_) {
        findings->Reject(Reason::kKnown, "crm_known",
                         "phone or email already in the CRM export");
        return;
      }
      findings->Flag("crm_known");
    }
    if (merge_ && survivor == id && best_[root] == id) {
      Merge(root, id, findings);
    }
    if (survivor != id) {
      MarkDuplicate(id, survivor, findings);
    }
  }

  void Report(nlohmann::json* out) const override {
    (*out)["distinct_keys_peak"] = peak_keys_;
    (*out)["duplicates"] = duplicates_;
    (*out)["suppressed"] = suppressed_;
    (*out)["known"] = known_;
    (*out)["keep"] = keep_ == Keep::kFirst    ? "first"
                     : keep_ == Keep::kNewest ? "newest"
                                              : "most-complete";
    nlohmann::json rules = nlohmann::json::array();
    for (const MatchRule& rule : rules_) {
      rules.push_back(rule.id);
    }
    (*out)["rules"] = rules;
    if (merge_) {
      nlohmann::json fields = nlohmann::json::object();
      uint64_t total = 0;
      for (int i = 0; i < kMCount; ++i) {
        fields[kMergeFieldNames[i]] = merged_fields_[i];
        total += merged_fields_[i];
      }
      (*out)["merge"] = {{"survivors_filled", merged_survivors_},
                         {"rows_merged_from", merged_rows_},
                         {"fields", fields},
                         {"fields_total", total},
                         {"spill_bytes", spill_.bytes()}};
    }
  }

 private:
  void SpillValues(const Findings& findings, uint32_t id) {
    MergeValues values{findings.Col(Out::kPhone),
                       findings.Col(Out::kPhoneNational),
                       findings.Col(Out::kPhoneType),
                       findings.Col(Out::kPhoneCarrier),
                       findings.Col(Out::kPhoneAlt),
                       findings.Col(Out::kEmail),
                       findings.Col(Out::kEmailStatus),
                       findings.Col(Out::kName)};
    spill_at_.Grow(static_cast<size_t>(id) + 1);
    spill_at_[id] = spill_.Append(values) + 1;
  }

  // (root, row) of every row that will be a duplicate of a survivor, by
  // root then row: 8 bytes per duplicate.
  void CollectMergeMembers(const RowSet& rejected_later) {
    spill_.Flush();
    for (uint32_t id = 1; id <= max_row_; ++id) {
      if (facts_.size() <= id || facts_[id].parent == 0 || facts_[id].junk ||
          rejected_later.Contains(id)) {
        continue;
      }
      uint32_t root = Find(id);
      if (best_[root] != 0 && best_[root] != id) {
        members_.emplace_back(root, id);
      }
    }
    std::sort(members_.begin(), members_.end());
    members_.shrink_to_fit();
  }

  // --merge: fills the survivor's empty lc_phone (with its national format,
  // type and carrier), lc_email (with its status) and lc_name from its
  // duplicates in row order, the first one that has it winning; every other
  // phone and address of theirs the survivor lacks is added to lc_phone_alt
  // / lc_email_alt. lc_merged_from records it, e.g.
  // "57:lc_email,lc_phone_alt=+84912000111;102:lc_name".
  void Merge(uint32_t root, uint32_t id, Findings* findings) {
    auto first = std::lower_bound(members_.begin(), members_.end(),
                                  std::make_pair(root, uint32_t{0}));
    std::string from;
    std::vector<uint64_t> email_keys = {facts_[id].email};
    MergeValues values;
    for (auto it = first; it != members_.end() && it->first == root; ++it) {
      uint32_t dup = it->second;
      uint64_t at = dup < spill_at_.size() ? spill_at_[dup] : 0;
      if (at == 0) {
        continue;
      }
      spill_.Read(at - 1, &values);
      std::string fields;
      auto note = [&](MergeField field, std::string_view value) {
        fields += fields.empty() ? "" : ",";
        fields += kMergeFieldNames[field];
        if (!value.empty()) {
          fields += '=';
          fields += value;
        }
        ++merged_fields_[field];
      };
      std::vector<std::string_view> phones;
      if (!values.phone.empty()) {
        phones.push_back(values.phone);
      }
      std::string_view alt = values.phone_alt;
      while (!alt.empty()) {
        size_t end = std::min(alt.find(';'), alt.size());
        if (end > 0) {
          phones.push_back(alt.substr(0, end));
        }
        alt.remove_prefix(std::min(end + 1, alt.size()));
      }
      size_t next_phone = 0;
      if (findings->Col(Out::kPhone).empty() && !values.phone.empty()) {
        findings->Col(Out::kPhone) = values.phone;
        findings->Col(Out::kPhoneNational) = values.national;
        findings->Col(Out::kPhoneType) = values.type;
        findings->Col(Out::kPhoneCarrier) = values.carrier;
        note(kMPhone, "");
        next_phone = 1;
      }
      for (; next_phone < phones.size(); ++next_phone) {
        std::string_view phone = phones[next_phone];
        std::string& list = findings->Col(Out::kPhoneAlt);
        if (phone != findings->Col(Out::kPhone) && !InList(list, phone)) {
          AddToList(phone, &list);
          note(kMPhoneAlt, phone);
        }
      }
      uint64_t key = facts_[dup].email;
      if (!values.email.empty() &&
          std::find(email_keys.begin(), email_keys.end(), key) ==
              email_keys.end()) {
        std::string& list = findings->Col(Out::kEmailAlt);
        if (findings->Col(Out::kEmail).empty()) {
          findings->Col(Out::kEmail) = values.email;
          findings->Col(Out::kEmailStatus) = values.status;
          email_keys.push_back(key);
          note(kMEmail, "");
        } else if (values.email != findings->Col(Out::kEmail) &&
                   !InList(list, values.email)) {
          AddToList(values.email, &list);
          email_keys.push_back(key);
          note(kMEmailAlt, values.email);
        }
      }
      if (findings->Col(Out::kName).empty() && !values.name.empty()) {
        findings->Col(Out::kName) = values.name;
        note(kMName, "");
      }
      if (!fields.empty()) {
        from += from.empty() ? "" : ";";
        from += std::to_string(dup) + ":" + fields;
        ++merged_rows_;
      }
    }
    if (!from.empty()) {
      findings->Col(Out::kMergedFrom) = std::move(from);
      ++merged_survivors_;
    }
  }

  // A names_agree key is indexed per name, so colleagues sharing it do not
  // hide each other: a named row links to the first row of the same key and
  // name, and to the first nameless one; a nameless row links to the first
  // row of the key, named or not.
  void LinkByNamedKey(uint32_t id, uint64_t hash, uint8_t rule) {
    uint64_t person = facts_[id].person;
    uint64_t any = Mix(hash, 1);
    uint64_t nameless = Mix(hash, 2);
    auto link = [&](uint64_t key) {
      if (uint32_t first = index_.Find(key)) {
        Union(id, first, rule);
      }
    };
    bool inserted;
    if (person) {
      link(nameless);
      uint32_t first = index_.Insert(Mix(hash, person), id, &inserted);
      if (!inserted) {
        Union(id, first, rule);
      }
    } else {
      link(any);
      index_.Insert(nameless, id, &inserted);
    }
    index_.Insert(any, id, &inserted);
  }

  static uint64_t Mix(uint64_t a, uint64_t b) {
    uint64_t h = a ^ (b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
  }

  static uint64_t HashOrZero(char kind, const std::string& key) {
    return key.empty() ? 0 : SideLists::Hash(kind, key);
  }

  static bool Differ(uint64_t a, uint64_t b) { return a && b && a != b; }

  bool GuardAllows(Guard guard, uint32_t a, uint32_t b) const {
    const RowFacts& fa = facts_[a];
    const RowFacts& fb = facts_[b];
    switch (guard) {
      case Guard::kNone:
        return true;
      case Guard::kNamesAgree:
        return !Differ(fa.person, fb.person);
      case Guard::kContactsAgree:
        return !Differ(fa.phone, fb.phone) && !Differ(fa.email, fb.email);
    }
    return true;
  }

  // The row's phone keys, from `phones` (its phones, hashed once).
  template <typename Fn>
  static void Phones(const Findings& findings,
                     const std::vector<uint64_t>& phones, bool fixed,
                     bool mobile, uint8_t rule, Fn&& fn) {
    for (size_t i = 0; i < phones.size(); ++i) {
      bool is_fixed = i < 32 && (findings.phone_fixed_mask >> i) & 1;
      if (is_fixed ? fixed : mobile) {
        fn(phones[i], rule);
      }
    }
  }

  // Calls fn(hash, rule) for every key of the row; `email` is the hash of
  // its email key (0 = none).
  template <typename Fn>
  void ForEachKey(const Findings& findings, const std::vector<uint64_t>& phones,
                  uint64_t email, const std::string& dob, Fn&& fn) const {
    for (size_t i = 0; i < rules_.size(); ++i) {
      auto rule = static_cast<uint8_t>(i + 1);
      switch (rules_[i].kind) {
        case KeyKind::kPhone:
          Phones(findings, phones, true, true, rule, fn);
          break;
        case KeyKind::kMobile:
          Phones(findings, phones, false, true, rule, fn);
          break;
        case KeyKind::kLandline:
          Phones(findings, phones, true, false, rule, fn);
          break;
        case KeyKind::kEmail:
          if (email != 0) {
            fn(email, rule);
          }
          break;
        case KeyKind::kNameCompany:
          Pair(findings.person_key, findings.company_key, 'c', rule, fn);
          break;
        case KeyKind::kNameCity:
          Pair(findings.person_key, findings.city_key, 't', rule, fn);
          break;
        case KeyKind::kNameDob:
          Pair(findings.person_key, dob, 'b', rule, fn);
          break;
      }
    }
  }

  // Person, company and city keys are folded (letters, digits, spaces) and
  // a dob key is digits, so a pair hash keys the same pairs as the text
  // "person|other" would.
  template <typename Fn>
  static void Pair(const std::string& person, const std::string& other,
                   char kind, uint8_t rule, Fn&& fn) {
    if (!person.empty() && !other.empty()) {
      fn(SideLists::HashPair(kind, person, other), rule);
    }
  }

  uint32_t Find(uint32_t id) {
    while (facts_[id].parent != id) {
      facts_[id].parent = facts_[facts_[id].parent].parent;
      id = facts_[id].parent;
    }
    return id;
  }

  // The smaller row number becomes the root, so roots are stable.
  void Union(uint32_t a, uint32_t b, uint8_t rule) {
    for (uint32_t id : {a, b}) {
      if (facts_[id].link_rule == 0) {
        facts_[id].link_rule = rule;
      }
    }
    uint32_t ra = Find(a), rb = Find(b);
    if (ra != rb) {
      facts_[std::max(ra, rb)].parent = std::min(ra, rb);
    }
  }

  // Whether row `a` is a better survivor than row `b` (0 = none yet).
  // Ties go to the earlier row; then most-complete breaks ties by newest.
  bool Better(uint32_t a, uint32_t b) const {
    if (b == 0) {
      return true;
    }
    const RowFacts& fa = facts_[a];
    const RowFacts& fb = facts_[b];
    switch (keep_) {
      case Keep::kFirst:
        return false;
      case Keep::kNewest:
        return created_[a] > created_[b];
      case Keep::kMostComplete:
        return fa.completeness != fb.completeness
                   ? fa.completeness > fb.completeness
                   : created_[a] > created_[b];
    }
    return false;
  }

  void MarkDuplicate(uint32_t id, uint32_t survivor, Findings* findings) {
    ++duplicates_;
    uint8_t link = facts_[id].link_rule;
    const MatchRule* rule = link ? &rules_[link - 1] : nullptr;
    std::string rule_id = rule ? rule->id : "dedup_cluster";
    std::string detail = "same person as row " + std::to_string(survivor);
    if (rule && !rule->message.empty()) {
      detail += " (" + rule->message + ")";
    }
    findings->Reject(Reason::kDuplicate, rule_id, detail);
    findings->duplicate_of = survivor;
  }

  std::vector<MatchRule> rules_;
  Keep keep_;
  SideLists side_;
  bool drop_known_;
  bool merge_;
  bool uses_dob_ = false;
  MergeSpill spill_;
  std::vector<std::pair<uint32_t, uint32_t>> members_;  // --merge: (root, row)
  std::array<uint64_t, kMCount> merged_fields_{};
  uint64_t merged_survivors_ = 0;
  uint64_t merged_rows_ = 0;
  RowTable<RowFacts> facts_;
  RowTable<int64_t> created_;    // --keep newest / most-complete
  RowTable<uint64_t> spill_at_;  // --merge: 1 + offset in spill_, 0 = none
  KeyIndex index_;
  std::vector<uint32_t> best_;  // root -> survivor
  RowSet suppressed_rows_, known_rows_, suppressed_roots_, known_roots_;
  uint32_t max_row_ = 0;
  uint64_t peak_keys_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t suppressed_ = 0;
  uint64_t known_ = 0;
};

bool ParseKeep(const std::string& text, Keep* keep) {
  if (text == "first") {
    *keep = Keep::kFirst;
  } else if (text == "newest") {
    *keep = Keep::kNewest;
  } else if (text == "most-complete") {
    *keep = Keep::kMostComplete;
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<CrossStage> MakeDedupStage(const StageContext& context,
                                           std::string* error) {
  std::vector<MatchRule> rules;
  if (!LoadRules(*context.rules, &rules, error)) {
    return nullptr;
  }
  Keep keep;
  if (!ParseKeep(context.options->keep, &keep)) {
    *error = "--keep " + context.options->keep +
             ": expected first, newest or most-complete";
    return nullptr;
  }
  SideLists side;
  if (!side.Load(context, error)) {
    return nullptr;
  }
  MergeSpill spill;
  if (context.options->merge && !spill.Open(error)) {
    return nullptr;
  }
  return std::make_unique<DedupStage>(std::move(rules), keep, std::move(side),
                                      context.options->drop_known,
                                      context.options->merge, std::move(spill));
}

}  // namespace leadclean
