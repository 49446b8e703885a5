// Phone stage: decides each row's lc_phone (E.164), lc_phone_national,
// lc_phone_type, lc_phone_carrier, lc_phone_alt, phone_all and phone_* flags.
// Reads rules/vn_legacy_mobile.csv, vn_landline_codes.csv, vn_carriers.csv
// and placeholder_phones.txt. Tests: tests/stages/phone_test.cc (stage),
// phone_clean_test.cc (cleaning), phone_fast_test.cc (fast path = library).
//
// Flags added to lc_flags (documented in docs/phone.md):
//   phone_invalid            the phone columns hold text but no valid number
//   phone_not_mobile         the chosen number is valid but neither mobile
//                            nor fixed_line_or_mobile (landline, toll free,
//                            premium rate, VoIP, ...)
//   phone_excel_damaged      scientific notation that lost digits
//                            ("8.49123E+10"): never guessed, left empty
//   phone_excel_repaired     Excel/export damage undone: lost leading zero,
//                            trailing ".0", lossless scientific notation,
//                            leading apostrophe, ="..." wrapper
//   phone_label_stripped     words around or between numbers removed
//                            ("ĐT:", "(Zalo)", "ext 12")
//   phone_multiple           more than one distinct valid number in the row;
//                            the others are in lc_phone_alt
//   phone_legacy_converted   an old 11-digit VN mobile rewritten to its 2018
//                            10-digit number
//   phone_area_code_updated  an old VN landline rewritten to its 2017 area
//                            code (Hanoi 04 and the old 3-digit codes only)
//   phone_foreign            the chosen number is not of --region
//   phone_placeholder        the chosen number (or, with no valid number, a
//                            number written) is on the placeholder list
//
// The stage never rejects a row; no_contact reads lc_phone.
#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/thread_memo.h"
#include "leadclean/pipeline.h"
#include "leadclean/text.h"
#include "stages/phone_clean.h"
#include "stages/phone_fast.h"
#include "stages/phone_library.h"
#include "stages/phone_rules.h"
#include "stages/phone_stage.h"

