// The text helpers as they were before the table-driven fast paths
// (commit 9145e48), kept for tests/core/text_test.cc: the new helpers must
// give the same bytes on every input.
#ifndef LEADCLEAN_TESTS_CORE_TEXT_OLD_H_
#define LEADCLEAN_TESTS_CORE_TEXT_OLD_H_

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "leadclean/text.h"

namespace leadclean {
namespace old_text {
namespace {


bool IsTrimmable(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f' || c == 0xA0 || (c >= 0x200B && c <= 0x200D) ||
         c == 0xFEFF;
}

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

icu::UnicodeString FromUtf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}

// FoldKey for pure ASCII: the same result without ICU.
std::string FoldAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9');
    if (!alnum) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  return out;
}

// Base letter of each precomposed Latin letter in U+00C0..U+024F and
// U+1E00..U+1EFF (all Vietnamese letters), derived once from FoldKeyIcu so
// the two cannot disagree; 0 where the fold is not one ASCII letter.
class BaseLetters {
 public:
  BaseLetters() {
    for (UChar32 c = 0; c < kSize; ++c) {
      UChar32 code = CodeAt(c);
      char utf8[4];
      int32_t n = 0;
      U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(utf8), n, code);
      std::string folded = FoldKeyIcu(std::string_view(utf8, n));
      table_[c] = (folded.size() == 1 && folded[0] >= 'a' && folded[0] <= 'z')
                      ? folded[0]
                      : 0;
    }
  }
  // The base letter, 0 when unknown; a combining mark gives '\x01'.
  char Of(UChar32 c) const {
    if (c >= 0x0300 && c < 0x0370) {
      return '\x01';
    }
    if (c >= 0x00C0 && c < 0x0250) {
      return table_[c - 0x00C0];
    }
    if (c >= 0x1E00 && c < 0x1F00) {
      return table_[c - 0x1E00 + (0x0250 - 0x00C0)];
    }
    return 0;
  }

 private:
  static constexpr int kSize = (0x0250 - 0x00C0) + (0x1F00 - 0x1E00);
  static UChar32 CodeAt(int i) {
    return i < 0x0250 - 0x00C0 ? 0x00C0 + i : 0x1E00 + i - (0x0250 - 0x00C0);
  }
  char table_[kSize];
};

// FoldKey without ICU for ASCII and Latin letters; nullopt when the text
// holds anything else (or invalid UTF-8).
std::optional<std::string> FoldLatin(std::string_view text) {
  static const BaseLetters letters;
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    char base = c < 0x80 ? static_cast<char>(c) : letters.Of(c);
    if (c < 0 || base == 0) {
      return std::nullopt;
    }
    if (base == '\x01') {
      continue;  // a combining mark: NFD input
    }
    if (base >= 'A' && base <= 'Z') {
      base = static_cast<char>(base + 32);
    }
    bool alnum = (base >= 'a' && base <= 'z') || (base >= '0' && base <= '9');
    if (!alnum) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(base);
  }
  return out;
}


std::string_view OldTrim(std::string_view text) {
  int32_t begin = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  while (begin < length) {
    int32_t next = begin;
    UChar32 c;
    U8_NEXT(s, next, length, c);
    if (!IsTrimmable(c)) {
      break;
    }
    begin = next;
  }
  int32_t end = length;
  while (end > begin) {
    int32_t prev = end;
    UChar32 c;
    U8_PREV(s, begin, prev, c);
    if (!IsTrimmable(c)) {
      break;
    }
    end = prev;
  }
  return text.substr(begin, end - begin);
}

bool OldIsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    // Eight ASCII bytes at a time: most of a lead list is ASCII.
    while (i + 8 <= length) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if (word & 0x8080808080808080ull) {
        break;
      }
      i += 8;
    }
    if (i >= length) {
      break;
    }
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      return false;
    }
  }
  return true;
}

std::string OldNfc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    return std::string(text);
  }
  if (IsAscii(text) ||
      (OldIsValidUtf8(text) &&
       nfc->isNormalizedUTF8(
           icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
           status) &&
       U_SUCCESS(status))) {
    return std::string(text);  // the common case, without converting
  }
  status = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(FromUtf8(text), status);
  return U_FAILURE(status) ? std::string(text) : ToUtf8(normalized);
}

std::string OldFoldKey(std::string_view text) {
  if (IsAscii(text)) {
    return FoldAscii(text);
  }
  if (std::optional<std::string> folded = FoldLatin(text)) {
    return *folded;
  }
  return FoldKeyIcu(text);
}


std::string OldCollapseSpaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  text = OldTrim(text);
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (IsTrimmable(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.append(text.substr(start, i - start));
  }
  return out;
}


// Title case code point by code point: the first letter of each
// space-separated word to title case, the rest to lower case. For names in
// Latin script this equals ICU's break-iterator title casing (about 3 us
// per name; tests/core/text_test.cc compares the two); text holding
// anything where word breaks could differ (apostrophes, digits, non-Latin
// letters, invalid UTF-8) takes the ICU path.
std::string OldTitleCaseIcu(std::string_view text) {
  icu::UnicodeString value = FromUtf8(text);
  value.toTitle(nullptr, icu::Locale("vi"));
  return ToUtf8(value);
}

std::string OldTitleCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool word_start = true;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c == ' ') {
      word_start = true;
      out.push_back(' ');
      continue;
    }
    // Letters whose full case mapping is not one code point (ß -> Ss).
    bool special = c == 0x00DF || c == 0x0130 || c == 0x0149 ||
                   c == 0x01F0 || (c >= 0x1E96 && c <= 0x1E9E);
    bool latin = c >= 0 && !special &&
                 (c < 0x0250 || (c >= 0x1E00 && c < 0x1F00));
    bool letter = latin && u_isalpha(c);
    if (!letter && !(latin && u_charType(c) == U_NON_SPACING_MARK)) {
      return OldTitleCaseIcu(text);
    }
    UChar32 mapped = c;
    if (letter) {
      mapped = word_start ? u_totitle(c) : u_tolower(c);
      word_start = false;
    }
    char buffer[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(buffer), n, mapped);
    out.append(buffer, n);
  }
  return out;
}

std::string OldLower(std::string_view text) {
  icu::UnicodeString value = FromUtf8(text);
  value.toLower(icu::Locale::getRoot());
  return ToUtf8(value);
}


}  // namespace
}  // namespace old_text
}  // namespace leadclean

#endif  // LEADCLEAN_TESTS_CORE_TEXT_OLD_H_
