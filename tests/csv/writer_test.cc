// Tests for the CSV writer (src/csv/writer.cc): quoting rules, a property
// test that whatever it writes the reader reads back unchanged, and one that
// copying read fields from their source (AppendCsvRecordFrom) writes exactly
// the bytes of the field-by-field path.
#include <catch2/catch.hpp>
#include <algorithm>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "csv_test_util.h"
#include "leadclean/csv.h"

namespace leadclean {
namespace {

using namespace std::string_literals;

std::string Bom() { return "\xEF\xBB\xBF"; }

TEST_CASE("csv writer: quotes a field only when it needs it", "[csv][writer]") {
  struct Case {
    std::string field;
    char delimiter;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"abc", ',', "abc"},
      {"", ',', ""},
      {"a b", ',', "a b"},
      {"a,b", ',', "\"a,b\""},
      {"a,b", ';', "a,b"},
      {"a;b", ';', "\"a;b\""},
      {"a\tb", '\t', "\"a\tb\""},
      {"a|b", '|', "\"a|b\""},
      {"say \"hi\"", ',', "\"say \"\"hi\"\"\""},
      {"\"", ',', "\"\"\"\""},
      {"a\nb", ',', "\"a\nb\""},
      {"a\rb", ',', "\"a\rb\""},
      {"a\r\nb", ',', "\"a\r\nb\""},
      {" lead", ',', "\" lead\""},
      {"trail ", ',', "\"trail \""},
      {" ", ',', "\" \""},
      {"x\0y"s, ',', "x\0y"s},
      {"\xFF\xFE", ',', "\xFF\xFE"},
      {"\xF0\x9F\x98\x80", ',', "\xF0\x9F\x98\x80"},
      {Bom() + "a", ',', "\"" + Bom() + "a\""},
  };
  for (const Case& c : cases) {
    INFO("field: " << Printable(c.field)
                   << " delimiter: " << Printable(std::string(1, c.delimiter)));
    std::string out = "prefix|";
    AppendCsvField(c.field, &out, c.delimiter);
    CHECK(out == "prefix|" + c.expected);
  }
}

TEST_CASE("csv writer: terminates records with LF and keeps them readable",
          "[csv][writer]") {
  struct Case {
    std::vector<std::string_view> fields;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"a", "b"}, "a,b\n"},         {{"", ""}, ",\n"},
      {{"a", ""}, "a,\n"},           {{""}, "\"\"\n"},
      {{"x,y", "z"}, "\"x,y\",z\n"},
  };
  for (const Case& c : cases) {
    INFO("expected: " << Printable(c.expected));
    std::string out;
    AppendCsvRecord(c.fields, &out);
    CHECK(out == c.expected);
  }
}

// Random fields drawn from the bytes that trouble CSV tools.
class FieldGenerator {
 public:
  explicit FieldGenerator(char delimiter) : delimiter_(delimiter) {}

  std::vector<std::string> Record() {
    std::vector<std::string> fields(Pick(6) + 1);
    for (std::string& field : fields) {
      field = Field();
    }
    return fields;
  }

 private:
  std::string Field() {
    std::string field;
    const size_t pieces = Pick(4) == 0 ? 0 : Pick(12);
    for (size_t i = 0; i < pieces; ++i) {
      field += Piece();
    }
    return field;
  }

  std::string Piece() {
    const std::vector<std::string> pieces = {"a",
                                             "Z",
                                             "0",
                                             " ",
                                             "\"",
                                             "\"\"",
                                             "\r",
                                             "\n",
                                             "\r\n",
                                             "\0"s,
                                             std::string(1, delimiter_),
                                             ",",
                                             ";",
                                             "\t",
                                             "|",
                                             "\xF0\x9F\x98\x80",
                                             "\xE1\xBB\x87",
                                             Bom(),
                                             "\xFF",
                                             "Nguy\xE1\xBB\x85n"};
    return pieces[Pick(pieces.size())];
  }

  size_t Pick(size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(random_);
  }

  char delimiter_;
  std::mt19937 random_{20240611};
};

TEST_CASE("csv writer: random records read back identically",
          "[csv][writer][roundtrip]") {
  for (char delimiter : {',', ';', '\t', '|'}) {
    INFO("delimiter: " << Printable(std::string(1, delimiter)));
    FieldGenerator generator(delimiter);
    std::vector<std::vector<std::string>> written;
    std::string csv;
    for (int i = 0; i < 3000; ++i) {
      written.push_back(generator.Record());
      const std::vector<std::string_view> views(written.back().begin(),
                                                written.back().end());
      AppendCsvRecord(views, &csv, delimiter);
    }
    CsvOptions options;
    options.delimiter = delimiter;
    const ReadResult result = ReadChunkInvariant(csv, options);
    CHECK(result.blank_lines == 0);
    REQUIRE(result.records.size() == written.size());
    for (size_t i = 0; i < written.size(); ++i) {
      INFO("record " << i << ": " << result.records[i]);
      CHECK(result.records[i].error.empty());
      CHECK(result.records[i].fields == written[i]);
    }
    CheckAccountsForInput(csv, result);
  }
}


