// Reading a regex for its required text. The reader knows a small part of
// RE2's syntax: literals, escaped punctuation, \d \s \w and their
// negations, ., classes of ASCII characters and ranges, (...) and (?:...)
// groups, |, ^ $ \b \B \A \z, and the quantifiers ? * + (lazy or not).
// Anything else gives up on the pattern, which is always safe. Case
// folding: needles and text are compared in ASCII lower case; the only
// non-ASCII characters RE2 folds onto ASCII letters are K (U+212A, k) and
// ſ (U+017F, s), and a text holding either passes.
#include "rules_engine/required_text.h"

#include <algorithm>
#include <optional>

namespace leadclean {
namespace {

char LowerAscii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// Every match holds one of `any` (lower case), at its start with
// at_start, at its end (the text's end: RE2's $ and \z) with at_end.
struct Need {
  std::vector<std::string> any;
  bool at_start = false;
  bool at_end = false;
};

// How good a need is at ruling texts out: anchored at the start, then at
// the end, then longer needles.
bool Better(const Need& a, const Need& b) {
  if (a.at_start != b.at_start) {
    return a.at_start;
  }
  if (a.at_end != b.at_end) {
    return a.at_end;
  }
  auto shortest = [](const Need& need) {
    size_t length = std::string::npos;
    for (const std::string& needle : need.any) {
      length = std::min(length, needle.size());
    }
    return length;
  };
  return shortest(a) > shortest(b);
}

void AddCharacters(std::string_view characters, Need* need) {
  for (char c : characters) {
    need->any.emplace_back(1, LowerAscii(c));
  }
}

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kSpaces = "\t\n\f\r ";
constexpr std::string_view kWordCharacters =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";

class PatternReader {
 public:
  explicit PatternReader(std::string_view pattern) : p_(pattern) {}

  // One need per top-level branch; false when the pattern is unreadable
  // or some branch requires nothing.
  bool Read(std::vector<Need>* needs) {
    do {
      std::optional<Need> need;
      if (!Branch(&need) || !need) {
        return false;
      }
      needs->push_back(std::move(*need));
    } while (Eat('|'));
    return i_ == p_.size();
  }

 private:
  enum class Kind { kLiteral, kClass, kGroup, kOther, kEmpty };
  struct Atom {
    Kind kind = Kind::kOther;
    char literal = 0;
    Need need;              // kClass, and kGroup when has_need
    bool has_need = false;  // kGroup
    bool caret = false;     // kEmpty: ^
    bool end = false;       // kEmpty: $ or \z
  };
  enum class Repeat { kOnce, kOptional, kOneOrMore };