namespace leadclean {
namespace {

// Row flag bits; kFlagIds gives their ids, in lc_flags order.
constexpr uint32_t kInvalid = 1u << 0;
constexpr uint32_t kNotMobile = 1u << 1;
constexpr uint32_t kExcelDamaged = 1u << 2;
constexpr uint32_t kExcelRepaired = 1u << 3;
constexpr uint32_t kLabelStripped = 1u << 4;
constexpr uint32_t kMultiple = 1u << 5;
constexpr uint32_t kLegacyConverted = 1u << 6;
constexpr uint32_t kAreaCodeUpdated = 1u << 7;
constexpr uint32_t kForeign = 1u << 8;
constexpr uint32_t kPlaceholder = 1u << 9;

constexpr std::pair<uint32_t, std::string_view> kFlagIds[] = {
    {kInvalid, "phone_invalid"},
    {kNotMobile, "phone_not_mobile"},
    {kExcelDamaged, "phone_excel_damaged"},
    {kExcelRepaired, "phone_excel_repaired"},
    {kLabelStripped, "phone_label_stripped"},
    {kMultiple, "phone_multiple"},
    {kLegacyConverted, "phone_legacy_converted"},
    {kAreaCodeUpdated, "phone_area_code_updated"},
    {kForeign, "phone_foreign"},
    {kPlaceholder, "phone_placeholder"},
};

// Cells longer than this are not searched for numbers cut at every digit.
constexpr size_t kMaxGluedDigits = 40;
constexpr size_t kMinGluedDigits = 14;
constexpr size_t kMaxBreaks = 24;
// Small enough to stay in the CPU cache. On distinct cells a table of 16k
// entries cost half as much again as the analysis it was meant to save, in
// cache misses (bench/phone_bench.cc); this one is free and still catches
// repeats that come close together (bursts, several phone columns).
constexpr size_t kCacheSlots = size_t{1} << 8;

uint32_t FromCleanFlags(uint32_t clean) {
  uint32_t flags = 0;
  flags |= (clean & kCleanExcelRepaired) ? kExcelRepaired : 0;
  flags |= (clean & kCleanExcelDamaged) ? kExcelDamaged : 0;
  flags |= (clean & kCleanLabelStripped) ? kLabelStripped : 0;
  return flags;
}

// True when the digits of `formatted` ("091 234 56 78") start with `prefix`.
bool StartsWithDigits(std::string_view formatted, std::string_view prefix) {
  size_t matched = 0;
  for (char c : formatted) {
    if (matched == prefix.size()) {
      break;
    }
    if (c >= '0' && c <= '9') {
      if (c != prefix[matched]) {
        return false;
      }
      ++matched;
    }
  }
  return matched == prefix.size();
}

bool IsMobile(PhoneType type) {
  return type == PhoneType::kMobile || type == PhoneType::kFixedLineOrMobile;
}

// A number shared by colleagues (a switchboard): dedup asks the names to
// agree before it links two rows by it.
bool IsFixedLine(PhoneType type) { return type == PhoneType::kFixedLine; }

// One number found in a cell, valid or not.
struct FoundNumber {
  PhoneVerdict verdict;  // after any conversion
  std::string e164;      // "" unless valid
  std::string national;  // Format(NATIONAL), then dialable from --region
  std::string carrier;
  uint32_t flags = 0;  // kExcelRepaired, kLegacy..., kAreaCode..., kPlaceholder
};

// What one cell yields; the unit the cache keeps.
struct CellResult {
  std::vector<FoundNumber> numbers;  // in the order written
  uint32_t flags = 0;
  bool has_text = false;
};

// Per-thread memo of cells; a thread keeps those of its last few stage
// instances (tests and the bench build several).
using CellMemo = ThreadMemo<CellResult, kCacheSlots, 4>;

class PhoneStage : public Stage {
 public:
  PhoneStage(std::string region, PhoneRules rules, PhoneStageOptions options)
      : region_(std::move(region)),
        home_code_(FastPhone::Get().CountryCode(region_)),
        national_prefix_(FastPhone::Get().NationalPrefix(region_)),
        rules_(std::move(rules)),
        options_(options),
        id_(NewMemoOwner()) {}

  void Process(const RowView& row, Findings* findings) const override;
  void Report(nlohmann::json* report) const override;

 private:
  class Splitter;

  const CellResult& Lookup(std::string_view cell) const;
  void AnalyseCell(std::string_view cell, CellResult* result) const;
  void ResolveRun(const PhoneRun& run, CellResult* out) const;
  // Fills `*found`, which is as constructed.
  void Resolve(std::string_view digits, FoundNumber* found) const;
  bool Rewrite(const PrefixRewrites& table, uint32_t flag,
               FoundNumber* found) const;
  void Describe(bool bare, FoundNumber* found) const;
  void Check(std::string_view digits, PhoneVerdict* verdict,
             std::string* national) const;

