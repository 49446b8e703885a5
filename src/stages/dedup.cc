// Dedup stage: clusters rows that are the same person and keeps one.
// Keys (rules/dedup_rules.csv): every E.164 phone of the row, the canonical
// email key, and name+company (name+city is shipped disabled: same names are
// common in Vietnam, so a name never matches alone). Clusters are transitive
// (union-find over a first pass); the survivor is chosen by --keep among
// rows that are not junk. Rows matching --suppress lists are rejected as
// suppressed, rows matching --against lists are flagged or rejected as
// known; both apply to the whole cluster. Covered by
// tests/stages/dedup_test.cc and tests/e2e (shuffle property).
#include <algorithm>
#include <numeric>

#include <absl/container/flat_hash_map.h>
#include <nlohmann/json.hpp>

#include "core/fccp.h"
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
  kNameCity
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
      {"name+city", KeyKind::kNameCity}};
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
                              "name+company, name+city)");
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

// Per-row facts from the first pass: 48 bytes a row.
struct RowFacts {
  uint64_t person = 0;  // hash of the person key, 0 = none
  uint64_t phone = 0;   // hash of the primary phone, 0 = none
  uint64_t email = 0;   // hash of the email key, 0 = none
  uint32_t parent = 0;
  int64_t created = INT64_MIN;  // unknown sorts oldest
  uint8_t completeness = 0;
  uint8_t link_rule = 0;  // 1 + index into rules_, 0 = not linked
  bool junk = false;
};

class DedupStage : public CrossStage {
 public:
  DedupStage(std::vector<MatchRule> rules, Keep keep, SideLists side,
             bool drop_known)
      : rules_(std::move(rules)),
        keep_(keep),
        side_(std::move(side)),
        drop_known_(drop_known) {}

  bool NeedsPrepass() const override { return true; }

  void Prepass(const RowView& row, const Findings& findings) override {
    uint32_t id = static_cast<uint32_t>(row.row);
    if (facts_.size() <= id) {
      facts_.resize(std::max<size_t>(id + 1, facts_.size() * 2));
    }
    RowFacts& facts = facts_[id];
    facts.parent = id;
    facts.junk = findings.rejected();
    max_row_ = std::max(max_row_, id);
    if (facts.junk) {
      return;
    }
    facts.created =
        ParseTimestamp(row.Get(Role::kCreatedAt)).value_or(INT64_MIN);
    facts.completeness = Completeness(row, findings);
    facts.person = HashOrZero('n', findings.person_key);
    facts.phone = findings.phone_all.empty()
                      ? 0
                      : SideLists::Hash('p', findings.phone_all[0]);
    facts.email = HashOrZero('e', findings.email_key);
    ForEachKey(findings, [&](uint64_t hash, uint8_t rule) {
      if (rules_[rule - 1].guard == Guard::kNamesAgree) {
        LinkByNamedKey(id, hash, rule);
        return;
      }
      auto [it, inserted] = index_.emplace(hash, id);
      if (!inserted && GuardAllows(rules_[rule - 1].guard, id, it->second)) {
        Union(id, it->second, rule);
      }
    });
    if (side_.Matches(findings, SideLists::kSuppress)) {
      suppressed_rows_.Add(id);
    }
    if (side_.Matches(findings, SideLists::kAgainst)) {
      known_rows_.Add(id);
    }
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
    index_ = {};
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
  }

 private:
  // A names_agree key is indexed per name, so colleagues sharing it do not
  // hide each other: a named row links to the first row of the same key and
  // name, and to the first nameless one; a nameless row links to the first
  // row of the key, named or not.
  void LinkByNamedKey(uint32_t id, uint64_t hash, uint8_t rule) {
    uint64_t person = facts_[id].person;
    uint64_t any = Mix(hash, 1);
    uint64_t nameless = Mix(hash, 2);
    auto link = [&](uint64_t key) {
      auto it = index_.find(key);
      if (it != index_.end()) {
        Union(id, it->second, rule);
      }
    };
    if (person) {
      link(nameless);
      auto [it, inserted] = index_.emplace(Mix(hash, person), id);
      if (!inserted) {
        Union(id, it->second, rule);
      }
    } else {
      link(any);
      index_.emplace(nameless, id);
    }
    index_.emplace(any, id);
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

  template <typename Fn>
  static void Phones(const Findings& findings, bool fixed, bool mobile,
                     uint8_t rule, Fn&& fn) {
    for (size_t i = 0; i < findings.phone_all.size(); ++i) {
      bool is_fixed = i < 32 && (findings.phone_fixed_mask >> i) & 1;
      if (is_fixed ? fixed : mobile) {
        fn(SideLists::Hash('p', findings.phone_all[i]), rule);
      }
    }
  }

  template <typename Fn>
  void ForEachKey(const Findings& findings, Fn&& fn) {
    for (size_t i = 0; i < rules_.size(); ++i) {
      auto rule = static_cast<uint8_t>(i + 1);
      switch (rules_[i].kind) {
        case KeyKind::kPhone:
          Phones(findings, true, true, rule, fn);
          break;
        case KeyKind::kMobile:
          Phones(findings, false, true, rule, fn);
          break;
        case KeyKind::kLandline:
          Phones(findings, true, false, rule, fn);
          break;
        case KeyKind::kEmail:
          if (!findings.email_key.empty()) {
            fn(SideLists::Hash('e', findings.email_key), rule);
          }
          break;
        case KeyKind::kNameCompany:
          Pair(findings.person_key, findings.company_key, 'c', rule, fn);
          break;
        case KeyKind::kNameCity:
          Pair(findings.person_key, findings.city_key, 't', rule, fn);
          break;
      }
    }
    peak_keys_ = std::max<uint64_t>(peak_keys_, index_.size());
  }

  template <typename Fn>
  static void Pair(const std::string& person, const std::string& other,
                   char kind, uint8_t rule, Fn&& fn) {
    if (!person.empty() && !other.empty()) {
      fn(SideLists::Hash(kind, person + '|' + other), rule);
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
        return fa.created > fb.created;
      case Keep::kMostComplete:
        return fa.completeness != fb.completeness
                   ? fa.completeness > fb.completeness
                   : fa.created > fb.created;
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
  std::vector<RowFacts> facts_;
  absl::flat_hash_map<uint64_t, uint32_t> index_;
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
  return std::make_unique<DedupStage>(std::move(rules), keep, std::move(side),
                                      context.options->drop_known);
}

}  // namespace leadclean
