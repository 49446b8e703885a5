// Email stage: decides lc_email, lc_email_status (valid|risky|invalid),
// lc_email_alt, the dedup email_key and the email_* flags of a row.
// Reads rules/email_{disposable_domains,free_providers,role_locals,
// placeholders,typo_targets,reserved_domains}.txt; covered by
// tests/stages/email_test.cc.
//
// Every candidate address of every email column is judged on its own; the
// first "valid" one (else the first "risky" one) becomes lc_email and the
// other usable ones go to lc_email_alt. Flags describe lc_email. Domain
// verdicts are memoised per thread, so a 1M-row file classifies each
// distinct domain once per thread. With --check-mx, a usable address's
// domain (free-mail providers aside) must also accept mail (email_mx.h).
#include <algorithm>
#include <atomic>
#include <bit>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <span>

#include "leadclean/pipeline.h"
#include "leadclean/stage.h"
#include "leadclean/text.h"
#include "stages/email_address.h"
#include "stages/email_cell.h"
#include "stages/email_mx.h"
#include "stages/email_rules.h"

namespace leadclean {
namespace {

enum class TypoMode { kFix, kSuggest, kOff };
enum class Status { kValid, kRisky, kInvalid };

// Flags in the order they are written to lc_flags.
enum EmailFlag : uint16_t {
  kInvalidFlag = 1 << 0,
  kReserved = 1 << 1,
  kPlaceholder = 1 << 2,
  kDisposable = 1 << 3,
  kRole = 1 << 4,
  kFree = 1 << 5,
  kGibberish = 1 << 6,
  kTypoCorrected = 1 << 7,
  kTypoSuggested = 1 << 8,
  kNoMx = 1 << 9,
  kMxUnknown = 1 << 10,
};
constexpr std::string_view kFlagIds[] = {
    "email_invalid",    "email_reserved",       "email_placeholder",
    "email_disposable", "email_role",           "email_free",
    "email_gibberish",  "email_typo_corrected", "email_typo_suggested",
    "email_no_mx",      "email_mx_unknown",
};
constexpr uint16_t kRiskyFlags =
    kDisposable | kRole | kGibberish | kTypoSuggested;
constexpr std::string_view kStatusNames[] = {"valid", "risky", "invalid"};
// --check-mx: while EmailStage::BeginBatch() judges a batch, the domains
// whose MX it needs; otherwise nullptr.
thread_local std::vector<std::string>* mx_domains = nullptr;
// Distinct domains kept per thread before the memo starts over.
constexpr size_t kDomainCacheLimit = 1 << 16;

struct Verdict {
  Status status = Status::kInvalid;
  uint16_t flags = 0;
  std::string address;     // lc_email value; "" when invalid
  std::string key;         // email_key
  std::string suggestion;  // --email-typos suggest: the corrected address

  // Makes this an invalid verdict with `invalid_flags` and no text, keeping
  // the strings' storage.
  void Reset(uint16_t invalid_flags) {
    status = Status::kInvalid;
    flags = invalid_flags;
    address.clear();
    key.clear();
    suggestion.clear();
  }
};

// The verdicts of one row's candidates. Verdicts are reused from row to
// row with their strings' storage, so judging a row allocates nothing once
// the thread has seen a few rows.
class Verdicts {
 public:
  void Clear() { size_ = 0; }
  // A verdict for the next candidate, reset as a new one.
  Verdict* Add() {
    if (size_ == items_.size()) {
      items_.emplace_back();
    }
    Verdict* verdict = &items_[size_++];
    verdict->Reset(0);
    return verdict;
  }
  std::span<Verdict> items() { return {items_.data(), size_}; }

 private:
  std::vector<Verdict> items_;
  size_t size_ = 0;
};

struct DomainCache {
  uint64_t owner = 0;
  StringMap<DomainInfo> domains;
};

bool ParseTypoMode(std::string_view text, TypoMode* mode) {
  if (text == "fix") {
    *mode = TypoMode::kFix;
  } else if (text == "suggest") {
    *mode = TypoMode::kSuggest;
  } else if (text == "off") {
    *mode = TypoMode::kOff;
  } else {
    return false;
  }
  return true;
}

std::string LowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  return lower;
}

// Lower case without ICU unless the local part is internationalised,
// written over *out.
void LowerLocalTo(std::string_view local, std::string* out) {
  out->resize(local.size());
  char* at = out->data();
  for (char c : local) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      *out = Lower(local);
      return;
    }
    *at++ = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
}