  std::string region_;
  int home_code_;
  std::string national_prefix_;  // of region_; "" when none
  PhoneRules rules_;
  PhoneStageOptions options_;
  uint64_t id_;
};

// Sets `*verdict` to the verdict on `digits` and, for a valid number,
// `*national` to its Format(NATIONAL); both are written over in place.
void PhoneStage::Check(std::string_view digits, PhoneVerdict* verdict,
                       std::string* national) const {
  if (options_.fast_path &&
      FastPhone::Get().Verdict(digits, region_, verdict, national)) {
    return;
  }
  *verdict = LibraryVerdict(digits, region_);
  *national = verdict->valid ? LibraryNational(*verdict) : "";
}

void PhoneStage::Resolve(std::string_view digits, FoundNumber* found) const {
  Check(digits, &found->verdict, &found->national);
  // Nothing stripped (no country code, no national prefix) from digits
  // without a '+'.
  const bool bare = !digits.starts_with('+') && digits == found->verdict.nsn;
  if (!found->verdict.valid && found->verdict.parsed &&
      found->verdict.country_code == kVietnamCallingCode) {
    Rewrite(rules_.legacy_mobile, kLegacyConverted, found) ||
        Rewrite(rules_.landline_codes, kAreaCodeUpdated, found);
  }
  if (found->verdict.valid) {
    Describe(bare, found);
  }
  if (rules_.placeholders.Contains(digits, found->e164)) {
    found->flags |= kPlaceholder;
  }
}

// Rewrites an invalid VN number with one of the prefix tables; keeps the
// result only when it is valid.
bool PhoneStage::Rewrite(const PrefixRewrites& table, uint32_t flag,
                         FoundNumber* found) const {
  std::string nsn;
  if (!table.Rewrite(found->verdict.nsn, &nsn)) {
    return false;
  }
  std::string national;
  PhoneVerdict converted;
  Check("+" + std::to_string(kVietnamCallingCode) + nsn, &converted,
        &national);
  if (!converted.valid) {
    return false;
  }
  found->verdict = std::move(converted);
  found->national = std::move(national);
  found->flags |= flag;
  return true;
}

// Fills the outputs of a valid number, whose `national` holds
// Format(NATIONAL). `bare`: written without '+', country code or national
// prefix; when the national format has a national prefix, Excel ate the
// leading zero.
void PhoneStage::Describe(bool bare, FoundNumber* found) const {
  const PhoneVerdict& verdict = found->verdict;
  verdict.E164To(&found->e164);
  if (bare && verdict.country_code == home_code_ &&
      !national_prefix_.empty() &&
      StartsWithDigits(found->national, national_prefix_)) {
    found->flags |= kExcelRepaired;
  }
  // FormatOutOfCountryCallingNumber gives the national format for the
  // region's own country code, except in the NANP ("1 " first).
  if ((verdict.country_code != home_code_ || home_code_ == 1) &&
      !(options_.fast_path &&
        FastPhone::Get().FormatDialable(verdict, region_, &found->national))) {
    found->national = LibraryDialable(verdict, region_);
  }
  if (verdict.country_code == kVietnamCallingCode) {
    found->carrier = rules_.carriers.Lookup(verdict.nsn);
  }
}

// Cuts a run that is not one valid number into valid numbers: first at the
// punctuation written inside it ("0912345678 / 0987654321"), then, for long
// runs with none, anywhere ("09123456780987654321"). Every piece must be
// valid; one or two digits cut off at punctuation at either end are dropped
// as labels ("0912345678 (1)"). Never drops digits from a glued run.
class PhoneStage::Splitter {
 public:
  Splitter(const PhoneStage& stage, const PhoneRun& run)
      : stage_(stage),
        plus_(run.digits.starts_with('+')),
        digits_(std::string_view(run.digits).substr(plus_ ? 1 : 0)),
        failed_(digits_.size() + 1, false) {
    cuts_.assign(run.breaks.begin(), run.breaks.end());
    if (cuts_.size() > kMaxBreaks) {
      cuts_.resize(kMaxBreaks);
    }
  }

  // Returns false when no cut gives only valid numbers.
  bool Split(std::vector<FoundNumber>* parts, bool* dropped) {
    if (!cuts_.empty() && Cover(0, parts, dropped)) {
      return true;
    }
    if (digits_.size() < kMinGluedDigits || digits_.size() > kMaxGluedDigits) {
      return false;
    }
    glued_ = true;
    cuts_.clear();
    for (size_t at = 1; at < digits_.size(); ++at) {
      cuts_.push_back(at);
    }
    std::fill(failed_.begin(), failed_.end(), false);
    parts->clear();
    *dropped = false;
    return Cover(0, parts, dropped);
  }

 private:
  std::string Piece(size_t from, size_t to) const {
    std::string piece = (from == 0 && plus_) ? "+" : "";
    piece.append(digits_.substr(from, to - from));
    return piece;
  }

  bool Fragment(size_t from, size_t to) const {
    return !glued_ && to - from <= 2;
  }

