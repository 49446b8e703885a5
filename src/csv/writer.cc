// CSV writer. The quoting test runs on every output field, so it is a
// table lookup per byte rather than several searches.
#include <array>
#include <cstdint>
#include <cstring>

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
  for (char c : field) {
    if (kAlwaysQuoted[static_cast<uint8_t>(c)] || c == delimiter) {
      return true;
    }
  }
  return false;
}

void AppendQuoted(std::string_view field, std::string* out) {
  out->push_back('"');
  for (;;) {
    const void* quote = std::memchr(field.data(), '"', field.size());
    if (quote == nullptr) {
      break;
    }
    const size_t length = static_cast<const char*>(quote) - field.data() + 1;
    out->append(field.data(), length);
    out->push_back('"');
    field.remove_prefix(length);
  }
  out->append(field);
  out->push_back('"');
}

}  // namespace

void AppendCsvField(std::string_view field, std::string* out, char delimiter) {
  if (NeedsQuotes(field, delimiter)) {
    AppendQuoted(field, out);
  } else {
    out->append(field);
  }
}

void AppendCsvRecord(const std::vector<std::string_view>& fields,
                     std::string* out, char delimiter) {
  if (fields.size() == 1 && fields[0].empty()) {
    out->append("\"\"\n");
    return;
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) {
      out->push_back(delimiter);
    }
    AppendCsvField(fields[i], out, delimiter);
  }
  out->push_back('\n');
}

}  // namespace leadclean
