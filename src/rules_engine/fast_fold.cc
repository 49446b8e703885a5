// The table of base letters is built once from FoldKey itself, code point
// by code point, so it cannot disagree with it: a precomposed letter's NFD
// is its base letter plus marks, and FoldKey drops the marks.
#include "rules_engine/fast_fold.h"

#include <array>
#include <cstdint>

#include "leadclean/text.h"

namespace leadclean {
namespace {

// Latin-1 Supplement to Latin Extended-B, and Latin Extended Additional
// (the Vietnamese letters with two marks, ạ ả ấ ... ỹ).
constexpr uint32_t kLowBegin = 0x00C0, kLowEnd = 0x0250;
constexpr uint32_t kHighBegin = 0x1E00, kHighEnd = 0x1F00;
constexpr uint32_t kMarksBegin = 0x0300, kMarksEnd = 0x0370;

std::string Utf8(uint32_t c) {
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

// Base letter per code point, 0 when FoldKey gives anything but one ASCII
// letter (then the whole text takes the slow path).
struct BaseLetters {
  std::array<char, kLowEnd - kLowBegin> low{};
  std::array<char, kHighEnd - kHighBegin> high{};

  BaseLetters() {
    Fill(kLowBegin, low.data(), low.size());
    Fill(kHighBegin, high.data(), high.size());
  }
  static void Fill(uint32_t first, char* table, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      std::string folded = FoldKey(Utf8(first + static_cast<uint32_t>(i)));
      bool letter = folded.size() == 1 && folded[0] >= 'a' && folded[0] <= 'z';
      table[i] = letter ? folded[0] : 0;
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

const BaseLetters& Letters() {
  static const BaseLetters letters;
  return letters;
}

// Decodes one 2- or 3-byte UTF-8 sequence at text[*i]; 0 if malformed.
uint32_t Decode(std::string_view text, size_t* i) {
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

std::string FastFold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if ((c & 0x80) == 0) {
      ++i;
      bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                   (c >= 'A' && c <= 'Z');
      if (!alnum) {
        pending_space = !out.empty();
        continue;
      }
      c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      uint32_t code = Decode(text, &i);
      if (code >= kMarksBegin && code < kMarksEnd) {
        continue;  // a combining mark (NFD input)
      }
      c = code ? Letters().Of(code) : 0;
      if (c == 0) {
        return FoldKey(text);
      }
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace leadclean
