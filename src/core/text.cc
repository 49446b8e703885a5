// UTF-8 helpers over ICU. FoldKey is the matching key used for headers,
// names and rule lookups; it avoids the ICU transliterator (about 4 us per
// name) by decomposing and dropping marks, and maps đ/Đ, which have no
// decomposition, by hand. Every row goes through these helpers several
// times, so text made of ASCII and Latin letters (nearly all of it) is
// handled from one table per code point, built from the ICU calls the slow
// paths make; anything else goes to ICU.
#include "leadclean/text.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/locid.h>
#include <unicode/utf8.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace leadclean {
namespace {

bool IsTrimmable(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f' || c == 0xA0 || (c >= 0x200B && c <= 0x200D) ||
         c == 0xFEFF;
}

// ASCII whitespace of IsTrimmable; every other trimmable character starts
// with a byte >= 0x80.
bool IsAsciiSpace(uint8_t c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
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

void AppendUtf8(UChar32 c, std::string* out) {
  char buffer[4];
  int32_t n = 0;
  U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(buffer), n, c);
  out->append(buffer, n);
}

// What the fast paths need to know about one code point of the Latin
// ranges the tables cover (U+0000..U+036F and U+1E00..U+1EFF: ASCII,
// Latin-1, Latin Extended, the combining marks and every precomposed
// Vietnamese letter). Every entry is derived once from the ICU functions
// the slow paths call, so a table and its slow path cannot disagree.
struct LatinInfo {
  // FoldKey: the folded ASCII letter or digit, kFoldSpace (not
  // alphanumeric), kFoldDrop (a combining mark) or kFoldSlow (folds to
  // anything else: ICU decides).
  char fold = 0;
  // TitleCase: how the fast path treats the code point.
  enum class Title : uint8_t { kSlow, kSpace, kMark, kLetter };
  Title title = Title::kSlow;
  // Alone, in NFC, and never combines with what precedes it.
  bool nfc_inert = false;
  UChar32 upper_title = -1;  // u_totitle, for TitleCase letters
  UChar32 lower = -1;        // u_tolower, for TitleCase letters
  UChar32 full_lower = -1;   // Lower() of the code point alone; -1: slow
};

constexpr char kFoldSlow = 0;
constexpr char kFoldDrop = 1;
constexpr char kFoldSpace = ' ';

class LatinTable {
 public:
  LatinTable() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    for (int i = 0; i < kSize; ++i) {
      Fill(CodeAt(i), U_SUCCESS(status) ? nfc : nullptr, &info_[i]);
      fold_[i] = info_[i].fold;
    }
  }

  // The fold of ASCII byte `c`, from a compact array.
  char AsciiFold(uint8_t c) const { return fold_[c]; }

  // The entry of `c`, nullptr outside the covered ranges.
  const LatinInfo* Find(UChar32 c) const {
    if (c >= 0 && c < kLowEnd) {
      return &info_[c];
    }
    if (c >= 0x1E00 && c < 0x1F00) {
      return &info_[kLowEnd + (c - 0x1E00)];
    }
    return nullptr;
  }

 private:
  static constexpr int kLowEnd = 0x0370;
  static constexpr int kSize = kLowEnd + 0x100;
  static UChar32 CodeAt(int i) {
    return i < kLowEnd ? i : 0x1E00 + (i - kLowEnd);
  }

  static void Fill(UChar32 c, const icu::Normalizer2* nfc, LatinInfo* info);

  LatinInfo info_[kSize];
  char fold_[kSize];
};

// FoldKey of "a<c>b" shows how c folds between letters: dropped, a
// separator or one ASCII letter.
char FoldClass(UChar32 c) {
  std::string text = "a";
  AppendUtf8(c, &text);
  text += "b";
  std::string folded = FoldKeyIcu(text);
  if (folded == "ab") {
    return kFoldDrop;
  }
  if (folded == "a b") {
    return kFoldSpace;
  }
  bool ascii_alnum = folded.size() == 3 &&
                     ((folded[1] >= 'a' && folded[1] <= 'z') ||
                      (folded[1] >= '0' && folded[1] <= '9'));
  return ascii_alnum ? folded[1] : kFoldSlow;
}

