// Finding the addresses in one email cell: "Nguyễn An <an@x.vn>",
// "mailto:a@x.com", "a@x.com; b@y.com", "a@x.com / b@y.com".
#ifndef LEADCLEAN_STAGES_EMAIL_CELL_H_
#define LEADCLEAN_STAGES_EMAIL_CELL_H_

#include <string>
#include <string_view>
#include <vector>

namespace leadclean {

// Appends to `*candidates` every token of `cell` that contains an '@', in
// order, as views into `cell`. Tokens are separated by white space (ASCII,
// NBSP, U+2000..U+200A, U+3000) and by , ; | < > ( ) [ ] " : and their
// full-width forms; a token holding several '@' is also split on '/'.
// Each token loses a "mailto:" prefix, anything from '?' on after its '@'
// (mailto query), a leading apostrophe (Excel's text marker) and trailing
// dots (sentence punctuation). Words without '@' (display names, labels
// like "Email:") are dropped, except a word parted from the next address
// by spaces only: "aim anh77@x.vn" stays one (invalid) candidate rather
// than losing part of the local part.
void SplitEmailCell(std::string_view cell,
                    std::vector<std::string_view>* candidates);

// Copy-paste leaves invisible characters inside addresses: soft hyphen
// U+00AD, zero-width U+200B..U+200D, word joiner U+2060 and U+FEFF. When
// `cell` holds any, writes it without them to `*out` and returns true.
bool RemoveInvisibles(std::string_view cell, std::string* out);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_EMAIL_CELL_H_
