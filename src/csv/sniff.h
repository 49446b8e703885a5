// Delimiter sniffing for the CSV reader.
#ifndef LEADCLEAN_CSV_SNIFF_H_
#define LEADCLEAN_CSV_SNIFF_H_

#include <string_view>

namespace leadclean {

// Guesses the delimiter of CSV text `sample` among , ; TAB |. For each
// candidate it counts occurrences per line outside quotes (blank lines
// ignored) and scores the share of lines whose count equals the most common
// count, which must be non-zero. The best score wins; ties go to the earlier
// candidate in that list. Returns ',' when no candidate occurs. When
// `complete` is false the sample was cut from a longer input and its last,
// possibly partial, line is ignored (unless it is the only line).
char SniffDelimiter(std::string_view sample, bool complete);

}  // namespace leadclean

#endif  // LEADCLEAN_CSV_SNIFF_H_