// Makes *verdict an invalid one with `flags` (and email_invalid).
void SetInvalid(uint16_t flags, Verdict* verdict) {
  verdict->Reset(kInvalidFlag | flags);
}

class EmailStage : public Stage {
 public:
  EmailStage(std::unique_ptr<EmailRules> rules, TypoMode mode,
             std::string mode_name, std::unique_ptr<MxChecker> mx)
      : rules_(std::move(rules)),
        mode_(mode),
        mode_name_(std::move(mode_name)),
        mx_(std::move(mx)),
        id_(next_id_.fetch_add(1) + 1) {}

  void Process(const RowView& row, Findings* findings) const override;
  void Report(nlohmann::json* out) const override;
  bool WantsBatch() const override { return mx_ != nullptr; }
  void BeginBatch(std::span<const RowView> rows) const override;

 private:
  void Judge(std::string_view candidate, Verdict* verdict) const;
  bool RepairDomain(std::string_view candidate, EmailAddress* address) const;
  void Classify(EmailAddress* address, Verdict* verdict) const;
  void CheckMx(const std::string& domain, Verdict* verdict) const;
  const DomainInfo& Domain(std::string_view domain) const;
  DomainCache& Cache() const;
  void NoteTypo(std::string_view from, std::string_view to) const;
  bool JudgeCell(std::string_view cell, Verdicts* verdicts,
                 bool* placeholder_text) const;
  void Write(std::span<Verdict> verdicts, bool placeholder_text,
             Findings* findings) const;

  static inline std::atomic<uint64_t> next_id_{0};

  std::unique_ptr<EmailRules> rules_;
  TypoMode mode_;
  std::string mode_name_;
  std::unique_ptr<MxChecker> mx_;  // --check-mx, else nullptr
  uint64_t id_;  // tells this stage's per-thread memo from another's
  // Distinct "typed -> provider" changes seen, for the report. Row counts
  // come from the pipeline's flag counts (rows may be processed twice when
  // a cross-row stage needs a prepass).
  mutable std::mutex typo_mutex_;
  mutable std::set<std::string> typo_changes_;
};

DomainCache& EmailStage::Cache() const {
  thread_local DomainCache cache;
  if (cache.owner != id_) {
    cache.domains.clear();
    cache.owner = id_;
  }
  return cache;
}

const DomainInfo& EmailStage::Domain(std::string_view domain) const {
  StringMap<DomainInfo>& domains = Cache().domains;
  if (auto it = domains.find(domain); it != domains.end()) {
    return it->second;
  }
  // Node-based map: the reference stays valid while other domains are added.
  return domains.emplace(std::string(domain), rules_->Classify(domain))
      .first->second;
}

void EmailStage::NoteTypo(std::string_view from, std::string_view to) const {
  std::string key = std::string(from) + " -> " + std::string(to);
  std::lock_guard<std::mutex> lock(typo_mutex_);
  typo_changes_.insert(std::move(key));
}

// "an@gmailcom", "an@gmail..com", "an@gmail": the provider the broken
// domain spells, when the local part is fine.
bool EmailStage::RepairDomain(std::string_view candidate,
                              EmailAddress* address) const {
  size_t at = candidate.find('@');
  if (at == std::string_view::npos) {
    return false;
  }
  std::string_view target =
      rules_->typos().Repair(LowerAscii(candidate.substr(at + 1)));
  if (target.empty()) {
    return false;
  }
  std::string fixed = std::string(candidate.substr(0, at + 1));
  fixed += target;
  return ParseEmailAddress(fixed, address) == EmailSyntax::kOk;
}

void EmailStage::Judge(std::string_view candidate, Verdict* verdict) const {
  thread_local EmailAddress address;
  EmailSyntax syntax = ParseEmailAddress(candidate, &address);
  if (syntax == EmailSyntax::kOk) {
    Classify(&address, verdict);
    return;
  }
  bool dots_only =
      syntax == EmailSyntax::kDomainNoDot || syntax == EmailSyntax::kDomainDot;
  if (mode_ == TypoMode::kOff || !dots_only ||
      !RepairDomain(candidate, &address)) {
    SetInvalid(0, verdict);
    return;
  }
  NoteTypo(LowerAscii(candidate.substr(candidate.find('@') + 1)),
           address.domain);
  if (mode_ == TypoMode::kSuggest) {
    SetInvalid(kTypoSuggested, verdict);  // typed text unusable
    verdict->suggestion = address.Joined();
    return;
  }
  verdict->flags = kTypoCorrected;
  Classify(&address, verdict);
}

