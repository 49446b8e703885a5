// CSV writer. Every output field goes through here, so the common cases are
// cheap: the bytes that force quotes are looked for sixteen bytes at a time
// (SSE2), short fields are tested and copied without a loop, and columns
// that lie side by side in the bytes they were read from are copied as one
// piece when none of them needs quotes or an apostrophe.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "leadclean/csv.h"

namespace leadclean {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// A `source` longer than this is not looked into (its byte map would not
// fit on the stack); its fields are written one by one like any other.
constexpr size_t kMaxSourceBytes = 4096;

// Bytes that force quotes wherever they are in a field.
bool IsSpecial(char c, char delimiter) {
  return c == '"' || c == '\r' || c == '\n' || c == delimiter;
}

#if defined(__SSE2__)
__m128i Load16(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

__m128i Load8(const char* p) {
  return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
}

// Bit i is set when byte i of `v` is a quote, CR, LF or the delimiter.
uint32_t SpecialMask(__m128i v, __m128i delimiter) {
  const __m128i hits = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                   _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                   _mm_cmpeq_epi8(v, delimiter)));
  return static_cast<uint32_t>(_mm_movemask_epi8(hits));
}
#endif

// Looks for a quote, CR, LF or the delimiter in `field` and returns whether
// there is none; with `kCopy`, also copies the field to `to` on the way
// (some of it, when there is one), writing nothing past its length. Sixteen
// bytes at a time, a short field as two overlapping halves, so no field
// needs a byte loop past three.
template <bool kCopy>
[[gnu::always_inline]] inline bool ScanField(std::string_view field,
                                            char delimiter, char* to) {
  const char* from = field.data();
  const size_t n = field.size();
#if defined(__SSE2__)
  const __m128i delim = _mm_set1_epi8(delimiter);
  if (n >= 16) {
    for (size_t i = 0; i + 16 < n; i += 16) {
      const __m128i block = Load16(from + i);
      if (SpecialMask(block, delim) != 0) {
        return false;
      }
      if constexpr (kCopy) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(to + i), block);
      }
    }
    const __m128i last = Load16(from + n - 16);  // overlapping
    if (SpecialMask(last, delim) != 0) {
      return false;
    }
    if constexpr (kCopy) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(to + n - 16), last);
    }
    return true;
  }
  if (n >= 8) {
    const __m128i head = Load8(from), tail = Load8(from + n - 8);
    if (SpecialMask(_mm_unpacklo_epi64(head, tail), delim) != 0) {
      return false;
    }
    if constexpr (kCopy) {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(to), head);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(to + n - 8), tail);
    }
    return true;
  }
  if (n >= 4) {
    int32_t head, tail;
    std::memcpy(&head, from, 4);
    std::memcpy(&tail, from + n - 4, 4);
    if (SpecialMask(_mm_set_epi32(head, tail, head, tail), delim) != 0) {
      return false;
    }
    if constexpr (kCopy) {
      std::memcpy(to, &head, 4);
      std::memcpy(to + n - 4, &tail, 4);
    }
    return true;
  }
#endif
  for (size_t i = 0; i < n; ++i) {
    if (IsSpecial(from[i], delimiter)) {
      return false;
    }
    if constexpr (kCopy) {
      to[i] = from[i];
    }
  }
  return true;
}

bool HasSpecial(std::string_view field, char delimiter) {
  return !ScanField<false>(field, delimiter, nullptr);
}

bool NeedsQuotes(std::string_view field, char delimiter) {
  if (field.empty()) {
    return false;
  }
  return field.front() == ' ' || field.back() == ' ' ||
         field.substr(0, kUtf8Bom.size()) == kUtf8Bom ||
         HasSpecial(field, delimiter);
}

// Copies `n` bytes and returns the end; a short copy is a few moves, not a
// call.
char* Copy(const char* from, size_t n, char* to) {
  if (n >= 16) {
    std::memcpy(to, from, n);
  } else if (n >= 8) {
    uint64_t head, tail;
    std::memcpy(&head, from, 8);
    std::memcpy(&tail, from + n - 8, 8);
    std::memcpy(to, &head, 8);
    std::memcpy(to + n - 8, &tail, 8);
  } else if (n >= 4) {
    uint32_t head, tail;
    std::memcpy(&head, from, 4);
    std::memcpy(&tail, from + n - 4, 4);
    std::memcpy(to, &head, 4);
    std::memcpy(to + n - 4, &tail, 4);
  } else if (n > 0) {  // 1 to 3 bytes: first, middle, last
    to[0] = from[0];
    to[n / 2] = from[n / 2];
    to[n - 1] = from[n - 1];
  }
  return to + n;
}

