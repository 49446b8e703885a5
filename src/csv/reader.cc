// Streaming RFC 4180 reader. Why it is built this way:
// - The bytes of the record being parsed stay contiguous in the read buffer
//   from the record's first byte, so `raw` is a view, and a record with an
//   unterminated quote can be undone by resuming right after its first line.
// - The splitter is a resumable state machine: a record cut across any
//   number of reads is scanned once, and every read size gives the same
//   result without re-parsing.
// - Fields are views: into the read buffer while every field's text is its
//   bytes (a quoted field's between its quotes), else into one reused
//   string holding the record's unescaped copy, so the steady state neither
//   allocates nor copies most records.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "csv/encoding.h"
#include "csv/sniff.h"
#include "leadclean/csv.h"

namespace leadclean {
namespace {

constexpr size_t kSniffBytes = 64 * 1024;
constexpr size_t kMaxRawBytes = 4096;
constexpr size_t kNoBreak = static_cast<size_t>(-1);
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Returns the first CR or LF in [p, end), or `end`.
const char* FindLineBreak(const char* p, const char* end) {
  const size_t size = end - p;
  const void* lf = std::memchr(p, '\n', size);
  const size_t before_lf = lf ? static_cast<const char*>(lf) - p : size;
  const void* cr = std::memchr(p, '\r', before_lf);
  if (cr != nullptr) {
    return static_cast<const char*>(cr);
  }
  return lf ? static_cast<const char*>(lf) : end;
}

// Finds the first of three bytes: sixteen bytes at a time with SSE2 (every
// x86-64 has it), else eight at a time in a word, where the lowest flagged
// byte of each zero-byte mask is exact, so the lowest of their union is the
// first stop byte.
class ThreeBytes {
 public:
  ThreeBytes(char a, char b, char c)
      : a_(Word(a)), b_(Word(b)), c_(Word(c)) {
    stops_[static_cast<uint8_t>(a)] = true;
    stops_[static_cast<uint8_t>(b)] = true;
    stops_[static_cast<uint8_t>(c)] = true;
#if defined(__SSE2__)
    va_ = _mm_set1_epi8(a);
    vb_ = _mm_set1_epi8(b);
    vc_ = _mm_set1_epi8(c);
#endif
  }

  const char* Find(const char* p, const char* end) const {
#if defined(__SSE2__)
    for (; end - p >= 16; p += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i hits =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va_), _mm_cmpeq_epi8(v, vb_)),
                       _mm_cmpeq_epi8(v, vc_));
      if (const unsigned mask = _mm_movemask_epi8(hits); mask != 0) {
        return p + std::countr_zero(mask);
      }
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
      for (; end - p >= 8; p += 8) {
        uint64_t word;
        std::memcpy(&word, p, sizeof(word));
        const uint64_t found =
            ZeroBytes(word ^ a_) | ZeroBytes(word ^ b_) | ZeroBytes(word ^ c_);
        if (found != 0) {
          return p + std::countr_zero(found) / 8;
        }
      }
    }
    while (p < end && !stops_[static_cast<uint8_t>(*p)]) {
      ++p;
    }
    return p;
  }

 private:
  static constexpr uint64_t kOnes = 0x0101010101010101ULL;
  static constexpr uint64_t Word(char c) {
    return kOnes * static_cast<uint8_t>(c);
  }
  static uint64_t ZeroBytes(uint64_t word) {
    return (word - kOnes) & ~word & (kOnes << 7);
  }

  uint64_t a_, b_, c_;
  std::array<bool, 256> stops_{};
#if defined(__SSE2__)
  __m128i va_, vb_, vc_;
#endif
};

// Calls fn(p) for each line break in [p, end) that starts a new line: a CR,
// or a LF not right after a CR (looking back as far as `record_begin`), so
// a CRLF counts once.
template <typename Fn>
void ForEachLineBreak(const char* p, const char* end, const char* record_begin,
                      Fn&& fn) {
  for (p = FindLineBreak(p, end); p < end; p = FindLineBreak(p + 1, end)) {
    if (!(*p == '\n' && p > record_begin && p[-1] == '\r')) {
      fn(p);
    }
  }
}

