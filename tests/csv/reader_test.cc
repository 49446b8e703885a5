// Tests for the streaming CSV reader (src/csv/reader.cc, sniff.cc,
// encoding.cc) and the byte sources. Every case is read with read sizes 1,
// 2, 3, 7, 4096 and the default, which must all agree.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "csv/sniff.h"
#include "csv_test_util.h"
#include "leadclean/csv.h"

namespace leadclean {
namespace {

using namespace std::string_literals;

std::string Bom() { return "\xEF\xBB\xBF"; }

struct FieldsCase {
  const char* name;
  std::string input;
  Rows expected;
  char delimiter = 0;
};

TEST_CASE("csv reader: splits fields the RFC 4180 way, keeping every byte",
          "[csv][reader]") {
  const std::vector<FieldsCase> cases = {
      {"simple", "a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}},
      {"no trailing newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
      {"quoted delimiter", "a,\"b,c\"\n", {{"a", "b,c"}}},
      {"doubled quotes",
       "\"he said \"\"hi\"\"\",x\n",
       {{"he said \"hi\"", "x"}}},
      {"only a doubled quote", "\"\"\"\"\n", {{"\""}}},
      {"empty quoted fields", "\"\",\"\"\n", {{"", ""}}},
      {"one empty quoted field is a record", "\"\"\n", {{""}}},
      {"empty fields", ",,\n", {{"", "", ""}}},
      {"trailing delimiter", "a,b,\n1,2,\n", {{"a", "b", ""}, {"1", "2", ""}}},
      {"ragged rows kept as they are",
       "a,b,c\n1\n1,2,3,4\n",
       {{"a", "b", "c"}, {"1"}, {"1", "2", "3", "4"}}},
      {"quoted LF", "\"a\nb\",c\n", {{"a\nb", "c"}}},
      {"quoted CRLF kept as CRLF", "\"a\r\nb\",c\r\n", {{"a\r\nb", "c"}}},
      {"quoted CR kept", "\"a\rb\",c\r", {{"a\rb", "c"}}},
      {"quoted blank lines kept", "\"\n\n\r\n\",x\n", {{"\n\n\r\n", "x"}}},
      {"CRLF lines", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
      {"CR-only lines", "a,b\r1,2\r3,4", {{"a", "b"}, {"1", "2"}, {"3", "4"}}},
      {"mixed line endings", "a\r\nb\nc\rd\n", {{"a"}, {"b"}, {"c"}, {"d"}}},
      {"quoted fields then CRLF", "\"a\"\r\n\"b\"\r\n", {{"a"}, {"b"}}},
      {"NUL kept", "a,x\0y\n\0,b\n"s, {{"a", "x\0y"s}, {"\0"s, "b"}}},
      {"NUL kept in quotes", "\"x\0y\",b\n"s, {{"x\0y"s, "b"}}},
      {"invalid UTF-8 kept", "a,\xFF\xFE\n", {{"a", "\xFF\xFE"}}},
      {"4-byte UTF-8 kept",
       "\xF0\x9F\x98\x80,x\n",
       {{"\xF0\x9F\x98\x80", "x"}}},
      {"UTF-8 BOM stripped", Bom() + "a,b\n", {{"a", "b"}}},
      {"BOM after the start kept", "a," + Bom() + "b\n", {{"a", Bom() + "b"}}},
      {"blank lines skipped", "\n\na\n\r\n\rb\n\n", {{"a"}, {"b"}}},
      {"spaces are not blank", " \n", {{" "}}},
      {"whitespace kept", " a , b \n", {{" a ", " b "}}},
      {"bare quote inside unquoted field kept", "ab\"c,d\n", {{"ab\"c", "d"}}},
      {"text after closing quote appended",
       "\"abc\"def,g\n",
       {{"abcdef", "g"}}},
      {"quotes after closing quote literal",
       "\"a\"b\"c\",d\n",
       {{"ab\"c\"", "d"}}},
      {"space before quote: quote literal",
       "1, \"x,y\"\n",
       {{"1", " \"x", "y\""}}},
      {"quote closes at end of input", "\"abc\"", {{"abc"}}},
      // Literal quotes followed by quoted fields on later lines: a chunk
      // cut (CsvReader::NextChunk) that took the first quote as opening a
      // field would see one record where there are three.
      {"bare quote, then quoted fields on later lines",
       "ab\"c,d\n\"x\ny\",z\n\"q\",\"\"\n",
       {{"ab\"c", "d"}, {"x\ny", "z"}, {"q", ""}}},
      {"space-quote, then a quoted line break",
       "1, \"x\n\"p\r\nq\",\"r\"\"\"\r",
       {{"1", " \"x"}, {"p\r\nq", "r\""}}},
      {"quote after closing quote, then a quoted field",
       "\"a\"b\"c,d\n\"e\"\n",
       {{"ab\"c", "d"}, {"e"}}},
      {"explicit delimiter", "a,b;c\n", {{"a,b", "c"}}, ';'},
      {"explicit tab", "a,b\tc\n", {{"a,b", "c"}}, '\t'},
  };
  for (const FieldsCase& c : cases) {
    INFO("case: " << c.name << " input: " << Printable(c.input));
    CsvOptions options;
    options.delimiter = c.delimiter;
    const ReadResult result = ReadChunkInvariant(c.input, options);
    CHECK(FieldsOf(result) == c.expected);
    CHECK(result.io_error.empty());
    for (const OwnedRecord& record : result.records) {
      CHECK(record.error.empty());
    }
    CheckAccountsForInput(c.input, result);
  }
}

TEST_CASE("csv reader: counts blank lines and reports the BOM",
          "[csv][reader]") {
  struct Case {
    const char* name;
    std::string input;
    uint64_t blank_lines;
    bool had_bom;
  };
  const std::vector<Case> cases = {
      {"none", "a\nb\n", 0, false},
      {"LF", "\n\na\n\nb\n\n", 4, false},
      {"CRLF and CR", "a\r\n\r\n\rb\r\n", 2, false},
      {"CR then CRLF", "a\r\r\nb", 1, false},
      {"BOM then blank line", Bom() + "\r\na\n", 1, true},
      {"BOM only", Bom(), 0, true},
      {"empty input", "", 0, false},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    const ReadResult result = ReadChunkInvariant(c.input, CsvOptions());
    CHECK(result.blank_lines == c.blank_lines);
    CHECK(result.had_bom == c.had_bom);
    CHECK(result.bytes_read == c.input.size());
    CheckAccountsForInput(c.input, result);
  }
}

TEST_CASE("csv reader: gives each record its line, byte offset and raw bytes",
          "[csv][reader]") {
  struct Position {
    uint64_t line;
    uint64_t byte_offset;
    std::string raw;
  };
  struct Case {
    const char* name;
    std::string input;
    std::vector<Position> expected;
  };
  const std::vector<Case> cases = {
      {"LF", "a,b\n1,2\n", {{1, 0, "a,b"}, {2, 4, "1,2"}}},
      {"BOM counted in offsets",
       Bom() + "a\r\nb\r\n",
       {{1, 3, "a"}, {2, 6, "b"}}},
      {"quoted breaks count as lines",
       "x\n\"p\nq\"\r\ny\r\rz",
       {{1, 0, "x"}, {2, 2, "\"p\nq\""}, {4, 9, "y"}, {6, 12, "z"}}},
      {"quoted CRLF counts once",
       "\"a\r\nb\"\nc",
       {{1, 0, "\"a\r\nb\""}, {3, 7, "c"}}},
      {"blank lines skipped but counted",
       "a\r\n\r\nb",
       {{1, 0, "a"}, {3, 5, "b"}}},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    const ReadResult result = ReadChunkInvariant(c.input, CsvOptions());
    REQUIRE(result.records.size() == c.expected.size());
    for (size_t i = 0; i < c.expected.size(); ++i) {
      INFO("record " << i << ": " << result.records[i]);
      CHECK(result.records[i].line == c.expected[i].line);
      CHECK(result.records[i].byte_offset == c.expected[i].byte_offset);
      CHECK(result.records[i].raw == c.expected[i].raw);
    }
    CheckAccountsForInput(c.input, result);
  }
}

TEST_CASE("csv reader: sniffs the delimiter without consuming input",
          "[csv][reader][sniff]") {
  const std::string long_semicolon = [] {
    std::string text = "name;phone;note\n";
    for (int i = 0; i < 5000; ++i) {
      text += "Nguyen Van " + std::to_string(i) + ";0912 345 678;\"a;b, c\"\n";
    }
    return text;
  }();
  struct Case {
    const char* name;
    std::string input;
    char expected;
  };
  const std::vector<Case> cases = {
      {"comma", "a,b,c\n1,2,3\n", ','},
      {"semicolon", "a;b;c\n1;2;3\n", ';'},
      {"tab", "a\tb\tc\n1\t2\t3\n", '\t'},
      {"pipe", "a|b|c\n1|2|3\n", '|'},
      {"semicolon with decimal commas", "a;b;c\n1,5;2,3;4\n7;8,1;9\n", ';'},
      {"quoted semicolons ignored", "name,note\n\"x;y;z\",1\n\"p;q\",2\n", ','},
      {"quoted line breaks ignored", "a|b\n\"x\n,,,\"|1\n", '|'},
      {"single column defaults to comma", "name\nAn\nBinh\n", ','},
      {"empty input defaults to comma", "", ','},
      {"header only", "a;b\n", ';'},
      {"more than 64 KiB", long_semicolon, ';'},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    const ReadResult result = ReadChunkInvariant(c.input, CsvOptions());
    CHECK(result.delimiter == c.expected);
    CheckAccountsForInput(c.input, result);
  }
  const ReadResult long_result = ReadAll(long_semicolon, CsvOptions());
  REQUIRE(long_result.records.size() == 5001);
  CHECK(long_result.records[0].fields ==
        std::vector<std::string>{"name", "phone", "note"});
  CHECK(long_result.records[5000].fields ==
        std::vector<std::string>{"Nguyen Van 4999", "0912 345 678", "a;b, c"});
}

TEST_CASE("csv sniff: ignores a cut last line unless it is the only one",
          "[csv][sniff]") {
  CHECK(SniffDelimiter("a;b\n1;2\n3,4,5,6,7", false) == ';');
  CHECK(SniffDelimiter("a|b|c", false) == '|');
  CHECK(SniffDelimiter("a,b\n1,2\n3|4|5|6|7", true) == ',');
}

struct ErrorCase {
  const char* name;
  std::string input;
  size_t max_record_bytes;
  std::vector<OwnedRecord> expected;
};

OwnedRecord Rec(std::vector<std::string> fields, uint64_t line, uint64_t offset,
                std::string raw, std::string error = "",
                bool truncated = false) {
  return {std::move(fields), line,      offset,
          std::move(raw),    truncated, std::move(error)};
}

TEST_CASE("csv reader: quarantines broken records and resumes on the next line",
          "[csv][reader][malformed]") {
  const std::string kUnterminated = "unterminated quoted field";
  const std::string big_line(5000, 'x');
  std::string many_lines = "h\n\"open\n";
  std::vector<OwnedRecord> many_expected = {
      Rec({"h"}, 1, 0, "h"),
      Rec({"open"}, 2, 2, "\"open", "record exceeds 64 bytes")};
  for (int i = 0; i < 50; ++i) {
    const std::string row = "r" + std::to_string(i) + ",1";
    many_expected.push_back(
        Rec({"r" + std::to_string(i), "1"}, 3 + i, many_lines.size(), row));
    many_lines += row + "\n";
  }
  const std::vector<ErrorCase> cases = {
      {"unterminated quote: following rows come back",
       "a,b\n1,\"xy\n2,3\n",
       1024,
       {Rec({"a", "b"}, 1, 0, "a,b"),
        Rec({"1", "xy"}, 2, 4, "1,\"xy", kUnterminated),
        Rec({"2", "3"}, 3, 10, "2,3")}},
      {"unterminated quote on the last line",
       "a\n\"xyz",
       1024,
       {Rec({"a"}, 1, 0, "a"), Rec({"xyz"}, 2, 2, "\"xyz", kUnterminated)}},
      {"unterminated quote with CRLF",
       "h\r\n\"a\r\nb\r\nc",
       1024,
       {Rec({"h"}, 1, 0, "h"), Rec({"a"}, 2, 3, "\"a", kUnterminated),
        Rec({"b"}, 3, 7, "b"), Rec({"c"}, 4, 10, "c")}},
      {"second quoted field unterminated",
       "\"a\nb\",\"c\nd",
       1024,
       {Rec({"a"}, 1, 0, "\"a", kUnterminated),
        Rec({"b\"", "c"}, 2, 3, "b\",\"c", kUnterminated),
        Rec({"d"}, 3, 9, "d")}},
      {"one line over the cap",
       "a\n0123456789ABC\nb\n",
       10,
       {Rec({"a"}, 1, 0, "a"),
        Rec({"0123456789ABC"}, 2, 2, "0123456789ABC",
            "record exceeds 10 bytes"),
        Rec({"b"}, 3, 16, "b")}},
      {"last line over the cap, no newline",
       "abcdefgh",
       5,
       {Rec({"abcdefgh"}, 1, 0, "abcdefgh", "record exceeds 5 bytes")}},
      {"record exactly at the cap",
       "abcde\nf\n",
       5,
       {Rec({"abcde"}, 1, 0, "abcde"), Rec({"f"}, 2, 6, "f")}},
      {"huge line: raw cut to 4096 bytes",
       "h\n" + big_line + "\nt\n",
       100,
       {Rec({"h"}, 1, 0, "h"),
        Rec({big_line.substr(0, 4096)}, 2, 2, big_line.substr(0, 4096),
            "record exceeds 100 bytes", true),
        Rec({"t"}, 3, 5003, "t")}},
      {"multi-line quoted record over the cap",
       "\"aaaa\nbbbbbbbbbbbb\"\nc\n",
       10,
       {Rec({"aaaa"}, 1, 0, "\"aaaa", "record exceeds 10 bytes"),
        Rec({"bbbbbbbbbbbb\""}, 2, 6, "bbbbbbbbbbbb\"",
            "record exceeds 10 bytes"),
        Rec({"c"}, 3, 20, "c")}},
      {"open quote hits the cap: every later line comes back", many_lines, 64,
       many_expected},
  };
  for (const ErrorCase& c : cases) {
    INFO("case: " << c.name);
    CsvOptions options;
    options.max_record_bytes = c.max_record_bytes;
    const ReadResult result = ReadChunkInvariant(c.input, options);
    REQUIRE(result.records.size() == c.expected.size());
    for (size_t i = 0; i < c.expected.size(); ++i) {
      CHECK(result.records[i] == c.expected[i]);
    }
    CheckAccountsForInput(c.input, result);
  }
}

// "h", an open quote, then `rows` lines "row,1" produced on demand.
class OpenQuoteSource : public ByteSource {
 public:
  explicit OpenQuoteSource(size_t rows) : rows_(rows) {}
  long Read(char* buf, size_t n) override {
    size_t count = 0;
    while (count < n && (pending_pos_ < pending_.size() || NextLine())) {
      buf[count++] = pending_[pending_pos_++];
    }
    return static_cast<long>(count);
  }

 private:
  bool NextLine() {
    if (rows_ == 0) {
      return false;
    }
    --rows_;
    pending_ = "row,1\n";
    pending_pos_ = 0;
    return true;
  }

  size_t rows_;
  std::string pending_ = "h\n\"";
  size_t pending_pos_ = 0;
};

TEST_CASE("csv reader: an open quote costs at most the cap of lookahead",
          "[csv][reader][malformed]") {
  CsvOptions options;
  options.max_record_bytes = 4096;
  options.read_size = 4096;
  CsvReader reader(std::make_unique<OpenQuoteSource>(1000000), options);
  CsvRecord record;
  REQUIRE(reader.Next(&record));
  REQUIRE(reader.Next(&record));
  CHECK(record.error == "record exceeds 4096 bytes");
  CHECK(record.raw == "\"row,1");
  CHECK(reader.bytes_read() <= 64 * 1024 + 3 * 4096);
  REQUIRE(reader.Next(&record));
  CHECK(record.fields == std::vector<std::string_view>{"row", "1"});
  CHECK(record.line == 3);
}

// Encodes ASCII/BMP text given as UTF-16 code units.
std::string Utf16(const std::u16string& text, bool little_endian) {
  std::string bytes;
  for (char16_t unit : text) {
    const char low = static_cast<char>(unit & 0xFF);
    const char high = static_cast<char>(unit >> 8);
    bytes += little_endian ? std::string{low, high} : std::string{high, low};
  }
  return bytes;
}

TEST_CASE("csv reader: decodes UTF-16 and legacy encodings to UTF-8",
          "[csv][reader][encoding]") {
  struct Case {
    const char* name;
    std::string input;
    std::string encoding_option;
    Rows expected;
    std::string encoding;
    bool had_bom;
  };
  const std::u16string text = u"\uFEFFa,b\r\n1,\u00E9 \U0001F600\n\"x\ny\",z\n";
  const Rows text_rows = {
      {"a", "b"}, {"1", "\xC3\xA9 \xF0\x9F\x98\x80"}, {"x\ny", "z"}};
  const std::vector<Case> cases = {
      {"UTF-16LE with BOM", Utf16(text, true), "", text_rows, "UTF-16LE", true},
      {"UTF-16BE with BOM", Utf16(text, false), "auto", text_rows, "UTF-16BE",
       true},
      {"UTF-16LE named",
       Utf16(u"a;b\n", true),
       "UTF-16LE",
       {{"a", "b"}},
       "UTF-16LE",
       false},
      {"windows-1252 smart quotes",
       "name,note\nAnn,\x93hi\x94 \x96 ok\n",
       "windows-1252",
       {{"name", "note"},
        {"Ann", "\xE2\x80\x9Chi\xE2\x80\x9D \xE2\x80\x93 ok"}},
       "windows-1252",
       false},
      {"windows-1258 Vietnamese",
       "ten\nVi\xEA\xF2t\n",
       "windows-1258",
       {{"ten"}, {"Vi\xC3\xAA\xCC\xA3t"}},
       "windows-1258",
       false},
      {"UTF-8 named passes invalid bytes through",
       "a,\xFF\n",
       "UTF-8",
       {{"a", "\xFF"}},
       "UTF-8",
       false},
      {"Latin-1 bytes without a name detected as windows-1252",
       "Jos\xE9,Z\xFCrich\n",
       "",
       {{"Jos\xC3\xA9", "Z\xC3\xBCrich"}},
       "windows-1252",
       false},
      {"stray bytes without a name kept as they are",
       "a,\xFF\xFE\n",
       "",
       {{"a", "\xFF\xFE"}},
       "UTF-8",
       false},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    CsvOptions options;
    options.encoding = c.encoding_option;
    const ReadResult result = ReadChunkInvariant(c.input, options);
    CHECK(FieldsOf(result) == c.expected);
    CHECK(result.encoding == c.encoding);
    CHECK(result.had_bom == c.had_bom);
    CHECK(result.io_error.empty());
  }
}

TEST_CASE("csv reader: an unknown encoding is an error, not a guess",
          "[csv][reader][encoding]") {
  CsvOptions options;
  options.encoding = "no-such-charset";
  const ReadResult result = ReadAll("a,b\n", options);
  CHECK(result.records.empty());
  CHECK(result.io_error == "unknown encoding \"no-such-charset\"");
}

class FailingSource : public ByteSource {
 public:
  explicit FailingSource(std::string bytes) : bytes_(std::move(bytes)) {}
  long Read(char* buf, size_t n) override {
    if (bytes_.empty()) {
      error_ = "input.csv: Input/output error";
      return -1;
    }
    const size_t count = std::min(n, bytes_.size());
    bytes_.copy(buf, count);
    bytes_.erase(0, count);
    return static_cast<long>(count);
  }

 private:
  std::string bytes_;
};

TEST_CASE("csv reader: stops with io_error when the source fails",
          "[csv][reader][io]") {
  for (size_t read_size : ReadSizes()) {
    for (char delimiter : {',', '\0'}) {
      INFO("read_size " << read_size << " delimiter " << int{delimiter});
      CsvOptions options;
      options.read_size = read_size;
      options.delimiter = delimiter;
      const ReadResult result =
          ReadFrom(std::make_unique<FailingSource>("a,b\n1,2\n3"), options, 10);
      CHECK(result.io_error == "input.csv: Input/output error");
      CHECK(result.records.size() <= 2);
      for (const OwnedRecord& record : result.records) {
        CHECK(record.error.empty());
      }
    }
  }
}

TEST_CASE("csv byte source: opens files and stdin, reports why it cannot",
          "[csv][byte_source]") {
  std::string error;
  CHECK(OpenByteSource("no-such-dir/leads.csv", &error) == nullptr);
  CHECK(error == "no-such-dir/leads.csv: No such file or directory");
  CHECK(OpenByteSource(LEADCLEAN_TESTDATA_DIR, &error) == nullptr);
  CHECK(error == std::string(LEADCLEAN_TESTDATA_DIR) + ": is a directory");
  CHECK(OpenByteSource("-", &error) != nullptr);

  const std::string path =
      std::string(LEADCLEAN_TESTDATA_DIR) + "/probes/06_embedded_newline.csv";
  std::unique_ptr<ByteSource> file = OpenByteSource(path, &error);
  REQUIRE(file != nullptr);
  const ReadResult from_file = ReadFrom(std::move(file), CsvOptions(), 100);
  CHECK(from_file == ReadAll(ReadFileBytes(path), CsvOptions()));
  CHECK(FieldsOf(from_file) == Rows{{"a", "b"}, {"1", "x\ny"}, {"2", "z"}});
}

TEST_CASE("csv byte source: memory source hands out its bytes in order",
          "[csv][byte_source]") {
  std::unique_ptr<ByteSource> source = MemoryByteSource("abc\0de"s);
  char buf[4];
  CHECK(source->Read(buf, 4) == 4);
  CHECK(std::string(buf, 4) == "abc\0"s);
  CHECK(source->Read(buf, 4) == 2);
  CHECK(std::string(buf, 2) == "de");
  CHECK(source->Read(buf, 4) == 0);
}

}  // namespace
}  // namespace leadclean