// Fields made to trip the copy from source: edges that force quotes (spaces,
// a BOM), formula starts ('=', '@', TAB, CR, '+' and '-' with and without a
// number after them), bytes that force quotes inside, and plain text.
class HostileFields {
 public:
  HostileFields(char delimiter, uint32_t seed)
      : delimiter_(delimiter), random_(seed) {}

  std::string Field() {
    if (Pick(5) == 0) {
      return "";
    }
    std::string field;
    for (size_t i = Pick(4) + 1; i > 0; --i) {
      field += Piece();
    }
    return field;
  }

  std::vector<std::string> Fields(size_t count) {
    std::vector<std::string> fields(count);
    for (std::string& field : fields) {
      field = Field();
    }
    return fields;
  }

  size_t Pick(size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(random_);
  }

  std::mt19937& random() { return random_; }

 private:
  std::string Piece() {
    const std::vector<std::string> pieces = {
        "a", "Nguyễn Văn A", "0912345678", "x@y.vn", " ", "  ", "=", "=1+1",
        "@", "@SUM(A1)", "+84 912 345 678", "+84", "+abc", "+", "-5", "-",
        "-0,5", "-cần gấp", "(+84) 912", "\t", "\r", "\n", "\r\n", "\"",
        "\"\"", "'", ",", ";", "|", std::string(1, delimiter_), Bom(), "\xEF",
        "\xFF", "\0"s, "\xF0\x9F\x98\x80", "Đà Nẵng",
        std::string(20, 'x'), std::string(70, 'y')};
    return pieces[Pick(pieces.size())];
  }

  char delimiter_;
  std::mt19937 random_;
};

// The bytes and count of `read` followed by `added` written field by field
// with AppendCsvField, an apostrophe put before each formula-like field by
// hand: the writer's record paths are checked against this.
std::pair<std::string, size_t> FieldByField(
    std::span<const std::string_view> read,
    std::span<const std::string_view> added, bool excel_safe,
    char delimiter) {
  std::vector<std::string_view> all(read.begin(), read.end());
  all.insert(all.end(), added.begin(), added.end());
  std::string out = "before|";
  if (all.size() == 1 && all[0].empty()) {
    return {out + "\"\"\n", 0};
  }
  size_t neutralised = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0) {
      out += delimiter;
    }
    if (excel_safe && LooksLikeFormula(all[i])) {
      ++neutralised;
      AppendCsvField("'" + std::string(all[i]), &out, delimiter);
    } else {
      AppendCsvField(all[i], &out, delimiter);
    }
  }
  return {out + "\n", neutralised};
}

void CheckSameAsFieldByField(std::span<const std::string_view> read,
                             std::string_view source,
                             std::span<const std::string_view> added,
                             bool excel_safe, char delimiter) {
  std::string out = "before|";
  const size_t neutralised =
      AppendCsvRecordFrom(read, source, added, excel_safe, &out, delimiter);
  const auto [expected, expected_neutralised] =
      FieldByField(read, added, excel_safe, delimiter);
  INFO("source: " << Printable(std::string(source)));
  INFO("expected: " << Printable(expected));
  CHECK(out == expected);
  CHECK(neutralised == expected_neutralised);
  // The record functions without a source write the same.
  std::vector<std::string_view> all(read.begin(), read.end());
  all.insert(all.end(), added.begin(), added.end());
  std::string plain = "before|";
  if (excel_safe) {
    CHECK(AppendCsvRecordExcelSafe(all, &plain, delimiter) ==
          expected_neutralised);
  } else {
    AppendCsvRecord(all, &plain, delimiter);
  }
  CHECK(plain == expected);
}

const std::vector<char>& Delimiters() {
  static const std::vector<char> delimiters = {',', ';', '\t', '|', '\''};
  return delimiters;
}

TEST_CASE(
    "csv writer: fields read back by the reader and copied from their "
    "source give the field-by-field bytes",
    "[csv][writer][property]") {
  for (char delimiter : Delimiters()) {
    for (bool excel_safe : {false, true}) {
      INFO("delimiter: " << Printable(std::string(1, delimiter))
                         << " excel_safe: " << excel_safe);
      HostileFields generator(delimiter, 20261122);
      std::string csv;
      std::vector<std::vector<std::string>> added;
      for (int i = 0; i < 1500; ++i) {
        const std::vector<std::string> fields =
            generator.Fields(generator.Pick(8) + 1);
        AppendCsvRecord(std::vector<std::string_view>(fields.begin(),
                                                      fields.end()),
                        &csv, delimiter);
        added.push_back(generator.Fields(generator.Pick(4)));
      }
      CsvOptions options;
      options.delimiter = delimiter;
      options.encoding = "utf-8";
      CsvReader reader(MemoryByteSource(csv), options);
      CsvRecord record;
      size_t i = 0;
      while (reader.Next(&record)) {
        REQUIRE(i < added.size());
        INFO("record " << i << ": " << Printable(std::string(record.raw)));
        REQUIRE(record.error.empty());
        // As the pipeline does: the row's bytes run from its first field
        // to the end of its last.
        const char* begin = record.fields.front().data();
        const std::string_view& last = record.fields.back();
        const std::string_view source(begin,
                                      last.data() + last.size() - begin);
        const std::vector<std::string_view> extra(added[i].begin(),
                                                  added[i].end());
        CheckSameAsFieldByField(record.fields, source, extra, excel_safe,
                                delimiter);
        ++i;
      }
      CHECK(i == added.size());
    }
  }
}

