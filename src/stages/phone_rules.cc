// Why prefixes are checked here rather than trusted: a marketer edits these
// tables in a spreadsheet, and a prefix like "168" (no 0) or "0l68" would
// silently never match. Every row is validated and a bad one stops the run
// with its file and line.
#include "stages/phone_rules.h"

#include <libfccp/csv.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "stages/phone_fast.h"
#include "stages/phone_library.h"

namespace leadclean {
namespace {

template <unsigned kColumns>
using TableReader =
    io::CSVReader<kColumns, io::trim_chars<' ', '\t'>,
                  io::double_quote_escape<',', '"'>, io::throw_on_overflow,
                  io::single_and_empty_line_comment<'#'>>;

// A table row before it is merged across copies: its id, cells and place.
struct Row {
  std::string id;
  std::vector<std::string> cells;
  std::string where;  // "path:line"
};

bool IsDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

// Adds the rows of one copy of a table to `rows`: a row whose id is already
// there replaces it. Sets `*row_error` on an empty or repeated id.
template <unsigned kColumns>
void ReadCopy(const std::string& path,
              const std::array<std::string, kColumns>& columns,
              std::map<std::string, size_t>* index, std::vector<Row>* rows,
              std::string* row_error) {
  TableReader<kColumns> reader(path);
  std::apply(
      [&](const auto&... name) {
        reader.read_header(io::ignore_extra_column, name...);
      },
      columns);
  std::set<std::string> seen;
  std::array<std::string, kColumns> cells;
  while (std::apply([&](auto&... cell) { return reader.read_row(cell...); },
                    cells)) {
    std::string where = path + ":" + std::to_string(reader.get_file_line());
    if (cells[0].empty() || !seen.insert(cells[0]).second) {
      *row_error = where + (cells[0].empty() ? ": empty id"
                                             : ": duplicate id " + cells[0]);
      return;
    }
    Row row{cells[0], {cells.begin() + 1, cells.end()}, where};
    auto [it, added] = index->emplace(row.id, rows->size());
    if (added) {
      rows->push_back(std::move(row));
    } else {
      (*rows)[it->second] = std::move(row);
    }
  }
}

// Reads `columns` (the first is "id") of every copy of `file`, the default
// first; see ReadCopy.
template <unsigned kColumns>
bool ReadRows(const RuleFiles& files, std::string_view file,
              const std::array<std::string, kColumns>& columns,
              std::vector<Row>* rows, std::string* error) {
  std::map<std::string, size_t> index;
  for (const std::string& path : files.Paths(file)) {
    std::string row_error;
    if (!ReadTable(
            path,
            [&] {
              ReadCopy<kColumns>(path, columns, &index, rows, &row_error);
            },
            error)) {
      return false;
    }
    if (!row_error.empty()) {
      *error = row_error;
      return false;
    }
  }
  return true;
}

// A prefix as a marketer writes it ("0168") to its NSN form ("168").
bool NationalPrefix(const Row& row, const std::string& text,
                    std::string_view column, std::string* out,
                    std::string* error) {
  if (!IsDigits(text) || text.size() < 2 || text[0] != '0') {
    *error = row.where + ": " + std::string(column) + " \"" + text +
             "\" is not a prefix dialled in Vietnam (digits starting with 0)";
    return false;
  }
  *out = text.substr(1);
  return true;
}

bool SubscriberDigits(const Row& row, const std::string& text, int* out,
                      std::string* error) {
  if (!IsDigits(text) || text.size() > 2 || std::stoi(text) < 1 ||
      std::stoi(text) > 12) {
    *error = row.where + ": subscriber_digits \"" + text +
             "\" is not a number from 1 to 12";
    return false;
  }
  *out = std::stoi(text);
  return true;
}

// Rows of id, old, new, subscriber_digits[, convert].
bool ToRewrite(const Row& row, std::string_view old_column,
               std::string_view new_column, PrefixRewrite* rule,
               std::string* error) {
  rule->id = row.id;
  return NationalPrefix(row, row.cells[0], old_column, &rule->old_prefix,
                        error) &&
         NationalPrefix(row, row.cells[1], new_column, &rule->new_prefix,
                        error) &&
         SubscriberDigits(row, row.cells[2], &rule->subscriber_digits, error);
}

bool LoadLegacyMobile(const RuleFiles& files, PrefixRewrites* out,
                      std::string* error) {
  std::vector<Row> rows;
  if (!ReadRows<4>(files, "vn_legacy_mobile.csv",
                   {"id", "old_prefix", "new_prefix", "subscriber_digits"},
                   &rows, error)) {
    return false;
  }
  for (const Row& row : rows) {
    PrefixRewrite rule;
    if (!ToRewrite(row, "old_prefix", "new_prefix", &rule, error)) {
      return false;
    }
    out->Add(std::move(rule));
  }
  return true;
}

bool LoadLandlineCodes(const RuleFiles& files, PrefixRewrites* out,
                       std::string* error) {
  std::vector<Row> rows;
  if (!ReadRows<5>(
          files, "vn_landline_codes.csv",
          {"id", "old_code", "new_code", "subscriber_digits", "convert"}, &rows,
          error)) {
    return false;
  }
  for (const Row& row : rows) {
    PrefixRewrite rule;
    if (!ToRewrite(row, "old_code", "new_code", &rule, error)) {
      return false;
    }
    const std::string& convert = row.cells[3];
    if (convert != "yes" && convert != "no") {
      *error = row.where + ": convert \"" + convert + "\" is not yes or no";
      return false;
    }
    if (convert == "yes") {
      out->Add(std::move(rule));
    }
  }
  return true;
}

bool LoadCarriers(const RuleFiles& files, CarrierTable* out,
                  std::string* error) {
  std::vector<Row> rows;
  if (!ReadRows<3>(files, "vn_carriers.csv", {"id", "prefix", "carrier"}, &rows,
                   error)) {
    return false;
  }
  for (const Row& row : rows) {
    std::string prefix;
    if (!NationalPrefix(row, row.cells[0], "prefix", &prefix, error)) {
      return false;
    }
    if (row.cells[1].empty()) {
      *error = row.where + ": empty carrier";
      return false;
    }
    out->Add(prefix, row.cells[1]);
  }
  return true;
}

bool LoadPlaceholders(const RuleFiles& files, std::string_view region,
                      PlaceholderPhones* out, std::string* error) {
  for (const std::string& path : files.Paths("placeholder_phones.txt")) {
    std::vector<ListItem> items;
    if (!ReadList(path, &items, error)) {
      return false;
    }
    for (const ListItem& item : items) {
      std::string digits;
      for (char c : item.text) {
        if (c >= '0' && c <= '9') {
          digits.push_back(c);
        } else if (c != ' ' && c != '.' && c != '-' && c != '+') {
          digits.clear();
          break;
        }
      }
      if (digits.empty()) {
        *error = path + ":" + std::to_string(item.line) + ": \"" + item.text +
                 "\" is not a phone number";
        return false;
      }
      // The fast path when it covers the text: the library costs as much
      // to set up as a few thousand rows.
      PhoneVerdict verdict;
      if (!FastPhone::Get().Verdict(item.text, region, &verdict)) {
        verdict = LibraryVerdict(item.text, region);
      }
      out->Add(std::move(digits), verdict.valid ? verdict.E164() : "");
    }
  }
  return true;
}

std::string_view WithoutLeadingZeros(std::string_view digits) {
  if (digits.starts_with('+')) {
    digits.remove_prefix(1);
  }
  while (digits.starts_with('0')) {
    digits.remove_prefix(1);
  }
  return digits;
}

}  // namespace

void PrefixRewrites::Add(PrefixRewrite rule) {
  rules_.push_back(std::move(rule));
}

bool PrefixRewrites::Rewrite(std::string_view nsn, std::string* out) const {
  for (const PrefixRewrite& rule : rules_) {
    if (nsn.size() == rule.old_prefix.size() + rule.subscriber_digits &&
        nsn.starts_with(rule.old_prefix)) {
      *out = rule.new_prefix;
      out->append(nsn.substr(rule.old_prefix.size()));
      return true;
    }
  }
  return false;
}

CarrierTable::CarrierTable() : nodes_(1) { nodes_[0].child.fill(-1); }

void CarrierTable::Add(std::string_view prefix, std::string carrier) {
  int node = 0;
  for (char c : prefix) {
    int& next = nodes_[node].child[c - '0'];
    if (next < 0) {
      next = static_cast<int>(nodes_.size());
      nodes_.emplace_back();
      nodes_.back().child.fill(-1);
    }
    node = nodes_[node].child[c - '0'];
  }
  if (nodes_[node].carrier < 0) {
    ++size_;
  }
  nodes_[node].carrier = static_cast<int>(carriers_.size());
  carriers_.push_back(std::move(carrier));
}

std::string_view CarrierTable::Lookup(std::string_view nsn) const {
  int best = -1;
  int node = 0;
  for (char c : nsn) {
    unsigned digit = static_cast<unsigned char>(c) - '0';
    if (digit > 9 || (node = nodes_[node].child[digit]) < 0) {
      break;
    }
    best = nodes_[node].carrier >= 0 ? nodes_[node].carrier : best;
  }
  return best < 0 ? std::string_view() : carriers_[best];
}

size_t PlaceholderPhones::Tails::Of(std::string_view text) {
  size_t tail = text.size() & 7;
  for (size_t i = text.size() > 3 ? text.size() - 3 : 0; i < text.size(); ++i) {
    tail = tail * 7 + static_cast<unsigned char>(text[i]);
  }
  return tail % (1 << 12);
}

void PlaceholderPhones::Add(std::string digits, std::string e164) {
  std::string_view kept = WithoutLeadingZeros(digits);
  digit_tails_.bits.set(Tails::Of(kept));
  digits_.emplace(kept);
  if (!e164.empty()) {
    e164_tails_.bits.set(Tails::Of(e164));
    e164_.insert(std::move(e164));
  }
}

bool PlaceholderPhones::Contains(std::string_view digits,
                                 std::string_view e164) const {
  if (e164.empty()) {
    std::string_view kept = WithoutLeadingZeros(digits);
    return digit_tails_.bits.test(Tails::Of(kept)) && digits_.contains(kept);
  }
  return e164_tails_.bits.test(Tails::Of(e164)) && e164_.contains(e164);
}

bool LoadPhoneRules(const RuleFiles& files, std::string_view region,
                    PhoneRules* rules, std::string* error) {
  return LoadLegacyMobile(files, &rules->legacy_mobile, error) &&
         LoadLandlineCodes(files, &rules->landline_codes, error) &&
         LoadCarriers(files, &rules->carriers, error) &&
         LoadPlaceholders(files, region, &rules->placeholders, error);
}

}  // namespace leadclean
