// Match-keys stage: the person, company and city keys dedup and the fake
// rules compare. Person key = folded name tokens (honorific already
// stripped by the name stage), sorted, at least two tokens; company key =
// folded company minus legal-form words (rules/company_suffixes.txt).
// Covered by tests/stages/match_keys_test.cc.
#include <algorithm>

#include "core/thread_memo.h"
#include "leadclean/stage.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

// FoldKey output is lower-case words separated by single spaces.
// Space-separated tokens of a folded text; views into `folded`.
std::vector<std::string_view> Tokens(std::string_view folded) {
  std::vector<std::string_view> tokens;
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = std::min(folded.find(' ', start), folded.size());
    if (end > start) {
      tokens.push_back(folded.substr(start, end - start));
    }
    start = end + 1;
  }
  return tokens;
}

std::string Join(const std::vector<std::string_view>& tokens) {
  std::string out;
  for (std::string_view token : tokens) {
    if (!out.empty()) {
      out += ' ';
    }
    out += token;
  }
  return out;
}

// Companies and cities repeat from row to row: their keys are memoised.
using KeyMemo = ThreadMemo<std::string, 1024, 16>;

class MatchKeysStage : public Stage {
 public:
  explicit MatchKeysStage(std::vector<std::vector<std::string>> suffixes)
      : suffixes_(std::move(suffixes)),
        companies_(NewMemoOwner()),
        cities_(NewMemoOwner()) {}

  void Process(const RowView& row, Findings* findings) const override {
    const std::string& name = findings->Col(Out::kName);
    findings->person_key = PersonKey(name.empty() ? row.Get(Role::kName) : name);
    findings->company_key = KeyMemo::Get(
        companies_, row.Get(Role::kCompany),
        [this](std::string_view company, std::string* key) {
          *key = CompanyKey(company);
        });
    findings->city_key = KeyMemo::Get(
        cities_, row.Get(Role::kCity),
        [](std::string_view city, std::string* key) { *key = CityKey(city); });
  }

  static std::string PersonKey(std::string_view name) {
    std::string folded = FoldKey(name);
    std::vector<std::string_view> tokens = Tokens(folded);
    if (tokens.size() < 2) {
      return "";
    }
    std::sort(tokens.begin(), tokens.end());
    return Join(tokens);
  }

  std::string CompanyKey(std::string_view company) const {
    std::string folded = FoldKey(company);
    std::vector<std::string_view> tokens = Tokens(folded);
    std::vector<std::string_view> kept;
    for (size_t i = 0; i < tokens.size();) {
      size_t matched = MatchSuffix(tokens, i);
      if (matched > 0) {
        i += matched;
      } else {
        kept.push_back(tokens[i++]);
      }
    }
    return Join(kept);
  }

 private:
  // Length of the longest legal-form phrase starting at tokens[i], or 0.
  size_t MatchSuffix(const std::vector<std::string_view>& tokens,
                     size_t i) const {
    for (const auto& phrase : suffixes_) {
      if (i + phrase.size() <= tokens.size() &&
          std::equal(phrase.begin(), phrase.end(), tokens.begin() + i)) {
        return phrase.size();
      }
    }
    return 0;
  }

  static std::string CityKey(std::string_view city) {
    std::string folded = FoldKey(city);
    std::vector<std::string_view> tokens = Tokens(folded);
    size_t skip = 0;
    if (!tokens.empty() && (tokens[0] == "tp" || tokens[0] == "tinh")) {
      skip = 1;
    } else if (tokens.size() > 2 && tokens[0] == "thanh" && tokens[1] == "pho") {
      skip = 2;
    }
    tokens.erase(tokens.begin(), tokens.begin() + skip);
    return Join(tokens);
  }

  std::vector<std::vector<std::string>> suffixes_;  // longest first
  uint64_t companies_, cities_;  // memo owners
};

}  // namespace

std::unique_ptr<Stage> MakeMatchKeysStage(const StageContext& context,
                                          std::string* error) {
  std::vector<ListItem> items;
  if (!ReadLists(*context.rules, "company_suffixes.txt", &items, error)) {
    return nullptr;
  }
  std::vector<std::vector<std::string>> suffixes;
  for (const ListItem& item : items) {
    std::string folded = FoldKey(item.text);
    std::vector<std::string> phrase;
    for (std::string_view token : Tokens(folded)) {
      phrase.emplace_back(token);
    }
    suffixes.push_back(std::move(phrase));
  }
  std::stable_sort(suffixes.begin(), suffixes.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return std::make_unique<MatchKeysStage>(std::move(suffixes));
}

}  // namespace leadclean