// Writes `prefix` and `field` between quotes, the field's quotes doubled,
// and returns the end.
char* PutQuoted(std::string_view prefix, std::string_view field, char* p) {
  *p++ = '"';
  p = Copy(prefix.data(), prefix.size(), p);
  const char* from = field.data();
  const char* const end = from + field.size();
  while (const void* quote = std::memchr(from, '"', end - from)) {
    const char* after = static_cast<const char*>(quote) + 1;
    p = Copy(from, after - from, p);
    *p++ = '"';
    from = after;
  }
  p = Copy(from, end - from, p);
  *p++ = '"';
  return p;
}

// Writes `field` at `p`, quoted (quotes doubled) when it needs it, and
// returns the end. Room: 2 * size + 2 bytes.
char* PutField(std::string_view field, char delimiter, char* p) {
  if (!NeedsQuotes(field, delimiter)) {
    return Copy(field.data(), field.size(), p);
  }
  return PutQuoted({}, field, p);
}

// PutField("'" + field) for a non-empty field, without building the string:
// the apostrophe hides a leading space or BOM, so only the last byte and the
// bytes inside (the apostrophe too, if it is the delimiter) decide quoting.
char* PutNeutralised(std::string_view field, char delimiter, char* p) {
  if (delimiter == '\'' || field.back() == ' ' ||
      HasSpecial(field, delimiter)) {
    return PutQuoted("'", field, p);
  }
  *p++ = '\'';
  return Copy(field.data(), field.size(), p);
}

// What a field's first byte says about how it is written.
enum class FirstByte : uint8_t {
  kPlain,    // as it is, unless its last byte or a byte inside says otherwise
  kCheck,    // look at the whole field (a BOM; with excel-safe, '+' or '-')
  kChanged,  // quoted (a space) or, with excel-safe, given an apostrophe
};
using FirstByteTable = std::array<FirstByte, 256>;

constexpr FirstByteTable MakeFirstByteTable(bool excel_safe) {
  FirstByteTable table{};
  table[' '] = FirstByte::kChanged;
  table[0xEF] = FirstByte::kCheck;
  if (excel_safe) {
    for (unsigned char c : {'=', '@', '\t', '\r'}) {
      table[c] = FirstByte::kChanged;
    }
    table['+'] = FirstByte::kCheck;
    table['-'] = FirstByte::kCheck;
  }
  return table;
}
constexpr FirstByteTable kPlainFirst = MakeFirstByteTable(false);
constexpr FirstByteTable kExcelSafeFirst = MakeFirstByteTable(true);

// The settings of one record being written.
struct RecordStyle {
  char delimiter;
  bool excel_safe;
  const FirstByteTable* first;
};

// Whether a non-empty field is written exactly as it is, given whether a
// quote, CR, LF or delimiter lies inside (`has_special`, asked only when
// the edges allow it).
template <typename HasSpecialInside>
bool WrittenAsIs(std::string_view field, const RecordStyle& style,
                 HasSpecialInside has_special) {
  switch ((*style.first)[static_cast<uint8_t>(field.front())]) {
    case FirstByte::kPlain:
      return field.back() != ' ' && !has_special();
    case FirstByte::kCheck:
      return !NeedsQuotes(field, style.delimiter) &&
             !(style.excel_safe && LooksLikeFormula(field));
    case FirstByte::kChanged:
      break;
  }
  return false;
}

// Writes a non-empty field that is not written as it is (see WrittenAsIs):
// with an apostrophe if it is formula-like, else quoted. Counts an
// apostrophe in `*neutralised`.
char* PutChanged(std::string_view field, const RecordStyle style, char* p,
                 size_t* neutralised) {
  if (style.excel_safe && LooksLikeFormula(field)) {
    ++*neutralised;
    return PutNeutralised(field, style.delimiter, p);
  }
  return PutQuoted({}, field, p);
}

// Copies `field` to `p` and returns the end, or returns nullptr when the
// field holds a quote, CR, LF or the delimiter (see ScanField).
[[gnu::always_inline]] inline char* CopyIfNoSpecial(std::string_view field,
                                                    char delimiter, char* p) {
  return ScanField<true>(field, delimiter, p) ? p + field.size() : nullptr;
}