void EmailStage::Classify(EmailAddress* address, Verdict* verdict) const {
  thread_local std::string lower_local;
  const DomainInfo* info = &Domain(address->domain);
  if (info->reserved) {
    SetInvalid(kReserved, verdict);
    return;
  }
  if (!info->typo_of.empty() && mode_ != TypoMode::kOff) {
    NoteTypo(address->domain, info->typo_of);
    if (mode_ == TypoMode::kFix) {
      verdict->flags |= kTypoCorrected;
      address->domain = info->typo_of;
      info = &Domain(address->domain);
    } else {
      verdict->flags |= kTypoSuggested;
      verdict->suggestion = address->local + "@" + info->typo_of;
    }
  }
  LowerLocalTo(address->local, &lower_local);
  if (rules_->IsPlaceholder(lower_local, *info)) {
    SetInvalid(kPlaceholder, verdict);
    return;
  }
  verdict->flags |= (info->disposable ? kDisposable : 0) |
                    (info->free ? kFree : 0) |
                    (rules_->IsRole(lower_local) ? kRole : 0) |
                    (IsGibberishLocal(lower_local) ? kGibberish : 0);
  verdict->status =
      (verdict->flags & kRiskyFlags) ? Status::kRisky : Status::kValid;
  verdict->address.assign(address->local)
      .append(1, '@')
      .append(address->domain);
  rules_->DedupKeyTo(lower_local, address->domain, info->provider,
                     &verdict->key);
  if (mx_ != nullptr && !info->free) {
    CheckMx(address->domain, verdict);
  }
}

// No mail host makes the address unusable, like a reserved domain; an
// unanswered lookup only says so in a flag.
void EmailStage::CheckMx(const std::string& domain, Verdict* verdict) const {
  if (mx_domains != nullptr) {
    mx_domains->push_back(domain);
    return;
  }
  switch (mx_->Verdict(domain)) {
    case MxVerdict::kNoMail:
      SetInvalid(kNoMx, verdict);
      break;
    case MxVerdict::kUnknown:
      verdict->flags |= kMxUnknown;
      break;
    case MxVerdict::kMail:
      break;
  }
}

// Judges the batch's cells once to learn which domains need an MX verdict,
// then looks them all up at once, so Process() finds every one cached.
void EmailStage::BeginBatch(std::span<const RowView> rows) const {
  std::vector<std::string> domains;
  Verdicts verdicts;
  bool placeholder_text = false;
  mx_domains = &domains;
  for (const RowView& row : rows) {
    for (int column : row.Columns(Role::kEmail)) {
      JudgeCell(Trim(row.fields[column]), &verdicts, &placeholder_text);
    }
    verdicts.Clear();
  }
  mx_domains = nullptr;
  std::sort(domains.begin(), domains.end());
  domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
  mx_->Resolve(domains);
}

// The primary verdict: the first valid one, else the first risky one.
Verdict* PickPrimary(std::span<Verdict> verdicts) {
  for (Status wanted : {Status::kValid, Status::kRisky}) {
    for (Verdict& verdict : verdicts) {
      if (verdict.status == wanted) {
        return &verdict;
      }
    }
  }
  return nullptr;
}

// Appends `address` to the ';'-separated `list` unless it is there.
void AddOnce(std::string_view address, std::string* list) {
  if (address.empty() ||
      (";" + *list + ";").find(";" + std::string(address) + ";") !=
          std::string::npos) {
    return;
  }
  list->append(list->empty() ? "" : ";").append(address);
}

// lc_email_alt: the primary's typo suggestion, then every other usable
// address and every other suggestion, once each, in cell order.
std::string AltAddresses(std::span<const Verdict> verdicts,
                         const Verdict* primary) {
  std::string alt;
  if (primary != nullptr) {
    AddOnce(primary->suggestion, &alt);
  }
  for (const Verdict& verdict : verdicts) {
    if (&verdict == primary) {
      continue;
    }
    if (verdict.status != Status::kInvalid &&
        (primary == nullptr || verdict.address != primary->address)) {
      AddOnce(verdict.address, &alt);
    }
    AddOnce(verdict.suggestion, &alt);
  }
  return alt;
}

