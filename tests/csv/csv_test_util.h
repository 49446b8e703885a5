// Helpers shared by the CSV tests: read a whole input into owned records,
// check that every read size gives the same result, and check that the
// records and blank lines account for every byte and line of the input.
#ifndef LEADCLEAN_TESTS_CSV_CSV_TEST_UTIL_H_
#define LEADCLEAN_TESTS_CSV_CSV_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "leadclean/csv.h"

namespace leadclean {

using OwnedRecord = OwnedCsvRecord;

struct ReadResult {
  std::vector<OwnedRecord> records;
  char delimiter = 0;
  std::string encoding;
  bool had_bom = false;
  uint64_t blank_lines = 0;
  uint64_t bytes_read = 0;
  std::string io_error;
  bool operator==(const ReadResult&) const = default;
};

// Bytes with CR, LF, NUL, quotes and non-ASCII escaped, for failure output.
inline std::string Printable(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02X", c);
      out += hex;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

inline std::ostream& operator<<(std::ostream& os, const OwnedRecord& r) {
  os << "{line " << r.line << ", offset " << r.byte_offset << ", raw \""
     << Printable(r.raw) << "\"" << (r.raw_truncated ? " (cut)" : "");
  if (!r.error.empty()) {
    os << ", error \"" << r.error << "\"";
  }
  os << ", fields [";
  for (size_t i = 0; i < r.fields.size(); ++i) {
    os << (i ? ", " : "") << '"' << Printable(r.fields[i]) << '"';
  }
  return os << "]}";
}

inline std::ostream& operator<<(std::ostream& os, const ReadResult& r) {
  os << "delimiter '" << Printable(std::string(1, r.delimiter)) << "' encoding "
     << r.encoding << " bom " << r.had_bom << " blank " << r.blank_lines
     << " bytes " << r.bytes_read << " io_error \"" << r.io_error << "\"\n";
  for (const OwnedRecord& record : r.records) {
    os << "  " << record << "\n";
  }
  return os;
}

// What the reader says about the whole input, once it is read.
inline void TakeReaderState(const CsvReader& reader, ReadResult* result) {
  result->delimiter = reader.delimiter();
  result->encoding = reader.encoding();
  result->had_bom = reader.had_bom();
  result->blank_lines = reader.blank_lines();
  result->bytes_read = reader.bytes_read();
  result->io_error = reader.io_error();
}

inline ReadResult ReadFrom(std::unique_ptr<ByteSource> source,
                           const CsvOptions& options, size_t max_records) {
  CsvReader reader(std::move(source), options);
  ReadResult result;
  CsvRecord record;
  while (reader.Next(&record)) {
    result.records.push_back(OwnedRecord::Of(record));
    if (result.records.size() > max_records) {
      FAIL("more records than the input has bytes: the reader loops");
    }
  }
  TakeReaderState(reader, &result);
  return result;
}

inline ReadResult ReadAll(const std::string& bytes, const CsvOptions& options) {
  return ReadFrom(MemoryByteSource(bytes), options, bytes.size() + 1);
}

// The next record of `chunk_reader`, read with spans (as the pipeline
// does): a record left in place gets its fields back from the spans, which
// must lie in the chunk, so it compares with what Next(record) gives.
inline bool NextWithSpans(CsvChunkReader* chunk_reader, const CsvChunk& chunk,
                          CsvRecord* record) {
  std::vector<CsvSpan> spans = {{7, 7}};  // appended to, never replaced
  size_t in_place = 0;
  if (!chunk_reader->Next(record, &spans, &in_place)) {
    return false;
  }
  REQUIRE(spans.size() == 1 + in_place);
  if (in_place != 0) {
    CHECK(record->fields.empty());
    CHECK(record->error.empty());
    for (size_t i = 1; i < spans.size(); ++i) {
      const auto [offset, length] = spans[i];
      REQUIRE(size_t{offset} + length <= chunk.bytes.size());
      record->fields.push_back(
          std::string_view(chunk.bytes).substr(offset, length));
    }
  }
  return true;
}

// Reads `bytes` the two-step way (CsvReader::NextChunk, then a
// CsvChunkReader per chunk), as the pipeline does; `with_spans`: the
// chunk's records are read with NextWithSpans.
inline ReadResult ReadChunked(const std::string& bytes,
                              const CsvOptions& options, size_t max_bytes,
                              uint64_t max_records, bool with_spans = false) {
  CsvReader reader(MemoryByteSource(bytes), options);
  ReadResult result;
  CsvChunk chunk;
  CsvRecord record;
  while (reader.NextChunk(max_bytes, max_records, &chunk, &record)) {
    if (chunk.records == 0) {
      result.records.push_back(OwnedRecord::Of(record));
    } else {
      CHECK(chunk.records <= max_records);
      const uint64_t expected = chunk.records;
      CsvChunkReader chunk_reader(&chunk);
      uint64_t found = 0;
      while (with_spans ? NextWithSpans(&chunk_reader, chunk, &record)
                        : chunk_reader.Next(&record)) {
        result.records.push_back(OwnedRecord::Of(record));
        ++found;
      }
      CHECK(found == expected);
    }
    if (result.records.size() > bytes.size() + 1) {
      FAIL("more records than the input has bytes: the reader loops");
    }
  }
  TakeReaderState(reader, &result);
  return result;
}

inline const std::vector<size_t>& ReadSizes() {
  static const std::vector<size_t> sizes = {1, 2,    3,
                                            7, 4096, CsvOptions().read_size};
  return sizes;
}

// Reads `bytes` with every read size in ReadSizes(), checks that all give
// the same result, and returns the one for the default read size.
inline ReadResult ReadChunkInvariant(const std::string& bytes,
                                     CsvOptions options) {
  options.read_size = CsvOptions().read_size;
  const ReadResult expected = ReadAll(bytes, options);
  for (size_t size : ReadSizes()) {
    options.read_size = size;
    INFO("read_size " << size);
    CHECK(ReadAll(bytes, options) == expected);
    // Chunks of one record, a few, and as many as fit in 1, 64 or 1 Mi bytes.
    for (auto [max_bytes, max_records] :
         {std::pair<size_t, uint64_t>{1 << 20, 1}, {1 << 20, 3}, {1, 100},
          {64, 1000}, {1 << 20, 1 << 20}}) {
      INFO("chunks of at most " << max_records << " records, " << max_bytes
                                << " bytes");
      CHECK(ReadChunked(bytes, options, max_bytes, max_records) == expected);
      CHECK(ReadChunked(bytes, options, max_bytes, max_records,
                        /*with_spans=*/true) == expected);
    }
  }
  return expected;
}

// Line breaks in `text`, a CRLF counting once.
inline uint64_t CountLineBreaks(std::string_view text) {
  uint64_t breaks = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' ||
        (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))) {
      ++breaks;
    }
  }
  return breaks;
}

