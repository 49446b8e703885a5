// Streaming RFC 4180 reader and writer for the lead stream.
//
// The reader keeps every byte of every field (CR, LF, NUL, invalid UTF-8),
// takes any number of columns, accepts LF, CRLF and CR-only line endings, and
// never lets one broken record swallow the rest of the file. The writer
// quotes exactly when a field needs it, so its output parses back to the
// same fields.
#ifndef LEADCLEAN_CSV_H_
#define LEADCLEAN_CSV_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadclean {

// A source of raw bytes: a file, stdin, or a decoding layer over another.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `buf`. Returns the count read; 0 means end of
  // input. Returns -1 on a read error and sets `error()`.
  virtual long Read(char* buf, size_t n) = 0;
  virtual const std::string& error() const { return error_; }
  // Bytes taken from the file or stdin underneath so far (a decoding layer
  // reports its inner source's count), for progress.
  virtual uint64_t source_bytes() const { return source_bytes_; }

 protected:
  std::string error_;
  uint64_t source_bytes_ = 0;
};

// Opens `path` for reading ("-" is stdin). Returns nullptr and sets `*error`
// ("path: No such file or directory", "path: is a directory") when it cannot
// be opened. Reads go straight into the caller's buffer with read(2); a
// failed read returns -1 with error() = "path: <strerror>".
std::unique_ptr<ByteSource> OpenByteSource(const std::string& path,
                                           std::string* error);

// A source over bytes already in memory (tests, rule files).
std::unique_ptr<ByteSource> MemoryByteSource(std::string bytes);

struct CsvOptions {
  // 0 means sniff from the first 64 KiB among , ; TAB |.
  char delimiter = 0;
  // A record longer than this is quarantined as malformed. An unterminated
  // quote therefore costs at most this many bytes of lookahead before the
  // reader gives up, quarantines the record's first line and resumes on the
  // next line.
  size_t max_record_bytes = 16u << 20;
  // Bytes asked of the source per read. Any value >= 1 gives the same
  // records (tests run 1, 2, 3, 7, 4096).
  size_t read_size = 1u << 20;
  // "" or "auto" means detect (UTF-8 with or without BOM, UTF-16 LE/BE by
  // BOM, else windows-1258, windows-1252, TCVN3 or VNI when the first 64 KiB
  // are not UTF-8; see csv/encoding.cc); otherwise an ICU converter name
  // such as "windows-1258", or "TCVN3" / "VNI". Anything but UTF-8 is
  // converted to UTF-8 before parsing; bytes invalid in the source encoding
  // become ICU's substitution character. UTF-8 (named or detected) passes
  // through untouched, invalid bytes included.
  std::string encoding;
};

// One record, borrowed from the reader until the next call to Next().
//
// Lines and offsets refer to the UTF-8 stream the reader parses: for a
// converted input (UTF-16, windows-1258, ...) that is the converted stream,
// not the file's bytes. CR, LF and CRLF each end one physical line, inside
// quoted fields too. The BOM counts in offsets (the first record of a file
// with a UTF-8 BOM has byte_offset 3).
struct CsvRecord {
  std::vector<std::string_view> fields;  // unescaped values
  uint64_t line = 0;         // 1-based physical line where the record starts
  uint64_t byte_offset = 0;  // 0-based offset of its first byte in the input
  // The record's bytes as read, without terminator. For a broken record: its
  // first physical line only.
  std::string_view raw;
  bool raw_truncated = false;  // raw was cut to 4096 bytes (oversized record)
  // Non-empty when the record is broken: "unterminated quoted field",
  // "record exceeds 16777216 bytes". Fields are then unreliable: they are
  // `raw` split leniently, an open quote running to the end of the line.
  std::string error;
};

// A record kept past the reader's next call: a CsvRecord with its own bytes.
struct OwnedCsvRecord {
  std::vector<std::string> fields;
  uint64_t line = 0;
  uint64_t byte_offset = 0;
  std::string raw;
  bool raw_truncated = false;
  std::string error;

  static OwnedCsvRecord Of(const CsvRecord& record);
  // Points `record` at this copy's bytes.
  void ViewAs(CsvRecord* record) const;
  bool operator==(const OwnedCsvRecord&) const = default;
};

