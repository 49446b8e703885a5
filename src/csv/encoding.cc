// Encoding detection and conversion to UTF-8. ICU converts UTF-16 and the
// Windows code pages; TCVN3 and VNI, which ICU lacks, have small decoders of
// their own here. Every decoder is a ByteSource decorator, so the reader
// parses UTF-8 only; the decoders keep partial characters between calls, so
// any read size gives the same output.
//
// Detection ("auto"): a UTF-16 BOM wins; else the first kDetectBytes are
// checked as UTF-8. Valid UTF-8 (or pure ASCII) passes through untouched.
// So does input where valid multi-byte UTF-8 sequences outnumber the invalid
// bytes (a UTF-8 file with a few damaged cells, which are flagged
// invalid_utf8), and input with more than 1 % NUL bytes (not 8-bit text).
// Otherwise the sample is decoded as windows-1258, windows-1252, TCVN3 and
// VNI and each decoding is scored word by word (see ScoreDecoding).
#include "csv/encoding.h"

#include <strings.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "csv/encoding_tables.h"

namespace leadclean {
namespace {

bool IsAuto(const std::string& requested) {
  return requested.empty() || strcasecmp(requested.c_str(), "auto") == 0;
}

bool EqualsAny(const std::string& name,
               std::initializer_list<const char*> names) {
  for (const char* candidate : names) {
    if (strcasecmp(name.c_str(), candidate) == 0) {
      return true;
    }
  }
  return false;
}

enum class Builtin { kNone, kTcvn3, kVni };

Builtin BuiltinOf(const std::string& name) {
  if (EqualsAny(name, {"TCVN3", "TCVN", "ABC", "VN3", "TCVN-3"})) {
    return Builtin::kTcvn3;
  }
  if (EqualsAny(name, {"VNI", "VNI-Windows", "VNI_Windows"})) {
    return Builtin::kVni;
  }
  return Builtin::kNone;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

char16_t Cp1252(uint8_t byte) {
  if (byte >= 0x80 && byte < 0xA0) {
    return kCp1252C1[byte - 0x80];
  }
  return byte;
}

// Length of the valid UTF-8 sequence at p (1-4), 0 when invalid, -1 when
// it is cut by `end` but valid so far.
int Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  if (c < 0x80) {
    return 1;
  }
  int length;
  unsigned char low = 0x80, high = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    low = c == 0xE0 ? 0xA0 : 0x80;
    high = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    low = c == 0xF0 ? 0x90 : 0x80;
    high = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  for (int i = 1; i < length; ++i) {
    if (p + i >= end) {
      return -1;
    }
    const unsigned char next = p[i];
    if (next < (i == 1 ? low : 0x80) || next > (i == 1 ? high : 0xBF)) {
      return 0;
    }
  }
  return length;
}

bool IsValidUtf8Text(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const int length = Utf8SequenceLength(p, end);
    if (length <= 0) {
      return false;
    }
    p += length;
  }
  return true;
}

// ---- VNI-Windows ----------------------------------------------------------
// A VNI letter is a base letter followed by a modifier byte that the VNI
// fonts draw as a tone mark, a circumflex or breve, or both; a few letters
// (ơ ư đ and the i/y forms) have one byte of their own. Seen through
// windows-1252 the bytes read "Nguyeãn Vaên An".

enum Shape { kPlain, kCircumflex, kBreve };
enum Tone { kNoTone, kAcute, kGrave, kHook, kTilde, kDot };

struct VniModifier {
  uint8_t byte;  // lowercase form; the uppercase form is byte - 0x20
  Shape shape;
  Tone tone;
};

constexpr VniModifier kVniModifiers[] = {
    {0xF9, kPlain, kAcute},      {0xF8, kPlain, kGrave},
    {0xFB, kPlain, kHook},       {0xF5, kPlain, kTilde},
    {0xEF, kPlain, kDot},        {0xE2, kCircumflex, kNoTone},
    {0xE1, kCircumflex, kAcute}, {0xE0, kCircumflex, kGrave},
    {0xE5, kCircumflex, kHook},  {0xE3, kCircumflex, kTilde},
    {0xE4, kCircumflex, kDot},   {0xEA, kBreve, kNoTone},
    {0xE9, kBreve, kAcute},      {0xE8, kBreve, kGrave},
    {0xFA, kBreve, kHook},       {0xFC, kBreve, kTilde},
    {0xEB, kBreve, kDot},
};

// Letters of their own (lowercase byte, letter); uppercase is byte - 0x20.
constexpr std::pair<uint8_t, char16_t> kVniLetters[] = {
    {0xF4, u'ơ'}, {0xF6, u'ư'}, {0xF1, u'đ'}, {0xE6, u'ỉ'},
    {0xF3, u'ĩ'}, {0xF2, u'ị'}, {0xEE, u'ỵ'},
};

class VniTable {
 public:
  static const VniTable& Get() {
    static const VniTable table;
    return table;
  }
  // UTF-8 of base byte `base` with modifier byte `modifier`, or nullptr.
  const std::string* Compose(uint8_t base, uint8_t modifier) const {
    auto it = pairs_.find(static_cast<uint16_t>(base << 8 | modifier));
    return it == pairs_.end() ? nullptr : &it->second;
  }
  bool IsBase(uint8_t byte) const { return is_base_[byte]; }
  const std::string& Single(uint8_t byte) const { return single_[byte]; }