// Physical lines: breaks, plus one for text after the last break.
inline uint64_t CountLines(std::string_view text) {
  const bool open_line =
      !text.empty() && text.back() != '\n' && text.back() != '\r';
  return CountLineBreaks(text) + (open_line ? 1 : 0);
}

// Checks that `result` accounts for all of `input` (the UTF-8 bytes the
// reader parsed): each record's raw is the input at its offset, each line
// number matches the breaks before it, only line breaks (and the BOM) lie
// between records, and lines spanned by records plus blank lines equal the
// input's lines. A cut raw covers the rest of its line.
inline void CheckAccountsForInput(const std::string& input,
                                  const ReadResult& result) {
  const size_t start = result.had_bom ? 3 : 0;
  size_t pos = start;
  uint64_t lines = 0;
  uint64_t breaks_before = 0;  // a raw never starts or ends inside a CRLF
  for (const OwnedRecord& record : result.records) {
    INFO("record " << record);
    REQUIRE(record.byte_offset >= pos);
    const std::string gap = input.substr(pos, record.byte_offset - pos);
    CHECK(gap.find_first_not_of("\r\n") == std::string::npos);
    CHECK(input.compare(record.byte_offset, record.raw.size(), record.raw) ==
          0);
    breaks_before += CountLineBreaks(gap);
    CHECK(record.line == 1 + breaks_before);
    breaks_before += CountLineBreaks(record.raw);
    pos = record.byte_offset + record.raw.size();
    if (record.raw_truncated) {
      pos = std::min(input.find_first_of("\r\n", pos), input.size());
    }
    lines += 1 + CountLineBreaks(record.raw);
  }
  CHECK(input.find_first_not_of("\r\n", pos) == std::string::npos);
  CHECK(lines + result.blank_lines ==
        CountLines(std::string_view(input).substr(start)));
}

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

using Rows = std::vector<std::vector<std::string>>;

inline Rows FieldsOf(const ReadResult& result) {
  Rows rows;
  for (const OwnedRecord& record : result.records) {
    rows.push_back(record.fields);
  }
  return rows;
}

}  // namespace leadclean

#endif  // LEADCLEAN_TESTS_CSV_CSV_TEST_UTIL_H_
