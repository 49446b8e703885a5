// Keyboard mash has shapes real names lack: a short unit typed again
// ("sdfsdf"), a run along one keyboard row ("asdfgh"), no vowel at all
// ("jhgk"), five consonants in a row, or capitals scattered inside a word.
// Real names can have each shape once in a while (German "tsch", Polish
// "szcz"), so the checks are tuned on the FEBRL name lists and on generated
// Vietnamese names (tests/stages/fake_test.cc), and Vietnamese syllables are
// accepted before any of them. The weaker "unlikely letters" verdict uses a
// letter-pair model (letter_model.inc, see make_letter_model.py).
#include "rules_engine/gibberish.h"

#include <array>
#include <bitset>
#include <unordered_set>
#include <vector>

namespace leadclean {
namespace {

constexpr std::string_view kInitials[] = {
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b",
    "c",   "d",  "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",
    "v",   "x"};
constexpr std::string_view kOpenRimes[] = {
    "a",   "e",   "i",   "o",   "u",   "y",   "ai",  "ao",  "au",  "ay",
    "eo",  "eu",  "ia",  "iu",  "oa",  "oi",  "oe",  "ua",  "ue",  "ui",
    "uo",  "uu",  "uy",  "ya",  "oai", "oay", "oao", "oeo", "uai", "uay",
    "uoi", "uou", "uya", "uyu", "ieu", "yeu"};
constexpr std::string_view kNuclei[] = {"a",  "e",  "i",  "o",  "u",  "y",
                                        "ie", "ye", "uo", "oa", "oe", "ua",
                                        "ue", "uy", "uye", "oo"};
constexpr std::string_view kFinals[] = {"ng", "nh", "ch", "c",
                                        "m",  "n",  "p",  "t"};
constexpr size_t kMaxSyllable = 7;  // "nghieng"
constexpr size_t kMaxToken = 64;

const std::unordered_set<std::string>& Rimes() {
  static const auto* rimes = [] {
    auto* set = new std::unordered_set<std::string>();
    for (std::string_view rime : kOpenRimes) {
      set->emplace(rime);
    }
    for (std::string_view nucleus : kNuclei) {
      for (std::string_view final_consonant : kFinals) {
        set->insert(std::string(nucleus) + std::string(final_consonant));
      }
    }
    return set;
  }();
  return *rimes;
}

// Vietnamese spelling: k/gh/ngh only before e, i, y; c/ng never before them.
bool SpellingAllows(std::string_view initial, char vowel) {
  bool front = vowel == 'e' || vowel == 'i' || vowel == 'y';
  if (initial == "k") {
    return front;
  }
  if (initial == "gh" || initial == "ngh") {
    return vowel == 'e' || vowel == 'i';
  }
  if (initial == "c" || initial == "ng") {
    return !front;
  }
  if (initial == "g") {
    return vowel != 'e';
  }
  return !(initial == "qu" && vowel == 'u');
}

bool IsSyllable(std::string_view text) {
  if (Rimes().contains(std::string(text))) {
    return true;
  }
  for (std::string_view initial : kInitials) {
    if (!text.starts_with(initial) || text.size() == initial.size()) {
      continue;
    }
    std::string_view rime = text.substr(initial.size());
    if (Rimes().contains(std::string(rime)) &&
        SpellingAllows(initial, rime[0])) {
      return true;
    }
  }
  return false;
}

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

bool HasVowel(std::string_view token) {
  for (char c : token) {
    if (IsVowel(c)) {
      return true;
    }
  }
  return false;
}

// Row and column of each letter on a QWERTY keyboard.
struct KeyPosition {
  int row = -1;
  int column = -1;
};

const std::array<KeyPosition, 26>& Keyboard() {
  static const std::array<KeyPosition, 26> keys = [] {
    std::array<KeyPosition, 26> table{};
    const std::string_view rows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
    for (int r = 0; r < 3; ++r) {
      for (size_t c = 0; c < rows[r].size(); ++c) {
        table[rows[r][c] - 'a'] = {r, static_cast<int>(c)};
      }
    }
    return table;
  }();
  return keys;
}

// Neighbouring keys of one row ("as", "df", "po").
bool RowNeighbours(char a, char b) {
  if (a < 'a' || a > 'z' || b < 'a' || b > 'z') {
    return false;
  }
  KeyPosition pa = Keyboard()[a - 'a'];
  KeyPosition pb = Keyboard()[b - 'a'];
  return pa.row == pb.row &&
         (pa.column - pb.column == 1 || pb.column - pa.column == 1);
}

int NeighbourPairs(std::string_view token) {
  int count = 0;
  for (size_t i = 0; i + 1 < token.size(); ++i) {
    count += RowNeighbours(token[i], token[i + 1]) ? 1 : 0;
  }
  return count;
}

// "asdf", "qwerty", "sdfghj", "asdkjh"; three letters only without a vowel
// ("sdf", "jhg").
bool KeyboardRun(std::string_view token) {
  int pairs = static_cast<int>(token.size()) - 1;
  int neighbours = NeighbourPairs(token);
  if (token.size() == 3) {
    return neighbours == 2 && !HasVowel(token);
  }
  return neighbours >= 3 && neighbours * 10 >= pairs * 7;
}

// A unit that looks typed, not spoken: no vowel, mostly neighbouring keys
// (read cyclically, as it repeats), or alphabet order ("abc").
bool IsMashUnit(std::string_view unit) {
  if (!HasVowel(unit)) {
    return true;
  }
  int neighbours = NeighbourPairs(unit) +
                   (RowNeighbours(unit.back(), unit.front()) ? 1 : 0);
  if (neighbours * 2 >= static_cast<int>(unit.size())) {
    return true;
  }
  for (size_t i = 0; i + 1 < unit.size(); ++i) {
    if (unit[i + 1] != unit[i] + 1) {
      return false;
    }
  }
  return true;
}

// The whole token is one unit typed again: "aaa", "ababab", "sdfsdf".
bool FullRepeat(std::string_view token) {
  size_t n = token.size();
  for (size_t unit = 1; unit <= n / 2; ++unit) {
    size_t times = n / unit;
    if (n % unit != 0 || token.substr(unit) != token.substr(0, n - unit)) {
      continue;
    }
    if (unit == 1) {
      return times >= 3;
    }
    std::string_view first = token.substr(0, unit);
    if ((unit >= 3 || times >= 3) && !IsVietnameseSyllables(first) &&
        IsMashUnit(first)) {
      return true;
    }
  }
  return false;
}

// A unit of 3+ letters typed twice inside the token: "ádasdasd".
bool InnerRepeat(std::string_view token) {
  for (size_t unit = 3; unit * 2 <= token.size(); ++unit) {
    for (size_t i = 0; i + 2 * unit <= token.size(); ++i) {
      std::string_view first = token.substr(i, unit);
      if (first == token.substr(i + unit, unit) && IsMashUnit(first)) {
        return true;
      }
    }
  }
  return false;
}

// Longest run of consonants, counting the clusters of real spellings
// ("sch", "tch", "str", "ch", "ng", ...) as one letter.
int ConsonantRun(std::string_view token) {
  static constexpr std::string_view kClusters[] = {
      "sch", "tch", "str", "ch", "sh", "th", "ph", "gh",
      "ck",  "ng",  "nh",  "kh", "sz", "cz", "tz"};
  int longest = 0;
  int run = 0;
  size_t i = 0;
  while (i < token.size()) {
    if (IsVowel(token[i])) {
      run = 0;
      ++i;
      continue;
    }
    size_t step = 1;
    for (std::string_view cluster : kClusters) {
      if (token.substr(i).starts_with(cluster)) {
        step = cluster.size();
        break;
      }
    }
    i += step;
    longest = std::max(longest, ++run);
  }
  return longest;
}

constexpr signed char kLetterModel[27][27] = {
#include "rules_engine/letter_model.inc"
};

// Mean of 10 * ln P(next | previous) over the token's letter pairs,
// including the start and end.
double LetterScore(std::string_view token) {
  int total = 0;
  int previous = 0;  // '^'
  for (char c : token) {
    int next = c - 'a';
    total += kLetterModel[previous][next];
    previous = next + 1;
  }
  total += kLetterModel[previous][26];  // '$'
  return total / 10.0 / static_cast<double>(token.size() + 1);
}

constexpr double kUnlikelyScore = -4.4;
constexpr size_t kUnlikelyMinLength = 5;

// Capitals scattered inside words, between pieces without a vowel
// ("XkTpwQzLmRv"). "McDonald" and "NguyenThiThuHuong" have vowels in every
// piece.
bool ScatteredCapitals(std::string_view raw) {
  int inner_capitals = 0;
  int bare_pieces = 0;
  size_t piece_start = 0;
  auto close_piece = [&](size_t end) {
    std::string_view piece = raw.substr(piece_start, end - piece_start);
    bool vowel = false;
    for (char c : piece) {
      char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      vowel = vowel || IsVowel(lower) || static_cast<unsigned char>(c) >= 0x80;
    }
    bare_pieces += (piece.size() >= 2 && !vowel) ? 1 : 0;
  };
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    bool upper = c >= 'A' && c <= 'Z';
    bool letter = upper || (c >= 'a' && c <= 'z') ||
                  static_cast<unsigned char>(c) >= 0x80;
    if (upper || !letter) {
      close_piece(i);
      piece_start = letter ? i : i + 1;
    }
    bool inside = i > 0 && (raw[i - 1] >= 'a' && raw[i - 1] <= 'z');
    inner_capitals += (upper && inside) ? 1 : 0;
  }
  close_piece(raw.size());
  return inner_capitals >= 3 && bare_pieces >= 3;
}

// Splits folded text into runs of a-z (digits and spaces separate).
std::vector<std::string_view> LetterTokens(std::string_view folded) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && (folded[i] < 'a' || folded[i] > 'z')) {
      ++i;
    }
    size_t start = i;
    while (i < folded.size() && folded[i] >= 'a' && folded[i] <= 'z') {
      ++i;
    }
    if (i > start) {
      tokens.push_back(folded.substr(start, i - start));
    }
  }
  return tokens;
}