 private:
  VniTable() {
    for (int b = 0; b < 256; ++b) {
      std::string utf8;
      AppendUtf8(Cp1252(static_cast<uint8_t>(b)), &utf8);
      single_[b] = utf8;
    }
    for (auto [byte, letter] : kVniLetters) {
      single_[byte].clear();
      AppendUtf8(letter, &single_[byte]);
      single_[byte - 0x20].clear();
      AppendUtf8(u_toupper(letter), &single_[byte - 0x20]);
    }
    // base byte, base letter, which shapes it takes
    struct Base {
      uint8_t byte;
      char16_t letter;
      bool circumflex, breve;
    };
    const Base bases[] = {{'a', u'a', true, true}, {'e', u'e', true, false},
                          {'o', u'o', true, false}, {'u', u'u', false, false},
                          {'y', u'y', false, false}, {0xF4, u'ơ', false, false},
                          {0xF6, u'ư', false, false}};
    const char16_t tone_marks[] = {0, 0x0301, 0x0300, 0x0309, 0x0303, 0x0323};
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    for (const Base& base : bases) {
      for (const VniModifier& m : kVniModifiers) {
        if ((m.shape == kCircumflex && !base.circumflex) ||
            (m.shape == kBreve && !base.breve)) {
          continue;
        }
        for (bool upper : {false, true}) {
          icu::UnicodeString text(static_cast<UChar32>(
              upper ? u_toupper(base.letter) : base.letter));
          if (m.shape != kPlain) {
            text.append(static_cast<UChar>(m.shape == kCircumflex ? 0x0302
                                                                  : 0x0306));
          }
          if (m.tone != kNoTone) {
            text.append(static_cast<UChar>(tone_marks[m.tone]));
          }
          std::string utf8;
          if (nfc != nullptr && U_SUCCESS(status)) {
            nfc->normalize(text, status).toUTF8String(utf8);
          }
          const uint8_t base_byte =
              upper ? static_cast<uint8_t>(base.byte - 0x20) : base.byte;
          is_base_[base_byte] = true;
          // Either case of modifier after either case of base.
          for (uint8_t mod : {m.byte, static_cast<uint8_t>(m.byte - 0x20)}) {
            pairs_[static_cast<uint16_t>(base_byte << 8 | mod)] = utf8;
          }
        }
      }
    }
  }

  std::unordered_map<uint16_t, std::string> pairs_;
  std::array<bool, 256> is_base_{};
  std::array<std::string, 256> single_;
};

// Decodes TCVN3 or VNI to UTF-8, chunk by chunk. VNI holds back a trailing
// base letter until the next chunk shows whether a modifier follows.
class BuiltinDecoder {
 public:
  explicit BuiltinDecoder(Builtin kind) : kind_(kind) {}