// The classification of the old code-point-by-code-point TitleCase: a
// space, a Latin letter (with its title and lower case), a combining mark
// in the Latin ranges, or anything that makes the whole text go to ICU.
void FillTitle(UChar32 c, LatinInfo* info) {
  if (c == ' ') {
    info->title = LatinInfo::Title::kSpace;
    return;
  }
  // Letters whose full case mapping is not one code point (ß -> Ss).
  bool special = c == 0x00DF || c == 0x0130 || c == 0x0149 || c == 0x01F0 ||
                 (c >= 0x1E96 && c <= 0x1E9E);
  bool latin = !special && (c < 0x0250 || (c >= 0x1E00 && c < 0x1F00));
  if (latin && u_isalpha(c)) {
    info->title = LatinInfo::Title::kLetter;
    info->upper_title = u_totitle(c);
    info->lower = u_tolower(c);
  } else if (latin && u_charType(c) == U_NON_SPACING_MARK) {
    info->title = LatinInfo::Title::kMark;
  }
}

void LatinTable::Fill(UChar32 c, const icu::Normalizer2* nfc,
                      LatinInfo* info) {
  info->fold = c < 0x80 ? kFoldSlow : FoldClass(c);
  if (c < 0x80) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9');
    info->fold = alnum ? static_cast<char>(u_tolower(c)) : kFoldSpace;
  }
  FillTitle(c, info);
  icu::UnicodeString one(c);
  UErrorCode status = U_ZERO_ERROR;
  info->nfc_inert = nfc != nullptr && nfc->hasBoundaryBefore(c) &&
                    nfc->isNormalized(one, status) && U_SUCCESS(status);
  icu::UnicodeString lower = one;
  lower.toLower(icu::Locale::getRoot());
  if (lower.countChar32() == 1) {
    info->full_lower = lower.char32At(0);
  }
}

const LatinTable& Latin() {
  static const LatinTable* table = new LatinTable();
  return *table;
}

// Decodes the code point at s[*i] (a byte >= 0x80) when it is a two-byte
// sequence or a three-byte one in U+1E00..U+1EFF, the only multi-byte
// sequences the tables cover; advances *i. -1 for anything else, valid or
// not: the caller then takes its slow path.
inline UChar32 DecodeLatin(const uint8_t* s, size_t length, size_t* i) {
  uint8_t lead = s[*i];
  if (lead >= 0xC2 && lead <= 0xDF && *i + 1 < length &&
      (s[*i + 1] & 0xC0) == 0x80) {
    UChar32 c = ((lead & 0x1F) << 6) | (s[*i + 1] & 0x3F);
    *i += 2;
    return c;
  }
  if (lead == 0xE1 && *i + 2 < length && s[*i + 1] >= 0xB8 &&
      s[*i + 1] <= 0xBB && (s[*i + 2] & 0xC0) == 0x80) {
    UChar32 c = 0x1000 | ((s[*i + 1] & 0x3F) << 6) | (s[*i + 2] & 0x3F);
    *i += 3;
    return c;
  }
  return -1;
}

// The table entry of the code point at s[*i]; advances *i. nullptr when the
// code point is outside the tables (or the bytes are not UTF-8).
inline const LatinInfo* NextLatin(const LatinTable& table, const uint8_t* s,
                           size_t length, size_t* i) {
  if (s[*i] < 0x80) {
    return table.Find(s[(*i)++]);
  }
  return table.Find(DecodeLatin(s, length, i));
}

// FoldKey from the table, written over *out; false (and *out unspecified)
// when the text holds a code point the table leaves to ICU. A separator
// writes one space after a letter at once (the last is dropped at the
// end), so letters, the common case, take one test. The output is never
// longer than the input: each letter comes from at least one byte, each
// space from at least one separator byte.
bool FoldLatinTo(std::string_view text, std::string* out) {
  static_assert(kFoldSlow < ' ' && kFoldDrop < ' ' && kFoldSpace == ' ');
  const LatinTable& table = Latin();
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t length = text.size();
  out->resize(length);
  char* begin = out->data();
  char* end = begin;
  for (size_t i = 0; i < length;) {
    char fold;
    if (s[i] < 0x80) {
      fold = table.AsciiFold(s[i++]);
    } else {
      const LatinInfo* info = table.Find(DecodeLatin(s, length, &i));
      fold = info ? info->fold : kFoldSlow;
    }
    if (static_cast<uint8_t>(fold) > ' ') {
      *end++ = fold;
    } else if (fold == kFoldSpace) {
      if (end != begin && end[-1] != ' ') {
        *end++ = ' ';
      }
    } else if (fold == kFoldSlow) {
      return false;
    }
  }
  if (end != begin && end[-1] == ' ') {
    --end;
  }
  out->resize(end - begin);
  return true;
}