// Splits one record into unescaped fields. Feed() takes successive pieces of
// the same record; the record's earlier bytes must stay addressable in front
// of each piece (the reader guarantees it), because a LF right after a CR is
// recognised by looking one byte back.
class RecordSplitter {
 public:
  void SetDelimiter(char delimiter) {
    delimiter_ = delimiter;
    stops_ = ThreeBytes(delimiter, '\r', '\n');
  }

  void Reset() {
    state_ = State::kFieldStart;
    copying_ = false;
    quoted_ = false;
    unescaped_.clear();
    field_ends_.clear();
    inner_breaks_ = 0;
    first_break_ = kNoBreak;
  }

  // Consumes [p, end) of the record starting at `record_begin`. Returns the
  // position of the record's terminator (CR or LF outside quotes) or `end`
  // when the piece holds none.
  const char* Feed(const char* p, const char* end, const char* record_begin) {
    while (p < end) {
      switch (state_) {
        case State::kFieldStart:
          if (*p == '"') {
            quoted_ = !copying_;
            state_ = State::kQuoted;
            ++p;
            break;
          }
#if defined(__SSE2__)
          if (!copying_ && end - p >= 16) {
            p = SkipUnquotedFields(p, end, record_begin);
            break;
          }
#endif
          state_ = State::kUnquoted;
          [[fallthrough]];
        case State::kUnquoted:
          if (quoted_ && p < end && *p != delimiter_ && *p != '\r' &&
              *p != '\n') {
            CopyFieldsSoFar(p - 1, record_begin);  // text after the quote
          }
          p = ScanUnquoted(p, end);
          if (p == end || *p != delimiter_) {
            return p;
          }
          EndField(p, record_begin);
          state_ = State::kFieldStart;
          ++p;
          break;
        case State::kQuoted:
          p = ScanQuoted(p, end, record_begin);
          break;
        case State::kQuoteInQuoted:
          p = AfterQuoteInQuoted(p, record_begin);
          break;
      }
    }
    return p;
  }

  // Ends the last field once the record's end (`end`) is known. A quote
  // still open runs to the end: the field has no closing quote to drop.
  void Finish(const char* end, const char* record_begin) {
    if (quoted_ && state_ == State::kQuoted) {
      CopyFieldsSoFar(end, record_begin);
    }
    EndField(end, record_begin);
  }

  bool in_quotes() const { return state_ == State::kQuoted; }
  // Whether a quoted field made the fields a copy (else they lie in place).
  bool copying() const { return copying_; }
  // Line breaks inside quoted fields (CRLF counts once).
  uint64_t inner_breaks() const { return inner_breaks_; }
  // Offset from the record's start of its first CR or LF, or kNoBreak.
  size_t first_break() const { return first_break_; }

  // The fields, in order, as views into the record's bytes (while no field
  // needed unescaping) or into the unescaped copy.
  void Fields(const char* record_begin,
              std::vector<std::string_view>* fields) const {
    const char* base = copying_ ? unescaped_.data() : record_begin;
    fields->resize(field_ends_.size());
    std::string_view* out = fields->data();
    size_t begin = 0;
    for (size_t end : field_ends_) {
      const auto [offset, length] = FieldRange(begin, end);
      *out++ = std::string_view(base + offset, length);
      begin = (end & ~kQuotedEnd) + 1;
    }
  }

  // For fields in place (not copying()): appends each as (offset, length),
  // the offset counted from `record_at`, the record's start in its buffer.
  void AppendSpans(size_t record_at, std::vector<CsvSpan>* spans) const {
    size_t begin = 0;
    for (size_t end : field_ends_) {
      const auto [offset, length] = FieldRange(begin, end);
      spans->emplace_back(static_cast<uint32_t>(record_at + offset),
                          static_cast<uint32_t>(length));
      begin = (end & ~kQuotedEnd) + 1;
    }
  }
  size_t field_count() const { return field_ends_.size(); }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  // Until a field's text differs from its bytes, fields are left where
  // they are in the record: their ends are offsets in it (the delimiters
  // separate them), and a quoted field whose closing quote ends it, with no
  // doubled quote inside, is marked kQuotedEnd: its text is between its
  // quotes. The first field that needs unescaping (a doubled quote, text
  // after the closing quote, a quote left open) copies the fields so far,
  // and from then on unescaped bytes are appended to the copy, each field
  // followed by one separator byte.
  static constexpr size_t kQuotedEnd = size_t{1} << (sizeof(size_t) * 8 - 1);