  void Decode(std::string_view bytes, bool eof, std::string* out) {
    if (kind_ == Builtin::kTcvn3) {
      for (char c : bytes) {
        const auto b = static_cast<uint8_t>(c);
        if (b < 0x80) {
          out->push_back(c);
        } else {
          AppendUtf8(kTcvn3High[b - 0x80], out);
        }
      }
      return;
    }
    std::string joined;
    if (!carry_.empty()) {
      joined = carry_ + std::string(bytes);
      carry_.clear();
      bytes = joined;
    }
    const VniTable& table = VniTable::Get();
    for (size_t i = 0; i < bytes.size(); ++i) {
      const auto b = static_cast<uint8_t>(bytes[i]);
      if (b < 0x80 && !table.IsBase(b)) {
        out->push_back(bytes[i]);
        continue;
      }
      if (table.IsBase(b)) {
        if (i + 1 == bytes.size() && !eof) {
          carry_.assign(1, bytes[i]);
          return;
        }
        if (i + 1 < bytes.size()) {
          const std::string* pair =
              table.Compose(b, static_cast<uint8_t>(bytes[i + 1]));
          if (pair != nullptr) {
            out->append(*pair);
            ++i;
            continue;
          }
        }
      }
      out->append(table.Single(b));
    }
  }

 private:
  Builtin kind_;
  std::string carry_;
};

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr OpenConverter(const std::string& name) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name.c_str(), &status));
  if (U_FAILURE(status)) {
    return nullptr;
  }
  return converter;
}

class IcuUtf8Source : public ByteSource {
 public:
  IcuUtf8Source(const std::string& encoding, std::string head,
                std::unique_ptr<ByteSource> inner, size_t read_size)
      : inner_(std::move(inner)),
        from_(OpenConverter(encoding)),
        to_utf8_(OpenConverter("UTF-8")),
        in_(std::move(head)),
        read_size_(std::max<size_t>(read_size, 1)),
        out_(kOutBytes) {
    if (from_ == nullptr || to_utf8_ == nullptr) {
      error_ = "cannot open ICU converter for " + encoding;
    }
  }

  long Read(char* buf, size_t n) override {
    while (out_pos_ == out_end_) {
      if (!error_.empty()) {
        return -1;
      }
      if (finished_) {
        return 0;
      }
      ConvertMore();
    }
    const size_t count = std::min(n, out_end_ - out_pos_);
    std::memcpy(buf, out_.data() + out_pos_, count);
    out_pos_ += count;
    return static_cast<long>(count);
  }

  uint64_t source_bytes() const override { return inner_->source_bytes(); }

 private:
  static constexpr size_t kOutBytes = 64 * 1024;
  static constexpr size_t kPivotUnits = 1024;

  // Reads the next input block once the current one is used up.
  void ReadInnerIfEmpty() {
    if (in_pos_ < in_.size() || in_eof_) {
      return;
    }
    in_.resize(read_size_);
    const long count = inner_->Read(in_.data(), read_size_);
    in_.resize(count > 0 ? static_cast<size_t>(count) : 0);
    in_pos_ = 0;
    in_eof_ = count == 0;
    if (count < 0) {
      error_ = inner_->error().empty() ? "read error" : inner_->error();
    }
  }

  // Converts what input there is into out_, flushing at end of input.
  void ConvertMore() {
    ReadInnerIfEmpty();
    if (!error_.empty()) {
      return;
    }
    const char* source = in_.data() + in_pos_;
    char* target = out_.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(to_utf8_.get(), from_.get(), &target,
                   out_.data() + out_.size(), &source, in_.data() + in_.size(),
                   pivot_, &pivot_source_, &pivot_target_, pivot_ + kPivotUnits,
                   reset_, in_eof_, &status);
    reset_ = false;
    in_pos_ = source - in_.data();
    out_pos_ = 0;
    out_end_ = target - out_.data();
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      return;
    }
    if (U_FAILURE(status)) {
      error_ =
          std::string("encoding conversion failed: ") + u_errorName(status);
    } else if (in_eof_) {
      finished_ = true;
    }
  }

  std::unique_ptr<ByteSource> inner_;
  ConverterPtr from_;
  ConverterPtr to_utf8_;
  std::string in_;
  size_t in_pos_ = 0;
  bool in_eof_ = false;
  size_t read_size_;
  std::vector<char> out_;
  size_t out_pos_ = 0;
  size_t out_end_ = 0;
  UChar pivot_[kPivotUnits];
  UChar* pivot_source_ = pivot_;
  UChar* pivot_target_ = pivot_;
  bool reset_ = true;
  bool finished_ = false;
};

