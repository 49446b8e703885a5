// Hand-written scanners rather than regexes: amounts need the decimal and
// thousands rules of both Vietnamese ("1.500.000", "1,5 tỷ") and English
// ("1,500,000", "1.5 billion") text, which one regex cannot tell apart.
#include "stages/score_parse.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "leadclean/text.h"

namespace leadclean {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsAsciiAlnum(char c) { return IsDigit(c) || IsAsciiAlpha(c); }

std::string AsciiLower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

// ---- Amounts ----------------------------------------------------------------

enum class Currency { kNone, kVnd, kUsd };

struct UnitWord {
  std::string_view word;
  double multiplier;  // 1 for a currency word
  Currency currency;
};

// Words after a number, in accent-stripped lower case ("tỷ" -> "ty").
constexpr UnitWord kUnitWords[] = {
    {"ty", 1e9, Currency::kNone},       {"ti", 1e9, Currency::kNone},
    {"b", 1e9, Currency::kNone},        {"bn", 1e9, Currency::kNone},
    {"billion", 1e9, Currency::kNone},  {"billions", 1e9, Currency::kNone},
    {"trieu", 1e6, Currency::kNone},    {"tr", 1e6, Currency::kNone},
    {"cu", 1e6, Currency::kNone},       {"m", 1e6, Currency::kNone},
    {"mil", 1e6, Currency::kNone},      {"mio", 1e6, Currency::kNone},
    {"million", 1e6, Currency::kNone},  {"millions", 1e6, Currency::kNone},
    {"k", 1e3, Currency::kNone},        {"nghin", 1e3, Currency::kNone},
    {"ngan", 1e3, Currency::kNone},     {"usd", 1, Currency::kUsd},
    {"dollar", 1, Currency::kUsd},      {"dollars", 1, Currency::kUsd},
    {"do", 1, Currency::kUsd},          {"dola", 1, Currency::kUsd},
    {"vnd", 1, Currency::kVnd},         {"dong", 1, Currency::kVnd},
    {"d", 1, Currency::kVnd},
};

const UnitWord* FindUnitWord(std::string_view word) {
  for (const UnitWord& unit : kUnitWords) {
    if (unit.word == word) {
      return &unit;
    }
  }
  return nullptr;
}

// Reads the digits of a number starting at text[*pos]. A '.', ',' or space
// followed by exactly three digits groups thousands ("1.500.000",
// "1,500,000", "50 000"); any other '.' or ',' before digits is the decimal
// point ("1,5", "1.25").
double ReadNumber(std::string_view text, size_t* pos) {
  size_t i = *pos;
  double value = 0;
  while (i < text.size() && IsDigit(text[i])) {
    value = value * 10 + (text[i++] - '0');
  }
  bool decimal_seen = false;
  while (!decimal_seen && i + 1 < text.size() &&
         (text[i] == '.' || text[i] == ',' || text[i] == ' ') &&
         IsDigit(text[i + 1])) {
    size_t j = i + 1;
    double run = 0;
    while (j < text.size() && IsDigit(text[j])) {
      run = run * 10 + (text[j++] - '0');
    }
    size_t digits = j - (i + 1);
    if (digits == 3) {
      value = value * 1000 + run;
    } else if (text[i] != ' ') {
      value += run / std::pow(10.0, static_cast<double>(digits));
      decimal_seen = true;
    } else {
      break;
    }
    i = j;
  }
  *pos = i;
  return value;
}

// The unit or currency right after a number ("tr", " tỷ", "$", " USD"), or
// nullptr. Advances *pos past it. A word glued to a digit ("m2") is no unit.
const UnitWord* ReadUnit(std::string_view text, size_t* pos) {
  static constexpr UnitWord kDollarSign = {"$", 1, Currency::kUsd};
  static constexpr UnitWord kDongSign = {"\xE2\x82\xAB", 1, Currency::kVnd};
  size_t i = *pos;
  while (i < text.size() && text[i] == ' ') {
    ++i;
  }
  if (i < text.size() && text[i] == '$') {
    *pos = i + 1;
    return &kDollarSign;
  }
  if (text.substr(i).starts_with(kDongSign.word)) {
    *pos = i + kDongSign.word.size();
    return &kDongSign;
  }
  size_t end = i;
  while (end < text.size() && IsAsciiAlpha(text[end])) {
    ++end;
  }
  if (end == i || (end < text.size() && IsDigit(text[end]))) {
    return nullptr;
  }
  const UnitWord* unit = FindUnitWord(text.substr(i, end - i));
  if (unit) {
    *pos = end;
  }
  return unit;
}

// The currency written just before a number ("$5,000", "USD 5000").
Currency CurrencyBefore(std::string_view text, size_t start) {
  size_t i = start;
  while (i > 0 && text[i - 1] == ' ') {
    --i;
  }
  if (i > 0 && text[i - 1] == '$') {
    return Currency::kUsd;
  }
  size_t begin = i;
  while (begin > 0 && IsAsciiAlpha(text[begin - 1])) {
    --begin;
  }
  std::string_view word = text.substr(begin, i - begin);
  if (word == "usd") {
    return Currency::kUsd;
  }
  return word == "vnd" ? Currency::kVnd : Currency::kNone;
}

// The amount (VND) of the number at text[*pos], or 0 when it is no amount.
double ReadAmount(std::string_view text, size_t* pos, bool allow_plain,
                  double usd_vnd) {
  Currency currency = CurrencyBefore(text, *pos);
  double value = ReadNumber(text, pos);
  double multiplier = 1;
  bool has_unit = false;
  for (int words = 0; words < 2; ++words) {
    const UnitWord* unit = ReadUnit(text, pos);
    if (!unit) {
      break;
    }
    has_unit = true;
    if (unit->currency != Currency::kNone) {
      currency = unit->currency;
    } else if (multiplier == 1) {
      multiplier = unit->multiplier;
    }
  }
  if (!has_unit && currency == Currency::kNone &&
      !(allow_plain && value >= 100000)) {
    return 0;
  }
  return value * multiplier * (currency == Currency::kUsd ? usd_vnd : 1);
}

}  // namespace