  // A field's text as (offset, length), from where its bytes begin and its
  // entry in field_ends_.
  static std::pair<size_t, size_t> FieldRange(size_t begin, size_t end) {
    if (end & kQuotedEnd) {
      return {begin + 1, (end & ~kQuotedEnd) - begin - 2};
    }
    return {begin, end - begin};
  }

  // Starts copying, in the current quoted field, whose text so far (after
  // its opening quote) stops at `text_end`.
  void CopyFieldsSoFar(const char* text_end, const char* record_begin) {
    copying_ = true;
    quoted_ = false;
    unescaped_.clear();
    size_t begin = 0;
    for (size_t& end : field_ends_) {
      const auto [offset, length] = FieldRange(begin, end);
      unescaped_.append(record_begin + offset, length);
      begin = (end & ~kQuotedEnd) + 1;
      end = unescaped_.size();
      unescaped_.push_back(delimiter_);
    }
    const char* text = record_begin + begin + 1;
    unescaped_.append(text, text_end - text);
  }

  // Ends the field whose raw bytes stop at `p`.
  void EndField(const char* p, const char* record_begin) {
    if (!copying_) {
      field_ends_.push_back(static_cast<size_t>(p - record_begin) |
                            (quoted_ ? kQuotedEnd : 0));
      quoted_ = false;
      return;
    }
    field_ends_.push_back(unescaped_.size());
    unescaped_.push_back(delimiter_);
  }

#if defined(__SSE2__)
  // The common case, a run of unquoted fields, sixteen bytes at a time:
  // one mask of delimiters and one of quotes, CRs and LFs, taken in order.
  // From the field starting at `p` (not a quote), ends fields at each
  // delimiter, and returns at a terminator (state kUnquoted), at a quote
  // that opens a field (state kFieldStart), or when fewer than sixteen
  // bytes are left (state kFieldStart or kUnquoted, wherever it stopped).
  const char* SkipUnquotedFields(const char* p, const char* end,
                                 const char* record_begin) {
    const __m128i delimiter = _mm_set1_epi8(delimiter_);
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    const char* field = p;
    for (; end - p >= 16; p += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      unsigned delimiters = _mm_movemask_epi8(_mm_cmpeq_epi8(v, delimiter));
      unsigned stops = _mm_movemask_epi8(
          _mm_or_si128(_mm_cmpeq_epi8(v, quote),
                       _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))));
      while ((delimiters | stops) != 0) {
        const int d = delimiters ? std::countr_zero(delimiters) : 16;
        const int q = stops ? std::countr_zero(stops) : 16;
        if (d < q) {
          field_ends_.push_back(p + d - record_begin);
          field = p + d + 1;
          delimiters &= delimiters - 1;
          continue;
        }
        const char* stop = p + q;
        if (*stop != '"') {
          state_ = State::kUnquoted;  // at the terminator
          return stop;
        }
        if (stop == field) {
          state_ = State::kFieldStart;  // a quoted field begins
          return stop;
        }
        stops &= stops - 1;  // a quote inside a field is literal
      }
    }
    state_ = p == field ? State::kFieldStart : State::kUnquoted;
    return p;
  }
#endif

  // Skips (copies, once copying) bytes up to the delimiter, CR or LF. A
  // quote here is literal.
  const char* ScanUnquoted(const char* p, const char* end) {
    const char* stop = stops_.Find(p, end);
    if (copying_) {
      unescaped_.append(p, stop - p);
    }
    return stop;
  }

  // Skips (copies, once copying) quoted content up to the next quote,
  // noting line breaks.
  const char* ScanQuoted(const char* p, const char* end,
                         const char* record_begin) {
    const void* quote = std::memchr(p, '"', end - p);
    const char* stop = quote ? static_cast<const char*>(quote) : end;
    NoteLineBreaks(p, stop, record_begin);
    if (copying_) {
      unescaped_.append(p, stop - p);
    }
    if (stop == end) {
      return end;
    }
    state_ = State::kQuoteInQuoted;
    return stop + 1;
  }

  // After a quote inside a quoted field: `""` is a literal quote; anything
  // else closed the field. Text between a closing quote and the next
  // delimiter is kept, appended to the field (`"ab"c` reads as `abc`).
  const char* AfterQuoteInQuoted(const char* p, const char* record_begin) {
    if (*p == '"') {
      if (!copying_) {
        CopyFieldsSoFar(p - 1, record_begin);
      }
      unescaped_.push_back('"');
      state_ = State::kQuoted;
      return p + 1;
    }
    state_ = State::kUnquoted;
    return p;
  }

  void NoteLineBreaks(const char* p, const char* end,
                      const char* record_begin) {
    ForEachLineBreak(p, end, record_begin, [&](const char* at) {
      ++inner_breaks_;
      if (first_break_ == kNoBreak) {
        first_break_ = at - record_begin;
      }
    });
  }

  char delimiter_ = ',';
  ThreeBytes stops_{',', '\r', '\n'};
  State state_ = State::kFieldStart;
  bool copying_ = false;
  bool quoted_ = false;  // the current field is quoted and kept in place
  std::string unescaped_;
  std::vector<size_t> field_ends_;
  uint64_t inner_breaks_ = 0;
  size_t first_break_ = kNoBreak;
};

}  // namespace

