// Keyboard mash has shapes real names lack: a short unit typed again
// ("sdfsdf"), a run along one keyboard row ("asdfgh"), no vowel at all
// ("jhgk"), five consonants in a row, or capitals scattered inside a word.
// Real names can have each shape once in a while (German "tsch", Polish
// "szcz"), so the checks are tuned on the FEBRL name lists and on generated
// Vietnamese names (tests/stages/fake_test.cc), and Vietnamese syllables are
// accepted before any of them. The weaker "unlikely letters" verdict uses a
// letter-pair model (letter_model.inc, see make_letter_model.py).
#include "rules_engine/gibberish.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/thread_memo.h"
#include "leadclean/text.h"

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

bool SplitsIntoSyllables(std::string_view token);

// A string of up to 8 letters packed into an integer, for the rime table.
uint64_t Pack(std::string_view text) {
  uint64_t packed = 0;
  for (char c : text) {
    packed = (packed << 8) | static_cast<uint8_t>(c);
  }
  return packed;
}

// Every rime, packed and sorted: IsSyllable runs for each substring of
// every name, so it must not allocate.
const std::vector<uint64_t>& Rimes() {
  static const auto* rimes = [] {
    auto* table = new std::vector<uint64_t>();
    for (std::string_view rime : kOpenRimes) {
      table->push_back(Pack(rime));
    }
    for (std::string_view nucleus : kNuclei) {
      for (std::string_view final_consonant : kFinals) {
        table->push_back(Pack(std::string(nucleus) + std::string(final_consonant)));
      }
    }
    std::sort(table->begin(), table->end());
    return table;
  }();
  return *rimes;
}

