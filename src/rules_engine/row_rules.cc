// Compiling and matching the row-local rules. The fake stage calls Match()
// on every row of million-row files from several threads, so all the work
// that does not depend on the row (grouping by field, RE2::Set compilation,
// folding list items) happens once in Build().
#include "rules_engine/row_rules.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <re2/re2.h>
#include <re2/set.h>

#include "core/thread_memo.h"
#include "leadclean/text.h"
#include "rules_engine/gibberish.h"
#include "rules_engine/required_text.h"

namespace leadclean {
namespace {

// A list rule: whole-value equality on the folded value; items written
// with a leading '=' match only with their diacritics ("=chị" is not the
// given name "Chi"); items that fold to nothing ("-", "?") match raw.
struct ListMatcher {
  const FakeRule* rule = nullptr;
  // By folded item: whether a plain item folds to it, and the lower-case
  // NFC spellings of the '=' items that do.
  struct Entry {
    bool plain = false;
    std::vector<std::string> exact;
  };
  std::unordered_map<std::string, Entry> folded;
  std::unordered_set<std::string> bare;  // items that fold to ""
  // Bit n: some item folds to n bytes (bit 63: 63 or more), so most values
  // are ruled out before hashing.
  uint64_t folded_sizes = 0;
};

uint64_t SizeBit(size_t size) {
  return uint64_t{1} << std::min<size_t>(size, 63);
}

}  // namespace

struct RowRules::FieldGroup {
  FieldSource source;
  std::unique_ptr<RE2::Set> set;
  // Proves most values match none of the set's patterns, without RE2.
  RequiredText set_required;
  bool set_on_folded = false;  // a regex, or a contains item with diacritics
  // Every pattern of the set matches case-insensitively throughout (none
  // turns folding off with a (?-i) flag), so a folded value that differs
  // from the raw one only in ASCII letter case matches the same rules.
  bool set_ignores_case = true;
  std::vector<const FakeRule*> set_rules;  // by Set index
  std::vector<ListMatcher> lists;
  // By byte: whether a value starting with it may fold to a list item. A
  // value starting with an ASCII letter or digit folds to text starting with
  // that character in lower case (neither the table nor ICU's NFD changes
  // it), so only items starting with it can match; any other byte: true.
  std::array<bool, 256> list_first{};
  std::vector<const FakeRule*> detectors;
  // The group's id in the per-thread memos (MemoUse in Found).
  uint64_t memo_id = 0;
  size_t index = 0;  // in groups_
};

namespace {

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// True when `pattern` may hold a flag group that turns case folding off:
// "(?" and flag letters with an 'i' after a '-' ("(?-i)", "(?s-i:x)").
// Errs toward true (an escaped "\\(?-i" counts too).
bool MayTurnOffCaseFolding(std::string_view pattern) {
  for (size_t at = pattern.find("(?"); at != std::string_view::npos;
       at = pattern.find("(?", at + 1)) {
    bool negated = false;
    for (size_t i = at + 2; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (c == '-') {
        negated = true;
      } else if (c == 'i' && negated) {
        return true;
      } else if (c != 'm' && c != 's' && c != 'U' && c != 'i') {
        break;
      }
    }
  }
  return false;
}

bool EqualsAsciiLower(std::string_view raw, std::string_view lower) {
  if (raw.size() != lower.size()) {
    return false;
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) != lower[i]) {
      return false;
    }
  }
  return true;
}

int FindColumn(const std::string& field, const Schema& schema) {
  for (int i = 0; i < schema.size(); ++i) {
    if (schema.names[i] == field) {
      return i;
    }
  }
  std::string key = FoldKey(field);
  for (int i = 0; i < schema.size() && !key.empty(); ++i) {
    if (FoldKey(schema.names[i]) == key) {
      return i;
    }
  }
  return -1;
}

