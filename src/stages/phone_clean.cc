// Why the cleaner never calls libphonenumber: Parse() turns trailing letters
// into keypad digits ("0912 345 678 (Zalo)" -> +849123456789256), reads
// ".0" as a tenth digit and rejects scientific notation, so the text must be
// reduced to digits first. Whether a run of digits is one number or several
// needs validity, which the stage decides with PhoneRun::breaks.
#include "stages/phone_clean.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

#include "leadclean/text.h"

namespace leadclean {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AppendUtf8(UChar32 c, std::string* out) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, U8_MAX_LENGTH, c, error);
  if (!error) {
    out->append(buffer, length);
  }
}

// One code point of FoldPhoneText.
void FoldCodePoint(UChar32 c, std::string* out) {
  if (c < 0) {
    out->push_back('?');
  } else if (c >= 0xFF01 && c <= 0xFF5E) {
    FoldCodePoint(c - 0xFEE0, out);  // fullwidth ASCII
  } else if (c < 0x80) {
    bool control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
    bool upper = c >= 'A' && c <= 'Z';
    out->push_back(control ? ' ' : static_cast<char>(upper ? c + 32 : c));
  } else if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
    out->push_back(static_cast<char>('0' + u_charDigitValue(c)));
  } else if (u_charType(c) == U_SPACE_SEPARATOR) {
    out->push_back(' ');
  } else if (c == 0x2028 || c == 0x2029) {
    out->push_back('\n');
  } else if (u_charType(c) == U_DASH_PUNCTUATION || c == 0x2212) {
    out->push_back('-');
  } else if (u_charType(c) != U_FORMAT_CHAR) {
    AppendUtf8(u_tolower(c), out);
  }
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

size_t CountDigits(std::string_view text) {
  size_t count = 0;
  while (count < text.size() && IsDigit(text[count])) {
    ++count;
  }
  return count;
}

// "912345678.0", "+84912345678.00": the digits, or "" when not that shape.
std::string_view StripFloatZero(std::string_view text) {
  size_t sign = text.starts_with('+') ? 1 : 0;
  size_t digits = CountDigits(text.substr(sign));
  size_t dot = sign + digits;
  if (digits == 0 || dot + 1 >= text.size() || text[dot] != '.') {
    return {};
  }
  for (char c : text.substr(dot + 1)) {
    if (c != '0') {
      return {};
    }
  }
  return text.substr(0, dot);
}

// "9.12345678e+8" -> "912345678" with decimal string arithmetic. Returns
// false when `text` is not scientific notation; sets *lost when it is but
// the mantissa does not hold every digit of the integer.
bool ExpandScientific(std::string_view text, std::string* out, bool* lost) {
  std::string sign(text.starts_with('+') ? "+" : "");
  text.remove_prefix(sign.size());
  size_t whole = CountDigits(text);
  if (whole == 0) {
    return false;
  }
  std::string_view fraction;
  size_t at = whole;
  if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
    fraction = text.substr(at + 1, CountDigits(text.substr(at + 1)));
    at += 1 + fraction.size();
  }
  if (at >= text.size() || text[at] != 'e') {
    return false;
  }
  std::string_view exponent = text.substr(at + 1);
  if (exponent.starts_with('+')) {
    exponent.remove_prefix(1);
  }
  size_t exponent_digits = CountDigits(exponent);
  if (exponent_digits == 0 || exponent_digits != exponent.size() ||
      exponent_digits > 2) {
    return false;
  }
  size_t shift = std::stoul(std::string(exponent));
  *lost = fraction.size() != shift;
  if (!*lost) {
    *out = sign;
    out->append(text.substr(0, whole));
    out->append(fraction);
  }
  return true;
}

}  // namespace

