// Tests for the CSV writer (src/csv/writer.cc): quoting rules, and a
// property test that whatever it writes the reader reads back unchanged.
#include <catch2/catch.hpp>
#include <random>
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

}  // namespace
}  // namespace leadclean