// "a|b" for a case-insensitive Set; with `folded`, items with diacritics
// also in folded form (only for diacritics: folding "bot/" to "bot" would
// match "CUBOT").
std::string ContainsPattern(const FakeRule& rule, bool folded_too = true) {
  std::string pattern;
  for (const std::string& item : rule.items) {
    pattern += (pattern.empty() ? "" : "|") + RE2::QuoteMeta(item);
    std::string folded = FoldKey(item);
    if (folded_too && !IsAsciiText(item) && !folded.empty()) {
      pattern += "|" + RE2::QuoteMeta(folded);
    }
  }
  return pattern.empty() ? "[^\\x00-\\x{10FFFF}]" : pattern;  // never matches
}

std::string AsciiContainsPattern(const FakeRule& rule) {
  return ContainsPattern(rule, /*folded_too=*/false);
}

bool IsRowLevel(const FakeRule& rule) {
  return rule.kind == RuleKind::kFlag ||
         rule.detector == Detector::kDisposableOnly ||
         rule.detector == Detector::kPlaceholderEmailOnly;
}

// The flag a row-level rule reads: its pattern (kind flag), or the email
// flag of a *_only detector.
std::string_view RowRuleFlag(const FakeRule& rule) {
  if (rule.kind == RuleKind::kFlag) {
    return rule.pattern;
  }
  return rule.detector == Detector::kDisposableOnly ? "email_disposable"
                                                    : "email_placeholder";
}

bool IsEmailSource(const FieldSource& source) {
  return source.kind == FieldSource::Kind::kEmailLocal ||
         (source.kind == FieldSource::Kind::kRole &&
          source.role == Role::kEmail);
}

std::string_view LocalPart(std::string_view email) {
  size_t at = email.rfind('@');
  return at == std::string_view::npos ? email : email.substr(0, at);
}

bool SameSource(const FieldSource& a, const FieldSource& b) {
  return a.kind == b.kind && a.role == b.role && a.column == b.column;
}

bool Active(const FieldSource& source, const Schema& schema) {
  switch (source.kind) {
    case FieldSource::Kind::kNone:
      return false;
    case FieldSource::Kind::kRole:
      return !schema.ColumnsOf(source.role).empty() ||
             (source.role == Role::kName &&
              (!schema.ColumnsOf(Role::kFirstName).empty() ||
               !schema.ColumnsOf(Role::kLastName).empty()));
    case FieldSource::Kind::kEmailLocal:
    case FieldSource::Kind::kEmailDomain:
      return !schema.ColumnsOf(Role::kEmail).empty();
    case FieldSource::Kind::kColumn:
      return true;
  }
  return false;
}

ListMatcher MakeListMatcher(const FakeRule& rule) {
  ListMatcher list;
  list.rule = &rule;
  for (const std::string& item : rule.items) {
    bool exact = item.size() > 1 && item[0] == '=';
    std::string_view text = exact ? std::string_view(item).substr(1) : item;
    std::string folded = FoldKey(text);
    if (folded.empty()) {
      list.bare.insert(AsciiLower(text));
      continue;
    }
    list.folded_sizes |= SizeBit(folded.size());
    ListMatcher::Entry& entry = list.folded[folded];
    if (exact) {
      entry.exact.push_back(Lower(Nfc(text)));
    } else {
      entry.plain = true;
    }
  }
  return list;
}

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// Fills FieldGroup::list_first from the group's lists.
void IndexListStarts(const std::vector<ListMatcher>& lists,
                     std::array<bool, 256>* first) {
  for (int c = 0; c < 256; ++c) {
    (*first)[c] = !IsAsciiAlnum(static_cast<unsigned char>(c));
  }
  for (const ListMatcher& list : lists) {
    for (const auto& [folded, entry] : list.folded) {
      auto lower = static_cast<unsigned char>(folded[0]);
      (*first)[lower] = true;
      if (lower >= 'a' && lower <= 'z') {
        (*first)[lower - 'a' + 'A'] = true;
      }
    }
  }
}

}  // namespace

