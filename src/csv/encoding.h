// Input encodings for the CSV reader: BOM detection and an ICU layer that
// turns bytes in any ICU charset into a UTF-8 ByteSource.
#ifndef LEADCLEAN_CSV_ENCODING_H_
#define LEADCLEAN_CSV_ENCODING_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "leadclean/csv.h"

namespace leadclean {

// Decides how to decode an input whose first bytes are `head`. `requested`
// is CsvOptions::encoding: "" or "auto" detects (a UTF-16 BOM, else UTF-8);
// anything else must name an ICU converter. On success sets `*name` ("UTF-8",
// "UTF-16LE", "UTF-16BE" or `requested` as given) and `*convert` (false when
// the bytes are UTF-8 already and pass through untouched) and returns true.
// Returns false with `*error` = `unknown encoding "X"` when ICU has no
// converter of that name.
bool ResolveEncoding(const std::string& requested, std::string_view head,
                     std::string* name, bool* convert, std::string* error);

// Returns a source yielding the bytes of `head` followed by the rest of
// `inner`, converted from `encoding` to UTF-8. `inner` is read `read_size`
// bytes at a time. A BOM is converted like any character (U+FEFF becomes
// EF BB BF). Bytes invalid in `encoding` become ICU's substitution character.
// Read() returns -1 with error() set when `inner` fails or ICU reports an
// error.
std::unique_ptr<ByteSource> Utf8DecodingSource(
    const std::string& encoding, std::string head,
    std::unique_ptr<ByteSource> inner, size_t read_size);

}  // namespace leadclean

#endif  // LEADCLEAN_CSV_ENCODING_H_