// TitleCase from the table; false when the old code-point-by-code-point
// title casing would have handed the text to ICU.
bool TitleLatinTo(std::string_view text, std::string* out) {
  const LatinTable& table = Latin();
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t length = text.size();
  out->clear();
  bool word_start = true;
  for (size_t i = 0; i < length;) {
    size_t start = i;
    const LatinInfo* info = NextLatin(table, s, length, &i);
    LatinInfo::Title kind = info ? info->title : LatinInfo::Title::kSlow;
    if (kind == LatinInfo::Title::kSlow) {
      return false;
    }
    if (kind == LatinInfo::Title::kLetter) {
      UChar32 mapped = word_start ? info->upper_title : info->lower;
      word_start = false;
      if (mapped < 0x80) {
        out->push_back(static_cast<char>(mapped));
      } else {
        AppendUtf8(mapped, out);
      }
      continue;
    }
    word_start = word_start || kind == LatinInfo::Title::kSpace;
    out->append(text.substr(start, i - start));
  }
  return true;
}

// Lower() from the table; false when some code point is left to ICU.
bool LowerLatinTo(std::string_view text, std::string* out) {
  const LatinTable& table = Latin();
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t length = text.size();
  out->clear();
  for (size_t i = 0; i < length;) {
    const LatinInfo* info = NextLatin(table, s, length, &i);
    if (info == nullptr || info->full_lower < 0) {
      return false;
    }
    if (info->full_lower < 0x80) {
      out->push_back(static_cast<char>(info->full_lower));
    } else {
      AppendUtf8(info->full_lower, out);
    }
  }
  return true;
}

// True when the table proves the text is in NFC: every code point is
// normalized alone and interacts with nothing before it.
bool NfcLatin(std::string_view text) {
  const LatinTable& table = Latin();
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t length = text.size();
  for (size_t i = 0; i < length;) {
    const LatinInfo* info = NextLatin(table, s, length, &i);
    if (info == nullptr || !info->nfc_inert) {
      return false;
    }
  }
  return true;
}

}  // namespace

namespace {

std::string_view TrimSlow(std::string_view text) {
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

// The length of the well-formed multi-byte sequence at s[i] (lead byte
// >= 0x80), or 0: the ranges of Unicode's table of well-formed UTF-8, which
// is what U8_NEXT accepts.
size_t SequenceLength(const uint8_t* s, size_t length, size_t i) {
  uint8_t lead = s[i];
  auto trail = [&](size_t k, uint8_t low, uint8_t high) {
    return i + k < length && s[i + k] >= low && s[i + k] <= high;
  };
  if (lead >= 0xC2 && lead <= 0xDF) {
    return trail(1, 0x80, 0xBF) ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    uint8_t low = lead == 0xE0 ? 0xA0 : 0x80;
    uint8_t high = lead == 0xED ? 0x9F : 0xBF;
    return trail(1, low, high) && trail(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    uint8_t low = lead == 0xF0 ? 0x90 : 0x80;
    uint8_t high = lead == 0xF4 ? 0x8F : 0xBF;
    return trail(1, low, high) && trail(2, 0x80, 0xBF) &&
                   trail(3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

}  // namespace

// ASCII spaces first; only a non-ASCII byte at either end needs the
// code-point scan.
std::string_view TrimEnds(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && IsAsciiSpace(s[begin])) {
    ++begin;
  }
  while (end > begin && IsAsciiSpace(s[end - 1])) {
    --end;
  }
  if (begin < end && (s[begin] >= 0x80 || s[end - 1] >= 0x80)) {
    return TrimSlow(text);
  }
  return text.substr(begin, end - begin);
}

namespace {

// The first non-ASCII byte at or after `i`, or `length`. Most of a lead
// list is ASCII: sixteen bytes at a time (SSE2), else eight.
size_t SkipAscii(const uint8_t* s, size_t length, size_t i) {
#if defined(__SSE2__)
  for (; i + 16 <= length; i += 16) {
    const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i))));
    if (high != 0) {
      return i + static_cast<size_t>(std::countr_zero(high));
    }
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= length; i += 8) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      const uint64_t high = word & 0x8080808080808080ull;
      if (high != 0) {
        return i + static_cast<size_t>(std::countr_zero(high)) / 8;
      }
    }
  }
  while (i < length && s[i] < 0x80) {
    ++i;
  }
  return i;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t length = text.size();
  for (size_t i = SkipAscii(s, length, 0); i < length;) {
    const size_t n = SequenceLength(s, length, i);
    if (n == 0) {
      return false;
    }
    i = SkipAscii(s, length, i + n);
  }
  return true;
}