FieldSource ResolveField(const std::string& field, const Schema& schema) {
  FieldSource source;
  if (field == "email_local" || field == "email_domain") {
    source.kind = field == "email_local" ? FieldSource::Kind::kEmailLocal
                                         : FieldSource::Kind::kEmailDomain;
    source.role = Role::kEmail;
    return source;
  }
  if (Role role = RoleFromName(field); role != Role::kNone) {
    source.kind = FieldSource::Kind::kRole;
    source.role = role;
    return source;
  }
  source.column = FindColumn(field, schema);
  if (source.column >= 0) {
    source.kind = FieldSource::Kind::kColumn;
  }
  return source;
}

std::string_view FieldView(const FieldSource& source, const RowView& row,
                           const Findings& findings, std::string* scratch) {
  switch (source.kind) {
    case FieldSource::Kind::kNone:
      return {};
    case FieldSource::Kind::kColumn:
      return Trim(row.fields[source.column]);
    case FieldSource::Kind::kRole:
      break;
    case FieldSource::Kind::kEmailLocal:
    case FieldSource::Kind::kEmailDomain: {
      std::string_view email = findings.Col(Out::kEmail);
      email = email.empty() ? Trim(row.Get(Role::kEmail)) : email;
      size_t at = email.rfind('@');
      if (at == std::string_view::npos) {
        return {};
      }
      return source.kind == FieldSource::Kind::kEmailLocal
                 ? email.substr(0, at)
                 : email.substr(at + 1);
    }
  }
  std::string_view value = Trim(row.Get(source.role));
  if (!value.empty() || source.role != Role::kName) {
    return value;
  }
  std::string_view first = Trim(row.Get(Role::kFirstName));
  std::string_view last = Trim(row.Get(Role::kLastName));
  if (first.empty() || last.empty()) {
    return first.empty() ? last : first;
  }
  scratch->assign(first);
  scratch->push_back(' ');
  scratch->append(last);
  return *scratch;
}

std::string FieldValue(const FieldSource& source, const RowView& row,
                       const Findings& findings) {
  std::string joined;
  return std::string(FieldView(source, row, findings, &joined));
}

RowRules::RowRules() = default;
RowRules::~RowRules() = default;

std::unique_ptr<RowRules> RowRules::Build(const FakeRuleSet& rules,
                                          const Schema& schema,
                                          std::string* error) {
  auto built = std::make_unique<RowRules>();
  for (const FakeRule& rule : rules.rules) {
    if (rule.action == RuleAction::kOff || rule.CrossRow()) {
      continue;
    }
    if (IsRowLevel(rule)) {
      built->row_rules_.push_back(&rule);
      built->row_rule_flag_.push_back(built->RowFlagIndex(RowRuleFlag(rule)));
      continue;
    }
    FieldSource source = ResolveField(rule.field, schema);
    if (!Active(source, schema)) {
      built->inactive_.push_back(rule.id);
    } else if (!AddRule(built->GroupFor(source), rule, error)) {
      return nullptr;
    }
  }
  // A group left without rules (an empty list) would only cost lookups.
  std::erase_if(built->groups_, [](const std::unique_ptr<FieldGroup>& group) {
    return !group->set && group->lists.empty() && group->detectors.empty();
  });
  for (size_t i = 0; i < built->groups_.size(); ++i) {
    built->groups_[i]->index = i;
  }
  for (auto& group : built->groups_) {
    IndexListStarts(group->lists, &group->list_first);
    // No folded value can hold what the patterns need ("<" of "^<\s*test"):
    // the folded pass would never match.
    group->set_on_folded =
        group->set_on_folded && group->set_required.MayMatchFolded();
    if (group->set && !group->set->Compile()) {
      const FakeRule& first = *group->set_rules.front();
      *error = first.where + ": the regexes on field '" + first.field +
               "' are too large to compile together";
      return nullptr;
    }
  }
  return built;
}

