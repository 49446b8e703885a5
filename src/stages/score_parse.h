// Value parsers for scoring: money amounts in Vietnamese and English
// phrasing, engagement counters, and accent stripping for rule patterns
// (timestamps: leadclean/timestamp.h).
// Every parser is pure and thread-safe; bad input gives std::nullopt or 0,
// never an exception. Covered by tests/stages/score_test.cc ([score][parse]).
#ifndef LEADCLEAN_STAGES_SCORE_PARSE_H_
#define LEADCLEAN_STAGES_SCORE_PARSE_H_

#include <optional>
#include <string>
#include <string_view>

namespace leadclean {

// The largest money amount in `text`, in VND. Understands "50 triệu",
// "50tr", "1,5 tỷ", "2 tỉ", "500k", "500 nghìn", "50 củ", "$5,000", "5k
// USD", "50.000.000đ", "1.2 billion". USD amounts are converted with
// `usd_vnd`. A bare number without unit or currency ("50000000") counts only
// when `allow_plain` (a budget column) and it is at least 100 000; a bare
// number in free text is more often a phone or a year. Returns nullopt when
// no amount is found.
std::optional<double> ParseAmountVnd(std::string_view text, bool allow_plain,
                                     double usd_vnd);

// An engagement counter: "12", "1,234", "3.0"; "yes"/"có"/"x"/"true" count
// as 1; empty, negative or unreadable values are 0.
double ParseCount(std::string_view text);

// `text` with combining marks removed and đ/Đ mapped to d/D (NFD), case and
// punctuation kept: "Báo GIÁ (đủ)" -> "Bao GIA (du)". Rule patterns are
// stripped this way so they can be written with or without accents.
std::string StripAccents(std::string_view text);

// The ICU reference implementation of StripAccents, which the fast path
// must equal (tests/stages/score_test.cc).
std::string StripAccentsIcu(std::string_view text);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_SCORE_PARSE_H_
