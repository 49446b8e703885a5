// Match-keys stage: the person, company and city keys dedup and the fake
// rules compare. Person key = folded name tokens (honorific already
// stripped by the name stage), sorted, at least two tokens; company key =
// folded company minus legal-form words (rules/company_suffixes.txt).
// Covered by tests/stages/match_keys_test.cc.
#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/thread_memo.h"
#include "leadclean/stage.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

// FoldKey output is lower-case words separated by single spaces.
// Space-separated tokens of a folded text, views into `folded`, into
// `*tokens` (cleared first).
void Tokens(std::string_view folded, std::vector<std::string_view>* tokens) {
  tokens->clear();
  const char* start = folded.data();
  const char* const end = start + folded.size();
  for (const char* at = start; at != end; ++at) {
    if (*at == ' ') {
      if (at != start) {
        tokens->emplace_back(start, at - start);
      }
      start = at + 1;
    }
  }
  if (end != start) {
    tokens->emplace_back(start, end - start);
  }
}

// Writes `tokens` joined by single spaces over `*out`.
void Join(const std::vector<std::string_view>& tokens, std::string* out) {
  size_t size = tokens.empty() ? 0 : tokens.size() - 1;
  for (std::string_view token : tokens) {
    size += token.size();
  }
  out->resize(size);
  char* at = out->data();
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) {
      *at++ = ' ';
    }
    std::memcpy(at, tokens[i].data(), tokens[i].size());
    at += tokens[i].size();
  }
}

// Sorts a name's few tokens in std::string_view order, by insertion, with
// an inline byte comparison (the library's calls memcmp). Returns whether
// any token moved.
bool SortTokens(std::vector<std::string_view>* tokens) {
  auto less = [](std::string_view a, std::string_view b) {
    size_t common = std::min(a.size(), b.size());
    for (size_t i = 0; i < common; ++i) {
      if (a[i] != b[i]) {
        return static_cast<unsigned char>(a[i]) <
               static_cast<unsigned char>(b[i]);
      }
    }
    return a.size() < b.size();
  };
  bool moved = false;
  for (size_t i = 1; i < tokens->size(); ++i) {
    std::string_view token = (*tokens)[i];
    size_t at = i;
    for (; at > 0 && less(token, (*tokens)[at - 1]); --at) {
      (*tokens)[at] = (*tokens)[at - 1];
    }
    (*tokens)[at] = token;
    moved |= at != i;
  }
  return moved;
}

// Per-thread scratch: a row's keys allocate nothing once the thread has
// seen a few rows.
std::vector<std::string_view>& ScratchTokens() {
  thread_local std::vector<std::string_view> tokens;
  return tokens;
}

std::string& ScratchFolded() {
  thread_local std::string folded;
  return folded;
}

// Companies and cities repeat from row to row: their keys are memoised.
// Companies are many more (thousands in a list of 20k rows).
using KeyMemo = ThreadMemo<std::string, 1024, 16>;
using CompanyMemo = ThreadMemo<std::string, 4096, 4>;

class MatchKeysStage : public Stage {
 public:
  explicit MatchKeysStage(std::vector<std::vector<std::string>> suffixes)
      : suffixes_(std::move(suffixes)),
        companies_(NewMemoOwner()),
        cities_(NewMemoOwner()) {
    for (const auto& phrase : suffixes_) {
      if (!phrase.empty()) {
        suffix_starts_.insert(phrase.front());
        start_shapes_[Lead(phrase.front())] |= LengthBit(phrase.front());
      }
    }
  }

  void Process(const RowView& row, Findings* findings) const override {
    const std::string& name = findings->Col(Out::kName);
    PersonKey(name.empty() ? row.Get(Role::kName) : name,
              &findings->person_key);
    // An empty cell's key is empty: no memo lookup (most rows have no
    // company).
    std::string_view company = row.Get(Role::kCompany);
    if (company.empty()) {
      findings->company_key.clear();
    } else {
      findings->company_key = CompanyMemo::Get(
          companies_, company, [this](std::string_view text, std::string* key) {
            CompanyKey(text, key);
          });
    }
    std::string_view city = row.Get(Role::kCity);
    if (city.empty()) {
      findings->city_key.clear();
    } else {
      findings->city_key = KeyMemo::Get(
          cities_, city,
          [](std::string_view text, std::string* key) { CityKey(text, key); });
    }
  }