// TCVN3 and VNI through BuiltinDecoder.
class BuiltinUtf8Source : public ByteSource {
 public:
  BuiltinUtf8Source(Builtin kind, std::string head,
                    std::unique_ptr<ByteSource> inner, size_t read_size)
      : inner_(std::move(inner)),
        decoder_(kind),
        head_(std::move(head)),
        read_size_(std::max<size_t>(read_size, 1)) {}

  long Read(char* buf, size_t n) override {
    while (out_pos_ == out_.size()) {
      if (!error_.empty()) {
        return -1;
      }
      if (finished_) {
        return 0;
      }
      DecodeMore();
    }
    const size_t count = std::min(n, out_.size() - out_pos_);
    std::memcpy(buf, out_.data() + out_pos_, count);
    out_pos_ += count;
    return static_cast<long>(count);
  }

  uint64_t source_bytes() const override { return inner_->source_bytes(); }

 private:
  void DecodeMore() {
    out_.clear();
    out_pos_ = 0;
    if (!head_.empty()) {
      decoder_.Decode(head_, false, &out_);
      head_.clear();
      head_.shrink_to_fit();
      return;
    }
    in_.resize(read_size_);
    const long count = inner_->Read(in_.data(), read_size_);
    if (count < 0) {
      error_ = inner_->error().empty() ? "read error" : inner_->error();
      return;
    }
    finished_ = count == 0;
    decoder_.Decode(std::string_view(in_.data(), count), finished_, &out_);
  }

  std::unique_ptr<ByteSource> inner_;
  BuiltinDecoder decoder_;
  std::string head_;
  size_t read_size_;
  std::string in_;
  std::string out_;
  size_t out_pos_ = 0;
  bool finished_ = false;
};

// ---- Scoring legacy decodings ----------------------------------------------
// Each decoding of the sample is cut into words (runs of letters and
// non-ASCII characters between ASCII non-letters). Non-letters at either end
// of a word are punctuation around it and score on their own: +1 for
// typographic punctuation (U+2010-U+2027: dashes, quotes, bullet, ellipsis;
// the euro and trade mark signs), -2 for U+FFFD or a control character,
// nothing for other symbols. What is left of the word is skipped when it is
// all ASCII (it reads the same in every candidate), else it scores:
//   +2  a well-formed Vietnamese syllable: only Vietnamese letters, at most
//       one tone mark, shaped (initial consonant) + 1-3 vowels + (final
//       consonant among c ch m n ng nh p t);
//   +1  a plausible Western word: ASCII and Latin-1 letters (or Œ Š Ž Ÿ),
//       no capital after a small letter;
//   -1  anything else (symbols inside a word like "V¨n", "NguyÔn");
//   -2  a word holding U+FFFD or a control character.
// The candidate with the best mean wins; ties go to windows-1258 when the
// sample holds a Vietnamese word, else windows-1252, then TCVN3, then VNI.
// Confidence = share of positive words, times min(1, words / 20).
//
// TCVN3 is scored as ABC (TCVN 5712 VN3) writes it: only the bytes ABC uses
// (see Tcvn3AbcByte) count as letters, the VN1 capitals and combining marks
// in the bytes ABC leaves free score as U+FFFD. Otherwise windows-1252
// punctuation (0x80-0x9F: “ ” –) reads as VN1 capitals like "Ọ", which pass
// for one-letter Vietnamese words. The file is still decoded with the whole
// table.
//
// Minimum evidence: a decoding is only used when at least one of its
// positive words also holds an ASCII letter ("José", "NguyÔn" as TCVN3,
// "“hi”"). Runs made only of non-ASCII bytes ("ÿþ" in an otherwise ASCII
// file: a stray BOM, binary, damage) say nothing about the text around
// them; such input passes through as UTF-8 with its rows flagged
// invalid_utf8, like input no decoding reads as text.