  bool Eat(char c) {
    if (i_ < p_.size() && p_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  // The alternatives of a group: its need is any branch's need, as
  // text anywhere.
  bool Alternation(Atom* atom) {
    atom->kind = Kind::kGroup;
    atom->has_need = true;
    do {
      std::optional<Need> need;
      if (!Branch(&need)) {
        return false;
      }
      if (!need) {
        atom->has_need = false;
        continue;
      }
      for (std::string& needle : need->any) {
        atom->need.any.push_back(std::move(needle));
      }
    } while (Eat('|'));
    return true;
  }

  // What the text read so far must end with, from the latest atoms that
  // each match one character: one of `tail` (none known when empty).
  static void ExtendTail(const Atom& atom, Repeat repeat,
                         std::vector<std::string>* tail) {
    constexpr size_t kMaxTail = 64;  // strings kept; past it, the last atom
    std::string characters;
    if (atom.kind == Kind::kLiteral) {
      characters.push_back(LowerAscii(atom.literal));
    } else if (atom.kind == Kind::kClass) {
      for (const std::string& one : atom.need.any) {
        characters += one;
      }
    } else if (atom.kind == Kind::kEmpty && !atom.end &&
               repeat != Repeat::kOptional) {
      return;  // ^ \b \B \A take no character
    } else {
      tail->clear();
      return;
    }
    if (repeat == Repeat::kOptional) {
      tail->clear();
      return;
    }
    bool restart = repeat == Repeat::kOneOrMore || tail->empty() ||
                   tail->size() * characters.size() > kMaxTail;
    std::vector<std::string> longer;
    for (char c : characters) {
      if (restart) {
        longer.emplace_back(1, c);
        continue;
      }
      for (const std::string& text : *tail) {
        longer.push_back(text + c);
      }
    }
    *tail = std::move(longer);
  }

  // A sequence of atoms up to '|', ')' or the end; *best is the most
  // selective of the needs it implies (none when nothing is required).
  bool Branch(std::optional<Need>* best) {
    std::vector<std::string> tail;
    std::string run;
    bool run_at_start = false;
    bool at_start = false;  // the next atom starts the text
    auto offer = [best](Need need) {
      if (!need.any.empty() && (!*best || Better(need, **best))) {
        *best = std::move(need);
      }
    };
    auto flush = [&] {
      if (!run.empty()) {
        offer(Need{{run}, run_at_start});
        run.clear();
      }
    };
    bool first = true;
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      Atom atom;
      Repeat repeat;
      if (!ReadAtom(&atom) || !ReadRepeat(&repeat)) {
        return false;
      }
      bool starts = at_start;
      at_start = first && atom.kind == Kind::kEmpty && atom.caret &&
                 repeat == Repeat::kOnce;
      first = false;
      if (atom.kind == Kind::kEmpty && atom.end && repeat == Repeat::kOnce &&
          !tail.empty()) {
        offer(Need{tail, false, true});
      }
      ExtendTail(atom, repeat, &tail);
      if (atom.kind == Kind::kLiteral && repeat != Repeat::kOptional) {
        if (run.empty()) {
          run_at_start = starts;
        }
        run.push_back(LowerAscii(atom.literal));
        if (repeat == Repeat::kOneOrMore) {
          flush();
        }
        continue;
      }
      flush();
      if (repeat == Repeat::kOptional) {
        continue;
      }
      if (atom.kind == Kind::kClass) {
        atom.need.at_start = starts;
        offer(std::move(atom.need));
      } else if (atom.kind == Kind::kGroup && atom.has_need &&
                 !atom.need.any.empty()) {
        offer(std::move(atom.need));
      }
    }
    flush();
    return true;
  }

  bool ReadAtom(Atom* atom) {
    char c = p_[i_++];
    switch (c) {
      case '(':
        if (Eat('?') && !Eat(':')) {
          return false;  // flags, named groups
        }
        return Alternation(atom) && Eat(')');
      case '[':
        return ReadClass(atom);
      case '\\':
        return ReadEscape(atom);
      case '.':
        atom->kind = Kind::kOther;
        return true;
      case '^':
      case '$':
        atom->kind = Kind::kEmpty;
        atom->caret = c == '^';
        atom->end = c == '$';
        return true;
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        return false;
      default:
        break;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      while (i_ < p_.size() &&
             (static_cast<unsigned char>(p_[i_]) & 0xC0) == 0x80) {
        ++i_;
      }
      atom->kind = Kind::kOther;  // a non-ASCII character
      return true;
    }
    atom->kind = Kind::kLiteral;
    atom->literal = c;
    return true;
  }

  bool ReadEscape(Atom* atom) {
    if (i_ >= p_.size()) {
      return false;
    }
    char e = p_[i_++];
    std::string_view characters;
    switch (e) {
      case 'd':
        characters = kDigits;
        break;
      case 's':
        characters = kSpaces;
        break;
      case 'w':
        characters = kWordCharacters;
        break;
      case 'D':
      case 'S':
      case 'W':
      case 'C':
        atom->kind = Kind::kOther;
        return true;
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        atom->kind = Kind::kEmpty;
        atom->end = e == 'z';
        return true;
      default:
        if (static_cast<unsigned char>(e) >= 0x80 || IsAsciiAlnum(e)) {
          return false;
        }
        atom->kind = Kind::kLiteral;
        atom->literal = e;
        return true;
    }
    atom->kind = Kind::kClass;
    AddCharacters(characters, &atom->need);
    return true;
  }

  // One member of a class: a character, a range, or \d \s \w; false on
  // anything else.
  bool ReadClassMember(std::string* members) {
    char c = p_[i_++];
    if (c == '\\') {
      if (i_ >= p_.size()) {
        return false;
      }
      char e = p_[i_++];
      if (e == 'd' || e == 's' || e == 'w') {
        members->append(e == 'd'   ? kDigits
                        : e == 's' ? kSpaces
                                   : kWordCharacters);
        return true;
      }
      if (static_cast<unsigned char>(e) >= 0x80 || IsAsciiAlnum(e)) {
        return false;
      }
      c = e;
    } else if (static_cast<unsigned char>(c) >= 0x80 ||
               (c == '[' && i_ < p_.size() && p_[i_] == ':')) {
      return false;
    }
    if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
      char high = p_[i_ + 1];
      if (high == '\\' || high == '[' ||
          static_cast<unsigned char>(high) >= 0x80 || high < c) {
        return false;
      }
      i_ += 2;
      for (int x = c; x <= high; ++x) {
        members->push_back(static_cast<char>(x));
      }
      return true;
    }
    members->push_back(c);
    return true;
  }

