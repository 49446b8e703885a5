// A cheap test that proves a text matches none of a group of
// case-insensitive, unanchored regexes, so the row rules can skip the
// RE2::Set pass for most values. Each pattern is read for text every match
// must hold: a literal run ("test", "www."), one of the characters of a
// class (\d, [.+-]), or one of a group's alternatives ("van|thi"), at the
// start when the pattern begins with ^; or, at the end, what its last
// characters before a $ can be (" a" to " e" for "(?:van|thi) [a-e]$").
// A pattern it cannot read (flags, counted repeats, \p{...}, non-ASCII
// classes ...) makes the test pass every text, so it never hides a match.
#ifndef LEADCLEAN_RULES_ENGINE_REQUIRED_TEXT_H_
#define LEADCLEAN_RULES_ENGINE_REQUIRED_TEXT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadclean {

class RequiredText {
 public:
  // Adds the requirement of one more pattern (RE2 syntax).
  void Add(std::string_view pattern);

  // False only when no added pattern can match anywhere in `text` with
  // case folding; true for any text once an unreadable pattern was added.
  bool MayMatch(std::string_view text) const;

  // True when some pattern could not be read: MayMatch is always true.
  bool passes_all() const { return passes_all_; }

  // False when MayMatch reads only the ends of the text (the patterns
  // need prefixes or suffixes, none with a k or s), so it costs the same
  // for any text.
  bool ScansText() const { return !needles_.empty() || needles_have_k_or_s_; }

  // False when MayMatch is false for every text FoldKey can produce (lower
  // case letters and digits, single inner spaces): each needle holds an
  // ASCII character outside [a-z0-9 ], or is a prefix starting with ' ' or
  // a suffix ending with one.
  bool MayMatchFolded() const;

 private:
  // Rebuilds the lookup tables from needles_, dropping each needle that
  // holds another one (the shorter is found whenever the longer is).
  void Index();
  bool HasNeedleAt(std::string_view text, size_t i) const;

  bool passes_all_ = false;
  bool needles_have_k_or_s_ = false;
  std::vector<std::string> prefixes_;  // lower case; the text starts with one
  std::vector<std::string> suffixes_;  // lower case; the text ends with one
  std::vector<std::string> needles_;   // lower case; the text contains one
  // The tables MayMatch reads: per text byte (either case) whether it is a
  // one-byte needle (kSingle), may start a longer one (kStarts) or may
  // start K or ſ (kFolds); the second bytes of the longer needles by first
  // byte; those needles by first byte.
  static constexpr uint8_t kSingle = 1, kStarts = 2, kFolds = 4;
  std::array<uint8_t, 256> first_{};
  std::array<uint8_t, 256> prefix_first_{};  // the same for prefixes_
  std::array<bool, 256> suffix_last_{};      // a suffix ends with the byte
  std::array<std::array<uint64_t, 2>, 128> second_{};
  std::array<std::vector<std::string>, 128> by_first_;
  // Bit (a << 8 | b): a longer needle starts with bytes a, b in either
  // case, so MayMatch looks a needle up only where the first two fit.
  std::array<uint64_t, 1024> pairs_{};
  bool HasPairAt(std::string_view text, size_t i) const {
    unsigned pair = static_cast<unsigned char>(text[i]) << 8 |
                    static_cast<unsigned char>(text[i + 1]);
    return (pairs_[pair >> 6] >> (pair & 63) & 1) != 0;
  }
};

}  // namespace leadclean

#endif  // LEADCLEAN_RULES_ENGINE_REQUIRED_TEXT_H_