bool IsRime(std::string_view text) {
  return text.size() <= 8 &&
         std::binary_search(Rimes().begin(), Rimes().end(), Pack(text));
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

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

bool IsInitial(std::string_view text) {
  return std::find(std::begin(kInitials), std::end(kInitials), text) !=
         std::end(kInitials);
}

bool SyllableOf(std::string_view initial, std::string_view rime) {
  return (initial.empty() || IsInitial(initial)) && IsRime(rime) &&
         (initial.empty() || SpellingAllows(initial, rime[0]));
}

// An initial consonant (the letters before the first vowel; "qu" and "gi"
// end in one) and a rime.
bool IsSyllable(std::string_view text) {
  size_t vowel = 0;
  while (vowel < text.size() && !IsVowel(text[vowel])) {
    ++vowel;
  }
  if (vowel == text.size()) {
    return false;
  }
  std::string_view consonants = text.substr(0, vowel);
  if (consonants == "q") {
    return text.size() > 2 && text[1] == 'u' &&
           SyllableOf("qu", text.substr(2));
  }
  if (consonants == "g" && text[1] == 'i' && text.size() > 2 &&
      SyllableOf("gi", text.substr(2))) {
    return true;
  }
  return SyllableOf(consonants, text.substr(vowel));
}

bool HasVowel(std::string_view token) {
  for (char c : token) {
    if (IsVowel(c)) {
      return true;
    }
  }
  return false;
}

// Bit b of entry a: letters a and b (0 for 'a') are neighbouring keys of
// one QWERTY row. RowNeighbours runs for every letter pair of new tokens.
constexpr std::array<uint32_t, 26> RowNeighbourMasks() {
  std::array<uint32_t, 26> masks{};
  for (std::string_view row : {"qwertyuiop", "asdfghjkl", "zxcvbnm"}) {
    for (size_t c = 0; c + 1 < row.size(); ++c) {
      masks[row[c] - 'a'] |= uint32_t{1} << (row[c + 1] - 'a');
      masks[row[c + 1] - 'a'] |= uint32_t{1} << (row[c] - 'a');
    }
  }
  return masks;
}
constexpr std::array<uint32_t, 26> kRowNeighbours = RowNeighbourMasks();

// Neighbouring keys of one row ("as", "df", "po").
bool RowNeighbours(char a, char b) {
  if (a < 'a' || a > 'z' || b < 'a' || b > 'z') {
    return false;
  }
  return (kRowNeighbours[a - 'a'] >> (b - 'a') & 1) != 0;
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

double LetterScore(std::string_view token);
constexpr double kUnlikelyScore = -4.4;

// A unit that looks typed, not spoken: no vowel, mostly neighbouring keys
// (read cyclically, as it repeats), alphabet order ("abc"), or letters that
// rarely meet ("uqe").
bool IsMashUnit(std::string_view unit) {
  if (!HasVowel(unit) || LetterScore(unit) < kUnlikelyScore) {
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
      if (token[i] == token[i + unit] &&  // most starts: no compare
          first == token.substr(i + unit, unit) && IsMashUnit(first)) {
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
      if (cluster[0] == token[i] && token.substr(i).starts_with(cluster)) {
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

constexpr size_t kUnlikelyMinLength = 5;

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// Letter case of one ASCII word that no name has ("XkTpwQz", "yCytYoteOnNTu"):
// capitals inside it (after a lower-case letter) at least twice, and either
// two capitals inside it before a lower-case letter ("OnNTu") or three
// pieces without a vowel. CamelCase names ("NguyenThiThuHuong",
// "MacKenzieDeLaCruz", "JohnMcDonaldSmith") have neither.
bool RandomCaseWord(std::string_view word) {
  int inner_capitals = 0;
  int bare_pieces = 0;
  bool inner_pair = false;
  size_t piece_start = 0;
  auto close_piece = [&](size_t end) {
    bool vowel = false;
    for (size_t i = piece_start; i < end; ++i) {
      vowel = vowel || IsVowel(static_cast<char>(word[i] | 0x20));
    }
    bare_pieces += (end - piece_start >= 2 && !vowel) ? 1 : 0;
  };
  for (size_t i = 1; i < word.size(); ++i) {
    if (!IsUpper(word[i])) {
      continue;
    }
    inner_capitals += IsLower(word[i - 1]) ? 1 : 0;
    inner_pair = inner_pair || (i >= 2 && IsUpper(word[i - 1]) &&
                                i + 1 < word.size() && IsLower(word[i + 1]));
    close_piece(i);
    piece_start = i;
  }
  close_piece(word.size());
  return inner_capitals >= 2 && (inner_pair || bare_pieces >= 3);
}

bool RandomCase(std::string_view raw) {
  size_t i = 0;
  while (i < raw.size()) {
    size_t start = i;
    while (i < raw.size() && (IsUpper(raw[i]) || IsLower(raw[i]))) {
      ++i;
    }
    if (i > start && RandomCaseWord(raw.substr(start, i - start))) {
      return true;
    }
    i = std::max(i, start + 1);
  }
  return false;
}

// How many lower-case ASCII letters are followed by an upper-case one: the
// boundaries SplitCamelCase splits at, and an upper bound on the inner
// capitals RandomCaseWord counts in any one word.
int CamelSteps(std::string_view raw) {
  int steps = 0;
  for (size_t i = 1; i < raw.size(); ++i) {
    if (IsUpper(raw[i])) {  // the rarer test first
      steps += IsLower(raw[i - 1]) ? 1 : 0;
    }
  }
  return steps;
}

// "JohnMcDonald" -> "John Mc Donald", so that words glued in CamelCase are
// scored one by one; "" when there is nothing to split.
std::string SplitCamelCase(std::string_view raw) {
  auto boundary = [raw](size_t i) {
    return i > 0 && IsLower(raw[i - 1]) && IsUpper(raw[i]);
  };
  size_t first = 1;
  while (first < raw.size() && !boundary(first)) {
    ++first;
  }
  if (first >= raw.size()) {
    return {};
  }
  std::string split(raw.substr(0, first));
  for (size_t i = first; i < raw.size(); ++i) {
    if (boundary(i)) {
      split.push_back(' ');
    }
    split.push_back(raw[i]);
  }
  return split;
}

// The next run of a-z in folded text at or after *pos (digits and spaces
// separate runs); false when there is none. Advances *pos past it.
bool NextLetterToken(std::string_view folded, size_t* pos,
                     std::string_view* token) {
  auto letter = [folded](size_t i) {
    return static_cast<unsigned char>(folded[i] - 'a') < 26;
  };
  size_t i = *pos;
  while (i < folded.size() && !letter(i)) {
    ++i;
  }
  size_t start = i;
  while (i < folded.size() && letter(i)) {
    ++i;
  }
  *pos = i;
  *token = folded.substr(start, i - start);
  return i > start;
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

// What MashReason and Unlikely say about one token. Names and email
// locals repeat their words ("nguyen", "thi", "ngoc"), so the answers are
// kept per thread, one memo for names and one for locals.
struct TokenVerdict {
  std::string_view why;   // MashReason
  bool unlikely = false;  // Unlikely, asked for names only
};

void Judge(std::string_view token, bool name, TokenVerdict* verdict) {
  verdict->why = MashReason(token, name);
  verdict->unlikely = name && verdict->why.empty() && Unlikely(token);
}

// The memo of tokens of up to 16 letters (nearly all): the token packed
// into two words is its own key, so a lookup is a few multiplications and
// two compares instead of hashing and comparing a string.
class ShortTokenMemo {
 public:
  static constexpr size_t kMaxSize = 16;

  // `token`: 3 to kMaxSize letters.
  const TokenVerdict& Get(std::string_view token, bool name) {
    uint64_t words[2];
    Pack(token, words);
    uint64_t hash = (words[0] * 0x9e3779b97f4a7c15ull) ^
                    (words[1] * 0xc2b2ae3d27d4eb4full) ^ (name ? 1 : 0);
    hash ^= hash >> 29;
    hash *= 0xbf58476d1ce4e5b9ull;
    Slot& slot = slots_[hash >> (64 - kSlotBits)];
    if (slot.words[0] != words[0] || slot.words[1] != words[1] ||
        slot.name != name || !slot.used) {
      slot.words[0] = words[0];
      slot.words[1] = words[1];
      slot.name = name;
      slot.used = true;
      Judge(token, name, &slot.verdict);
    }
    return slot.verdict;
  }

 private:
  // Byte i of the token into byte i % 8 of words[i / 8], zeros after it,
  // with overlapping loads that stay inside the token.
  static void Pack(std::string_view token, uint64_t words[2]) {
    const char* p = token.data();
    size_t size = token.size();
    if constexpr (std::endian::native != std::endian::little) {
      words[0] = words[1] = 0;
      for (size_t i = 0; i < size; ++i) {
        words[i / 8] |= uint64_t{static_cast<uint8_t>(p[i])} << (i % 8 * 8);
      }
    } else if (size >= 8) {
      words[0] = Load<uint64_t>(p);
      words[1] =
          size == 8 ? 0 : Load<uint64_t>(p + size - 8) >> (16 - size) * 8;
    } else if (size >= 4) {
      words[0] = Load<uint32_t>(p) | uint64_t{Load<uint32_t>(p + size - 4)}
                                         << (size - 4) * 8;
      words[1] = 0;
    } else {  // 3 letters
      words[0] = Load<uint16_t>(p) | uint64_t{static_cast<uint8_t>(p[2])} << 16;
      words[1] = 0;
    }
  }
  template <typename Word>
  static Word Load(const char* p) {
    Word word;
    std::memcpy(&word, p, sizeof(word));
    return word;
  }

  static constexpr int kSlotBits = 12;
  struct Slot {
    uint64_t words[2] = {0, 0};  // the token's letters (never 0 bytes)
    bool used = false;
    bool name = false;
    TokenVerdict verdict;
  };
  std::array<Slot, size_t{1} << kSlotBits> slots_;
};

// Tokens of one or two letters are never mash nor unlikely: no memo.
const TokenVerdict& JudgeToken(std::string_view token, bool name) {
  static const TokenVerdict kPlain;
  if (token.size() < 3) {
    return kPlain;
  }
  if (token.size() <= ShortTokenMemo::kMaxSize) {
    thread_local std::unique_ptr<ShortTokenMemo> memo;
    if (!memo) {
      memo = std::make_unique<ShortTokenMemo>();
    }
    return memo->Get(token, name);
  }
  static const uint64_t kNameMemo = NewMemoOwner();
  static const uint64_t kLocalMemo = NewMemoOwner();
  return ThreadMemo<TokenVerdict, 2048, 2>::Get(
      name ? kNameMemo : kLocalMemo, token,
      [name](std::string_view key, TokenVerdict* verdict) {
        Judge(key, name, verdict);
      });
}

}  // namespace

bool IsVietnameseSyllables(std::string_view token) {
  if (token.empty() || token.size() > kMaxToken) {
    return false;
  }
  return SplitsIntoSyllables(token);
}

namespace {

// Every syllable of up to kMaxSyllable letters in a trie over a-z, so that
// the split below walks each start position once instead of testing every
// substring. Built by testing each initial + rime with IsSyllable, which
// accepts nothing else, so the trie and IsSyllable agree.
class SyllableTrie {
 public:
  SyllableTrie() {
    nodes_.emplace_back();
    std::vector<std::string> rimes(std::begin(kOpenRimes),
                                   std::end(kOpenRimes));
    for (std::string_view nucleus : kNuclei) {
      for (std::string_view final_consonant : kFinals) {
        rimes.push_back(std::string(nucleus) + std::string(final_consonant));
      }
    }
    std::vector<std::string_view> initials = {""};
    initials.insert(initials.end(), std::begin(kInitials), std::end(kInitials));
    for (std::string_view initial : initials) {
      for (const std::string& rime : rimes) {
        std::string syllable = std::string(initial) + rime;
        if (syllable.size() <= kMaxSyllable && IsSyllable(syllable)) {
          Insert(syllable);
        }
      }
    }
  }

  // The node after `letter` (a-z) from `node`; 0 when no syllable goes on.
  int Next(int node, char letter) const {
    return nodes_[node].next[letter - 'a'];
  }
  bool IsEnd(int node) const { return nodes_[node].end; }

 private:
  struct Node {
    std::array<int16_t, 26> next{};
    bool end = false;
  };

  void Insert(std::string_view syllable) {
    int node = 0;
    for (char c : syllable) {
      if (nodes_[node].next[c - 'a'] == 0) {
        nodes_[node].next[c - 'a'] = static_cast<int16_t>(nodes_.size());
        nodes_.emplace_back();
      }
      node = nodes_[node].next[c - 'a'];
    }
    nodes_[node].end = true;
  }

  std::vector<Node> nodes_;
};

bool SplitsIntoSyllables(std::string_view token) {
  static const SyllableTrie* trie = new SyllableTrie();
  bool reachable[kMaxToken + 1] = {true};
  size_t size = token.size();
  for (size_t start = 0; start < size; ++start) {
    if (!reachable[start]) {
      continue;
    }
    size_t stop = std::min(size, start + kMaxSyllable);
    int node = 0;
    for (size_t end = start; end < stop; ++end) {
      char c = token[end];
      node = c >= 'a' && c <= 'z' ? trie->Next(node, c) : 0;
      if (node == 0) {
        break;
      }
      reachable[end + 1] = reachable[end + 1] || trie->IsEnd(node);
    }
  }
  return reachable[size];
}

}  // namespace

GibberishVerdict ScoreName(std::string_view raw, std::string_view folded) {
  GibberishVerdict verdict;
  // Random capitals need two lower-to-upper steps, CamelCase one; most
  // names have none, and then neither scan is needed.
  int steps = CamelSteps(raw);
  if (steps >= 2 && RandomCase(raw)) {
    return {GibberishLevel::kMash, std::string(folded), "random capitals"};
  }
  std::string camel_split = steps > 0 ? SplitCamelCase(raw) : std::string();
  if (!camel_split.empty()) {
    camel_split = FoldKey(camel_split);
    folded = camel_split;
  }
  std::string_view token;
  for (size_t pos = 0; NextLetterToken(folded, &pos, &token);) {
    const TokenVerdict& judged = JudgeToken(token, /*name=*/true);
    if (!judged.why.empty()) {
      return {GibberishLevel::kMash, std::string(token), judged.why};
    }
    if (verdict.level == GibberishLevel::kNone && judged.unlikely) {
      verdict = {GibberishLevel::kUnlikely, std::string(token),
                 "unlikely letters"};
    }
  }
  return verdict;
}

GibberishVerdict ScoreEmailLocal(std::string_view folded_local) {
  std::string_view token;
  for (size_t pos = 0; NextLetterToken(folded_local, &pos, &token);) {
    std::string_view why = JudgeToken(token, /*name=*/false).why;
    if (!why.empty()) {
      return {GibberishLevel::kMash, std::string(token), why};
    }
  }
  return {};
}

}  // namespace leadclean