struct Score {
  double mean = 0;
  size_t words = 0;
  size_t good = 0;
  size_t vietnamese = 0;
  size_t anchored = 0;  // positive words that also hold an ASCII letter
};

// One letter of a syllable: its base and marks, from NFD.
bool VietnameseSyllable(const icu::UnicodeString& word) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (nfd == nullptr || U_FAILURE(status)) {
    return false;
  }
  icu::UnicodeString lower(word);
  lower.toLower();
  const icu::UnicodeString d = nfd->normalize(lower, status);
  if (U_FAILURE(status)) {
    return false;
  }
  // Letters as codes: vowels a A(ă) B(â) e E(ê) i o O(ô) P(ơ) u U(ư) y;
  // consonants as themselves, D = đ.
  std::string codes;
  int tones = 0;
  for (int32_t i = 0; i < d.length(); ++i) {
    const char16_t c = d.charAt(i);
    switch (c) {
      case 0x0300: case 0x0301: case 0x0303: case 0x0309: case 0x0323:
        if (codes.empty() || ++tones > 1) {
          return false;
        }
        continue;
      case 0x0302:  // circumflex
        if (codes.empty()) return false;
        if (codes.back() == 'a') codes.back() = 'B';
        else if (codes.back() == 'e') codes.back() = 'E';
        else if (codes.back() == 'o') codes.back() = 'O';
        else return false;
        continue;
      case 0x0306:  // breve
        if (codes.empty() || codes.back() != 'a') return false;
        codes.back() = 'A';
        continue;
      case 0x031B:  // horn
        if (codes.empty()) return false;
        if (codes.back() == 'o') codes.back() = 'P';
        else if (codes.back() == 'u') codes.back() = 'U';
        else return false;
        continue;
      case 0x0111:
        codes.push_back('D');
        continue;
      default:
        break;
    }
    if (c >= 'a' && c <= 'z' && c != 'f' && c != 'j' && c != 'w' &&
        c != 'z') {
      codes.push_back(static_cast<char>(c));
    } else {
      return false;
    }
  }
  static constexpr std::string_view kInitials[] = {
      "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
      "b",   "c",  "d",  "D",  "g",  "h",  "k",  "l",  "m",  "n",  "p",
      "r",   "s",  "t",  "v",  "x",  ""};
  static constexpr std::string_view kFinals[] = {"ng", "nh", "ch", "c", "m",
                                                 "n",  "p",  "t",  ""};
  static constexpr std::string_view kVowels = "aABeEioOPuUy";
  const std::string_view all(codes);
  for (std::string_view initial : kInitials) {
    if (all.substr(0, initial.size()) != initial) {
      continue;
    }
    std::string_view rest = all.substr(initial.size());
    size_t vowels = 0;
    while (vowels < rest.size() &&
           kVowels.find(rest[vowels]) != std::string_view::npos) {
      ++vowels;
    }
    if (vowels == 0 || vowels > 3) {
      continue;
    }
    const std::string_view final_part = rest.substr(vowels);
    for (std::string_view f : kFinals) {
      if (final_part == f) {
        return true;
      }
    }
  }
  return false;
}

bool WesternLetter(UChar32 c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
    return true;
  }
  if (c >= 0xC0 && c <= 0xFF) {
    return c != 0xD7 && c != 0xF7;
  }
  return c == 0x152 || c == 0x153 || c == 0x160 || c == 0x161 ||
         c == 0x178 || c == 0x17D || c == 0x17E;
}