std::optional<double> ParseAmountVnd(std::string_view text, bool allow_plain,
                                     double usd_vnd) {
  if (std::none_of(text.begin(), text.end(), IsDigit)) {
    return std::nullopt;
  }
  std::string folded = AsciiLower(StripAccents(text));
  std::string_view s = folded;
  double best = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsDigit(s[i]) || (i > 0 && IsAsciiAlnum(s[i - 1]))) {
      ++i;
      continue;
    }
    best = std::max(best, ReadAmount(s, &i, allow_plain, usd_vnd));
  }
  return best > 0 ? std::optional<double>(best) : std::nullopt;
}

double ParseCount(std::string_view text) {
  text = Trim(text);
  if (text.empty()) {
    return 0;
  }
  if (!IsDigit(text.front()) && text.front() != '.') {
    std::string key = FoldKey(text);
    return key == "yes" || key == "y" || key == "true" || key == "x" ||
                   key == "co" || key == "attended" || key == "da tham du"
               ? 1
               : 0;
  }
  std::string digits;
  for (char c : text) {
    if (c != ',' && c != ' ' && c != '_') {
      digits.push_back(c);
    }
  }
  char* end = nullptr;
  double value = std::strtod(digits.c_str(), &end);
  bool whole = end == digits.c_str() + digits.size();
  return whole && std::isfinite(value) && value > 0 ? value : 0;
}

std::string StripAccentsIcu(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString decomposed =
      U_SUCCESS(status) ? nfd->normalize(source, status) : source;
  if (U_FAILURE(status)) {
    decomposed = source;
  }
  icu::UnicodeString out;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      continue;
    }
    out.append(c == 0x0111 ? UChar32{'d'} : c == 0x0110 ? UChar32{'D'} : c);
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

namespace {

// Latin-1 Supplement to Latin Extended-B, Latin Extended Additional (the
// Vietnamese letters with two marks) and the combining marks U+0300..U+036F.
constexpr uint32_t kLowBegin = 0x00C0, kLowEnd = 0x0250;
constexpr uint32_t kHighBegin = 0x1E00, kHighEnd = 0x1F00;
constexpr uint32_t kMarksBegin = 0x0300, kMarksEnd = 0x0370;

std::string EncodeUtf8(uint32_t c) {
  std::string out;
  if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
  }
  out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  return out;
}

// The one ASCII character StripAccentsIcu gives for each code point, or 0
// (then the whole text takes the ICU path). Built from StripAccentsIcu
// itself, so the two cannot disagree: NFD works code point by code point
// and the marks it would reorder are all dropped.
struct StrippedLetters {
  std::array<char, kLowEnd - kLowBegin> low{};
  std::array<char, kHighEnd - kHighBegin> high{};

  StrippedLetters() {
    Fill(kLowBegin, low.data(), low.size());
    Fill(kHighBegin, high.data(), high.size());
  }
  static void Fill(uint32_t first, char* table, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      std::string s =
          StripAccentsIcu(EncodeUtf8(first + static_cast<uint32_t>(i)));
      bool ascii = s.size() == 1 && static_cast<unsigned char>(s[0]) < 0x80;
      table[i] = ascii ? s[0] : 0;
    }
  }
  char Of(uint32_t c) const {
    if (c >= kLowBegin && c < kLowEnd) {
      return low[c - kLowBegin];
    }
    if (c >= kHighBegin && c < kHighEnd) {
      return high[c - kHighBegin];
    }
    return 0;
  }
};

const StrippedLetters& Stripped() {
  static const StrippedLetters letters;
  return letters;
}

// Decodes one 2- or 3-byte UTF-8 sequence at text[*i]; 0 if malformed.
uint32_t DecodeUtf8(std::string_view text, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  uint8_t lead = byte(*i);
  if ((lead & 0xE0) == 0xC0 && *i + 1 < text.size() &&
      (byte(*i + 1) & 0xC0) == 0x80) {
    uint32_t c = ((lead & 0x1Fu) << 6) | (byte(*i + 1) & 0x3Fu);
    *i += 2;
    return c >= 0x80 ? c : 0;
  }
  if ((lead & 0xF0) == 0xE0 && *i + 2 < text.size() &&
      (byte(*i + 1) & 0xC0) == 0x80 && (byte(*i + 2) & 0xC0) == 0x80) {
    uint32_t c = ((lead & 0x0Fu) << 12) | ((byte(*i + 1) & 0x3Fu) << 6) |
                 (byte(*i + 2) & 0x3Fu);
    *i += 3;
    return c >= 0x800 ? c : 0;
  }
  return 0;
}

}  // namespace

// ASCII passes through unchanged and Latin letters go through the table;
// anything else (other scripts, malformed UTF-8) takes the ICU path.
std::string StripAccents(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if ((static_cast<unsigned char>(text[i]) & 0x80) == 0) {
      out.push_back(text[i++]);
      continue;
    }
    uint32_t code = DecodeUtf8(text, &i);
    if (code >= kMarksBegin && code < kMarksEnd) {
      continue;
    }
    char c = code ? Stripped().Of(code) : 0;
    if (c == 0) {
      return StripAccentsIcu(text);
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace leadclean