struct CsvReader::Impl {
  Impl(std::unique_ptr<ByteSource> source, CsvOptions options)
      : source_(std::move(source)),
        options_(std::move(options)),
        read_size_(std::max<size_t>(options_.read_size, 1)),
        oversized_error_("record exceeds " +
                         std::to_string(options_.max_record_bytes) + " bytes"),
        delimiter_(options_.delimiter ? options_.delimiter : ',') {}

  bool Next(CsvRecord* record);
  bool NextChunk(size_t max_bytes, uint64_t max_records, CsvChunk* chunk,
                 CsvRecord* careful);
  void StartChunk(const CsvChunk& chunk);
  void BorrowChunk(const CsvChunk& chunk);

  bool Start();
  bool ChooseEncoding();
  void StripBom();
  void ChooseDelimiter();
  bool FillTo(size_t bytes);
  bool Refill();
  void Compact();
  void Reserve(size_t bytes);
  bool SkipBlankLines();
  bool ReadRecord(CsvRecord* record);
  bool ScanRecord();
  size_t SkipQuoted(size_t p, uint64_t record, uint64_t* breaks);
  bool Complete(CsvRecord* record, bool terminated);
  bool Broken(CsvRecord* record, bool oversized);
  bool Oversized(CsvRecord* record);
  void SkipRestOfLine();
  void ResumeAfter(size_t break_pos);
  void SetBroken(CsvRecord* record, bool oversized, std::string_view raw);

  std::unique_ptr<ByteSource> source_;
  CsvOptions options_;
  size_t read_size_;
  std::string oversized_error_;

  // Buffer: [0, end_) holds input; data_[0] is at offset base_offset_ of the
  // (decoded) input. Bytes from rec_start_ on survive Refill(). data_ is
  // buf_, or a chunk's bytes that a CsvChunkReader lends (BorrowChunk).
  std::unique_ptr<char[]> buf_;
  const char* data_ = nullptr;
  size_t capacity_ = 0;
  size_t end_ = 0;
  size_t pos_ = 0;
  size_t rec_start_ = 0;
  uint64_t base_offset_ = 0;
  bool eof_ = false;

  uint64_t line_ = 1;         // physical line at pos_ between records
  uint64_t record_line_ = 0;  // where the current record starts
  uint64_t record_offset_ = 0;
  bool skip_lf_ = false;  // the last line ended with CR; a LF may follow

  bool started_ = false;
  char delimiter_;
  std::string encoding_ = "UTF-8";
  double encoding_confidence_ = 1.0;
  std::string encoding_method_ = "ascii";
  bool had_bom_ = false;
  uint64_t blank_lines_ = 0;
  uint64_t bytes_read_ = 0;
  std::string io_error_;
  RecordSplitter splitter_;
  std::string raw_copy_;  // raw of an oversized line already discarded
  // NextChunk: the buffer keeps bytes from rec_start_ (the chunk's start)
  // while blank lines are skipped too.
  bool chunking_ = false;
  ThreeBytes quote_or_break_{'"', '\r', '\n'};
  // CsvChunkReader::Next with spans: where a record in place puts its
  // fields, and how many it had (0: the record has record->fields).
  std::vector<CsvSpan>* spans_out_ = nullptr;
  size_t in_place_fields_ = 0;
};

bool CsvReader::Impl::Next(CsvRecord* record) {
  if (!started_ && !Start()) {
    return false;
  }
  if (!io_error_.empty() || !SkipBlankLines()) {
    return false;
  }
  return ReadRecord(record);
}