RowRules::FieldGroup* RowRules::GroupFor(const FieldSource& source) {
  for (auto& group : groups_) {
    if (SameSource(group->source, source)) {
      return group.get();
    }
  }
  groups_.push_back(std::make_unique<FieldGroup>());
  groups_.back()->source = source;
  groups_.back()->memo_id = NewMemoOwner();
  groups_.back()->index = groups_.size() - 1;
  return groups_.back().get();
}

bool RowRules::AddRule(FieldGroup* group, const FakeRule& rule,
                       std::string* error) {
  if (rule.kind == RuleKind::kList) {
    if (!rule.items.empty()) {  // an empty list (competitors) costs nothing
      group->lists.push_back(MakeListMatcher(rule));
    }
    return true;
  }
  if (rule.kind == RuleKind::kDetector) {
    group->detectors.push_back(&rule);
    return true;
  }
  if (!group->set) {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    group->set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  }
  bool regex = rule.kind == RuleKind::kRegex;
  std::string pattern = regex ? rule.pattern : ContainsPattern(rule);
  group->set_ignores_case =
      group->set_ignores_case && !MayTurnOffCaseFolding(pattern);
  group->set_on_folded = group->set_on_folded || regex ||
                         pattern != AsciiContainsPattern(rule);
  group->set_required.Add(pattern);
  std::string set_error;
  if (group->set->Add(pattern, &set_error) < 0) {
    *error = rule.where + ": rule '" + rule.id + "': bad regex: " + set_error;
    return false;
  }
  group->set_rules.push_back(&rule);
  return true;
}

void RowRules::Match(const RowView& row, const Findings& findings,
                     std::vector<RuleHit>* hits) const {
  for (const auto& group : groups_) {
    MatchGroup(*group, row, findings, hits);
  }
  MatchRowRules(row, findings, hits);
}

namespace {

// The Set's matches on the value and on its folded form (nullptr: not
// needed), each rule once, in index order. Most values match nothing:
// `required` proves that for most of them without RE2, and a probe without
// a result vector, cheaper than collecting matches, comes next.
void SetHits(const RE2::Set& set, const RequiredText& required,
             bool ignores_case, const std::vector<const FakeRule*>& rules,
             std::string_view value, const std::string* folded,
             std::vector<const FakeRule*>* hits) {
  thread_local std::vector<int> matched, more;  // scratch, reused per call
  matched.clear();
  re2::StringPiece raw(value.data(), value.size());
  if (required.MayMatch(value) && set.Match(raw, nullptr)) {
    set.Match(raw, &matched);
  }
  bool same = !folded || *folded == value ||
              (ignores_case && EqualsAsciiLower(value, *folded));
  if (!same && required.MayMatch(*folded) && set.Match(*folded, nullptr)) {
    more.clear();
    set.Match(*folded, &more);
    matched.insert(matched.end(), more.begin(), more.end());
  }
  if (matched.empty()) {
    return;
  }
  std::sort(matched.begin(), matched.end());
  matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
  for (int index : matched) {
    hits->push_back(rules[index]);
  }
}

// Whether a detector fires on `value`; `note` says what it found. The
// gibberish verdict is computed on first use and kept in `*cached`, so the
// detectors of one field share it.
bool DetectorFires(const FakeRule& rule, std::string_view value,
                   const std::string& folded, bool email,
                   std::optional<GibberishVerdict>* cached, std::string* note) {
  if (rule.detector == Detector::kFilled) {
    return true;
  }
  if (!cached->has_value()) {
    if (!email) {
      *cached = ScoreName(value, folded);
    } else if (value.find('@') == std::string_view::npos) {
      *cached = ScoreEmailLocal(folded);  // the local part is the value
    } else {
      *cached = ScoreEmailLocal(FoldKey(LocalPart(value)));
    }
  }
  const GibberishVerdict& verdict = **cached;
  GibberishLevel needed = rule.detector == Detector::kGibberish
                              ? GibberishLevel::kMash
                              : GibberishLevel::kUnlikely;
  if (verdict.level < needed) {
    return false;
  }
  *note = std::string(verdict.why) + " '" + verdict.token + "'";
  return true;
}

bool ListHit(const ListMatcher& list, std::string_view value,
             const std::string& folded) {
  if (folded.empty()) {
    return !list.bare.empty() && list.bare.contains(AsciiLower(value));
  }
  if (!(list.folded_sizes & SizeBit(folded.size()))) {
    return false;
  }
  auto found = list.folded.find(folded);
  if (found == list.folded.end()) {
    return false;
  }
  const ListMatcher::Entry& entry = found->second;
  if (entry.plain) {
    return true;
  }
  std::string lower = Lower(Nfc(value));
  return std::find(entry.exact.begin(), entry.exact.end(), lower) !=
         entry.exact.end();
}

}  // namespace