std::string Nfc(std::string_view text) {
  if (NfcLatin(text)) {
    return std::string(text);  // the common case: Latin text, composed
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    return std::string(text);
  }
  if (IsAsciiText(text) ||
      (IsValidUtf8(text) &&
       nfc->isNormalizedUTF8(
           icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
           status) &&
       U_SUCCESS(status))) {
    return std::string(text);
  }
  status = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(FromUtf8(text), status);
  return U_FAILURE(status) ? std::string(text) : ToUtf8(normalized);
}

void FoldKeyTo(std::string_view text, std::string* out) {
  if (!FoldLatinTo(text, out)) {
    *out = FoldKeyIcu(text);
  }
}

std::string FoldKey(std::string_view text) {
  std::string out;
  FoldKeyTo(text, &out);
  return out;
}

std::string FoldKeyIcu(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString decomposed = FromUtf8(text);
  if (U_SUCCESS(status)) {
    decomposed = nfd->normalize(decomposed, status);
  }
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) {
      continue;
    }
    if (c == 0x0111 || c == 0x0110) {
      c = 'd';
    }
    if (!u_isalnum(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    c = u_tolower(c);
    char buffer[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(buffer), n, c);
    out.append(buffer, n);
  }
  return out;
}

namespace {

// True when CollapseSpaces has nothing to do: no space at either end, no
// two spaces in a row, and no other whitespace or invisible space at all.
bool SpacesCollapsed(std::string_view text) {
  if (text.empty()) {
    return true;
  }
  if (text.front() == ' ' || text.back() == ' ') {
    return false;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<uint8_t>(text[i]);
    if (c == ' ' && text[i + 1] == ' ') {  // never the last byte
      return false;
    }
    if ((c >= '\t' && c <= '\r') || c == 0xC2 || c == 0xE2 || c == 0xEF) {
      return false;  // NBSP, U+200B..U+200D and U+FEFF start with these
    }
  }
  return true;
}

}  // namespace

std::string CollapseSpaces(std::string_view text) {
  if (SpacesCollapsed(text)) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  text = Trim(text);
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    if (s[i] < 0x80) {
      if (IsAsciiSpace(s[i])) {
        pending_space = true;
      } else {
        if (pending_space) {
          out.push_back(' ');
          pending_space = false;
        }
        out.push_back(static_cast<char>(s[i]));
      }
      ++i;
      continue;
    }
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

// toTitle with no break iterator opens the locale's word break iterator on
// every call (about 40 us); one per thread, given explicitly, is the same
// iterator.
std::string TitleCaseIcu(std::string_view text) {
  static const icu::Locale vietnamese("vi");
  thread_local std::unique_ptr<icu::BreakIterator> words = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> iterator(
        icu::BreakIterator::createWordInstance(vietnamese, status));
    return U_SUCCESS(status) ? std::move(iterator) : nullptr;
  }();
  icu::UnicodeString value = FromUtf8(text);
  value.toTitle(words.get(), vietnamese);
  return ToUtf8(value);
}

// Title case code point by code point: the first letter of each
// space-separated word to title case, the rest to lower case. For names in
// Latin script this equals ICU's break-iterator title casing (about 3 us
// per name; tests/core/text_test.cc compares the two); text holding
// anything where word breaks could differ (apostrophes, digits, non-Latin
// letters, invalid UTF-8) takes the ICU path.
std::string TitleCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  if (!TitleLatinTo(text, &out)) {
    return TitleCaseIcu(text);
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out;
  if (LowerLatinTo(text, &out)) {
    return out;
  }
  icu::UnicodeString value = FromUtf8(text);
  value.toLower(icu::Locale::getRoot());
  return ToUtf8(value);
}

}  // namespace leadclean