bool CsvReader::Impl::Start() {
  started_ = true;
  if (delimiter_ == '"' || delimiter_ == '\r' || delimiter_ == '\n') {
    io_error_ = "invalid delimiter";
    return false;
  }
  if (!ChooseEncoding()) {
    return false;
  }
  StripBom();
  if (options_.delimiter == 0) {
    ChooseDelimiter();
  }
  splitter_.SetDelimiter(delimiter_);
  return io_error_.empty();
}

// Peeks at the first bytes (kDetectBytes of them when detecting), then
// either keeps them in the buffer (UTF-8) or hands them to a decoding layer
// that replaces the source.
bool CsvReader::Impl::ChooseEncoding() {
  if (!FillTo(IsAutoEncoding(options_.encoding) ? kDetectBytes : 4)) {
    return false;
  }
  EncodingChoice choice;
  if (!ResolveEncoding(options_.encoding, std::string_view(data_, end_),
                       eof_, &choice, &io_error_)) {
    return false;
  }
  encoding_ = choice.name;
  encoding_confidence_ = choice.confidence;
  encoding_method_ = choice.method;
  if (choice.convert) {
    std::string head(data_, end_);
    end_ = 0;
    eof_ = false;
    bytes_read_ = 0;  // count the decoded stream, as offsets do
    source_ = Utf8DecodingSource(encoding_, std::move(head), std::move(source_),
                                 read_size_);
  }
  return FillTo(kUtf8Bom.size());
}

void CsvReader::Impl::StripBom() {
  if (std::string_view(data_, end_).substr(0, kUtf8Bom.size()) ==
      kUtf8Bom) {
    had_bom_ = true;
    pos_ = kUtf8Bom.size();
  }
}

// Sniffs on exactly the first kSniffBytes after the BOM, whatever the read
// size, so the choice does not depend on chunking.
void CsvReader::Impl::ChooseDelimiter() {
  if (!FillTo(pos_ + kSniffBytes)) {
    return;
  }
  const size_t available = end_ - pos_;
  const size_t size = std::min(available, kSniffBytes);
  const bool complete = eof_ && available <= kSniffBytes;
  delimiter_ =
      SniffDelimiter(std::string_view(data_ + pos_, size), complete);
}

// Reads until the buffer holds `bytes` bytes or the input ends. Returns
// false on a read error.
bool CsvReader::Impl::FillTo(size_t bytes) {
  while (end_ < bytes && Refill()) {
  }
  return io_error_.empty();
}

// Appends one read to the buffer, keeping [rec_start_, end_). Returns false
// at end of input or on a read error (then io_error_ is set).
bool CsvReader::Impl::Refill() {
  if (eof_) {
    return false;
  }
  Compact();
  Reserve(end_ + read_size_);
  const long count = source_->Read(buf_.get() + end_, read_size_);
  if (count <= 0) {
    eof_ = true;
    if (count < 0) {
      io_error_ = source_->error().empty() ? "read error" : source_->error();
    }
    return false;
  }
  end_ += count;
  bytes_read_ += count;
  return true;
}

void CsvReader::Impl::Compact() {
  if (rec_start_ == 0) {
    return;
  }
  const size_t keep = end_ - rec_start_;
  std::memmove(buf_.get(), data_ + rec_start_, keep);
  base_offset_ += rec_start_;
  pos_ -= rec_start_;
  end_ = keep;
  rec_start_ = 0;
}

void CsvReader::Impl::Reserve(size_t bytes) {
  if (bytes <= capacity_) {
    return;
  }
  // Doubling, but not past the most a record can need: the cap, one read,
  // and the sniffing window.
  const size_t extra = read_size_ + kSniffBytes;
  const size_t most = options_.max_record_bytes > SIZE_MAX - extra
                          ? SIZE_MAX
                          : options_.max_record_bytes + extra;
  const size_t capacity = std::max(bytes, std::min(capacity_ * 2, most));
  std::unique_ptr<char[]> bigger(new char[capacity]);
  if (end_ > 0) {
    std::memcpy(bigger.get(), data_, end_);
  }
  buf_ = std::move(bigger);
  data_ = buf_.get();
  capacity_ = capacity;
}