int ScoreWord(const icu::UnicodeString& word) {
  bool western = true;
  bool seen_lower = false;
  for (int32_t i = 0; i < word.length();) {
    const UChar32 c = word.char32At(i);
    i += U16_LENGTH(c);
    if (c == 0xFFFD || u_iscntrl(c)) {
      return -2;
    }
    if (!u_isalpha(c) && u_charType(c) != U_NON_SPACING_MARK) {
      return -1;
    }
    if (u_isupper(c) && seen_lower) {
      return -1;
    }
    seen_lower = seen_lower || u_islower(c);
    western = western && WesternLetter(c);
  }
  if (VietnameseSyllable(word)) {
    return 2;
  }
  return western ? 1 : -1;
}

bool WordChar(UChar32 c) {
  return u_isalpha(c) || u_charType(c) == U_NON_SPACING_MARK;
}

// Points of a non-letter at either end of a word; 0 = not scored.
int EdgePoints(UChar32 c) {
  if (c == 0xFFFD || u_iscntrl(c)) {
    return -2;
  }
  if ((c >= 0x2010 && c <= 0x2027) || c == 0x20AC || c == 0x2122) {
    return 1;
  }
  return 0;
}

Score ScoreDecoding(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (nfc != nullptr && U_SUCCESS(status)) {
    text = nfc->normalize(text, status);
  }
  Score score;
  long sum = 0;
  icu::UnicodeString word;
  bool non_ascii = false;
  bool ascii_letter_in_word = false;
  auto end_word = [&] {
    bool positive = false;
    auto add = [&](int points) {
      sum += points;
      ++score.words;
      score.good += points > 0;
      score.vietnamese += points == 2;
      positive = positive || points > 0;
    };
    if (non_ascii) {
      int32_t begin = 0, end = word.length();
      while (begin < end && !WordChar(word.char32At(begin))) {
        const UChar32 c = word.char32At(begin);
        if (const int points = EdgePoints(c); points != 0) {
          add(points);
        }
        begin += U16_LENGTH(c);
      }
      while (end > begin) {
        const int32_t last = word.moveIndex32(end, -1);
        const UChar32 c = word.char32At(last);
        if (WordChar(c)) {
          break;
        }
        if (const int points = EdgePoints(c); points != 0) {
          add(points);
        }
        end = last;
      }
      const icu::UnicodeString core = word.tempSubStringBetween(begin, end);
      bool core_non_ascii = false;
      for (int32_t i = 0; i < core.length() && !core_non_ascii; ++i) {
        core_non_ascii = core.charAt(i) >= 0x80;
      }
      if (core_non_ascii) {
        add(ScoreWord(core));
      }
      score.anchored += positive && ascii_letter_in_word;
    }
    word.remove();
    non_ascii = false;
    ascii_letter_in_word = false;
  };
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    const bool ascii_letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c < 0x80 && !ascii_letter) {
      end_word();
      continue;
    }
    if (c == 0xA0) {  // no-break space separates words too
      end_word();
      continue;
    }
    word.append(c);
    non_ascii = non_ascii || c >= 0x80;
    ascii_letter_in_word = ascii_letter_in_word || ascii_letter;
  }
  end_word();
  if (score.words > 0) {
    score.mean = static_cast<double>(sum) / static_cast<double>(score.words);
  }
  return score;
}

}  // namespace

bool IsAutoEncoding(const std::string& requested) { return IsAuto(requested); }