// Lays fields out in one buffer the way a reader might, or might not:
// separators that are the delimiter or another byte, gaps of 0 to 2 bytes,
// fields out of order, fields from elsewhere and null views.
struct Layout {
  std::string source;
  std::vector<std::string> elsewhere;
  std::vector<std::string_view> read;
};

Layout MakeLayout(HostileFields* generator, char delimiter) {
  Layout layout;
  const std::vector<std::string> fields =
      generator->Fields(generator->Pick(10) + 1);
  const std::string separators = std::string(1, delimiter) + ",;\"x\n";
  std::vector<std::pair<size_t, size_t>> spans;
  for (const std::string& field : fields) {
    if (!layout.source.empty() || generator->Pick(4) == 0) {
      const size_t gap = generator->Pick(8) == 0 ? generator->Pick(3) : 1;
      for (size_t g = 0; g < gap; ++g) {
        layout.source += generator->Pick(6) == 0
                             ? separators[generator->Pick(separators.size())]
                             : delimiter;
      }
    }
    spans.emplace_back(layout.source.size(), field.size());
    layout.source += field;
  }
  if (generator->Pick(4) == 0) {
    layout.source += delimiter;  // bytes after the last field
  }
  if (generator->Pick(6) == 0) {
    std::shuffle(spans.begin(), spans.end(), generator->random());
  }
  layout.elsewhere.reserve(fields.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    const size_t kind = generator->Pick(12);
    if (kind == 0) {
      layout.elsewhere.push_back(fields[i]);
      layout.read.push_back(layout.elsewhere.back());
    } else if (kind == 1) {
      layout.read.push_back(std::string_view());
    } else {
      layout.read.push_back(std::string_view(layout.source)
                                .substr(spans[i].first, spans[i].second));
    }
  }
  if (generator->Pick(8) == 0) {
    layout.read.pop_back();  // a short row
  }
  return layout;
}

TEST_CASE(
    "csv writer: fields in any layout of their source give the "
    "field-by-field bytes",
    "[csv][writer][property]") {
  for (char delimiter : Delimiters()) {
    for (bool excel_safe : {false, true}) {
      INFO("delimiter: " << Printable(std::string(1, delimiter))
                         << " excel_safe: " << excel_safe);
      HostileFields generator(delimiter, 7);
      for (int i = 0; i < 3000; ++i) {
        INFO("record " << i);
        const Layout layout = MakeLayout(&generator, delimiter);
        const std::vector<std::string> added_fields =
            generator.Fields(generator.Pick(4));
        const std::vector<std::string_view> added(added_fields.begin(),
                                                  added_fields.end());
        std::string_view source = layout.source;
        if (generator.Pick(8) == 0) {  // only part of the row
          const size_t begin = generator.Pick(source.size() + 1);
          source = source.substr(begin, generator.Pick(source.size() + 1));
        }
        CheckSameAsFieldByField(layout.read, source, added, excel_safe,
                                delimiter);
      }
    }
  }
}

TEST_CASE("csv writer: copying from a source keeps the edge cases",
          "[csv][writer]") {
  const std::string row = "a,,b";
  const std::string_view source = row;
  const std::vector<std::string_view> one_empty = {source.substr(1, 0)};
  const std::vector<std::string_view> none;
  CheckSameAsFieldByField(one_empty, source, none, false, ',');
  CheckSameAsFieldByField(none, {}, one_empty, true, ',');
  const std::vector<std::string_view> fields = {
      source.substr(0, 1), source.substr(2, 0), source.substr(3, 1)};
  CheckSameAsFieldByField(fields, source, none, true, ',');
  CheckSameAsFieldByField(fields, {}, fields, true, ',');
  // A source too long to map is written field by field.
  const std::string long_row = std::string(5000, 'a') + ",=b";
  const std::vector<std::string_view> long_fields = {
      std::string_view(long_row).substr(0, 5000),
      std::string_view(long_row).substr(5001)};
  CheckSameAsFieldByField(long_fields, long_row, none, true, ',');
}

}  // namespace
}  // namespace leadclean