// A run of whole records cut out of the input by CsvReader::NextChunk, so
// that another thread can split them into fields (CsvChunkReader). It holds
// the records' bytes with their terminators and any blank lines between
// them, and where they start in the stream.
struct CsvChunk {
  std::string bytes;
  uint64_t records = 0;     // records in `bytes`, as CsvChunkReader finds them
  uint64_t first_line = 0;  // physical line of bytes[0]
  uint64_t byte_offset = 0;  // stream offset of bytes[0]
  bool skip_lf = false;  // the line before ended with CR: a first LF ends it
  char delimiter = ',';
  size_t max_record_bytes = 0;  // the reader's cap, for CsvChunkReader
};

// How CsvReader reads. It never drops a byte silently: every input byte is
// in exactly one record's `raw`, a skipped blank line, a line terminator or
// the BOM (only an oversized line's tail beyond `raw`'s 4096 bytes is
// skipped, and that record says raw_truncated).
//
// - A field is quoted only when its first byte is `"`. Inside, `""` is a
//   quote and delimiters, CR, LF and NUL are data, kept byte for byte (a
//   CRLF inside quotes stays CRLF).
// - Lenient, lossless quote handling for broken input, without setting
//   `error`: a quote inside an unquoted field is literal (`ab"c`); text after
//   a closing quote is appended up to the next delimiter (`"abc"def` reads
//   `abcdef`); a space before a quote makes the quote literal (`1, "x,y"`
//   reads `1`, ` "x`, `y"`). Surrounding spaces are kept.
// - Unterminated quote: when the input ends inside a quoted field, the record
//   comes back with error "unterminated quoted field", raw = its first
//   physical line, and reading resumes at the next physical line, so the
//   lines the open quote swallowed are read again as records.
// - Size cap: a record longer than max_record_bytes (raw bytes, without the
//   terminator) comes back with error "record exceeds N bytes", raw = its
//   first physical line cut to 4096 bytes (raw_truncated says so), and
//   reading resumes after that first line. An open quote therefore reads at
//   most max_record_bytes ahead; memory stays near max_record_bytes plus
//   read_size, and one huge line is skipped as it is read.
// - Empty lines outside quotes are skipped and counted, never records. A
//   line holding only spaces, or `""`, is a record.
// - A UTF-8 BOM at the very start is skipped (had_bom()); elsewhere it is
//   data.
// - Sniffing (delimiter 0) looks at exactly the first 64 KiB after the BOM,
//   held in the read buffer (nothing is consumed): the candidate whose count
//   per line, outside quotes, is most consistent wins; ',' by default.
// - Results are identical for every read_size >= 1.
class CsvReader {
 public:
  CsvReader(std::unique_ptr<ByteSource> source, CsvOptions options);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reading in two steps, for a caller that splits records on other
  // threads: NextChunk() only finds where records end (quotes, CR and LF,
  // eight bytes at a time) and copies up to `max_records` whole records, or
  // about `max_bytes` of them, into `chunk`; CsvChunkReader then gives
  // exactly the records Next() would have. A record that needs more care
  // (an open quote at the end of input, or over max_record_bytes) is never
  // put in a chunk: when it is next, NextChunk() returns it in `careful`,
  // read as Next() reads it, and leaves chunk->records 0. Returns false at
  // the end of input or on a read error, like Next(). Calls to Next() and
  // NextChunk() may be mixed.
  bool NextChunk(size_t max_bytes, uint64_t max_records, CsvChunk* chunk,
                 CsvRecord* careful);

  // Reads the next record. Returns false at end of input or on a read error
  // (then `io_error()` is non-empty). Blank lines are skipped and counted.
  // A broken record is still returned (true) with `error` set. Setup
  // problems also end reading with io_error(): `unknown encoding "X"`,
  // "invalid delimiter" (a quote, CR or LF).
  bool Next(CsvRecord* record);