namespace {

// FoldPhoneText over `*out`, reusing its storage.
void FoldPhoneTextTo(std::string_view cell, std::string* out) {
  // The printable ASCII start (all of most cells) in one copy.
  size_t ascii = 0;
  while (ascii < cell.size() && static_cast<unsigned char>(cell[ascii]) >= 0x20 &&
         static_cast<unsigned char>(cell[ascii]) < 0x80) {
    ++ascii;
  }
  out->assign(cell.data(), ascii);
  for (char& c : *out) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  const char* bytes = cell.data();
  const int32_t length = static_cast<int32_t>(cell.size());
  for (int32_t i = static_cast<int32_t>(ascii); i < length;) {
    auto byte = static_cast<unsigned char>(bytes[i]);
    if (byte >= 0x20 && byte < 0x80) {  // FoldCodePoint's ASCII case
      out->push_back(byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte + 32)
                                                : static_cast<char>(byte));
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    FoldCodePoint(c, out);
  }
}

// RepairExcel without copies: the result views `folded` or `*scratch`.
std::string_view RepairExcelIn(std::string_view folded, uint32_t* flags,
                               std::string* scratch) {
  std::string_view text = TrimSpaces(folded);
  bool repaired = false;
  if (text.size() >= 3 && text.starts_with("=\"") && text.ends_with('"')) {
    text = TrimSpaces(text.substr(2, text.size() - 3));
    repaired = true;
  } else if (text.starts_with('\'')) {
    text = TrimSpaces(text.substr(1));
    repaired = true;
  }
  std::string_view out = text;
  if (std::string_view digits = StripFloatZero(text); !digits.empty()) {
    out = digits;
    repaired = true;
  } else {
    bool lost = false;
    if (ExpandScientific(text, scratch, &lost)) {
      if (lost) {
        *flags |= kCleanExcelDamaged;
        return "";
      }
      out = *scratch;
      repaired = true;
    }
  }
  if (repaired) {
    *flags |= kCleanExcelRepaired;
  }
  return out;
}

}  // namespace

std::string FoldPhoneText(std::string_view cell) {
  std::string out;
  FoldPhoneTextTo(cell, &out);
  return out;
}

std::string RepairExcel(std::string_view folded, uint32_t* flags) {
  std::string scratch;
  return std::string(RepairExcelIn(folded, flags, &scratch));
}

namespace {

bool IsRunPunctuation(char c) {
  return c == ' ' || c == '.' || c == '-' || c == '/' || c == ',' || c == '(' ||
         c == ')' || c == '_';
}

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
}

// `key` is FoldKey of the word: "Hoặc" -> "hoac".
bool IsSplitWord(std::string_view key) {
  static constexpr std::array<std::string_view, 5> kWords = {"hoac", "hay",
                                                             "or", "va", "and"};
  return std::find(kWords.begin(), kWords.end(), key) != kWords.end();
}

// "ext 12", "x12", "máy lẻ 12", "nhánh 12". `word` is lower case; `key` its
// FoldKey. The Vietnamese words are compared with their marks: "Lê" is a
// surname and "nhanh" means "fast".
bool IsExtensionWord(std::string_view word, std::string_view key) {
  static constexpr std::array<std::string_view, 3> kKeys = {"ext", "extension",
                                                            "x"};
  return std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end() ||
         word == "l\xE1\xBA\xBB" || word == "nh\xC3\xA1nh";
}

// Splits folded, repaired text into runs.
class RunScanner {
 public:
  // Writes the runs over `out->runs`, reusing its strings; `run` is
  // scratch.
  RunScanner(std::string_view text, PhoneRun* run)
      : text_(text), run_(*run) {
    run_.digits.clear();
    run_.breaks.clear();
  }

  void Scan(CleanedPhoneCell* out) {
    runs_ = &out->runs;
    while (at_ < text_.size()) {
      char c = text_[at_];
      if (IsDigit(c)) {
        AddDigit(c);
      } else if (c == '+') {
        AddPlus();
      } else if (IsRunPunctuation(c)) {
        pending_break_ = !run_.digits.empty();
      } else if (c == '#') {
        const bool after_number = DigitCount() > 0 || used_ > 0;
        EndRun();
        ++at_;
        if (after_number) {
          SkipExtension();
        }
        continue;
      } else if (IsWordByte(c)) {
        Word();
        continue;
      } else {
        EndRun();  // ';', '|', '&', ':', quotes, newlines, other symbols
      }
      ++at_;
    }
    EndRun();
    out->runs.resize(used_);
    if (label_ && !out->runs.empty()) {
      out->flags |= kCleanLabelStripped;
    }
  }