  bool ReadClass(Atom* atom) {
    bool negated = Eat('^');
    std::string members;
    bool first = true;
    while (i_ < p_.size() && (first || p_[i_] != ']')) {
      first = false;
      if (!ReadClassMember(&members)) {
        return false;
      }
    }
    if (!Eat(']')) {
      return false;
    }
    if (negated) {
      atom->kind = Kind::kOther;
      return true;
    }
    atom->kind = Kind::kClass;
    AddCharacters(members, &atom->need);
    return true;
  }

  bool ReadRepeat(Repeat* repeat) {
    *repeat = Repeat::kOnce;
    if (i_ < p_.size() && (p_[i_] == '*' || p_[i_] == '?')) {
      *repeat = Repeat::kOptional;
    } else if (i_ < p_.size() && p_[i_] == '+') {
      *repeat = Repeat::kOneOrMore;
    } else {
      return i_ >= p_.size() || p_[i_] != '{';
    }
    ++i_;
    Eat('?');  // lazy
    return i_ >= p_.size() ||
           (p_[i_] != '{' && p_[i_] != '*' && p_[i_] != '+' && p_[i_] != '?');
  }

  std::string_view p_;
  size_t i_ = 0;
};

bool EndsWithFolded(std::string_view text, std::string_view needle) {
  if (text.size() < needle.size()) {
    return false;
  }
  text.remove_prefix(text.size() - needle.size());
  for (size_t k = 0; k < needle.size(); ++k) {
    if (LowerAscii(text[k]) != needle[k]) {
      return false;
    }
  }
  return true;
}

bool StartsWithFolded(std::string_view text, std::string_view needle) {
  if (text.size() < needle.size()) {
    return false;
  }
  for (size_t k = 0; k < needle.size(); ++k) {
    if (LowerAscii(text[k]) != needle[k]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void RequiredText::Add(std::string_view pattern) {
  std::vector<Need> needs;
  if (!PatternReader(pattern).Read(&needs)) {
    passes_all_ = true;
    return;
  }
  for (Need& need : needs) {
    for (std::string& needle : need.any) {
      needles_have_k_or_s_ = needles_have_k_or_s_ ||
                             needle.find_first_of("ks") != std::string::npos;
      (need.at_start ? prefixes_
       : need.at_end ? suffixes_
                     : needles_)
          .push_back(std::move(needle));
    }
  }
  Index();
}

void RequiredText::Index() {
  std::sort(needles_.begin(), needles_.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() != b.size() ? a.size() < b.size() : a < b;
            });
  needles_.erase(std::unique(needles_.begin(), needles_.end()), needles_.end());
  std::vector<std::string> kept;
  for (const std::string& needle : needles_) {
    bool redundant = std::any_of(
        kept.begin(), kept.end(), [&needle](const std::string& shorter) {
          return needle.find(shorter) != std::string::npos;
        });
    if (!redundant) {
      kept.push_back(needle);
    }
  }
  needles_ = std::move(kept);
  first_.fill(0);
  prefix_first_.fill(0);
  suffix_last_.fill(false);
  for (const std::string& suffix : suffixes_) {
    auto last = static_cast<unsigned char>(suffix.back());
    suffix_last_[last] = true;
    if (last >= 'a' && last <= 'z') {
      suffix_last_[last - 32] = true;
    }
  }
  for (const std::string& prefix : prefixes_) {
    auto first = static_cast<unsigned char>(prefix[0]);
    uint8_t kind = prefix.size() == 1 ? kSingle : kStarts;
    prefix_first_[first] |= kind;
    prefix_first_[static_cast<unsigned char>(
        first >= 'a' && first <= 'z' ? first - 32 : first)] |= kind;
  }
  if (needles_have_k_or_s_) {
    first_[0xE2] = first_[0xC5] = kFolds;  // K is E2 84 AA, ſ is C5 BF
  }
  for (auto& row : second_) {
    row.fill(0);
  }
  for (auto& list : by_first_) {
    list.clear();
  }
  pairs_.fill(0);
  for (const std::string& needle : needles_) {
    auto first = static_cast<unsigned char>(needle[0]);
    auto upper = static_cast<unsigned char>(
        first >= 'a' && first <= 'z' ? first - 32 : first);
    uint8_t kind = needle.size() == 1 ? kSingle : kStarts;
    first_[first] |= kind;
    first_[upper] |= kind;
    if (needle.size() == 1) {
      continue;
    }
    auto second = static_cast<unsigned char>(needle[1]);
    second_[first][second / 64] |= uint64_t{1} << (second % 64);
    by_first_[first].push_back(needle);
    auto second_upper = static_cast<unsigned char>(
        second >= 'a' && second <= 'z' ? second - 32 : second);
    for (unsigned a : {first, upper}) {
      for (unsigned b : {second, second_upper}) {
        unsigned pair = a << 8 | b;
        pairs_[pair >> 6] |= uint64_t{1} << (pair & 63);
      }
    }
  }
}

// Whether a needle longer than one byte starts at text[i], or K or ſ,
// which fold onto k and s, does.
bool RequiredText::HasNeedleAt(std::string_view text, size_t i) const {
  auto c = static_cast<unsigned char>(LowerAscii(text[i]));
  if (c >= 0x80) {
    std::string_view rest = text.substr(i);
    return rest.starts_with("\xE2\x84\xAA") || rest.starts_with("\xC5\xBF");
  }
  if (i + 1 >= text.size()) {
    return false;
  }
  auto next = static_cast<unsigned char>(LowerAscii(text[i + 1]));
  if (next >= 0x80 || !(second_[c][next / 64] >> (next % 64) & 1)) {
    return false;
  }
  for (const std::string& needle : by_first_[c]) {
    if (StartsWithFolded(text.substr(i), needle)) {
      return true;
    }
  }
  return false;
}

bool RequiredText::MayMatchFolded() const {
  auto possible = [](std::string_view needle) {
    return std::all_of(needle.begin(), needle.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x80 || c == ' ' ||
             (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
  };
  return passes_all_ ||
         std::any_of(needles_.begin(), needles_.end(), possible) ||
         std::any_of(suffixes_.begin(), suffixes_.end(),
                     [&](const std::string& suffix) {
                       return suffix.back() != ' ' && possible(suffix);
                     }) ||
         std::any_of(prefixes_.begin(), prefixes_.end(),
                     [&](const std::string& prefix) {
                       return prefix[0] != ' ' && possible(prefix);
                     });
}

bool RequiredText::MayMatch(std::string_view text) const {
  if (passes_all_) {
    return true;
  }
  uint8_t starts =
      text.empty() ? 0 : prefix_first_[static_cast<unsigned char>(text[0])];
  if (starts & kSingle) {
    return true;
  }
  if (starts & kStarts) {
    for (const std::string& prefix : prefixes_) {
      if (StartsWithFolded(text, prefix)) {
        return true;
      }
    }
  }
  if (!text.empty() && suffix_last_[static_cast<unsigned char>(text.back())]) {
    for (const std::string& suffix : suffixes_) {
      if (EndsWithFolded(text, suffix)) {
        return true;
      }
    }
  }
  if (needles_.empty() && !needles_have_k_or_s_) {
    return false;  // prefixes and suffixes only, and no K or ſ in them
  }
  for (size_t i = 0; i < text.size(); ++i) {
    uint8_t kind = first_[static_cast<unsigned char>(text[i])];
    while (kind == 0 && ++i < text.size()) {  // most bytes: a tight loop
      kind = first_[static_cast<unsigned char>(text[i])];
    }
    if (kind == 0) {
      return false;
    }
    if (kind & kSingle) {
      return true;
    }
    bool may_start =
        (kind & kFolds) || (i + 1 < text.size() && HasPairAt(text, i));
    if (may_start && HasNeedleAt(text, i)) {
      return true;
    }
  }
  return false;
}

}  // namespace leadclean
