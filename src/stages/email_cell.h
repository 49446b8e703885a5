// Finding the addresses in one email cell: "Nguyễn An <an@x.vn>",
// "mailto:a@x.com", "a@x.com; b@y.com", "a@x.com / b@y.com".
#ifndef LEADCLEAN_STAGES_EMAIL_CELL_H_
#define LEADCLEAN_STAGES_EMAIL_CELL_H_

#include <string_view>
#include <vector>

namespace leadclean {

// Appends to `*candidates` every token of `cell` that contains an '@', in
// order, as views into `cell`. Tokens are separated by white space (ASCII,
// NBSP, U+2000..U+200B, U+3000, U+FEFF) and by , ; | < > ( ) [ ] " : and
// their full-width forms; a token holding several '@' is also split on '/'.
// Each token loses a "mailto:" prefix, anything from '?' on after its '@'
// (mailto query), a leading apostrophe (Excel's text marker) and trailing
// dots (sentence punctuation). Words without '@' (display names, labels
// like "Email:") are dropped.
void SplitEmailCell(std::string_view cell,
                    std::vector<std::string_view>* candidates);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_EMAIL_CELL_H_