// Why `token` is mash, or "" when it is not. Names also reject 4+ letters
// without a vowel; email locals allow initials ("nttp") and need a longer
// consonant run, as they glue abbreviations together ("tphcm").
std::string_view MashReason(std::string_view token, bool name) {
  if (token.size() < 3 || token.size() > kMaxToken) {
    return {};
  }
  if (FullRepeat(token)) {
    return "repeated pattern";
  }
  if (KeyboardRun(token)) {
    return "keyboard run";
  }
  if (IsVietnameseSyllables(token)) {
    return {};
  }
  if (InnerRepeat(token)) {
    return "repeated pattern";
  }
  if (name && token.size() >= 4 && !HasVowel(token)) {
    return "no vowel";
  }
  if (ConsonantRun(token) >= (name ? 5 : 6)) {
    return "consonant run";
  }
  return {};
}

bool Unlikely(std::string_view token) {
  return token.size() >= kUnlikelyMinLength && token.size() <= kMaxToken &&
         !IsVietnameseSyllables(token) && LetterScore(token) < kUnlikelyScore;
}

}  // namespace

bool IsVietnameseSyllables(std::string_view token) {
  if (token.empty() || token.size() > kMaxToken) {
    return false;
  }
  std::bitset<kMaxToken + 1> reachable;
  reachable[0] = true;
  for (size_t start = 0; start < token.size(); ++start) {
    if (!reachable[start]) {
      continue;
    }
    for (size_t n = 1; n <= kMaxSyllable && start + n <= token.size(); ++n) {
      if (!reachable[start + n] && IsSyllable(token.substr(start, n))) {
        reachable[start + n] = true;
      }
    }
  }
  return reachable[token.size()];
}

GibberishVerdict ScoreName(std::string_view raw, std::string_view folded) {
  GibberishVerdict verdict;
  if (ScatteredCapitals(raw)) {
    return {GibberishLevel::kMash, std::string(folded), "scattered capitals"};
  }
  for (std::string_view token : LetterTokens(folded)) {
    std::string_view why = MashReason(token, /*name=*/true);
    if (!why.empty()) {
      return {GibberishLevel::kMash, std::string(token), why};
    }
    if (verdict.level == GibberishLevel::kNone && Unlikely(token)) {
      verdict = {GibberishLevel::kUnlikely, std::string(token),
                 "unlikely letters"};
    }
  }
  return verdict;
}

GibberishVerdict ScoreEmailLocal(std::string_view folded_local) {
  for (std::string_view token : LetterTokens(folded_local)) {
    std::string_view why = MashReason(token, /*name=*/false);
    if (!why.empty()) {
      return {GibberishLevel::kMash, std::string(token), why};
    }
  }
  return {};
}

}  // namespace leadclean
