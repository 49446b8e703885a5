// Fuzzes CsvReader (src/csv/reader.cc) and the CSV writer.
//
// Input: byte 0 sets read_size (1..256), byte 1 the options (delimiter,
// a small record cap, an encoding: detected, UTF-8, UTF-16LE, windows-1258,
// TCVN3, VNI or unknown); the rest is the file. Checks, beyond "no crash, no
// sanitizer report":
//   - chunk invariance: the records equal those read with a 64 KiB read size,
//     and those read the pipeline's way (NextChunk cuts, CsvChunkReader
//     splits, every other record with spans; chunks of 1-97 bytes and 1-3
//     records);
//   - round trip: every record without error, written with AppendCsvRecord
//     and read back, gives the same fields;
//   - a named legacy or UTF-16 encoding yields valid UTF-8 fields;
//   - mojibake: FindMojibakeCells counts the same cells with and without the
//     repair, and every repaired cell is valid UTF-8 (whole input too).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "csv/encoding.h"
#include "leadclean/csv.h"
#include "leadclean/text.h"

namespace {

using leadclean::CsvOptions;
using leadclean::CsvReader;
using leadclean::CsvRecord;

using Copy = leadclean::OwnedCsvRecord;

struct Result {
  std::vector<Copy> records;
  uint64_t blank_lines = 0;
  std::string io_error;
  char delimiter = 0;
  bool operator==(const Result&) const = default;
};

void TakeReaderState(const CsvReader& reader, Result* result) {
  result->blank_lines = reader.blank_lines();
  result->io_error = reader.io_error();
  result->delimiter = result->records.empty() ? 0 : reader.delimiter();
}

Result ReadAll(const std::string& bytes, const CsvOptions& options) {
  CsvReader reader(leadclean::MemoryByteSource(bytes), options);
  Result result;
  CsvRecord record;
  while (reader.Next(&record)) {
    result.records.push_back(Copy::Of(record));
  }
  TakeReaderState(reader, &result);
  return result;
}

// The pipeline's way: NextChunk on one thread, CsvChunkReader on another.
Result ReadInChunks(const std::string& bytes, const CsvOptions& options,
                    size_t max_bytes, uint64_t max_records) {
  CsvReader reader(leadclean::MemoryByteSource(bytes), options);
  Result result;
  leadclean::CsvChunk chunk;
  CsvRecord record;
  while (reader.NextChunk(max_bytes, max_records, &chunk, &record)) {
    if (chunk.records == 0) {
      result.records.push_back(Copy::Of(record));
      continue;
    }
    const uint64_t expected = chunk.records;
    leadclean::CsvChunkReader chunk_reader(&chunk);
    uint64_t found = 0;
    // Every other record with spans, as the pipeline reads them.
    std::vector<leadclean::CsvSpan> spans;
    size_t in_place = 0;
    for (; found % 2 == 0 ? chunk_reader.Next(&record)
                          : chunk_reader.Next(&record, &spans, &in_place);
         ++found) {
      if (found % 2 == 1 && in_place != 0) {
        if (in_place != spans.size() || !record.error.empty()) {
          std::abort();  // spans for a record that is not in place
        }
        record.fields.clear();
        for (const auto& [offset, length] : spans) {
          if (size_t{offset} + length > chunk.bytes.size()) {
            std::abort();  // a span outside the chunk
          }
          record.fields.push_back(
              std::string_view(chunk.bytes).substr(offset, length));
        }
        spans.clear();
      }
      result.records.push_back(Copy::Of(record));
    }
    if (found != expected) {
      std::abort();  // the cut and the split disagree on the record count
    }
  }
  TakeReaderState(reader, &result);
  return result;
}

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "csv_reader_fuzz: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) {
    return 0;
  }
  CsvOptions options;
  options.read_size = 1 + data[0];
  static const char kDelimiters[] = {0, ',', ';', '\t', '|', 0, 0, 0};
  options.delimiter = kDelimiters[data[1] & 7];
  if (data[1] & 8) {
    options.max_record_bytes = 64;
  }
  // "" detects: BOM, UTF-8, or the scored legacy decodings.
  static const char* const kEncodings[] = {"", "", "TCVN3", "VNI", "UTF-8",
                                           "UTF-16LE", "windows-1258",
                                           "no-such-encoding"};
  const int encoding = (data[1] >> 4) & 7;
  options.encoding = kEncodings[encoding];
  const bool decoded = encoding == 2 || encoding == 3 || encoding == 5 ||
                       encoding == 6;
  std::string bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::string repaired;
  if (leadclean::RepairMojibake(bytes, &repaired) &&
      !leadclean::IsValidUtf8(repaired)) {
    Fail("a mojibake repair is not valid UTF-8");
  }

  Result chunked = ReadAll(bytes, options);
  CsvOptions whole = options;
  whole.read_size = 1 << 16;
  if (!(ReadAll(bytes, whole) == chunked)) {
    Fail("records depend on the read size");
  }
  if (!(ReadInChunks(bytes, options, 1 + data[0] % 97, 1 + data[0] / 97) ==
        chunked)) {
    Fail("chunked reading (NextChunk + CsvChunkReader) gives other records");
  }

  // Every record read without error, written back with the same delimiter,
  // reads back to the same fields.
  std::string text;
  std::vector<const Copy*> written;
  std::vector<std::string> storage;
  for (const Copy& record : chunked.records) {
    if (record.error.empty()) {
      std::vector<std::string_view> cells(record.fields.begin(),
                                          record.fields.end());
      for (std::string_view cell : cells) {
        if (decoded && !leadclean::IsValidUtf8(cell)) {
          Fail("a decoded field is not valid UTF-8");
        }
      }
      const size_t found = leadclean::FindMojibakeCells(cells, false, &storage);
      if (leadclean::FindMojibakeCells(cells, true, &storage) != found) {
        Fail("mojibake cells counted differently with the repair");
      }
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i] != record.fields[i] && !leadclean::IsValidUtf8(cells[i])) {
          Fail("a repaired cell is not valid UTF-8");
        }
      }
      std::vector<std::string_view> fields(record.fields.begin(),
                                           record.fields.end());
      leadclean::AppendCsvRecord(fields, &text, chunked.delimiter);
      written.push_back(&record);
    }
  }
  if (!written.empty()) {
    CsvOptions back;
    back.delimiter = chunked.delimiter;
    back.encoding = "UTF-8";
    Result again = ReadAll(text, back);
    bool same = again.records.size() == written.size();
    for (size_t i = 0; same && i < written.size(); ++i) {
      same = again.records[i].error.empty() &&
             again.records[i].fields == written[i]->fields;
    }
    if (!same) {
      Fail("written records do not read back to the same fields");
    }
  }
  return 0;
}
