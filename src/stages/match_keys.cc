// Match-keys stage: the person, company and city keys dedup and the fake
// rules compare. Person key = folded name tokens (honorific already
// stripped by the name stage), sorted, at least two tokens; company key =
// folded company minus legal-form words (rules/company_suffixes.txt).
// Covered by tests/stages/match_keys_test.cc.
#include <algorithm>

#include "leadclean/stage.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

// FoldKey output is lower-case words separated by single spaces.
std::vector<std::string> Tokens(const std::string& folded) {
  std::vector<std::string> tokens;
  size_t start = 0;
  while (start < folded.size()) {
    size_t end = folded.find(' ', start);
    end = end == std::string::npos ? folded.size() : end;
    if (end > start) {
      tokens.emplace_back(folded, start, end - start);
    }
    start = end + 1;
  }
  return tokens;
}

std::string Join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& token : tokens) {
    out += (out.empty() ? "" : " ") + token;
  }
  return out;
}

class MatchKeysStage : public Stage {
 public:
  explicit MatchKeysStage(std::vector<std::vector<std::string>> suffixes)
      : suffixes_(std::move(suffixes)) {}

  void Process(const RowView& row, Findings* findings) const override {
    const std::string& name = findings->Col(Out::kName);
    findings->person_key = PersonKey(name.empty() ? std::string(row.Get(Role::kName)) : name);
    findings->company_key = CompanyKey(row.Get(Role::kCompany));
    findings->city_key = CityKey(row.Get(Role::kCity));
  }

  static std::string PersonKey(std::string_view name) {
    std::vector<std::string> tokens = Tokens(FoldKey(name));
    if (tokens.size() < 2) {
      return "";
    }
    std::sort(tokens.begin(), tokens.end());
    return Join(tokens);
  }

  std::string CompanyKey(std::string_view company) const {
    std::vector<std::string> tokens = Tokens(FoldKey(company));
    std::vector<std::string> kept;
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
  size_t MatchSuffix(const std::vector<std::string>& tokens, size_t i) const {
    for (const auto& phrase : suffixes_) {
      if (i + phrase.size() <= tokens.size() &&
          std::equal(phrase.begin(), phrase.end(), tokens.begin() + i)) {
        return phrase.size();
      }
    }
    return 0;
  }

  static std::string CityKey(std::string_view city) {
    std::vector<std::string> tokens = Tokens(FoldKey(city));
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
    suffixes.push_back(Tokens(FoldKey(item.text)));
  }
  std::stable_sort(suffixes.begin(), suffixes.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return std::make_unique<MatchKeysStage>(std::move(suffixes));
}

}  // namespace leadclean