bool DecodeToUtf8(const std::string& encoding, std::string_view bytes,
                  std::string* out) {
  out->clear();
  const Builtin builtin = BuiltinOf(encoding);
  if (builtin != Builtin::kNone) {
    BuiltinDecoder decoder(builtin);
    decoder.Decode(bytes, true, out);
    return true;
  }
  ConverterPtr converter = OpenConverter(encoding);
  if (converter == nullptr) {
    return false;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString text(bytes.data(), static_cast<int32_t>(bytes.size()),
                          converter.get(), status);
  if (U_FAILURE(status)) {
    return false;
  }
  text.toUTF8String(*out);
  return true;
}

namespace {

// Bytes TCVN3 files written by ABC (TCVN 5712 VN3) use: ASCII, NBSP, the
// seven capitals with their own code (0xA1-0xA7) and the lowercase letters.
// The other bytes of kTcvn3High are VN1 capitals and combining marks.
bool Tcvn3AbcByte(uint8_t b) {
  if (b < 0x80) {
    return true;
  }
  return (b >= 0xA0 && b <= 0xA7) || u_islower(kTcvn3High[b - 0x80]);
}

// TCVN3 for scoring: bytes outside ABC's set as U+FFFD.
void DecodeTcvn3AbcForScoring(std::string_view bytes, std::string* out) {
  out->clear();
  for (char c : bytes) {
    const auto b = static_cast<uint8_t>(c);
    if (b < 0x80) {
      out->push_back(c);
    } else {
      AppendUtf8(Tcvn3AbcByte(b) ? kTcvn3High[b - 0x80] : 0xFFFD, out);
    }
  }
}

}  // namespace

bool DetectLegacyEncoding(std::string_view sample, EncodingChoice* choice) {
  static const char* const kCandidates[] = {"windows-1258", "windows-1252",
                                            "TCVN3", "VNI"};
  std::array<Score, 4> scores;
  std::string decoded;
  bool any_vietnamese = false;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (BuiltinOf(kCandidates[i]) == Builtin::kTcvn3) {
      DecodeTcvn3AbcForScoring(sample, &decoded);
      scores[i] = ScoreDecoding(decoded);
      any_vietnamese = any_vietnamese || scores[i].vietnamese > 0;
    } else if (DecodeToUtf8(kCandidates[i], sample, &decoded)) {
      scores[i] = ScoreDecoding(decoded);
      any_vietnamese = any_vietnamese || scores[i].vietnamese > 0;
    } else {
      scores[i].mean = -3;
    }
  }
  // Tie order: see the comment above ScoreDecoding.
  std::array<size_t, 4> order = {0, 1, 2, 3};
  if (!any_vietnamese) {
    std::swap(order[0], order[1]);
  }
  size_t best = order[0];
  size_t second = order[1];
  if (scores[second].mean > scores[best].mean) {
    std::swap(best, second);
  }
  for (size_t k = 2; k < order.size(); ++k) {
    const size_t i = order[k];
    if (scores[i].mean > scores[best].mean) {
      second = best;
      best = i;
    } else if (scores[i].mean > scores[second].mean) {
      second = i;
    }
  }
  const Score& s = scores[best];
  choice->name = kCandidates[best];
  choice->runner_up = kCandidates[second];
  choice->confidence =
      s.words == 0 ? 0.0
                   : static_cast<double>(s.good) / static_cast<double>(s.words) *
                         std::min(1.0, static_cast<double>(s.words) / 20.0);
  choice->confidence = std::round(choice->confidence * 100.0) / 100.0;
  return s.mean > 0 && s.anchored > 0;
}

bool ResolveEncoding(const std::string& requested, std::string_view head,
                     bool complete, EncodingChoice* choice,
                     std::string* error) {
  *choice = EncodingChoice{};
  if (!IsAuto(requested)) {
    choice->method = "option";
    const Builtin builtin = BuiltinOf(requested);
    if (builtin != Builtin::kNone) {
      choice->name = builtin == Builtin::kTcvn3 ? "TCVN3" : "VNI";
      choice->convert = true;
      return true;
    }
    ConverterPtr converter = OpenConverter(requested);
    if (converter == nullptr) {
      *error = "unknown encoding \"" + requested + "\"";
      return false;
    }
    choice->name = requested;
    choice->convert = ucnv_getType(converter.get()) != UCNV_UTF8;
    return true;
  }
  if (head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 2) == "\xFE\xFF") {
    choice->name = head[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
    choice->convert = true;
    choice->method = "bom";
    return true;
  }
  if (head.substr(0, 3) == "\xEF\xBB\xBF") {
    choice->method = "bom";
    return true;
  }
  const bool cut = !complete || head.size() > kDetectBytes;
  head = head.substr(0, kDetectBytes);
  const auto* p = reinterpret_cast<const unsigned char*>(head.data());
  const auto* end = p + head.size();
  size_t multibyte = 0, invalid = 0, nul = 0;
  while (p < end) {
    const int length = Utf8SequenceLength(p, end);
    if (length < 0 && cut) {
      break;  // a character cut by the end of the sample
    }
    if (length <= 0) {
      ++invalid;
      ++p;
      continue;
    }
    multibyte += length > 1;
    nul += *p == 0;
    p += length;
  }
  if (invalid == 0) {
    choice->method = multibyte == 0 ? "ascii" : "utf-8";
    return true;
  }
  if (multibyte >= invalid || nul * 100 > head.size()) {
    choice->method = multibyte >= invalid ? "mostly-utf-8" : "unrecognised";
    choice->confidence =
        std::round(100.0 * static_cast<double>(multibyte) /
                   static_cast<double>(multibyte + invalid)) /
        100.0;
    return true;
  }
  EncodingChoice legacy;
  if (!DetectLegacyEncoding(head, &legacy)) {
    choice->method = "unrecognised";
    choice->confidence = 0;
    return true;
  }
  legacy.convert = true;
  legacy.method = "scored";
  *choice = legacy;
  return true;
}

