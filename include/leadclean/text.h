// Small UTF-8 text helpers shared by stages: trimming, NFC, folding for
// matching, Vietnamese title case.
#ifndef LEADCLEAN_TEXT_H_
#define LEADCLEAN_TEXT_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace leadclean {

// Trim's general case (text.cc).
std::string_view TrimEnds(std::string_view text);

// Strips ASCII whitespace, NBSP (U+00A0), U+200B..U+200D and U+FEFF at both
// ends. Inline because every stage trims most cells, and most cells begin
// and end with printable ASCII, so there is nothing to strip.
inline std::string_view Trim(std::string_view text) {
  if (!text.empty()) {
    auto first = static_cast<unsigned char>(text.front());
    auto last = static_cast<unsigned char>(text.back());
    if (first > ' ' && first < 0x80 && last > ' ' && last < 0x80) {
      return text;
    }
  }
  return TrimEnds(text);
}

// True when every byte of `text` is ASCII. Eight bytes at a time: stages
// ask it of most cells.
inline bool IsAsciiText(std::string_view text) {
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (word & 0x8080808080808080ull) {
      return false;
    }
  }
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= 0x80) {
      return false;
    }
  }
  return true;
}

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// NFC normal form. Invalid UTF-8 becomes U+FFFD.
std::string Nfc(std::string_view text);

// Key for matching: NFD, combining marks dropped, đ/Đ mapped to d, lower
// case, every run of non-alphanumerics turned into one space, trimmed.
// "Họ và Tên" -> "ho va ten", "SĐT/Zalo" -> "sdt zalo".
std::string FoldKey(std::string_view text);

// FoldKey written over *out, whose buffer is reused: for hot loops.
void FoldKeyTo(std::string_view text, std::string* out);

// The ICU reference implementations of FoldKey and TitleCase, which the
// fast paths must equal (tests/core/text_test.cc).
std::string FoldKeyIcu(std::string_view text);
std::string TitleCaseIcu(std::string_view text);

// Collapses runs of whitespace to one space and trims.
std::string CollapseSpaces(std::string_view text);

// Title case with ICU in the "vi" locale: "NGUYỄN văn an" -> "Nguyễn Văn An".
std::string TitleCase(std::string_view text);

// TitleCase(CollapseSpaces(Nfc(text))) written over *out in one pass, for
// text made of ASCII white space and Latin letters already in NFC (nearly
// every name). Returns false, *out unspecified, for any other text: the
// caller then takes the three functions.
bool TitleCaseNameTo(std::string_view text, std::string* out);

// Nfc(text) written over *out, for well-formed UTF-8; false (*out
// unspecified) for anything else.
bool NfcTo(std::string_view text, std::string* out);

// Lower case with ICU (root locale).
std::string Lower(std::string_view text);

}  // namespace leadclean

#endif  // LEADCLEAN_TEXT_H_
