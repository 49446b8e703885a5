// Cleaning one phone cell before anything is parsed: Unicode noise, Excel
// and export damage, labels and trailing words, the pieces that may hold
// one or several numbers. Pure text work; no phone metadata is used here.
// Covered by tests/stages/phone_clean_test.cc.
#ifndef LEADCLEAN_STAGES_PHONE_CLEAN_H_
#define LEADCLEAN_STAGES_PHONE_CLEAN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadclean {

// What the cleaner did to a cell (bits).
enum PhoneCleanFlag : uint32_t {
  // A leading apostrophe, an ="..." wrapper, a trailing ".0" or scientific
  // notation that kept every digit.
  kCleanExcelRepaired = 1u << 0,
  // Scientific notation that lost digits ("8.49123E+10"); no run is
  // returned for it.
  kCleanExcelDamaged = 1u << 1,
  // Words before, between or after the numbers ("ĐT:", "(Zalo)", "ext 12").
  kCleanLabelStripped = 1u << 2,
};

// A stretch of a cell made of digits and the punctuation people write
// inside phone numbers. It holds one number, or several written without a
// word between them ("0912345678 / 0987654321", "0912345678-0987654321").
struct PhoneRun {
  // "+" when the run starts with a plus, then every digit of the run.
  std::string digits;
  // Offsets into the digits (not counting the '+') where punctuation stood
  // between two digits: the places the run may be cut into numbers.
  std::vector<size_t> breaks;
};

struct CleanedPhoneCell {
  std::vector<PhoneRun> runs;  // in the order written
  uint32_t flags = 0;          // PhoneCleanFlag bits
};

// Cleans `cell` (UTF-8; invalid bytes are treated as text). Never fails.
// Runs are separated by letters and by ';', '|', tabs, newlines, '&' and
// the words "hoặc", "hay", "or", "và", "and". Digits after an extension word
// ("ext", "x", "máy lẻ", "nhánh") are dropped.
CleanedPhoneCell CleanPhoneCell(std::string_view cell);
// The same over `*out`, reusing its storage (the stage's per-thread
// scratch).
void CleanPhoneCell(std::string_view cell, CleanedPhoneCell* out);

// Folds Unicode noise to ASCII: any decimal digit (fullwidth, Arabic-Indic)
// to '0'-'9', fullwidth ASCII to ASCII, every space separator to ' ',
// dashes and minus signs to '-', format characters (zero-width, soft hyphen,
// BOM) removed, letters lower-cased. Exposed for tests.
std::string FoldPhoneText(std::string_view cell);

// Expands Excel damage in an already folded, trimmed cell: a leading "'",
// "=\"...\"", a trailing ".0", "9.12345678e+8". Sets `*flags`. Returns ""
// with kCleanExcelDamaged when scientific notation lost digits. Exposed for
// tests.
std::string RepairExcel(std::string_view folded, uint32_t* flags);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_PHONE_CLEAN_H_
