// Typo correction is label-wise so that a right name under another real
// suffix ("pacific.co", "fpt.com.vn") is never pulled towards a provider:
// only a domain whose provider-name label is itself within distance of a
// listed provider is a candidate at all. Short names ("aol", "msn", "live")
// only get their listed typos and top-level fixes, as one edit from them
// lands on too many real businesses ("aon.com").
#include "stages/email_typo.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <utility>

namespace leadclean {
namespace {

constexpr size_t kMaxCompared = 63;
// Second-level labels under which a country code sells names: "com.vn".
constexpr std::array<std::string_view, 10> kSecondLevels = {
    "com", "net", "org", "edu", "gov", "co", "ac", "or", "ne", "go"};

bool KeyPosition(char c, KeyPlace* key) {
  if (c < 'a' || c > 'z') {
    return false;
  }
  *key = kKeyPlaces[c - 'a'];
  return true;
}

int CountLabels(std::string_view domain) {
  return static_cast<int>(std::count(domain.begin(), domain.end(), '.')) + 1;
}

// The last `labels` labels of `domain`, and the one label before them.
bool SplitSuffix(std::string_view domain, int labels, std::string_view* name,
                 std::string_view* suffix) {
  size_t end = domain.size();
  for (int i = 0; i < labels; ++i) {
    size_t dot = domain.rfind('.', end - 1);
    if (dot == std::string_view::npos || dot == 0) {
      return false;
    }
    end = dot;
  }
  *suffix = domain.substr(end + 1);
  size_t before = domain.rfind('.', end - 1);
  size_t start = before == std::string_view::npos ? 0 : before + 1;
  *name = domain.substr(start, end - start);
  return true;
}

// Edits allowed in a provider name of `length` letters.
int NameBudget(size_t length) {
  if (length >= 8) {
    return 2;
  }
  return length >= 5 ? 1 : 0;
}

// Distance between a typed name and a provider name, where the first letter
// may only be dropped, a neighbouring key, or swapped with the second.
int NameDistance(std::string_view typed, std::string_view name, int budget) {
  if (typed.empty() || name.empty()) {
    return budget + 1;
  }
  if (typed[0] == name[0]) {
    return EditDistance(typed.substr(1), name.substr(1), budget);
  }
  if (budget < 1) {
    return budget + 1;
  }
  if (KeysAdjacent(typed[0], name[0])) {
    return 1 + EditDistance(typed.substr(1), name.substr(1), budget - 1);
  }
  if (typed.size() >= 2 && name.size() >= 2 && typed[0] == name[1] &&
      typed[1] == name[0]) {
    return 1 + EditDistance(typed.substr(2), name.substr(2), budget - 1);
  }
  if (typed[0] == name[1]) {  // first letter dropped: "otmail"
    return 1 + EditDistance(typed.substr(1), name.substr(2), budget - 1);
  }
  return budget + 1;
}

std::string WithoutDots(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '.') {
      out.push_back(c);
    }
  }
  return out;
}

bool IsDomainWord(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(" \t", start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    if (end > start) {
      words.push_back(text.substr(start, end - start));
    }
    start = end + 1;
  }
  return words;
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b, int cap) {
  if (a == b) {
    return 0;
  }
  int length_gap = static_cast<int>(a.size()) - static_cast<int>(b.size());
  if (std::abs(length_gap) > cap || a.size() > kMaxCompared ||
      b.size() > kMaxCompared) {
    return cap + 1;
  }
  // Three rolling rows of the OSA matrix.
  std::array<std::array<int, kMaxCompared + 1>, 3> rows;
  for (size_t j = 0; j <= b.size(); ++j) {
    rows[0][j] = static_cast<int>(j);
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    auto& row = rows[i % 3];
    const auto& up = rows[(i - 1) % 3];
    const auto& up2 = rows[(i + 1) % 3];
    row[0] = static_cast<int>(i);
    int best = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int value = std::min({up[j] + 1, row[j - 1] + 1, up[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        value = std::min(value, up2[j - 2] + 1);
      }
      row[j] = value;
      best = std::min(best, value);
    }
    if (best > cap) {
      return cap + 1;
    }
  }
  return std::min(rows[a.size() % 3][b.size()], cap + 1);
}

bool KeysAdjacent(char a, char b) {
  KeyPlace key_a, key_b;
  if (a == b || !KeyPosition(a, &key_a) || !KeyPosition(b, &key_b)) {
    return false;
  }
  if (key_a.row == key_b.row) {
    return std::abs(key_a.column - key_b.column) == 1;
  }
  if (key_a.row > key_b.row) {
    std::swap(key_a, key_b);
  }
  // Rows are staggered: key (r, c) touches (r+1, c-1) and (r+1, c).
  return key_b.row == key_a.row + 1 &&
         (key_b.column == key_a.column || key_b.column == key_a.column - 1);
}

bool TypoTable::AddProvider(std::string_view domain, std::string* message) {
  if (!IsDomainWord(domain) || domain.find('.') == std::string_view::npos) {
    *message = "not a domain name: '" + std::string(domain) + "'";
    return false;
  }
  if (listed_.contains(domain)) {
    return true;
  }
  Provider provider;
  provider.domain = std::string(domain);
  int labels = CountLabels(domain);
  std::string_view name, suffix;
  SplitSuffix(domain, 1, &name, &suffix);
  if (labels >= 3 && std::find(kSecondLevels.begin(), kSecondLevels.end(),
                               name) != kSecondLevels.end()) {
    SplitSuffix(domain, 2, &name, &suffix);
    provider.suffix_labels = 2;
  }
  if (CountLabels(domain) != provider.suffix_labels + 1) {
    *message = "a provider must be name.suffix, not a subdomain: '" +
               std::string(domain) + "'";
    return false;
  }
  provider.name = std::string(name);
  provider.suffix = std::string(suffix);
  provider.letters = WithoutDots(domain);
  providers_.push_back(std::move(provider));
  listed_.emplace(domain);
  return true;
}

bool TypoTable::AddKept(std::string_view domain, std::string* message) {
  if (!IsDomainWord(domain)) {
    *message = "not a domain name: '" + std::string(domain) + "'";
    return false;
  }
  listed_.emplace(domain);
  return true;
}

bool TypoTable::AddTldTypos(std::string_view tld,
                            const std::vector<std::string_view>& typos,
                            std::string* message) {
  for (std::string_view typo : typos) {
    if (!typo.starts_with('.') || !IsDomainWord(typo.substr(1)) ||
        !IsDomainWord(tld)) {
      *message = "a top-level line is '.com: .con .cmo', got '." +
                 std::string(tld) + ": " + std::string(typo) + "'";
      return false;
    }
    tld_typos_[std::string(typo.substr(1))] = std::string(tld);
  }
  return true;
}

bool TypoTable::AddLine(std::string_view line, std::string* message) {
  if (line.starts_with('!')) {
    return AddKept(line.substr(1), message);
  }
  size_t colon = line.find(':');
  std::string_view head = line.substr(0, colon);
  while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) {
    head.remove_suffix(1);
  }
  std::vector<std::string_view> typos;
  if (colon != std::string_view::npos) {
    typos = SplitWords(line.substr(colon + 1));
  }
  if (head.starts_with('.')) {
    return AddTldTypos(head.substr(1), typos, message);
  }
  if (!AddProvider(head, message)) {
    return false;
  }
  for (std::string_view typo : typos) {
    if (!IsDomainWord(typo) || typo.find('.') == std::string_view::npos) {
      *message = "not a domain name: '" + std::string(typo) + "'";
      return false;
    }
    known_typos_[std::string(typo)] = std::string(head);
  }
  return true;
}