// Skips empty lines (counting them) and the LF of a CRLF whose CR ended the
// previous line. Returns false at end of input.
bool CsvReader::Impl::SkipBlankLines() {
  for (;;) {
    if (pos_ == end_) {
      if (!chunking_) {
        rec_start_ = pos_;
      }
      if (!Refill()) {
        return false;
      }
    }
    const char c = data_[pos_];
    if (c != '\n' && c != '\r') {
      skip_lf_ = false;
      return true;
    }
    ++pos_;
    if (c == '\n' && skip_lf_) {
      skip_lf_ = false;
      continue;
    }
    skip_lf_ = c == '\r';
    ++blank_lines_;
    ++line_;
  }
}

bool CsvReader::Impl::ReadRecord(CsvRecord* record) {
  rec_start_ = pos_;
  record_line_ = line_;
  record_offset_ = base_offset_ + rec_start_;
  splitter_.Reset();
  for (;;) {
    const char* stop = splitter_.Feed(data_ + pos_, data_ + end_,
                                      data_ + rec_start_);
    pos_ = stop - data_;
    if (pos_ < end_) {
      return Complete(record, true);
    }
    if (pos_ - rec_start_ > options_.max_record_bytes) {
      return Oversized(record);
    }
    if (!Refill()) {
      return io_error_.empty() && Complete(record, false);
    }
  }
}

bool CsvReader::Impl::NextChunk(size_t max_bytes, uint64_t max_records,
                                CsvChunk* chunk, CsvRecord* careful) {
  chunk->bytes.clear();
  chunk->records = 0;
  if (!started_ && !Start()) {
    return false;
  }
  if (!io_error_.empty()) {
    return false;
  }
  chunk->delimiter = delimiter_;
  chunk->max_record_bytes = options_.max_record_bytes;
  chunk->first_line = line_;
  chunk->byte_offset = base_offset_ + pos_;
  chunk->skip_lf = skip_lf_;
  rec_start_ = pos_;
  chunking_ = true;
  bool more = true;
  while (chunk->records < max_records &&
         base_offset_ + pos_ - chunk->byte_offset < max_bytes) {
    more = SkipBlankLines();
    if (!more || !ScanRecord()) {
      break;
    }
    ++chunk->records;
  }
  chunking_ = false;
  const size_t begin = chunk->byte_offset - base_offset_;
  chunk->bytes.assign(data_ + begin, pos_ - begin);
  if (chunk->records > 0) {
    return true;
  }
  // Nothing but blank lines before the end, or a record for ReadRecord.
  chunk->bytes.clear();
  return more && io_error_.empty() && ReadRecord(careful);
}

// Finds where the record at pos_ ends, the way RecordSplitter does but
// without splitting it: quotes, CR and LF are all that matter. On success
// pos_, line_ and skip_lf_ are as ReadRecord() would leave them. Returns
// false, with pos_ and line_ unchanged, for a record ReadRecord() must read:
// one longer than the cap or open at the end of input (or a read error).
bool CsvReader::Impl::ScanRecord() {
  const uint64_t record = base_offset_ + pos_;
  const size_t cap = options_.max_record_bytes;
  uint64_t breaks = 0;  // inside quotes
  size_t p = pos_;
  for (;;) {
    const char* begin = data_;
    const char* stop = quote_or_break_.Find(begin + p, begin + end_);
    p = stop - begin;
    if (p < end_ && *stop == '"') {
      // Only a quote that starts a field opens one.
      if (base_offset_ + p == record || stop[-1] == delimiter_) {
        p = SkipQuoted(p + 1, record, &breaks);
        if (p == SIZE_MAX) {
          return false;
        }
      } else {
        ++p;
      }
      continue;
    }
    if (base_offset_ + p - record > cap) {
      return false;
    }
    if (p < end_) {
      line_ += breaks;
      ResumeAfter(p);
      return true;
    }
    const uint64_t at = base_offset_ + p;
    if (!Refill()) {
      if (!io_error_.empty()) {
        return false;
      }
      pos_ = end_;  // the last record, without a terminator
      line_ += breaks;
      return true;
    }
    p = at - base_offset_;
  }
}