namespace {

// A group's per-thread memo (direct-mapped: a miss overwrites its slot),
// and how often it answered lately. A group whose values hardly repeat
// (names, phones, addresses) skips the memo for a while: looking a new
// value up and storing it costs more than it saves.
struct MemoUse {
  struct Slot {
    bool used = false;
    std::string key;
    std::vector<std::pair<const FakeRule*, std::string>> hits;  // GroupHits
  };
  uint64_t memo_id = 0;
  uint32_t lookups = 0;
  uint32_t hits = 0;
  uint32_t skip = 0;        // values still to match without the memo
  std::vector<Slot> slots;  // 1 << kMemoSlotBits once used
};
constexpr uint32_t kMemoSample = 512;   // lookups judged at a time
constexpr uint32_t kMemoMinHits = 32;   // fewer hits in a sample: skip
constexpr uint32_t kMemoSkip = 4096;    // then this many values
constexpr int kMemoSlotBits = 10;

// The memo slot of `value`: ThreadMemo's slot hash (its size and a few
// 8-byte pieces, so a 130-byte user agent costs no more than a short value).
size_t MemoSlot(std::string_view value) {
  return memo_internal::SlotHash(value) >> (64 - kMemoSlotBits);
}

}  // namespace

const RowRules::GroupHits& RowRules::Found(const FieldGroup& group,
                                           std::string_view value) const {
  // What a group's rules found on one value is the same for every row with
  // that value, so sources, campaigns, user agents and notes that repeat
  // from row to row are matched once per thread.
  thread_local std::array<MemoUse, 16> uses;  // past 16 groups: no memo
  thread_local GroupHits direct;
  MemoUse* use = group.index < uses.size() ? &uses[group.index] : nullptr;
  if (use && use->memo_id != group.memo_id) {
    *use = MemoUse{};
    use->memo_id = group.memo_id;
  }
  if (!use || use->skip > 0) {
    if (use) {
      --use->skip;
    }
    MatchValue(group, value, &direct);
    return direct;
  }
  if (use->slots.empty()) {
    use->slots.resize(size_t{1} << kMemoSlotBits);
  }
  MemoUse::Slot& slot = use->slots[MemoSlot(value)];
  bool hit = slot.used && slot.key == value;
  if (!hit) {
    slot.used = false;
    slot.key.assign(value);
    MatchValue(group, value, &slot.hits);
    slot.used = true;
  }
  use->hits += hit ? 1 : 0;
  if (++use->lookups == kMemoSample) {
    use->skip = use->hits < kMemoMinHits ? kMemoSkip : 0;
    use->lookups = use->hits = 0;
  }
  return slot.hits;
}

void RowRules::MatchGroup(const FieldGroup& group, const RowView& row,
                          const Findings& findings,
                          std::vector<RuleHit>* hits) const {
  thread_local std::string joined;
  std::string_view value = FieldView(group.source, row, findings, &joined);
  if (value.empty() || CannotFire(group, value)) {
    return;
  }
  for (const auto& [rule, note] : Found(group, value)) {
    hits->push_back({rule, std::string(value), note});
  }
}