// PutRecordField for a non-empty field whose edges do not settle it.
char* PutOtherField(std::string_view field, const RecordStyle style, char* p,
                    size_t* neutralised) {
  if (WrittenAsIs(field, style,
                  [&] { return HasSpecial(field, style.delimiter); })) {
    return Copy(field.data(), field.size(), p);
  }
  return PutChanged(field, style, p, neutralised);
}

// Writes one field (not its delimiter) and returns the end. Inlined into
// the record loop: most fields are empty or short and plain.
[[gnu::always_inline]] inline char* PutRecordField(std::string_view field,
                                                   const RecordStyle style,
                                                   char* p,
                                                   size_t* neutralised) {
  if (field.empty()) {
    return p;
  }
  const FirstByte first = (*style.first)[static_cast<uint8_t>(field.front())];
  if (first == FirstByte::kPlain && field.back() != ' ') {
    // Written as it is unless a byte inside forces quotes.
    if (char* end = CopyIfNoSpecial(field, style.delimiter, p)) {
      return end;
    }
    return PutChanged(field, style, p, neutralised);
  }
  return PutOtherField(field, style, p, neutralised);
}

// The bytes a record's fields were read from, with a map of where the
// quotes, CRs, LFs and delimiters are (one bit a byte), built in one pass
// so a field's inside is tested with a few word operations.
class SourceBytes {
 public:
  static constexpr size_t kNotHeld = SIZE_MAX;

  SourceBytes(std::string_view source, char delimiter) {
    if (source.size() > kMaxSourceBytes) {
      return;  // nothing lies in it
    }
    begin_ = source.data();
    size_ = source.size();
    const size_t n = size_;
    std::fill(special_, special_ + (n + 63) / 64 + 1, 0);
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i delim = _mm_set1_epi8(delimiter);
    for (; i + 16 <= n; i += 16) {
      special_[i / 64] |= uint64_t{SpecialMask(Load16(begin_ + i), delim)}
                          << (i % 64);
    }
    if (i < n && n >= 16) {  // the last sixteen bytes, overlapping
      const uint32_t mask =
          SpecialMask(Load16(begin_ + n - 16), delim) >> (16 - (n - i));
      special_[i / 64] |= uint64_t{mask} << (i % 64);
      i = n;
    }
#endif
    for (; i < n; ++i) {
      if (IsSpecial(begin_[i], delimiter)) {
        special_[i / 64] |= uint64_t{1} << (i % 64);
      }
    }
  }

  const char* data() const { return begin_; }
  size_t size() const { return size_; }

  // Whether a special byte lies in [begin, end), end > begin.
  bool AnySpecial(size_t begin, size_t end) const {
    if constexpr (std::endian::native == std::endian::little) {
      // Up to 56 bits from any bit: eight bytes of the map from the byte
      // holding `begin`'s bit.
      if (end - begin <= 56) {
        uint64_t bits;
        std::memcpy(&bits, reinterpret_cast<const char*>(special_) + begin / 8,
                    8);
        return ((bits >> (begin % 8)) &
                ((uint64_t{1} << (end - begin)) - 1)) != 0;
      }
    }
    const size_t first = begin / 64, last = (end - 1) / 64;
    const uint64_t head = special_[first] & (~uint64_t{0} << (begin % 64));
    const uint64_t tail_mask = ~uint64_t{0} >> (63 - (end - 1) % 64);
    if (first == last) {
      return (head & tail_mask) != 0;
    }
    if (head != 0) {
      return true;
    }
    for (size_t w = first + 1; w < last; ++w) {
      if (special_[w] != 0) {
        return true;
      }
    }
    return (special_[last] & tail_mask) != 0;
  }

 private:
  // An empty or unmapped source holds only empty fields at its start, which
  // write nothing.
  const char* begin_ = nullptr;
  size_t size_ = 0;
  uint64_t special_[kMaxSourceBytes / 64 + 1];  // a word past the end: see
                                               // AnySpecial
};

