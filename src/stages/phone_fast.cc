// Why this file mirrors libphonenumber line by line: the fast path must give
// the library's verdicts exactly, so each function below follows one
// function of phonenumberutil.cc (8.12.57) and is named after it. The
// library's regexes are ICU; every metadata pattern compiles in RE2 and means
// the same there (leftmost-first, anchored the same way), which the
// differential test checks on a million inputs.
//
// Where the speed comes from: no regex engine for the patterns that are
// only asked whether they match: a region's number descriptions run as one
// DigitAutomaton (all of them in one pass over the digits), leading-digit
// patterns as one each, and a pattern made only of digits and digit classes
// ("0", "00", "[69]", "2[48]") is compared directly; regions are built on
// first use, one at a time; RE2 instead of ICU for the patterns whose match
// length or groups are used; a format made of digit groups
// ("(\d{3})(\d{3})(\d{4})") matches by length and is applied by slicing.
#include "stages/phone_fast.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <mutex>

#include "stages/phone_automaton.h"

// libphonenumber exports its compiled metadata but installs no header for it.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace leadclean {
namespace {
namespace pn = i18n::phonenumbers;

constexpr size_t kMinLengthForNsn = 2;
constexpr size_t kMaxLengthForNsn = 17;
constexpr size_t kMaxLengthCountryCode = 3;
constexpr size_t kMaxInputStringLength = 250;
constexpr int kMaxCountryCode = 999;

// The descriptions GetNumberTypeHelper tests, in its order.
enum Slot {
  kGeneral,
  kPremiumRate,
  kTollFree,
  kSharedCost,
  kVoip,
  kPersonalNumber,
  kPager,
  kUan,
  kVoicemail,
  kFixedLine,
  kMobile,
  kSlotCount
};
constexpr PhoneType kSlotType[kSlotCount] = {
    PhoneType::kUnknown,    PhoneType::kPremiumRate, PhoneType::kTollFree,
    PhoneType::kSharedCost, PhoneType::kVoip,        PhoneType::kPersonalNumber,
    PhoneType::kPager,      PhoneType::kUan,         PhoneType::kVoicemail,
    PhoneType::kFixedLine,  PhoneType::kMobile,
};

const pn::PhoneNumberDesc& DescOf(const pn::PhoneMetadata& m, int slot) {
  switch (slot) {
    case kPremiumRate:
      return m.premium_rate();
    case kTollFree:
      return m.toll_free();
    case kSharedCost:
      return m.shared_cost();
    case kVoip:
      return m.voip();
    case kPersonalNumber:
      return m.personal_number();
    case kPager:
      return m.pager();
    case kUan:
      return m.uan();
    case kVoicemail:
      return m.voicemail();
    case kFixedLine:
      return m.fixed_line();
    case kMobile:
      return m.mobile();
    default:
      return m.general_desc();
  }
}

enum class LengthResult {
  kPossible,
  kPossibleLocalOnly,
  kTooShort,
  kInvalidLength,
  kTooLong
};

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

// The metadata writes group references as "$1" (ICU); RE2 wants "\1". Same
// conversion as libphonenumber's own RE2 adapter.
std::string ToRe2Rewrite(std::string_view rule) {
  std::string out;
  for (char c : rule) {
    out.push_back(c == '$' ? '\\' : c);
  }
  return out;
}

bool IsDigitString(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

// "2[48]" -> {{2}, {4, 8}} as digit masks; empty when the pattern is
// anything but digits and digit classes.
std::vector<uint16_t> DigitClasses(std::string_view source) {
  std::vector<uint16_t> classes;
  for (size_t i = 0; i < source.size(); ++i) {
    char c = source[i];
    if (c >= '0' && c <= '9') {
      classes.push_back(static_cast<uint16_t>(1u << (c - '0')));
      continue;
    }
    if (c != '[') {
      return {};
    }
    uint16_t mask = 0;
    for (++i; i < source.size() && source[i] != ']'; ++i) {
      char low = source[i];
      char high = low;
      if (i + 2 < source.size() && source[i + 1] == '-') {
        high = source[i + 2];
        i += 2;
      }
      if (low < '0' || low > '9' || high < low || high > '9') {
        return {};
      }
      for (char d = low; d <= high; ++d) {
        mask |= static_cast<uint16_t>(1u << (d - '0'));
      }
    }
    if (i == source.size() || mask == 0) {
      return {};
    }
    classes.push_back(mask);
  }
  return classes;
}

// One metadata regex. A pattern of digits and digit classes ("0", "00",
// "[69]", "2[48]"), the common national and international prefixes and
// leading digits, is checked without any engine. A pattern only ever asked
// whether it matches (all of a number, or a prefix of it) runs on a
// DigitAutomaton when the automaton accepts its syntax; any other pattern
// is an RE2. The results are the same.
class Pattern {
 public:
  // What the pattern is asked: kMatch only FullMatch and MatchesPrefix;
  // kRegex also Consume (the length consumed) and re().
  enum class Use { kMatch, kRegex };

  // Returns false when RE2 cannot compile `source`.
  bool Compile(const std::string& source, Use use) {
    source_ = source;
    classes_ = DigitClasses(source);
    if (!classes_.empty()) {
      return true;
    }
    if (use == Use::kMatch) {
      automaton_ = std::make_unique<DigitAutomaton>();
      if (automaton_->Add(0, source) && automaton_->Build(kMaxStates)) {
        return true;
      }
      automaton_.reset();
    }
    re_ = std::make_unique<RE2>(source, PatternOptions());
    return re_->ok();
  }
  bool empty() const { return source_.empty(); }
  const RE2* re() const { return re_.get(); }

  bool FullMatch(std::string_view text) const {
    if (!classes_.empty()) {
      return text.size() == classes_.size() && ClassesMatch(text);
    }
    if (automaton_ != nullptr) {
      return automaton_->FullMatches(text) != 0;
    }
    return re_ != nullptr &&
           re_->Match(text, 0, text.size(), RE2::ANCHOR_BOTH, nullptr, 0);
  }
  // The library's Consume without the length: matches at the start of
  // `text`.
  bool MatchesPrefix(std::string_view text) const {
    if (automaton_ != nullptr) {
      return automaton_->PrefixMatches(text) != 0;
    }
    size_t length = 0;
    return Consume(text, &length);
  }
  // Matches at the start of `text` (the library's Consume); sets the length
  // consumed. Only for kRegex patterns (a kMatch one may run on an
  // automaton, which does not know the length).
  bool Consume(std::string_view text, size_t* length) const {
    if (!classes_.empty()) {
      *length = classes_.size();
      return text.size() >= classes_.size() && ClassesMatch(text);
    }
    re2::StringPiece whole;
    if (re_ == nullptr ||
        !re_->Match(text, 0, text.size(), RE2::ANCHOR_START, &whole, 1)) {
      return false;
    }
    *length = whole.size();
    return true;
  }

 private:
  // Bounds the work of a pattern the automaton would blow up on; it then
  // goes to RE2.
  static constexpr size_t kMaxStates = 4096;

  // The first classes_.size() characters of `text` are in their classes.
  bool ClassesMatch(std::string_view text) const {
    for (size_t i = 0; i < classes_.size(); ++i) {
      unsigned digit = static_cast<unsigned char>(text[i]) - '0';
      if (digit > 9 || !(classes_[i] >> digit & 1)) {
        return false;
      }
    }
    return true;
  }

  std::string source_;
  std::vector<uint16_t> classes_;
  std::unique_ptr<DigitAutomaton> automaton_;
  std::unique_ptr<RE2> re_;
};

struct Desc {
  bool present = false;      // has a pattern
  std::vector<int> lengths;  // possible_length; empty: not checked
  Pattern pattern;

  bool LengthOk(size_t length) const {
    if (lengths.empty()) {
      return true;
    }
    for (int l : lengths) {
      if (static_cast<size_t>(l) == length) {
        return true;
      }
    }
    return false;
  }
  // IsNumberMatchingDesc.
  bool Matches(std::string_view nsn) const {
    return present && LengthOk(nsn.size()) && pattern.FullMatch(nsn);
  }
};

// A pattern that is only digit groups, "(\d{3})(\d{4,5})": each group's
// minimum and maximum width. Empty when the pattern is anything else.
std::vector<std::pair<int, int>> DigitGroups(std::string_view pattern) {
  std::vector<std::pair<int, int>> groups;
  while (!pattern.empty()) {
    if (!pattern.starts_with("(\\d")) {
      return {};
    }
    pattern.remove_prefix(3);
    int low = 1;
    int high = 1;
    if (pattern.starts_with('{')) {
      size_t close = pattern.find('}');
      if (close == std::string_view::npos) {
        return {};
      }
      std::string inside(pattern.substr(1, close - 1));
      size_t comma = inside.find(',');
      if (inside.empty() || !IsDigitString(inside.substr(0, comma)) ||
          (comma != std::string::npos &&
           (comma + 1 == inside.size() ||
            !IsDigitString(inside.substr(comma + 1))))) {
        return {};
      }
      low = std::stoi(inside.substr(0, comma));
      high = comma == std::string::npos ? low
                                        : std::stoi(inside.substr(comma + 1));
      pattern.remove_prefix(close + 1);
    }
    if (!pattern.starts_with(')')) {
      return {};
    }
    pattern.remove_prefix(1);
    groups.emplace_back(low, high);
  }
  return groups.size() <= 9 ? groups : std::vector<std::pair<int, int>>();
}

// A format rule ("$1 $2"), in ICU and in RE2 syntax.
struct FormatRule {
  // One piece of the rule: a group's digits or literal text.
  struct Part {
    int group = -1;  // "$2" -> 1; -1: `literal`
    std::string literal;
  };

  // The output of the rule on digit groups for one NSN length, worked out
  // once: `text` with the NSN's digits written over it at their places.
  struct Layout {
    std::string text;
    std::vector<std::pair<uint8_t, uint8_t>> digits;  // {in text, in nsn}
  };

  std::string rule;         // "$1 $2"
  std::string rewrite;      // "\\1 \\2"
  std::vector<Part> parts;  // {0}, {-1, " "}, {1}
  // By NSN length from `first_layout`, for a digit-group pattern (see
  // NumberFormat::Lay); empty otherwise.
  std::vector<Layout> layouts;
  size_t first_layout = 0;

  explicit FormatRule(std::string icu)
      : rule(std::move(icu)), rewrite(ToRe2Rewrite(rule)) {
    for (size_t i = 0; i < rule.size(); ++i) {
      if (rule[i] == '$' && i + 1 < rule.size() && rule[i + 1] >= '1' &&
          rule[i + 1] <= '9') {
        parts.push_back({rule[i + 1] - '1', ""});
        ++i;
      } else {
        if (parts.empty() || parts.back().group >= 0) {
          parts.emplace_back();
        }
        parts.back().literal.push_back(rule[i]);
      }
    }
  }
  FormatRule() = default;
};

struct NumberFormat {
  Pattern pattern;
  Pattern leading;  // the last leading_digits_pattern, or empty
  FormatRule national;
  FormatRule international;  // format() as it is
  std::vector<std::pair<int, int>> groups;  // see DigitGroups
  size_t min_length = 0;                    // of a digit-group pattern
  size_t max_length = 0;

  // The loop body of ChooseFormattingPatternForNumber. Digit groups match
  // any digits of a length they can split.
  bool Matches(std::string_view nsn) const {
    if (!leading.empty() && !leading.MatchesPrefix(nsn)) {
      return false;
    }
    if (!groups.empty()) {
      return nsn.size() >= min_length && nsn.size() <= max_length;
    }
    return pattern.FullMatch(nsn);
  }

  // GlobalReplace(nsn, pattern, rule) for a pattern that FullMatches `nsn`.
  void Apply(std::string_view nsn, const FormatRule& with,
             std::string* out) const {
    if (groups.empty()) {
      *out = nsn;
      RE2::GlobalReplace(out, *pattern.re(), with.rewrite);
      return;
    }
    const size_t index = nsn.size() - with.first_layout;
    if (nsn.size() >= with.first_layout && index < with.layouts.size()) {
      const FormatRule::Layout& layout = with.layouts[index];
      out->assign(layout.text);
      for (const auto& [to, from] : layout.digits) {
        (*out)[to] = nsn[from];
      }
      return;
    }
    Slice(nsn, with, out);
  }

  // Works out `with`'s layouts for every NSN length the groups can split
  // (up to kMaxLengthForNsn): Slice on a stand-in NSN whose bytes are
  // 1, 2, 3, ... tells where each digit lands.
  void Lay(FormatRule* with) const {
    with->first_layout = min_length;
    for (size_t length = min_length;
         length <= std::min(max_length, kMaxLengthForNsn); ++length) {
      std::string marks;
      for (size_t i = 0; i < length; ++i) {
        marks.push_back(static_cast<char>(i + 1));
      }
      FormatRule::Layout layout;
      Slice(marks, *with, &layout.text);
      for (size_t at = 0; at < layout.text.size(); ++at) {
        auto mark = static_cast<unsigned char>(layout.text[at]);
        if (mark >= 1 && mark <= length) {
          layout.digits.emplace_back(static_cast<uint8_t>(at),
                                     static_cast<uint8_t>(mark - 1));
          layout.text[at] = '0';
        }
      }
      with->layouts.push_back(std::move(layout));
    }
  }

  // Apply for digit groups, worked out on `nsn` itself.
  void Slice(std::string_view nsn, const FormatRule& with,
             std::string* out) const {
    // Digit groups on digits: the leftmost-first match is greedy group by
    // group, and spans all of `nsn`.
    std::array<std::string_view, 10> group;
    size_t at = 0;
    int rest_min = static_cast<int>(min_length);
    for (size_t i = 0; i < groups.size(); ++i) {
      rest_min -= groups[i].first;
      size_t width =
          std::min<size_t>(groups[i].second, nsn.size() - at - rest_min);
      group[i] = nsn.substr(at, width);
      at += width;
    }
    // A reference to a group the pattern does not have is empty.
    auto piece = [&](const FormatRule::Part& part) {
      return part.group < 0 ? std::string_view(part.literal)
             : static_cast<size_t>(part.group) < groups.size()
                 ? group[part.group]
                 : std::string_view();
    };
    size_t size = 0;
    for (const FormatRule::Part& part : with.parts) {
      size += piece(part).size();
    }
    out->resize(size);
    char* to = out->data();
    for (const FormatRule::Part& part : with.parts) {
      for (char c : piece(part)) {  // a few bytes: no memmove call
        *to++ = c;
      }
    }
  }
};

// Format(NATIONAL) applies national_prefix_formatting_rule to the first
// "$<digit>" of the format (the library's first_group_capturing_pattern).
std::string NationalRule(const pn::NumberFormat& format) {
  std::string rule = format.format();
  const std::string& prefix_rule = format.national_prefix_formatting_rule();
  if (prefix_rule.empty()) {
    return rule;
  }
  for (size_t i = 0; i + 1 < rule.size(); ++i) {
    if (rule[i] == '$' && rule[i + 1] >= '0' && rule[i + 1] <= '9') {
      std::string group = rule.substr(i, 2);
      std::string replacement;
      for (size_t k = 0; k < prefix_rule.size(); ++k) {
        if (prefix_rule.compare(k, 2, "$1") == 0) {
          replacement += group;
          ++k;
        } else {
          replacement.push_back(prefix_rule[k]);
        }
      }
      rule.replace(i, 2, replacement);
      break;
    }
  }
  return rule;
}

// The library's single_international_prefix: "[\\d]+(?:[~⁓∼～][\\d]+)?".
bool IsSingleInternationalPrefix(std::string_view prefix) {
  size_t digits = 0;
  while (digits < prefix.size() && prefix[digits] >= '0' &&
         prefix[digits] <= '9') {
    ++digits;
  }
  if (digits == 0) {
    return false;
  }
  std::string_view rest = prefix.substr(digits);
  if (rest.empty()) {
    return true;
  }
  for (std::string_view tilde : {"~", "\u2053", "\u223C", "\uFF5E"}) {
    if (rest.starts_with(tilde)) {
      rest.remove_prefix(tilde.size());
      return !rest.empty() && IsDigitString(rest);
    }
  }
  return false;
}

}  // namespace

struct FastPhone::Region {
  std::string id;
  int country_code = 0;
  std::string country_code_text;  // "84"
  bool usable = true;             // every pattern compiled
  bool same_mobile_and_fixed = false;
  std::array<Desc, kSlotCount> descs;
  // All the descriptions' patterns at once, bit `slot` for descs[slot]:
  // built unless one of them is beyond the automaton, and then the
  // descriptions' own patterns are not compiled.
  DigitAutomaton descs_automaton;
  // Bit `slot` set when descs[slot].LengthOk(length), by length.
  std::array<uint32_t, kMaxLengthForNsn + 1> slots_of_length = {};
  std::vector<NumberFormat> formats;
  std::vector<NumberFormat> intl_formats;  // intl_number_format
  // What FormatOutOfCountryCallingNumber dials from here before the
  // country code: the preferred international prefix, else a single one;
  // "" for "+".
  std::string dialling_prefix;
  std::vector<int> general_lengths;
  std::vector<int> general_local_lengths;
  std::string national_prefix;
  Pattern national_prefix_for_parsing;
  int prefix_groups = 0;
  std::string transform;  // RE2 rewrite; "" when none
  Pattern international_prefix;
  Pattern leading_digits;  // empty unless has_leading_digits