namespace leadclean {
namespace {

// The UTF-8 bytes TitleLatinTo writes for one letter, word-initial (title)
// and inside a word (lower), for TitleCaseNameTo. Only letters that are
// NFC-inert and that TitleLatinTo maps have sizes; size 0 is everything
// else. Four bytes each, so a letter is copied with one fixed-size copy.
struct NameLetter {
  uint8_t title_size = 0;
  uint8_t lower_size = 0;
  char title[4] = {};
  char lower[4] = {};
};

void EncodeUtf8(UChar32 c, char bytes[4], uint8_t* size) {
  int32_t n = 0;
  U8_APPEND_UNSAFE(reinterpret_cast<uint8_t*>(bytes), n, c);
  *size = static_cast<uint8_t>(n);
}

// NameLetter of every code point LatinTable covers, derived from its
// entries, so the two cannot disagree.
class NameLetterTable {
 public:
  NameLetterTable() {
    const LatinTable& latin = Latin();
    for (int i = 0; i < kSize; ++i) {
      UChar32 c = i < kLowEnd ? i : 0x1E00 + (i - kLowEnd);
      const LatinInfo* info = latin.Find(c);
      if (info != nullptr && info->nfc_inert &&
          info->title == LatinInfo::Title::kLetter) {
        EncodeUtf8(info->upper_title, letters_[i].title,
                   &letters_[i].title_size);
        EncodeUtf8(info->lower, letters_[i].lower, &letters_[i].lower_size);
      }
    }
  }

  const NameLetter& Ascii(uint8_t c) const { return letters_[c]; }

  // The entry of `c`; one with size 0 outside the covered ranges.
  const NameLetter& Find(UChar32 c) const {
    if (c >= 0 && c < kLowEnd) {
      return letters_[c];
    }
    if (c >= 0x1E00 && c < 0x1F00) {
      return letters_[kLowEnd + (c - 0x1E00)];
    }
    return none_;
  }

 private:
  static constexpr int kLowEnd = 0x0370;
  static constexpr int kSize = kLowEnd + 0x100;
  NameLetter letters_[kSize];
  NameLetter none_;
};

const NameLetterTable& NameLetters() {
  static const NameLetterTable* table = new NameLetterTable();
  return *table;
}

}  // namespace

// One pass where the three general functions take three: the text must be
// ASCII white space and NFC-inert Latin letters, so NFC leaves it as it is,
// collapsing only concerns ASCII white space, and title casing is
// TitleLatinTo's letter by letter. ASCII letters, most of a name, case to
// one byte. White space writes one space after a letter at once (the last
// is dropped at the end). A letter is at least one byte and writes at most
// three, a space needs at least one white-space byte, and the fixed
// four-byte copy may run one byte past: 3 * size + 1 bytes are enough.
bool TitleCaseNameTo(std::string_view text, std::string* out) {
  const NameLetterTable& table = NameLetters();
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t length = text.size();
  out->resize(3 * length + 1);
  char* const begin = out->data();
  char* at = begin;
  bool word_start = true;
  for (size_t i = 0; i < length;) {
    const uint8_t byte = s[i];
    if (byte < 0x80) {
      ++i;
      const NameLetter& letter = table.Ascii(byte);
      if (letter.title_size != 0) {
        *at++ = word_start ? letter.title[0] : letter.lower[0];
        word_start = false;
        continue;
      }
      if (!IsAsciiSpace(byte)) {
        return false;
      }
      if (at != begin && at[-1] != ' ') {
        *at++ = ' ';
      }
      word_start = true;
      continue;
    }
    const NameLetter& letter = table.Find(DecodeLatin(s, length, &i));
    if (letter.title_size == 0) {
      return false;
    }
    std::memcpy(at, word_start ? letter.title : letter.lower, 4);
    at += word_start ? letter.title_size : letter.lower_size;
    word_start = false;
  }
  if (at != begin && at[-1] == ' ') {
    --at;
  }
  out->resize(at - begin);
  return true;
}

// UTF-8 to UTF-8 without Nfc's UTF-16 round trip; for well-formed input
// the two give the same text.
bool NfcTo(std::string_view text, std::string* out) {
  if (!IsValidUtf8(text)) {
    return false;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    return false;
  }
  out->clear();
  icu::StringByteSink<std::string> sink(out);
  nfc->normalizeUTF8(
      0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink,
      nullptr, status);
  return U_SUCCESS(status);
}

}  // namespace leadclean