// Only the cheap tests, before the memo: the phone rule's prefix, a list
// of emails whose items start with a letter the value does not.
bool RowRules::CannotFire(const FieldGroup& group, std::string_view value) {
  if (!group.detectors.empty() || group.set_on_folded) {
    return false;
  }
  if (!group.lists.empty() &&
      group.list_first[static_cast<unsigned char>(value[0])]) {
    return false;
  }
  return !group.set || (!group.set_required.ScansText() &&
                        !group.set_required.MayMatch(value));
}

void RowRules::MatchValue(const FieldGroup& group, std::string_view value,
                          GroupHits* found) const {
  found->clear();
  bool lists = !group.lists.empty() && !value.empty() &&
               group.list_first[static_cast<unsigned char>(value[0])];
  bool need_folded = group.set_on_folded || lists || !group.detectors.empty();
  thread_local std::string folded;
  folded.clear();
  if (need_folded) {
    FoldKeyTo(value, &folded);
  }
  if (group.set) {
    thread_local std::vector<const FakeRule*> set_hits;
    set_hits.clear();
    SetHits(*group.set, group.set_required, group.set_ignores_case,
            group.set_rules, value,
            group.set_on_folded ? &folded : nullptr, &set_hits);
    for (const FakeRule* rule : set_hits) {
      found->emplace_back(rule, std::string());
    }
  }
  for (size_t i = 0; lists && i < group.lists.size(); ++i) {
    const ListMatcher& list = group.lists[i];
    if (ListHit(list, value, folded)) {
      found->emplace_back(list.rule, std::string());
    }
  }
  bool email = IsEmailSource(group.source);
  std::optional<GibberishVerdict> verdict;
  for (const FakeRule* rule : group.detectors) {
    std::string note;
    if (DetectorFires(*rule, value, folded, email, &verdict, &note)) {
      found->emplace_back(rule, std::move(note));
    }
  }
}

int RowRules::RowFlagIndex(std::string_view flag) {
  auto found = std::find(row_flags_.begin(), row_flags_.end(), flag);
  if (found != row_flags_.end()) {
    return static_cast<int>(found - row_flags_.begin());
  }
  row_flags_.emplace_back(flag);
  return static_cast<int>(row_flags_.size()) - 1;
}

// Bit i set when the row has flag row_flags_[i]: one pass over the row's
// flags instead of one Findings::HasFlag scan per rule. Past 64 distinct
// flags, the later ones are asked with HasFlag.
uint64_t RowRules::RowFlags(const Findings& findings) const {
  uint64_t present = 0;
  std::string_view flags = findings.flags;
  size_t start = 0;
  while (start <= flags.size()) {
    size_t end = std::min(flags.find(';', start), flags.size());
    std::string_view piece = flags.substr(start, end - start);
    for (size_t i = 0; i < row_flags_.size() && i < 64; ++i) {
      if (row_flags_[i] == piece) {
        present |= uint64_t{1} << i;
      }
    }
    start = end + 1;
  }
  return present;
}

void RowRules::MatchRowRules(const RowView& row, const Findings& findings,
                             std::vector<RuleHit>* hits) const {
  if (row_rules_.empty() || findings.flags.empty()) {
    return;  // every row rule reads a flag
  }
  uint64_t present = RowFlags(findings);
  if (present == 0 && row_flags_.size() <= 64) {
    return;
  }
  for (size_t k = 0; k < row_rules_.size(); ++k) {
    const FakeRule* rule = row_rules_[k];
    int index = row_rule_flag_[k];
    bool flagged = index < 64 ? (present >> index & 1) != 0
                              : findings.HasFlag(row_flags_[index]);
    if (rule->kind == RuleKind::kFlag) {
      if (flagged) {
        hits->push_back({rule, "", "flag " + rule->pattern});
      }
      continue;
    }
    if (flagged && !HasValidPhone(findings)) {
      std::string email(Trim(row.Get(Role::kEmail)));
      hits->push_back({rule, "", "email '" + email + "', no valid phone"});
    }
  }
}

}  // namespace leadclean