  // Covers digits_[from..] with valid pieces.
  bool Cover(size_t from, std::vector<FoundNumber>* parts, bool* dropped) {
    if (from > 0) {
      if (Fragment(from, digits_.size())) {
        *dropped = true;
        return true;
      }
      FoundNumber rest;
      stage_.Resolve(Piece(from, digits_.size()), &rest);
      if (rest.verdict.valid) {
        parts->push_back(std::move(rest));
        return true;
      }
    }
    if (failed_[from]) {
      return false;
    }
    for (size_t cut : cuts_) {
      if (cut <= from || (glued_ && (cut - from < 7 || cut - from > 15))) {
        continue;
      }
      if (from == 0 && Fragment(0, cut)) {
        bool rest_dropped = false;
        if (Cover(cut, parts, &rest_dropped) && !parts->empty()) {
          *dropped = true;
          return true;
        }
        parts->clear();
        continue;
      }
      FoundNumber piece;
      stage_.Resolve(Piece(from, cut), &piece);
      if (!piece.verdict.valid) {
        continue;
      }
      size_t mark = parts->size();
      parts->push_back(std::move(piece));
      if (Cover(cut, parts, dropped)) {
        return true;
      }
      parts->resize(mark);
    }
    failed_[from] = true;
    return false;
  }

  const PhoneStage& stage_;
  const bool plus_;
  const std::string_view digits_;
  std::vector<size_t> cuts_;
  std::vector<bool> failed_;  // starts known not to split
  bool glued_ = false;
};

// The run as one number is resolved in its place in `out->numbers`, and
// replaced there by the pieces when it splits.
void PhoneStage::ResolveRun(const PhoneRun& run, CellResult* out) const {
  Resolve(run.digits, &out->numbers.emplace_back());
  if (!out->numbers.back().verdict.valid) {
    std::vector<FoundNumber> parts;
    bool dropped = false;
    if (Splitter(*this, run).Split(&parts, &dropped)) {
      out->numbers.pop_back();
      for (FoundNumber& part : parts) {
        out->numbers.push_back(std::move(part));
      }
      out->flags |= dropped ? kLabelStripped : 0;
    }
  }
}

// Writes over `*result`, reusing its storage.
void PhoneStage::AnalyseCell(std::string_view cell, CellResult* result) const {
  result->numbers.clear();
  result->flags = 0;
  result->has_text = !Trim(cell).empty();
  if (!result->has_text) {
    return;
  }
  thread_local CleanedPhoneCell cleaned;
  CleanPhoneCell(cell, &cleaned);
  result->flags = FromCleanFlags(cleaned.flags);
  for (const PhoneRun& run : cleaned.runs) {
    ResolveRun(run, result);
  }
}

const CellResult& PhoneStage::Lookup(std::string_view cell) const {
  if (!options_.cache) {
    thread_local CellResult result;
    AnalyseCell(cell, &result);
    return result;
  }
  return CellMemo::Get(id_, cell, [this](std::string_view text, CellResult* result) {
    AnalyseCell(text, result);
  });
}

// The row's numbers, gathered over every phone column. Per-thread and
// reused: a row allocates nothing here.
struct RowNumbers {
  std::vector<const FoundNumber*> valid;
  std::vector<FoundNumber> copies;  // when several columns share the cache
  uint32_t flags = 0;
  bool has_text = false;
  bool placeholder_written = false;  // an invalid number on the list