  char delimiter() const;               // valid after the first Next()
  // "UTF-8", "UTF-16LE", "UTF-16BE", "windows-1258", "windows-1252",
  // "TCVN3" or "VNI" when detected, else CsvOptions::encoding as given.
  // Valid after the first Next(), like the two below.
  const std::string& encoding() const;
  // Detection confidence 0..1 and how the encoding was chosen ("option",
  // "bom", "ascii", "utf-8", "mostly-utf-8", "scored", "unrecognised").
  double encoding_confidence() const;
  const std::string& encoding_method() const;
  // Bytes taken from the input file or stdin so far (before decoding).
  uint64_t source_bytes() const;
  bool had_bom() const;  // a BOM (UTF-8, or UTF-16 before conversion)
  uint64_t blank_lines() const;
  uint64_t bytes_read() const;  // bytes of the (decoded) stream read so far
  const std::string& io_error() const;

 private:
  friend class CsvChunkReader;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A field's place in a chunk's bytes: offset and length.
using CsvSpan = std::pair<uint32_t, uint32_t>;

// Splits the records of one chunk (see CsvReader::NextChunk) into fields.
// Records, lines, offsets and fields are those CsvReader::Next() would have
// returned for the same bytes. It reads chunk->bytes where they are, without
// a copy: the chunk must outlive the reader, and a record's fields and raw
// may point into chunk->bytes (or into the reader, for a record with a field
// that needed unescaping: a doubled quote, text after a closing quote).
class CsvChunkReader {
 public:
  explicit CsvChunkReader(const CsvChunk* chunk);
  ~CsvChunkReader();
  CsvChunkReader(const CsvChunkReader&) = delete;
  CsvChunkReader& operator=(const CsvChunkReader&) = delete;

  // The next record, borrowed until the next call; false after the last.
  bool Next(CsvRecord* record);
  // The same, but a record whose fields all lie in chunk->bytes as they are
  // (no error, and a quoted field's text is the bytes between its quotes)
  // leaves record->fields empty: its fields are
  // appended to `spans` instead, as offsets in chunk->bytes, and
  // `*in_place` is their count. For any other record `*in_place` is 0 and
  // record->fields is as Next(record) gives it.
  bool Next(CsvRecord* record, std::vector<CsvSpan>* spans, size_t* in_place);

 private:
  std::unique_ptr<CsvReader::Impl> impl_;
};

// Appends `fields` as one CSV record terminated by "\n" to `out`, quoting a
// field when it holds the delimiter, a quote, CR or LF, or starts or ends
// with a space, or starts with a UTF-8 BOM (so a reader cannot strip it).
// Quotes inside are doubled; NUL and any other bytes are written as they
// are. A record of one empty field is written `""` so it does not read back
// as a blank line. CsvReader reads the output back to the same fields.
void AppendCsvRecord(const std::vector<std::string_view>& fields,
                     std::string* out, char delimiter = ',');
// Whether a spreadsheet would run `cell` as a formula (OWASP CSV
// injection): it starts with '=', '@', TAB or CR, or with '+' or '-' not
// followed by a plain number. "+84 912 345 678", "-5", "-0,5" and
// "(+84) 912" are numbers; "-cần gấp", "+A1", "=1+1" are not.
bool LooksLikeFormula(std::string_view cell);

// AppendCsvRecord, with every formula-like field prefixed with an
// apostrophe so spreadsheets show it as text. Returns how many fields were
// changed.
size_t AppendCsvRecordExcelSafe(const std::vector<std::string_view>& fields,
                                std::string* out, char delimiter = ',');
void AppendCsvField(std::string_view field, std::string* out,
                    char delimiter = ',');

// AppendCsvRecord, or with `excel_safe` AppendCsvRecordExcelSafe (and its
// count; 0 otherwise), for the record `read` followed by `added`, where the
// fields of `read` may be views into `source`, the bytes they were read
// from. Those found there side by side, one delimiter apart, that need no
// quotes or apostrophe, are copied in one piece. The bytes written are
// exactly those of the field-by-field functions, whatever `source` holds;
// a `source` over 4 KiB is not looked into.
size_t AppendCsvRecordFrom(std::span<const std::string_view> read,
                           std::string_view source,
                           std::span<const std::string_view> added,
                           bool excel_safe, std::string* out,
                           char delimiter = ',');

}  // namespace leadclean

#endif  // LEADCLEAN_CSV_H_
