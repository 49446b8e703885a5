// The gibberish detectors: keyboard mash ("sdfsdf", "asdf", "ádasdasd",
// "XkTpwQzLmRvBnJdY") and letter sequences that are unlikely in a name.
// Real Vietnamese names, with or without diacritics and with or without
// spaces ("nguyenthithuhuong"), never count as gibberish: every token is
// first tried as a sequence of Vietnamese syllables.
#ifndef LEADCLEAN_RULES_ENGINE_GIBBERISH_H_
#define LEADCLEAN_RULES_ENGINE_GIBBERISH_H_

#include <string>
#include <string_view>

namespace leadclean {

enum class GibberishLevel { kNone, kUnlikely, kMash };

struct GibberishVerdict {
  GibberishLevel level = GibberishLevel::kNone;
  std::string token;     // the token that decided, folded
  std::string_view why;  // "repeated pattern", "keyboard run", ...
};

// Scores a person's name. `raw` is the value as typed (its letter case is a
// signal); `folded` is FoldKey(raw). kMash: some token is keyboard mash;
// kUnlikely: some token of 5+ letters is made of letter pairs that are rare
// in English words and in Vietnamese and English names.
GibberishVerdict ScoreName(std::string_view raw, std::string_view folded);

// Scores the local part of an email address, folded. Only kMash is
// reported: locals mix initials, abbreviations and numbers ("ntthuong92",
// "hungpv"), so letter-pair rarity says little there.
GibberishVerdict ScoreEmailLocal(std::string_view folded_local);

// True when the lower-case ASCII `token` splits into Vietnamese syllables
// written without diacritics ("huong", "nguyenvanan").
bool IsVietnameseSyllables(std::string_view token);

}  // namespace leadclean

#endif  // LEADCLEAN_RULES_ENGINE_GIBBERISH_H_