// From just inside a quoted field at `p`, skips to just past its closing
// quote (a doubled quote stays inside), counting line breaks as
// RecordSplitter does (CRLF once). Returns SIZE_MAX when the input ends
// first, the record grows past the cap, or a read fails.
size_t CsvReader::Impl::SkipQuoted(size_t p, uint64_t record,
                                   uint64_t* breaks) {
  uint64_t at = base_offset_ + p;
  for (;;) {
    const char* begin = data_;
    const char* first = begin + (record - base_offset_);
    const size_t i = at - base_offset_;
    const void* found = std::memchr(begin + i, '"', end_ - i);
    const size_t stop = found ? static_cast<const char*>(found) - begin : end_;
    ForEachLineBreak(begin + i, begin + stop, first,
                     [breaks](const char*) { ++*breaks; });
    if (found && stop + 1 < end_) {
      if (begin[stop + 1] != '"') {
        return stop + 1;
      }
      at = base_offset_ + stop + 2;  // a doubled quote
      continue;
    }
    // The field goes on past the buffer, or its last byte is a quote and
    // the next byte decides: read more and look again from `stop`.
    at = base_offset_ + stop;
    if (base_offset_ + end_ - record > options_.max_record_bytes) {
      return SIZE_MAX;
    }
    if (!Refill()) {
      // A quote as the input's last byte closes the field.
      return found && io_error_.empty() ? at - base_offset_ + 1 : SIZE_MAX;
    }
  }
}

// Makes this reader read one chunk: no detection, no BOM, no sniffing.
void CsvReader::Impl::StartChunk(const CsvChunk& chunk) {
  started_ = true;
  delimiter_ = chunk.delimiter;
  splitter_.SetDelimiter(delimiter_);
  line_ = chunk.first_line;
  base_offset_ = chunk.byte_offset;
  skip_lf_ = chunk.skip_lf;
}

// Reads the chunk's bytes where they are: the whole input, already in.
void CsvReader::Impl::BorrowChunk(const CsvChunk& chunk) {
  data_ = chunk.bytes.data();
  end_ = chunk.bytes.size();
  capacity_ = end_;
  eof_ = true;  // so nothing refills, compacts or grows the buffer
}

// The record ends at pos_: at its terminator, or at end of input.
bool CsvReader::Impl::Complete(CsvRecord* record, bool terminated) {
  const size_t raw_size = pos_ - rec_start_;
  if (raw_size > options_.max_record_bytes) {
    return Oversized(record);
  }
  if (!terminated && splitter_.in_quotes()) {
    return Broken(record, false);
  }
  const char* begin = data_ + rec_start_;
  splitter_.Finish(begin + raw_size, begin);
  if (spans_out_ != nullptr && !splitter_.copying()) {
    splitter_.AppendSpans(rec_start_, spans_out_);
    in_place_fields_ = splitter_.field_count();
    record->fields.clear();
  } else {
    splitter_.Fields(begin, &record->fields);
  }
  record->line = record_line_;
  record->byte_offset = record_offset_;
  record->raw = std::string_view(data_ + rec_start_, raw_size);
  record->raw_truncated = false;
  record->error.clear();
  line_ += splitter_.inner_breaks();
  if (terminated) {
    ResumeAfter(pos_);
  }
  return true;
}

// Quarantines the record's first physical line and resumes after it, so the
// lines an open quote swallowed are read again as records of their own.
bool CsvReader::Impl::Broken(CsvRecord* record, bool oversized) {
  const size_t first_break = splitter_.first_break();
  const char* raw = data_ + rec_start_;
  size_t raw_size = pos_ - rec_start_;
  if (first_break != kNoBreak) {
    raw_size = first_break;
    ResumeAfter(rec_start_ + first_break);
  } else {
    ++line_;
  }
  SetBroken(record, oversized, std::string_view(raw, raw_size));
  return true;
}

// A record over the cap. With no line break in what was scanned, its first
// line is longer than the cap: the rest of that line is discarded as it is
// read, so memory stays bounded by the cap plus one read.
bool CsvReader::Impl::Oversized(CsvRecord* record) {
  if (splitter_.first_break() != kNoBreak) {
    return Broken(record, true);
  }
  SkipRestOfLine();
  SetBroken(record, true, raw_copy_);
  return true;
}