  // Patterns are compiled on first use: a run sees few regions, and
  // compiling all ~250 costs more than cleaning 10k rows.
  const pn::PhoneMetadata* metadata = nullptr;
  mutable std::once_flag built;
  // Set once Build has run: after the first numbers, Ready() is one load
  // instead of a call into call_once.
  mutable std::atomic<bool> ready{false};
  const Region* Ready() const {
    if (!ready.load(std::memory_order_acquire)) {
      std::call_once(built, [this] {
        const_cast<Region*>(this)->Build(*metadata);
        ready.store(true, std::memory_order_release);
      });
    }
    return this;
  }

  void Build(const pn::PhoneMetadata& m);
  void BuildDescs(const pn::PhoneMetadata& m);
  bool BuildDescsAutomaton(const pn::PhoneMetadata& m);
  void BuildFormats(const pn::PhoneMetadata& m);
  NumberFormat BuildFormat(const pn::NumberFormat& format);
  LengthResult TestNumberLength(std::string_view number) const;

  // FullMatch of the general description's pattern.
  bool GeneralMatches(std::string_view text) const {
    if (descs_automaton.built()) {
      return descs_automaton.FullMatches(text) >> kGeneral & 1;
    }
    return descs[kGeneral].pattern.FullMatch(text);
  }
  // Bit `slot` set when descs[slot].Matches(nsn) (IsNumberMatchingDesc).
  uint32_t MatchingDescs(std::string_view nsn) const {
    uint32_t found = 0;
    if (descs_automaton.built() && nsn.size() < slots_of_length.size()) {
      found = static_cast<uint32_t>(descs_automaton.FullMatches(nsn));
      return found & slots_of_length[nsn.size()];
    }
    for (int slot = 0; slot < kSlotCount; ++slot) {
      found |= descs[slot].Matches(nsn) ? 1u << slot : 0;
    }
    return found;
  }
};

struct FastPhone::Parsed {
  bool ok = false;  // false: the library returns a parse error
  int country_code = 0;
  std::string* nsn = nullptr;  // the caller's storage, written over
};

void FastPhone::Region::Build(const pn::PhoneMetadata& m) {
  id = m.id();
  country_code = m.country_code();
  country_code_text = std::to_string(country_code);
  same_mobile_and_fixed = m.same_mobile_and_fixed_line_pattern();
  national_prefix = m.national_prefix();
  BuildDescs(m);
  BuildFormats(m);
  const auto& general = m.general_desc();
  general_lengths.assign(general.possible_length().begin(),
                         general.possible_length().end());
  general_local_lengths.assign(general.possible_length_local_only().begin(),
                               general.possible_length_local_only().end());
  usable = usable && !general_lengths.empty();
  usable =
      national_prefix_for_parsing.Compile(m.national_prefix_for_parsing(),
                                          Pattern::Use::kRegex) &&
      usable;
  if (const RE2* re = national_prefix_for_parsing.re()) {
    prefix_groups = re->NumberOfCapturingGroups();
  }
  transform = ToRe2Rewrite(m.national_prefix_transform_rule());
  usable = international_prefix.Compile(m.international_prefix(),
                                        Pattern::Use::kRegex) &&
           usable;
  if (m.has_leading_digits()) {
    usable = leading_digits.Compile(m.leading_digits(), Pattern::Use::kMatch) &&
             usable;
  }
}

void FastPhone::Region::BuildDescs(const pn::PhoneMetadata& m) {
  const bool combined = BuildDescsAutomaton(m);
  for (int slot = 0; slot < kSlotCount; ++slot) {
    const pn::PhoneNumberDesc& desc = DescOf(m, slot);
    Desc& out = descs[slot];
    out.lengths.assign(desc.possible_length().begin(),
                       desc.possible_length().end());
    for (size_t length = 0; length < slots_of_length.size(); ++length) {
      slots_of_length[length] |= out.LengthOk(length) ? 1u << slot : 0;
    }
    const std::string& source = desc.national_number_pattern();
    if (source.empty()) {
      continue;
    }
    out.present = true;
    if (!combined) {
      usable = out.pattern.Compile(source, Pattern::Use::kMatch) && usable;
    }
  }
}

// Bounds the combined automaton; a region beyond it checks its
// descriptions one by one.
constexpr size_t kMaxDescsStates = 16384;

bool FastPhone::Region::BuildDescsAutomaton(const pn::PhoneMetadata& m) {
  for (int slot = 0; slot < kSlotCount; ++slot) {
    const std::string& source = DescOf(m, slot).national_number_pattern();
    if (!source.empty() && !descs_automaton.Add(slot, source)) {
      return false;
    }
  }
  return descs_automaton.Build(kMaxDescsStates);
}

void FastPhone::Region::BuildFormats(const pn::PhoneMetadata& m) {
  for (const pn::NumberFormat& format : m.number_format()) {
    formats.push_back(BuildFormat(format));
  }
  for (const pn::NumberFormat& format : m.intl_number_format()) {
    intl_formats.push_back(BuildFormat(format));
  }
  if (m.has_preferred_international_prefix()) {
    dialling_prefix = m.preferred_international_prefix();
  } else if (IsSingleInternationalPrefix(m.international_prefix())) {
    dialling_prefix = m.international_prefix();
  }
}

NumberFormat FastPhone::Region::BuildFormat(const pn::NumberFormat& format) {
  NumberFormat out;
  int leading = format.leading_digits_pattern_size();
  if (leading > 0) {
    usable = out.leading.Compile(format.leading_digits_pattern(leading - 1),
                                 Pattern::Use::kMatch) &&
             usable;
  }
  out.national = FormatRule(NationalRule(format));
  out.international = FormatRule(format.format());
  out.groups = DigitGroups(format.pattern());
  if (out.groups.empty()) {
    usable = out.pattern.Compile(format.pattern(), Pattern::Use::kRegex) &&
             usable;
  }
  for (const auto& [low, high] : out.groups) {
    out.min_length += low;
    out.max_length += high;
  }
  usable = usable && (out.pattern.re() != nullptr || !out.groups.empty());
  if (!out.groups.empty()) {
    out.Lay(&out.national);
    out.Lay(&out.international);
  }
  return out;
}

// TestNumberLength(number, metadata, UNKNOWN): the general description's
// possible lengths.
LengthResult FastPhone::Region::TestNumberLength(
    std::string_view number) const {
  const int length = static_cast<int>(number.size());
  for (int local : general_local_lengths) {
    if (local == length) {
      return LengthResult::kPossibleLocalOnly;
    }
  }
  if (general_lengths.front() == -1) {
    return LengthResult::kInvalidLength;
  }
  if (general_lengths.front() == length) {
    return LengthResult::kPossible;
  }
  if (general_lengths.front() > length) {
    return LengthResult::kTooShort;
  }
  if (general_lengths.back() < length) {
    return LengthResult::kTooLong;
  }
  for (size_t i = 1; i < general_lengths.size(); ++i) {
    if (general_lengths[i] == length) {
      return LengthResult::kPossible;
    }
  }
  return LengthResult::kInvalidLength;
}

namespace {

// MaybeStripNationalPrefixAndCarrierCode.
template <typename Region>
bool StripNationalPrefix(const Region& r, std::string* number) {
  const Pattern& prefix = r.national_prefix_for_parsing;
  if (number->empty() || prefix.empty()) {
    return false;
  }
  const bool viable = r.GeneralMatches(*number);
  if (!r.transform.empty() && r.prefix_groups >= 1) {
    // Consume(&carrier, &captured) or else Consume(&captured): the captured
    // part is group 2 when the pattern has two groups, else group 1.
    re2::StringPiece groups[3];
    const int wanted = r.prefix_groups >= 2 ? 3 : 2;
    if (prefix.re()->Match(*number, 0, number->size(), RE2::ANCHOR_START,
                           groups, wanted) &&
        !groups[wanted - 1].empty()) {
      std::string copy = *number;
      RE2::Replace(&copy, *prefix.re(), r.transform);
      if (viable && !r.GeneralMatches(copy)) {
        return false;
      }
      *number = std::move(copy);
      return true;
    }
  }
  size_t length = 0;
  if (!prefix.Consume(*number, &length)) {
    return false;
  }
  if (viable && !r.GeneralMatches(std::string_view(*number).substr(length))) {
    return false;
  }
  number->erase(0, length);
  return true;
}

// Geographic region ids are two capital letters: index them directly.
int RegionSlot(std::string_view id) {
  if (id.size() != 2 || id[0] < 'A' || id[0] > 'Z' || id[1] < 'A' ||
      id[1] > 'Z') {
    return -1;
  }
  return (id[0] - 'A') * 26 + (id[1] - 'A');
}

// ExtractCountryCode: the first 1 to 3 digits that are a known code.
template <typename Lookup>
int ExtractCountryCode(std::string* national, const Lookup& known) {
  if (national->empty() || (*national)[0] == '0') {
    return 0;
  }
  int code = 0;
  for (size_t i = 1; i <= kMaxLengthCountryCode && i <= national->size(); ++i) {
    code = code * 10 + ((*national)[i - 1] - '0');
    if (known(code)) {
      national->erase(0, i);
      return code;
    }
  }
  return 0;
}

}  // namespace

FastPhone::FastPhone()
    : collection_(std::make_unique<pn::PhoneMetadataCollection>()),
      by_code_(kMaxCountryCode + 1),
      by_id_(26 * 26) {
  if (!collection_->ParseFromArray(pn::metadata_get(), pn::metadata_size())) {
    return;
  }
  for (const pn::PhoneMetadata& m : collection_->metadata()) {
    if (m.id() == "ZZ" || m.country_code() <= 0 ||
        m.country_code() > kMaxCountryCode) {
      continue;
    }
    auto region = std::make_unique<Region>();
    region->metadata = &m;
    auto& list = by_code_[m.country_code()];
    if (m.main_country_for_code()) {
      list.insert(list.begin(), region.get());
    } else {
      list.push_back(region.get());
    }
    if (int slot = RegionSlot(m.id()); slot >= 0) {
      by_id_[slot] = region.get();
    }
    regions_.push_back(std::move(region));
  }
}

FastPhone::~FastPhone() = default;

const FastPhone& FastPhone::Get() {
  static const FastPhone* instance = new FastPhone();
  return *instance;
}

const FastPhone::Region* FastPhone::FindRegion(std::string_view id) const {
  int slot = RegionSlot(id);
  return slot < 0 || by_id_[slot] == nullptr ? nullptr : by_id_[slot]->Ready();
}

// Not built yet: the caller calls Ready() on the regions it looks at, so
// that a number of +1 does not build the 25 NANP regions.
const std::vector<const FastPhone::Region*>* FastPhone::RegionsFor(
    int country_code) const {
  if (country_code <= 0 || country_code > kMaxCountryCode ||
      by_code_[country_code].empty()) {
    return nullptr;
  }
  return &by_code_[country_code];
}

const FastPhone::Region* FastPhone::MainRegion(int country_code) const {
  const auto* list = RegionsFor(country_code);
  return list == nullptr ? nullptr : list->front()->Ready();
}

std::string_view FastPhone::NationalPrefix(std::string_view region) const {
  const Region* r = FindRegion(region);
  return r == nullptr ? std::string_view() : r->national_prefix;
}

int FastPhone::CountryCode(std::string_view region) const {
  const Region* r = FindRegion(region);
  return r == nullptr ? 0 : r->country_code;
}

// MaybeExtractCountryCode for digits without a '+': an international
// prefix then a country code, or the home country code written without one.
// Returns the code, 0 for "none" (the home region's), and sets *error for
// the library's parse errors.
int FastPhone::MaybeExtractCountryCode(const Region& home,
                                       std::string* national,
                                       bool* error) const {
  auto known = [this](int code) { return RegionsFor(code) != nullptr; };
  size_t idd_length = 0;
  if (home.international_prefix.Consume(*national, &idd_length) &&
      (idd_length == national->size() || (*national)[idd_length] != '0')) {
    national->erase(0, idd_length);
    if (national->size() <= kMinLengthForNsn) {
      *error = true;  // TOO_SHORT_AFTER_IDD
      return 0;
    }
    int code = ExtractCountryCode(national, known);
    *error = code == 0;  // INVALID_COUNTRY_CODE_ERROR
    return code;
  }
  if (!national->starts_with(home.country_code_text)) {
    return 0;
  }
  std::string potential = national->substr(home.country_code_text.size());
  StripNationalPrefix(home, &potential);
  if ((!home.GeneralMatches(*national) && home.GeneralMatches(potential)) ||
      home.TestNumberLength(*national) == LengthResult::kTooLong) {
    *national = std::move(potential);
    return home.country_code;
  }
  return 0;
}

// ParseHelper, for "+digits" and "digits".
bool FastPhone::Parse(std::string_view input, const Region& home,
                      Parsed* out) const {
  out->ok = false;
  const bool plus = !input.empty() && input[0] == '+';
  std::string& national = *out->nsn;
  national.assign(plus ? input.substr(1) : input);
  if (input.size() > kMaxInputStringLength ||
      national.size() < (plus ? 3u : kMinLengthForNsn)) {
    return true;  // TOO_LONG_NSN / NOT_A_NUMBER
  }
  auto known = [this](int code) { return RegionsFor(code) != nullptr; };
  bool error = false;
  int code = plus ? ExtractCountryCode(&national, known) : 0;
  if (!plus) {
    code = MaybeExtractCountryCode(home, &national, &error);
  } else if (code == 0) {
    // The library drops the '+' and tries again; this time finding no
    // country code at all is an error too.
    code = MaybeExtractCountryCode(home, &national, &error);
    error = error || code == 0;
  }
  if (error) {
    return true;
  }
  const Region* meta = &home;
  if (code != 0) {
    meta = MainRegion(code);
  } else {
    code = home.country_code;
  }
  if (!meta->usable) {
    return false;
  }
  if (national.size() < kMinLengthForNsn) {
    return true;  // TOO_SHORT_NSN
  }
  std::string potential = national;
  StripNationalPrefix(*meta, &potential);
  LengthResult length = meta->TestNumberLength(potential);
  if (length != LengthResult::kTooShort &&
      length != LengthResult::kPossibleLocalOnly &&
      length != LengthResult::kInvalidLength) {
    national = std::move(potential);
  }
  if (national.size() < kMinLengthForNsn ||
      national.size() > kMaxLengthForNsn) {
    return true;  // TOO_SHORT_NSN / TOO_LONG_NSN
  }
  out->ok = true;
  out->country_code = code;
  return true;
}

// GetNumberTypeHelper.
bool FastPhone::Classify(const Region& region, std::string_view nsn,
                         PhoneType* type) const {
  *type = PhoneType::kUnknown;
  if (!region.usable) {
    return false;
  }
  const uint32_t matching = region.MatchingDescs(nsn);
  auto matches = [matching](int slot) { return (matching >> slot & 1) != 0; };
  if (!matches(kGeneral)) {
    return true;
  }
  for (int slot = kPremiumRate; slot <= kVoicemail; ++slot) {
    if (matches(slot)) {
      *type = kSlotType[slot];
      return true;
    }
  }
  if (matches(kFixedLine)) {
    *type = region.same_mobile_and_fixed || matches(kMobile)
                ? PhoneType::kFixedLineOrMobile
                : PhoneType::kFixedLine;
  } else if (!region.same_mobile_and_fixed && matches(kMobile)) {
    *type = PhoneType::kMobile;
  }
  return true;
}

// GetRegionCodeForNumber, with the type of the number in that region.
bool FastPhone::ResolveRegion(int country_code, std::string_view nsn,
                              const Region** region, PhoneType* type) const {
  *region = nullptr;
  *type = PhoneType::kUnknown;
  const auto* list = RegionsFor(country_code);
  if (list == nullptr) {
    return true;
  }
  if (list->size() == 1) {
    *region = list->front()->Ready();
    return Classify(**region, nsn, type);
  }
  for (const Region* listed : *list) {
    const Region* candidate = listed->Ready();
    if (!candidate->usable) {
      return false;
    }
    if (!candidate->leading_digits.empty()) {
      if (candidate->leading_digits.MatchesPrefix(nsn)) {
        *region = candidate;
        return Classify(*candidate, nsn, type);
      }
      continue;
    }
    PhoneType found = PhoneType::kUnknown;
    Classify(*candidate, nsn, &found);
    if (found != PhoneType::kUnknown) {
      *region = candidate;
      *type = found;
      return true;
    }
  }
  return true;
}

bool FastPhone::Verdict(std::string_view digits,
                        std::string_view default_region, PhoneVerdict* verdict,
                        std::string* national) const {
  const Region* home = FindRegion(default_region);
  if (home == nullptr || !home->usable ||
      !IsDigitString(digits.starts_with('+') ? digits.substr(1) : digits)) {
    return false;
  }
  // Parsed straight into the verdict's NSN, whose storage the caller may
  // reuse.
  Parsed parsed;
  parsed.nsn = &verdict->nsn;
  if (!Parse(digits, *home, &parsed)) {
    return false;
  }
  verdict->parsed = false;
  verdict->valid = false;
  verdict->country_code = 0;
  verdict->region.clear();
  verdict->type = PhoneType::kUnknown;
  if (national != nullptr) {
    national->clear();
  }
  if (!parsed.ok) {
    verdict->nsn.clear();
    return true;
  }
  const Region* region = nullptr;
  PhoneType type = PhoneType::kUnknown;
  if (!ResolveRegion(parsed.country_code, verdict->nsn, &region, &type)) {
    return false;
  }
  verdict->parsed = true;
  verdict->country_code = parsed.country_code;
  verdict->region = region == nullptr ? "ZZ" : region->id;
  verdict->type = type;
  verdict->valid = region != nullptr && type != PhoneType::kUnknown;
  if (national != nullptr && verdict->valid) {
    return FormatNational(*verdict, national);
  }
  return true;
}

// Format(NATIONAL): FormatNsn with the first format that
// ChooseFormattingPatternForNumber accepts, else the NSN as it is.
bool FastPhone::FormatNational(const PhoneVerdict& verdict,
                               std::string* out) const {
  const std::string& nsn = verdict.nsn;
  const Region* main = MainRegion(verdict.country_code);
  if (main != nullptr && !main->usable) {
    return false;
  }
  if (main != nullptr) {
    for (const NumberFormat& format : main->formats) {
      if (format.Matches(nsn)) {
        format.Apply(nsn, format.national, out);
        return true;
      }
    }
  }
  *out = nsn;
  return true;
}

// FormatOutOfCountryCallingNumber (no extension): the number as dialled
// from `from`.
bool FastPhone::FormatDialable(const PhoneVerdict& verdict,
                               std::string_view from, std::string* out) const {
  const Region* home = FindRegion(from);
  const Region* main = MainRegion(verdict.country_code);
  if (home == nullptr || !home->usable || (main != nullptr && !main->usable)) {
    return false;
  }
  const int code = verdict.country_code;
  if (main == nullptr) {
    *out = verdict.nsn;
    return true;
  }
  if (code == home->country_code) {
    // Within the NANP, the national format after "1 ".
    if (!FormatNational(verdict, out)) {
      return false;
    }
    if (code == 1) {
      out->insert(0, "1 ");
    }
    return true;
  }
  const std::vector<NumberFormat>& formats =
      main->intl_formats.empty() ? main->formats : main->intl_formats;
  *out = verdict.nsn;
  for (const NumberFormat& format : formats) {
    if (format.Matches(verdict.nsn)) {
      format.Apply(verdict.nsn, format.international, out);
      break;
    }
  }
  const std::string& prefix = home->dialling_prefix;
  out->insert(0, (prefix.empty() ? "+" : prefix + " ") +
                     main->country_code_text + " ");
  return true;
}

std::string PhoneVerdict::E164() const {
  std::string out;
  E164To(&out);
  return out;
}

void PhoneVerdict::E164To(std::string* out) const {
  out->clear();
  if (parsed) {
    char text[12] = {'+'};
    auto end = std::to_chars(text + 1, text + sizeof text, country_code).ptr;
    out->reserve((end - text) + nsn.size());
    out->append(text, end);
    out->append(nsn);
  }
}

std::string_view PhoneTypeName(PhoneType type) {
  static constexpr std::string_view kNames[] = {
      "fixed_line", "mobile",          "fixed_line_or_mobile",
      "toll_free",  "premium_rate",    "shared_cost",
      "voip",       "personal_number", "pager",
      "uan",        "voicemail",       "unknown",
  };
  return kNames[static_cast<int>(type)];
}

}  // namespace leadclean