bool TypoTable::IsListed(std::string_view domain) const {
  return listed_.contains(domain);
}

std::string_view TypoTable::CorrectByDistance(std::string_view domain) const {
  const Provider* best = nullptr;
  int best_distance = 1000;
  // Only providers with one label fewer than the domain compare, and they
  // all split it the same way: split once.
  const int suffix_labels = CountLabels(domain) - 1;
  std::string_view name, suffix;
  if (suffix_labels < 1 ||
      !SplitSuffix(domain, suffix_labels, &name, &suffix)) {
    return {};
  }
  for (const Provider& provider : providers_) {
    if (provider.suffix_labels != suffix_labels) {
      continue;
    }
    int budget = NameBudget(provider.name.size());
    if (budget == 0) {
      continue;  // short names: listed typos only
    }
    // Every edit path costs at least the length gap.
    size_t gap = name.size() > provider.name.size()
                     ? name.size() - provider.name.size()
                     : provider.name.size() - name.size();
    if (gap > static_cast<size_t>(budget)) {
      continue;
    }
    int name_distance = NameDistance(name, provider.name, budget);
    int suffix_distance = EditDistance(suffix, provider.suffix, 1);
    if (name_distance > budget || suffix_distance > 1) {
      continue;
    }
    int distance = name_distance + suffix_distance;
    // Providers are listed most common first, so a tie goes to the first.
    if (distance < best_distance) {
      best = &provider;
      best_distance = distance;
    }
  }
  if (best == nullptr || best_distance == 0) {
    return {};
  }
  return best->domain;
}

std::string_view TypoTable::CorrectTld(std::string_view domain) const {
  size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos) {
    return {};
  }
  auto fix = tld_typos_.find(domain.substr(dot + 1));
  if (fix == tld_typos_.end()) {
    return {};
  }
  std::string fixed = std::string(domain.substr(0, dot + 1)) + fix->second;
  for (const Provider& provider : providers_) {
    if (provider.domain == fixed) {
      return provider.domain;
    }
  }
  return CorrectByDistance(fixed);
}

std::string_view TypoTable::Correct(std::string_view domain) const {
  if (listed_.contains(domain)) {
    return {};
  }
  if (auto known = known_typos_.find(domain); known != known_typos_.end()) {
    return known->second;
  }
  std::string letters = WithoutDots(domain);
  for (const Provider& provider : providers_) {
    if (provider.letters == letters) {
      return provider.domain;
    }
  }
  std::string_view by_tld = CorrectTld(domain);
  return by_tld.empty() ? CorrectByDistance(domain) : by_tld;
}

std::string_view TypoTable::Repair(std::string_view domain) const {
  std::string letters = WithoutDots(domain);
  for (const Provider& provider : providers_) {
    if (provider.letters == letters) {
      return provider.domain;
    }
  }
  for (const Provider& provider : providers_) {
    if (provider.name == letters) {
      return provider.domain;
    }
  }
  if (auto known = known_typos_.find(domain); known != known_typos_.end()) {
    return known->second;
  }
  return {};
}

}  // namespace leadclean