// Scans on from pos_ to the end of the current physical line, keeping one
// byte more than kMaxRawBytes of it in raw_copy_ (to tell it was cut).
void CsvReader::Impl::SkipRestOfLine() {
  constexpr size_t kKeep = kMaxRawBytes + 1;
  raw_copy_.assign(data_ + rec_start_, std::min(pos_ - rec_start_, kKeep));
  for (;;) {
    const char* begin = data_ + pos_;
    const char* stop = FindLineBreak(begin, data_ + end_);
    const size_t room = kKeep - raw_copy_.size();
    raw_copy_.append(begin, std::min<size_t>(stop - begin, room));
    pos_ = stop - data_;
    if (pos_ < end_) {
      ResumeAfter(pos_);
      return;
    }
    rec_start_ = pos_;
    if (!Refill()) {
      ++line_;
      return;
    }
  }
}

// Continues after the line break at `break_pos`.
void CsvReader::Impl::ResumeAfter(size_t break_pos) {
  skip_lf_ = data_[break_pos] == '\r';
  pos_ = break_pos + 1;
  ++line_;
}

// Fills a broken record from its first line `raw`. Its fields are that line
// split leniently (an open quote runs to the end of the line): unreliable,
// but enough to fill a rejects row.
void CsvReader::Impl::SetBroken(CsvRecord* record, bool oversized,
                                std::string_view raw) {
  record->error = oversized ? oversized_error_ : "unterminated quoted field";
  record->raw_truncated = oversized && raw.size() > kMaxRawBytes;
  if (record->raw_truncated) {
    raw = raw.substr(0, kMaxRawBytes);
  }
  record->raw = raw;
  record->line = record_line_;
  record->byte_offset = record_offset_;
  splitter_.Reset();
  splitter_.Feed(raw.data(), raw.data() + raw.size(), raw.data());
  splitter_.Finish(raw.data() + raw.size(), raw.data());
  splitter_.Fields(raw.data(), &record->fields);
}

OwnedCsvRecord OwnedCsvRecord::Of(const CsvRecord& record) {
  return {{record.fields.begin(), record.fields.end()},
          record.line,
          record.byte_offset,
          std::string(record.raw),
          record.raw_truncated,
          record.error};
}

void OwnedCsvRecord::ViewAs(CsvRecord* record) const {
  record->fields.assign(fields.begin(), fields.end());
  record->line = line;
  record->byte_offset = byte_offset;
  record->raw = raw;
  record->raw_truncated = raw_truncated;
  record->error = error;
}

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, CsvOptions options)
    : impl_(std::make_unique<Impl>(std::move(source), std::move(options))) {}

bool CsvReader::NextChunk(size_t max_bytes, uint64_t max_records,
                          CsvChunk* chunk, CsvRecord* careful) {
  return impl_->NextChunk(max_bytes, max_records, chunk, careful);
}

CsvChunkReader::CsvChunkReader(const CsvChunk* chunk) {
  CsvOptions options;
  options.delimiter = chunk->delimiter;
  options.max_record_bytes = chunk->max_record_bytes;
  impl_ = std::make_unique<CsvReader::Impl>(MemoryByteSource(std::string()),
                                            std::move(options));
  impl_->StartChunk(*chunk);
  impl_->BorrowChunk(*chunk);
}

CsvChunkReader::~CsvChunkReader() = default;

bool CsvChunkReader::Next(CsvRecord* record) { return impl_->Next(record); }

bool CsvChunkReader::Next(CsvRecord* record, std::vector<CsvSpan>* spans,
                          size_t* in_place) {
  impl_->spans_out_ = spans;
  impl_->in_place_fields_ = 0;
  const bool more = impl_->Next(record);
  impl_->spans_out_ = nullptr;
  *in_place = impl_->in_place_fields_;
  return more;
}

CsvReader::~CsvReader() = default;

bool CsvReader::Next(CsvRecord* record) { return impl_->Next(record); }
char CsvReader::delimiter() const { return impl_->delimiter_; }
const std::string& CsvReader::encoding() const { return impl_->encoding_; }
double CsvReader::encoding_confidence() const {
  return impl_->encoding_confidence_;
}
const std::string& CsvReader::encoding_method() const {
  return impl_->encoding_method_;
}
uint64_t CsvReader::source_bytes() const {
  return impl_->source_->source_bytes();
}
bool CsvReader::had_bom() const { return impl_->had_bom_; }
uint64_t CsvReader::blank_lines() const { return impl_->blank_lines_; }
uint64_t CsvReader::bytes_read() const { return impl_->bytes_read_; }
const std::string& CsvReader::io_error() const { return impl_->io_error_; }

}  // namespace leadclean
