// Cell splitting works on bytes: every separator is ASCII or one of a few
// fixed UTF-8 sequences, so no decoding is needed. ':' is a separator
// because it can never appear in an accepted address, which also drops the
// "mailto:" scheme and "Email:" labels.
#include "stages/email_cell.h"

#include <algorithm>
#include <array>

#include "leadclean/text.h"

namespace leadclean {
namespace {

// ASCII white space and , ; | < > ( ) [ ] " : mark token ends.
constexpr std::array<bool, 128> kAsciiSeparators = [] {
  std::array<bool, 128> table{};
  for (char c : std::string_view(" \t\r\n\v\f,;|<>()[]\":")) {
    table[static_cast<unsigned char>(c)] = true;
  }
  return table;
}();

// UTF-8 separators: NBSP, U+3000, U+3001 and the full-width , ; : < > |
// (U+2000..U+200A are matched by range).
constexpr std::array<std::string_view, 9> kUtf8Separators = {
    "\xC2\xA0",     "\xE3\x80\x80", "\xE3\x80\x81",
    "\xEF\xBC\x8C", "\xEF\xBC\x9B", "\xEF\xBC\x9A",
    "\xEF\xBC\x9C", "\xEF\xBC\x9E", "\xEF\xBD\x9C",
};
constexpr std::array<std::string_view, 6> kInvisibles = {
    "\xC2\xAD",     "\xE2\x80\x8B", "\xE2\x80\x8C",
    "\xE2\x80\x8D", "\xE2\x81\xA0", "\xEF\xBB\xBF",
};

// Length in bytes of the separator starting at `i`, or 0.
size_t SeparatorLength(std::string_view text, size_t i) {
  auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) {
    return kAsciiSeparators[byte] ? 1 : 0;
  }
  std::string_view rest = text.substr(i);
  if (rest.size() >= 3 && byte == 0xE2 && rest[1] == '\x80' &&
      static_cast<unsigned char>(rest[2]) <= 0x8A) {
    return 3;  // U+2000..U+200A
  }
  for (std::string_view separator : kUtf8Separators) {
    if (rest.starts_with(separator)) {
      return separator.size();
    }
  }
  return 0;
}

bool HasAlnum(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
  });
}

// Separators that are only spacing (not line breaks or punctuation).
bool IsSpace(std::string_view separator) {
  return separator == " " || separator == "\t" || separator == "\xC2\xA0" ||
         separator == "\xE3\x80\x80" || separator.starts_with("\xE2\x80");
}

// `at` is the position of the token's first '@'.
std::string_view CleanToken(std::string_view token, size_t at) {
  if (token.starts_with('\'')) {
    token.remove_prefix(1);
    --at;  // the apostrophe came before the '@'
  }
  size_t query = token.find('?', at);
  if (query != std::string_view::npos) {
    token = token.substr(0, query);
  }
  while (token.ends_with('.') || token.ends_with('\'')) {
    token.remove_suffix(1);
  }
  return token;
}

void AddToken(std::string_view token,
              std::vector<std::string_view>* candidates) {
  const size_t at = token.find('@');
  if (at == std::string_view::npos) {
    return;
  }
  const bool several = token.find('@', at + 1) != std::string_view::npos;
  if (several && token.find('/') != std::string_view::npos) {
    size_t start = 0;
    while (start <= token.size()) {
      size_t slash = std::min(token.find('/', start), token.size());
      AddToken(token.substr(start, slash - start), candidates);
      start = slash + 1;
    }
    return;
  }
  candidates->push_back(CleanToken(token, at));
}

// kAsciiSeparators and every byte >= 0x80: the bytes that end the one-token
// fast path.
constexpr std::array<bool, 256> kNotPlain = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = c >= 0x80 || kAsciiSeparators[c];
  }
  return table;
}();

// No separator and nothing but ASCII: the whole cell is one token (most
// cells).
bool IsOneAsciiToken(std::string_view cell) {
  for (char c : cell) {
    if (kNotPlain[static_cast<unsigned char>(c)]) {
      return false;
    }
  }
  return true;
}

size_t InvisibleLength(std::string_view text, size_t i) {
  if (static_cast<unsigned char>(text[i]) < 0x80) {
    return 0;
  }
  for (std::string_view invisible : kInvisibles) {
    if (text.substr(i).starts_with(invisible)) {
      return invisible.size();
    }
  }
  return 0;
}

}  // namespace

bool RemoveInvisibles(std::string_view cell, std::string* out) {
  if (IsAsciiText(cell)) {
    return false;  // the common case: plain ASCII
  }
  bool found = false;
  for (size_t i = 0; i < cell.size();) {
    size_t length = InvisibleLength(cell, i);
    if (length > 0 && !found) {
      out->assign(cell.substr(0, i));
      found = true;
    }
    if (found && length == 0) {
      out->push_back(cell[i]);
    }
    i += length > 0 ? length : 1;
  }
  return found;
}

void SplitEmailCell(std::string_view cell,
                    std::vector<std::string_view>* candidates) {
  if (IsOneAsciiToken(cell)) {
    AddToken(cell, candidates);  // adds nothing without an '@'
    return;
  }
  size_t start = 0;
  // Start of the word before the current token when only spaces part them:
  // "aim anh77@gmail.com" is one broken address, not "anh77@gmail.com".
  size_t glued_from = std::string_view::npos;
  for (size_t i = 0; i <= cell.size();) {
    size_t separator = i < cell.size() ? SeparatorLength(cell, i) : 1;
    if (separator == 0) {
      ++i;
      continue;
    }
    std::string_view token = cell.substr(start, i - start);
    if (token.find('@') != std::string_view::npos) {
      AddToken(glued_from == std::string_view::npos
                   ? token
                   : cell.substr(glued_from, i - glued_from),
               candidates);
      glued_from = std::string_view::npos;
    } else if (HasAlnum(token)) {
      glued_from = start;  // a word, not a lone "/" or "-"
    } else {
      glued_from = std::string_view::npos;
    }
    if (i < cell.size() && !IsSpace(cell.substr(i, separator))) {
      glued_from = std::string_view::npos;
    }
    i += separator;
    start = i;
  }
}

}  // namespace leadclean
