// Input encodings for the CSV reader: detection (BOM, UTF-8 validity, and a
// Vietnamese-plausibility score over legacy decodings), conversion of any
// supported encoding to a UTF-8 ByteSource, and repair of UTF-8 text that was
// once mis-decoded as windows-1252 (mojibake).
#ifndef LEADCLEAN_CSV_ENCODING_H_
#define LEADCLEAN_CSV_ENCODING_H_

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "leadclean/csv.h"

namespace leadclean {

// Bytes of the input that detection looks at (after nothing: a BOM is part
// of them). The choice depends on these bytes only, never on read sizes.
constexpr size_t kDetectBytes = 64 * 1024;

struct EncodingChoice {
  // "UTF-8", "UTF-16LE", "UTF-16BE", "windows-1258", "windows-1252",
  // "TCVN3", "VNI", or the --encoding value as given.
  std::string name = "UTF-8";
  bool convert = false;  // false: UTF-8, the bytes pass through untouched
  // How sure detection is, 0..1 (1 for a BOM, valid UTF-8 or --encoding).
  double confidence = 1.0;
  // "option" (--encoding), "bom", "ascii", "utf-8" (valid, non-ASCII),
  // "mostly-utf-8" (more valid multi-byte sequences than invalid bytes),
  // "scored" (legacy decodings ranked, see DetectLegacyEncoding),
  // "unrecognised" (invalid UTF-8 that no legacy decoding makes readable:
  // passed through as UTF-8; cells are flagged invalid_utf8).
  std::string method = "ascii";
  std::string runner_up;  // "scored": the second-best decoding
};

// Whether CsvOptions::encoding asks for detection ("" or "auto").
bool IsAutoEncoding(const std::string& requested);

// Decides how to decode an input whose first bytes are `head` (up to
// kDetectBytes of them are looked at; `complete` = head is the whole
// input). `requested` is CsvOptions::encoding: "" or "auto" detects;
// anything else must name an ICU converter or one of the built-in "TCVN3"
// (aliases TCVN, ABC, VN3) and "VNI" (VNI-Windows). Returns false with
// `*error` = `unknown encoding "X"` for an unknown name.
bool ResolveEncoding(const std::string& requested, std::string_view head,
                     bool complete, EncodingChoice* choice,
                     std::string* error);

// Ranks the legacy decodings of invalid-UTF-8 `sample` (windows-1258,
// windows-1252, TCVN3, VNI) by how plausible the decoded words are; see
// the comment in encoding.cc. Sets name, confidence and runner_up; returns
// false when no decoding reads as text (score <= 0) or the evidence is too
// weak (no positive word also holds an ASCII letter).
bool DetectLegacyEncoding(std::string_view sample, EncodingChoice* choice);

// Returns a source yielding the bytes of `head` followed by the rest of
// `inner`, converted from `encoding` to UTF-8. `inner` is read `read_size`
// bytes at a time. A BOM is converted like any character (U+FEFF becomes
// EF BB BF). Bytes invalid in `encoding` become ICU's substitution
// character. Read() returns -1 with error() set when `inner` fails or ICU
// reports an error. source_bytes() counts the bytes taken from `inner`.
std::unique_ptr<ByteSource> Utf8DecodingSource(
    const std::string& encoding, std::string head,
    std::unique_ptr<ByteSource> inner, size_t read_size);

// Decodes all of `bytes` from `encoding` (as Utf8DecodingSource would).
// Returns false for an unknown encoding.
bool DecodeToUtf8(const std::string& encoding, std::string_view bytes,
                  std::string* out);

// Mojibake: UTF-8 text that was decoded as windows-1252 and saved as UTF-8
// again ("Nguyá»…n" for "Nguyễn"). Every such cell holds the UTF-8 bytes
// C3 xx (the windows-1252 reading of a UTF-8 lead byte), so
// MayHoldMojibake rules out almost every cell with a memchr or two.
//
// Exactly: a UTF-8 lead byte (C2-F4) read as windows-1252 becomes U+00C2 to
// U+00F4 (C3 82 to C3 B4), and the continuation byte after it becomes a
// character written C2 xx, C5 xx, C6 xx, CB xx or E2 xx xx. Correct
// Vietnamese ("Hà Nội") has C3 xx too, but not followed by those.
inline bool MayHoldMojibake(std::string_view bytes) {
  for (size_t i = bytes.find('\xC3'); i != std::string_view::npos;
       i = bytes.find('\xC3', i + 1)) {
    if (i + 2 >= bytes.size()) {
      return false;
    }
    auto second = static_cast<unsigned char>(bytes[i + 1]);
    auto next = static_cast<unsigned char>(bytes[i + 2]);
    if (second >= 0x82 && second <= 0xB4 &&
        (next == 0xC2 || next == 0xC5 || next == 0xC6 || next == 0xCB ||
         next == 0xE2)) {
      return true;
    }
  }
  return false;
}

// When valid-UTF-8 `cell` is entirely windows-1252-encodable and its
// windows-1252 bytes are valid UTF-8 holding a non-ASCII character, sets
// `*repaired` to that UTF-8 (repeated while it applies, at most 3 times,
// for double mojibake) and returns true.
bool RepairMojibake(std::string_view cell, std::string* repaired);

// Counts the mojibake cells of `fields`. With `fix`, each such field is
// pointed at its repair, kept in `*storage` (resized to fields.size()).
size_t FindMojibakeCells(std::span<std::string_view> fields, bool fix,
                         std::vector<std::string>* storage);

// Replaces each mojibake name by its repair (header names, for roles).
void RepairMojibakeNames(std::vector<std::string>* names);

}  // namespace leadclean

#endif  // LEADCLEAN_CSV_ENCODING_H_
