// CSV writer. The quoting test runs on every output field, so it looks at
// sixteen bytes at a time (SSE2) rather than running several searches.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "leadclean/csv.h"

namespace leadclean {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

constexpr std::array<bool, 256> MakeAlwaysQuoted() {
  std::array<bool, 256> table{};
  table['"'] = true;
  table['\r'] = true;
  table['\n'] = true;
  return table;
}
constexpr std::array<bool, 256> kAlwaysQuoted = MakeAlwaysQuoted();

bool NeedsQuotes(std::string_view field, char delimiter) {
  if (field.empty()) {
    return false;
  }
  if (field.front() == ' ' || field.back() == ' ' ||
      field.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    return true;
  }
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time: any of the four bytes sets a bit of the mask.
  const __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r'),
                lf = _mm_set1_epi8('\n'), delim = _mm_set1_epi8(delimiter);
  for (; i + 16 <= field.size(); i += 16) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(field.data() + i));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, delim)));
    if (_mm_movemask_epi8(hits) != 0) {
      return true;
    }
  }
#else
  // Eight bytes at a time (SWAR): a byte equal to any of the four is found
  // by the has-zero-byte test on the word XOR each repeated byte.
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighs = 0x8080808080808080ull;
  auto has_byte = [](uint64_t word, uint64_t repeated) {
    uint64_t x = word ^ repeated;
    return (x - kOnes) & ~x & kHighs;
  };
  const uint64_t quote = kOnes * '"', cr = kOnes * '\r', lf = kOnes * '\n',
                 delim = kOnes * static_cast<uint8_t>(delimiter);
  for (; i + 8 <= field.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, field.data() + i, 8);
    if (has_byte(word, quote) | has_byte(word, cr) | has_byte(word, lf) |
        has_byte(word, delim)) {
      return true;
    }
  }
#endif
  for (; i < field.size(); ++i) {
    char c = field[i];
    if (kAlwaysQuoted[static_cast<uint8_t>(c)] || c == delimiter) {
      return true;
    }
  }
  return false;
}

// Writes `field` at `p`, quoted (quotes doubled) when it needs it, and
// returns the end. Room: 2 * size + 2 bytes.
char* PutField(std::string_view field, char delimiter, char* p) {
  if (!NeedsQuotes(field, delimiter)) {
    std::memcpy(p, field.data(), field.size());
    return p + field.size();
  }
  *p++ = '"';
  for (char c : field) {
    *p++ = c;
    if (c == '"') {
      *p++ = '"';
    }
  }
  *p++ = '"';
  return p;
}

}  // namespace

void AppendCsvField(std::string_view field, std::string* out, char delimiter) {
  const size_t start = out->size();
  out->resize(start + 2 * field.size() + 2);
  char* end = PutField(field, delimiter, out->data() + start);
  out->resize(end - out->data());
}

bool LooksLikeFormula(std::string_view cell) {
  if (cell.empty()) {
    return false;
  }
  char first = cell.front();
  if (first == '=' || first == '@' || first == '\t' || first == '\r') {
    return true;
  }
  if ((first != '+' && first != '-') || cell.size() == 1) {
    return false;
  }
  // A number: digits with spaces, dots, commas, dashes and parentheses.
  bool digit = false;
  for (char c : cell.substr(1)) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != ' ' && c != '.' && c != ',' && c != '-' && c != '(' &&
               c != ')') {
      return true;
    }
  }
  return !digit;
}

namespace {

// Writes one record into room made for its worst case (every field quoted,
// every byte a doubled quote), then cuts `out` to what was written. With
// `excel_safe`, a formula-like field gets a leading apostrophe (and counts).
size_t WriteRecord(const std::vector<std::string_view>& fields,
                   std::string* out, char delimiter, bool excel_safe) {
  if (fields.size() == 1 && fields[0].empty()) {
    out->append("\"\"\n");
    return 0;
  }
  size_t room = fields.size();
  for (std::string_view field : fields) {
    room += 2 * field.size() + 4;  // an apostrophe, quotes, doubled quotes
  }
  const size_t start = out->size();
  if (out->capacity() < start + room) {
    out->reserve(std::max(start + room, out->capacity() * 2));
  }
  out->resize(start + room);
  char* p = out->data() + start;
  size_t neutralised = 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string_view field = fields[i];
    if (i > 0) {
      *p++ = delimiter;
    }
    if (field.empty()) {
      continue;
    }
    if (excel_safe && LooksLikeFormula(field)) {
      ++neutralised;
      p = PutField("'" + std::string(field), delimiter, p);
    } else {
      p = PutField(field, delimiter, p);
    }
  }
  *p++ = '\n';
  out->resize(p - out->data());
  return neutralised;
}

}  // namespace

size_t AppendCsvRecordExcelSafe(const std::vector<std::string_view>& fields,
                                std::string* out, char delimiter) {
  return WriteRecord(fields, out, delimiter, true);
}

void AppendCsvRecord(const std::vector<std::string_view>& fields,
                     std::string* out, char delimiter) {
  WriteRecord(fields, out, delimiter, false);
}

}  // namespace leadclean