  void Clear() {
    valid.clear();
    copies.clear();
    flags = 0;
    has_text = false;
    placeholder_written = false;
  }
};

// Primary: not a placeholder, then mobile, then first written.
const FoundNumber* ChoosePrimary(const RowNumbers& row) {
  const FoundNumber* best = nullptr;
  auto rank = [](const FoundNumber* n) {
    return ((n->flags & kPlaceholder) ? 2 : 0) +
           (IsMobile(n->verdict.type) ? 0 : 1);
  };
  for (const FoundNumber* number : row.valid) {
    if (best == nullptr || rank(number) < rank(best)) {
      best = number;
    }
  }
  return best;
}

void AddCell(const CellResult& cell, bool copy, RowNumbers* row) {
  row->flags |= cell.flags;
  row->has_text = row->has_text || cell.has_text;
  for (const FoundNumber& number : cell.numbers) {
    if (!number.verdict.valid) {
      row->placeholder_written =
          row->placeholder_written || (number.flags & kPlaceholder) != 0;
      continue;
    }
    row->flags |=
        number.flags & (kExcelRepaired | kLegacyConverted | kAreaCodeUpdated);
    if (copy) {
      row->copies.push_back(number);
    } else {
      row->valid.push_back(&number);
    }
  }
}

void PhoneStage::Process(const RowView& row, Findings* findings) const {
  const std::vector<int>& columns = row.Columns(Role::kPhone);
  thread_local RowNumbers numbers;
  numbers.Clear();
  const bool copy = columns.size() > 1;
  for (int column : columns) {
    AddCell(Lookup(row.fields[column]), copy, &numbers);
  }
  for (const FoundNumber& number : numbers.copies) {
    numbers.valid.push_back(&number);
  }
  uint32_t flags = numbers.flags;
  const FoundNumber* primary = ChoosePrimary(numbers);
  if (primary == nullptr) {
    flags |= numbers.has_text ? kInvalid : 0;
    flags |= numbers.placeholder_written ? kPlaceholder : 0;
  } else {
    flags |= primary->flags & kPlaceholder;
    flags |= IsMobile(primary->verdict.type) ? 0 : kNotMobile;
    flags |= primary->verdict.region != region_ ? kForeign : 0;
    findings->Col(Out::kPhone) = primary->e164;
    findings->Col(Out::kPhoneNational) = primary->national;
    findings->Col(Out::kPhoneType) = PhoneTypeName(primary->verdict.type);
    findings->Col(Out::kPhoneCarrier) = primary->carrier;
    findings->phone_all.push_back(primary->e164);
    findings->phone_fixed_mask = IsFixedLine(primary->verdict.type) ? 1 : 0;
    std::string& alt = findings->Col(Out::kPhoneAlt);
    for (const FoundNumber* number : numbers.valid) {
      if (std::find(findings->phone_all.begin(), findings->phone_all.end(),
                    number->e164) == findings->phone_all.end()) {
        if (IsFixedLine(number->verdict.type) &&
            findings->phone_all.size() < 32) {
          findings->phone_fixed_mask |= 1u << findings->phone_all.size();
        }
        findings->phone_all.push_back(number->e164);
        alt += alt.empty() ? "" : ";";
        alt += number->e164;
      }
    }
    flags |= findings->phone_all.size() > 1 ? kMultiple : 0;
  }
  for (const auto& [bit, id] : kFlagIds) {
    if (flags == 0) {  // most rows: none, or none left
      break;
    }
    if (flags & bit) {
      findings->Flag(id);
      flags &= ~bit;
    }
  }
}

void PhoneStage::Report(nlohmann::json* report) const {
  (*report)["region"] = region_;
  (*report)["fast_path"] = options_.fast_path;
  (*report)["rules"] = {
      {"vn_legacy_mobile", rules_.legacy_mobile.size()},
      {"vn_landline_codes_converted", rules_.landline_codes.size()},
      {"vn_carriers", rules_.carriers.size()},
      {"placeholder_phones", rules_.placeholders.size()},
  };
}

}  // namespace

std::unique_ptr<Stage> MakePhoneStageWith(const StageContext& context,
                                          const PhoneStageOptions& options,
                                          std::string* error) {
  std::string region =
      context.options != nullptr ? context.options->region : std::string("VN");
  if (FastPhone::Get().CountryCode(region) == 0) {
    *error = "unknown phone region \"" + region +
             "\" (use a two-letter ISO code such as VN)";
    return nullptr;
  }
  PhoneRules rules;
  if (context.rules != nullptr &&
      !LoadPhoneRules(*context.rules, region, &rules, error)) {
    return nullptr;
  }
  return std::make_unique<PhoneStage>(std::move(region), std::move(rules),
                                      options);
}

std::unique_ptr<Stage> MakePhoneStage(const StageContext& context,
                                      std::string* error) {
  return MakePhoneStageWith(context, PhoneStageOptions(), error);
}

}  // namespace leadclean
