// fast-cpp-csv-parser, with the one warning its header raises under -Wall
// silenced, and the reader type every rule table uses.
#ifndef LEADCLEAN_CORE_FCCP_H_
#define LEADCLEAN_CORE_FCCP_H_

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#include <libfccp/csv.h>
#pragma GCC diagnostic pop

namespace leadclean {

// A rule-table reader with N named columns: trims cells, allows quoted
// cells, skips blank lines and lines starting with '#'.
template <unsigned N>
using RuleTableReader =
    io::CSVReader<N, io::trim_chars<' ', '\t'>,
                  io::double_quote_escape<',', '"'>, io::throw_on_overflow,
                  io::single_and_empty_line_comment<'#'>>;

}  // namespace leadclean

#endif  // LEADCLEAN_CORE_FCCP_H_