 private:
  size_t DigitCount() const {
    return run_.digits.size() - (run_.digits.starts_with('+') ? 1 : 0);
  }

  void AddDigit(char c) {
    if (pending_break_ && DigitCount() > 0) {
      run_.breaks.push_back(DigitCount());
    }
    pending_break_ = false;
    run_.digits.push_back(c);
  }

  // A '+' opens a number. Glued to a digit ("84+912345678") it is a typo
  // inside one; after punctuation it starts the next number.
  void AddPlus() {
    if (DigitCount() > 0 && at_ > 0 && IsDigit(text_[at_ - 1])) {
      return;
    }
    EndRun();
    run_.digits = "+";
  }

  // Runs of one or two digits are list numbers and labels ("SĐT 1:").
  void EndRun() {
    size_t digits = DigitCount();
    if (digits >= 3) {
      if (used_ == runs_->size()) {
        runs_->emplace_back();
      }
      PhoneRun& kept = (*runs_)[used_++];
      kept.digits.assign(run_.digits);
      kept.breaks.assign(run_.breaks.begin(), run_.breaks.end());
    } else if (digits > 0) {
      label_ = true;
    }
    run_.digits.clear();
    run_.breaks.clear();
    pending_break_ = false;
  }

  void Word() {
    size_t end = at_;
    while (end < text_.size() && IsWordByte(text_[end])) {
      ++end;
    }
    std::string_view word = text_.substr(at_, end - at_);
    thread_local std::string key;
    FoldKeyTo(word, &key);
    const bool after_number = DigitCount() > 0 || used_ > 0;
    EndRun();
    at_ = end;
    if (IsSplitWord(key)) {
      return;
    }
    label_ = true;
    if (after_number && IsExtensionWord(word, key)) {
      SkipExtension();
    }
  }

  // Skips "[ .:#]* 123" after an extension marker.
  void SkipExtension() {
    label_ = true;
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '.' ||
                                  text_[at_] == ':' || text_[at_] == '#')) {
      ++at_;
    }
    while (at_ < text_.size() && IsDigit(text_[at_])) {
      ++at_;
    }
  }

  std::string_view text_;
  size_t at_ = 0;
  PhoneRun& run_;
  bool pending_break_ = false;
  bool label_ = false;
  std::vector<PhoneRun>* runs_ = nullptr;
  size_t used_ = 0;  // runs written
};

}  // namespace

namespace {

// "0912345678", "+84912345678": nothing to clean (most cells).
bool IsPlainNumber(std::string_view cell) {
  size_t sign = cell.starts_with('+') ? 1 : 0;
  size_t digits = cell.size() - sign;
  return digits >= 3 && digits <= 20 &&
         CountDigits(cell.substr(sign)) == digits;
}

}  // namespace

CleanedPhoneCell CleanPhoneCell(std::string_view cell) {
  CleanedPhoneCell out;
  CleanPhoneCell(cell, &out);
  return out;
}

void CleanPhoneCell(std::string_view cell, CleanedPhoneCell* out) {
  out->flags = 0;
  if (IsPlainNumber(cell)) {
    out->runs.resize(1);
    out->runs[0].digits.assign(cell);
    out->runs[0].breaks.clear();
    return;
  }
  thread_local std::string folded;
  thread_local std::string expanded;
  FoldPhoneTextTo(cell, &folded);
  std::string_view text = TrimSpaces(folded);
  if (text.starts_with("p:")) {  // Facebook Lead Ads export
    text.remove_prefix(2);
  }
  std::string_view repaired = RepairExcelIn(text, &out->flags, &expanded);
  thread_local PhoneRun run;
  RunScanner(repaired, &run).Scan(out);
}

}  // namespace leadclean