// Writes `fields` (one or more) with their delimiters and returns the end;
// runs of fields that `bytes` holds and that are written as they are are
// copied in one piece (see WriteRecord). Everything the loop reads is kept
// in locals: the stores through `p` could alias any memory.
char* WriteRead(std::span<const std::string_view> fields,
                const SourceBytes& bytes, const RecordStyle style, char* p,
                size_t* neutralised) {
  const char* const source = bytes.data();
  const size_t size = bytes.size();
  constexpr size_t kNoRun = SourceBytes::kNotHeld;
  size_t run_begin = kNoRun;  // the run waiting to be copied, as offsets
  size_t run_end = 0;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string_view field = fields[i];
    const size_t offset = reinterpret_cast<uintptr_t>(field.data()) -
                          reinterpret_cast<uintptr_t>(source);
    const bool held = offset <= size && field.size() <= size - offset;
    const size_t end = offset + field.size();
    const bool as_is =
        held && (field.empty() ||
                 WrittenAsIs(field, style,
                             [&] { return bytes.AnySpecial(offset, end); }));
    if (as_is && offset == run_end + 1 && run_begin != kNoRun &&
        source[run_end] == style.delimiter) {
      run_end = end;
      continue;
    }
    if (run_begin != kNoRun) {
      p = Copy(source + run_begin, run_end - run_begin, p);
      run_begin = kNoRun;
    }
    if (i > 0) {
      *p++ = style.delimiter;
    }
    if (as_is) {
      run_begin = offset;
      run_end = end;
    } else if (held) {
      p = PutChanged(field, style, p, neutralised);
    } else {
      p = PutRecordField(field, style, p, neutralised);
    }
  }
  if (run_begin != kNoRun) {
    p = Copy(source + run_begin, run_end - run_begin, p);
  }
  return p;
}

// Writes one record, the fields of `read` then those of `added`, into room
// made for its worst case (every field quoted, every byte a doubled quote),
// then cuts `out` to what was written. With `excel_safe`, a formula-like
// field gets a leading apostrophe (and counts).
//
// Fields of `read` that `source` holds and that are written as they are
// make runs: while the next such field starts one byte past the run's end
// and that byte is the delimiter, the run grows, and it is copied in one
// piece. Its bytes are then exactly those of the fields and the delimiters
// between them, which is what writing them one by one gives.
size_t WriteRecord(std::span<const std::string_view> read,
                   std::string_view source,
                   std::span<const std::string_view> added, std::string* out,
                   char delimiter, bool excel_safe) {
  const size_t count = read.size() + added.size();
  if (count == 1 && (read.empty() ? added : read)[0].empty()) {
    out->append("\"\"\n");
    return 0;
  }
  size_t bytes = 0;
  for (auto fields : {read, added}) {
    for (std::string_view field : fields) {
      bytes += field.size();
    }
  }
  // Per field an apostrophe, two quotes and a delimiter (or the LF), and
  // every byte possibly a doubled quote.
  const size_t room = 2 * bytes + 4 * count + 1;
  const size_t start = out->size();
  if (out->capacity() < start + room) {
    out->reserve(std::max(start + room, out->capacity() * 2));
  }
  out->resize(start + room);
  char* p = out->data() + start;
  const RecordStyle style{delimiter, excel_safe,
                          excel_safe ? &kExcelSafeFirst : &kPlainFirst};
  size_t neutralised = 0;
  size_t i = 0;
  if (!read.empty()) {
    p = WriteRead(read, SourceBytes(source, delimiter), style, p,
                  &neutralised);
  } else if (!added.empty()) {
    p = PutRecordField(added[0], style, p, &neutralised);
    i = 1;
  }
  for (; i < added.size(); ++i) {
    *p++ = delimiter;
    if (!added[i].empty()) {
      p = PutRecordField(added[i], style, p, &neutralised);
    }
  }
  *p++ = '\n';
  out->resize(p - out->data());
  return neutralised;
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

size_t AppendCsvRecordExcelSafe(const std::vector<std::string_view>& fields,
                                std::string* out, char delimiter) {
  return WriteRecord(fields, {}, {}, out, delimiter, true);
}

void AppendCsvRecord(const std::vector<std::string_view>& fields,
                     std::string* out, char delimiter) {
  WriteRecord(fields, {}, {}, out, delimiter, false);
}

size_t AppendCsvRecordFrom(std::span<const std::string_view> read,
                           std::string_view source,
                           std::span<const std::string_view> added,
                           bool excel_safe, std::string* out, char delimiter) {
  return WriteRecord(read, source, added, out, delimiter, excel_safe);
}

}  // namespace leadclean