void EmailStage::Write(std::span<Verdict> verdicts, bool placeholder_text,
                       Findings* findings) const {
  Verdict* primary = PickPrimary(verdicts);
  uint16_t flags = placeholder_text ? (kInvalidFlag | kPlaceholder) : 0;
  if (verdicts.size() > 1 || mode_ == TypoMode::kSuggest) {
    findings->Col(Out::kEmailAlt) = AltAddresses(verdicts, primary);
  }
  if (primary == nullptr) {
    flags |= kInvalidFlag;
    for (const Verdict& verdict : verdicts) {
      flags |= verdict.flags;
    }
    findings->Col(Out::kEmailStatus) = "invalid";
  } else {
    flags = primary->flags;
    findings->Col(Out::kEmailStatus) =
        kStatusNames[static_cast<int>(primary->status)];
    // Copies, not moves: both sides keep their storage for the next row.
    findings->Col(Out::kEmail) = primary->address;
    findings->email_key = primary->key;
  }
  for (uint32_t bits = flags; bits != 0; bits &= bits - 1) {
    findings->Flag(kFlagIds[std::countr_zero(bits)]);  // in bit order
  }
}

// Judges every candidate of one trimmed cell. Returns false when the cell
// holds no email value at all (blank, "N/A", "không có").
bool EmailStage::JudgeCell(std::string_view cell, Verdicts* verdicts,
                           bool* placeholder_text) const {
  thread_local std::string visible;
  thread_local std::vector<std::string_view> candidates;
  if (RemoveInvisibles(cell, &visible)) {
    cell = Trim(visible);
  }
  if (cell.empty()) {
    return false;
  }
  if (cell.find('@') == std::string_view::npos) {
    std::string folded = FoldKey(cell);
    if (rules_->IsBlankText(folded)) {
      return false;
    }
    *placeholder_text |= rules_->IsPlaceholderText(folded);
  }
  candidates.clear();
  SplitEmailCell(cell, &candidates);
  for (std::string_view candidate : candidates) {
    Judge(candidate, verdicts->Add());
  }
  return true;
}

void EmailStage::Process(const RowView& row, Findings* findings) const {
  thread_local Verdicts verdicts;
  if (Cache().domains.size() > kDomainCacheLimit) {
    Cache().domains.clear();
  }
  verdicts.Clear();
  bool present = false;
  bool placeholder_text = false;
  for (int column : row.Columns(Role::kEmail)) {
    present |=
        JudgeCell(Trim(row.fields[column]), &verdicts, &placeholder_text);
  }
  if (present) {
    Write(verdicts.items(), placeholder_text, findings);
  }
}

void EmailStage::Report(nlohmann::json* out) const {
  nlohmann::json rules = nlohmann::json::object();
  rules_->Describe(&rules);
  (*out)["rules"] = rules;
  (*out)["typo_mode"] = mode_name_;
  std::lock_guard<std::mutex> lock(typo_mutex_);
  nlohmann::json typos = nlohmann::json::array();
  for (const std::string& change : typo_changes_) {
    typos.push_back(change);
  }
  (*out)[mode_ == TypoMode::kSuggest ? "typo_suggestions"
                                     : "typo_corrections"] = typos;
  if (mx_ != nullptr) {
    mx_->Report(&(*out)["mx"]);
  }
}

}  // namespace

std::unique_ptr<Stage> MakeEmailStage(const StageContext& context,
                                      std::string* error) {
  std::string mode_name =
      context.options != nullptr ? context.options->email_typos : "fix";
  TypoMode mode;
  if (!ParseTypoMode(mode_name, &mode)) {
    *error =
        "--email-typos: expected fix, suggest or off, got '" + mode_name + "'";
    return nullptr;
  }
  auto rules = std::make_unique<EmailRules>();
  if (context.rules != nullptr && !rules->Load(*context.rules, error)) {
    return nullptr;
  }
  std::unique_ptr<MxChecker> mx;
  if (context.options != nullptr && context.options->check_mx) {
    mx = MxChecker::Create(
        {context.options->dns_server, context.options->mx_timeout_ms}, error);
    if (mx == nullptr) {
      return nullptr;
    }
  }
  return std::make_unique<EmailStage>(std::move(rules), mode,
                                      std::move(mode_name), std::move(mx));
}

}  // namespace leadclean