  // Most names are two to four tokens out of order ("nguyen van an"): the
  // key is written over *key, whose buffer the pipeline keeps, from a
  // folded copy in per-thread scratch.
  static void PersonKey(std::string_view name, std::string* key) {
    std::string& folded = ScratchFolded();
    FoldKeyTo(name, &folded);
    std::vector<std::string_view>& tokens = ScratchTokens();
    Tokens(folded, &tokens);
    if (tokens.size() < 2) {
      key->clear();
      return;
    }
    // FoldKey output is single-spaced and trimmed, so its tokens joined in
    // any order are as long as it: its copy is overwritten in place.
    key->assign(folded);
    if (SortTokens(&tokens)) {
      char* at = key->data();
      for (size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0) {
          *at++ = ' ';
        }
        std::memcpy(at, tokens[i].data(), tokens[i].size());
        at += tokens[i].size();
      }
    }
  }

  void CompanyKey(std::string_view company, std::string* key) const {
    std::string& folded = ScratchFolded();
    FoldKeyTo(company, &folded);
    std::vector<std::string_view>& tokens = ScratchTokens();
    Tokens(folded, &tokens);
    size_t kept = 0;
    for (size_t i = 0; i < tokens.size();) {
      size_t matched = MatchSuffix(tokens, i);
      if (matched > 0) {
        i += matched;
      } else {
        tokens[kept++] = tokens[i++];
      }
    }
    tokens.resize(kept);
    Join(tokens, key);
  }

 private:
  // Length of the longest legal-form phrase starting at tokens[i], or 0.
  size_t MatchSuffix(const std::vector<std::string_view>& tokens,
                     size_t i) const {
    if ((start_shapes_[Lead(tokens[i])] & LengthBit(tokens[i])) == 0 ||
        suffix_starts_.find(tokens[i]) == suffix_starts_.end()) {
      return 0;
    }
    for (const auto& phrase : suffixes_) {
      if (i + phrase.size() <= tokens.size() &&
          std::equal(phrase.begin(), phrase.end(), tokens.begin() + i)) {
        return phrase.size();
      }
    }
    return 0;
  }

  static void CityKey(std::string_view city, std::string* key) {
    std::string& folded = ScratchFolded();
    FoldKeyTo(city, &folded);
    std::vector<std::string_view>& tokens = ScratchTokens();
    Tokens(folded, &tokens);
    size_t skip = 0;
    if (!tokens.empty() && (tokens[0] == "tp" || tokens[0] == "tinh")) {
      skip = 1;
    } else if (tokens.size() > 2 && tokens[0] == "thanh" && tokens[1] == "pho") {
      skip = 2;
    }
    tokens.erase(tokens.begin(), tokens.begin() + skip);
    Join(tokens, key);
  }

  static size_t Lead(std::string_view word) {
    return word.empty() ? 0 : static_cast<unsigned char>(word[0]);
  }
  static uint64_t LengthBit(std::string_view word) {
    return uint64_t{1} << std::min<size_t>(word.size(), 63);
  }

  std::vector<std::vector<std::string>> suffixes_;  // longest first
  // The first words of suffixes_: most words are not one. The set is small
  // enough for the library to search it word by word, so a word's (first
  // byte, length) is checked against theirs first.
  std::unordered_set<std::string_view> suffix_starts_;
  std::array<uint64_t, 256> start_shapes_ = {};
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
    std::vector<std::string_view> tokens;
    Tokens(folded, &tokens);
    std::vector<std::string> phrase(tokens.begin(), tokens.end());
    suffixes.push_back(std::move(phrase));
  }
  std::stable_sort(suffixes.begin(), suffixes.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return std::make_unique<MatchKeysStage>(std::move(suffixes));
}

}  // namespace leadclean