std::unique_ptr<ByteSource> Utf8DecodingSource(
    const std::string& encoding, std::string head,
    std::unique_ptr<ByteSource> inner, size_t read_size) {
  const Builtin builtin = BuiltinOf(encoding);
  if (builtin != Builtin::kNone) {
    return std::make_unique<BuiltinUtf8Source>(builtin, std::move(head),
                                               std::move(inner), read_size);
  }
  return std::make_unique<IcuUtf8Source>(encoding, std::move(head),
                                         std::move(inner), read_size);
}

// ---- Mojibake ---------------------------------------------------------------

namespace {

// windows-1252 byte of code point `c`, or -1.
int Cp1252Byte(char32_t c) {
  if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
    return static_cast<int>(c);
  }
  for (int i = 0; i < 32; ++i) {
    if (kCp1252C1[i] == c) {
      return 0x80 + i;
    }
  }
  return -1;
}

// One round: the windows-1252 bytes of `cell` when they are valid UTF-8
// with a non-ASCII character.
bool UndoOnce(std::string_view cell, std::string* out) {
  out->clear();
  bool high = false;
  const auto* p = reinterpret_cast<const unsigned char*>(cell.data());
  const auto* end = p + cell.size();
  while (p < end) {
    const int length = Utf8SequenceLength(p, end);
    if (length <= 0) {
      return false;
    }
    char32_t c = length == 1 ? p[0] : p[0] & (0x7F >> length);
    for (int i = 1; i < length; ++i) {
      c = (c << 6) | (p[i] & 0x3F);
    }
    const int byte = Cp1252Byte(c);
    if (byte < 0) {
      return false;
    }
    high = high || byte >= 0x80;
    out->push_back(static_cast<char>(byte));
    p += length;
  }
  return high && IsValidUtf8Text(*out);
}

}  // namespace

bool RepairMojibake(std::string_view cell, std::string* repaired) {
  if (!MayHoldMojibake(cell)) {
    return false;
  }
  std::string current(cell), next;
  bool any = false;
  for (int round = 0; round < 3 && MayHoldMojibake(current) &&
                      UndoOnce(current, &next);
       ++round) {
    current.swap(next);
    any = true;
  }
  if (any) {
    *repaired = std::move(current);
  }
  return any;
}

size_t FindMojibakeCells(std::span<std::string_view> fields, bool fix,
                         std::vector<std::string>* storage) {
  size_t count = 0;
  if (fix && storage->size() < fields.size()) {
    storage->resize(fields.size());
  }
  std::string repaired;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (!RepairMojibake(fields[i], &repaired)) {
      continue;
    }
    ++count;
    if (fix) {
      (*storage)[i] = std::move(repaired);
      fields[i] = (*storage)[i];
    }
  }
  return count;
}

void RepairMojibakeNames(std::vector<std::string>* names) {
  std::string repaired;
  for (std::string& name : *names) {
    if (RepairMojibake(name, &repaired)) {
      name = repaired;
    }
  }
}

}  // namespace leadclean
