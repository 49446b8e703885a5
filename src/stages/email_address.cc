// Email address syntax. The hot path is pure ASCII: one pass over the local
// part, one over the domain, no allocation beyond the output strings. Only
// non-ASCII input (and xn-- labels, whose punycode must be validated) goes
// through ICU: NFC, a safety check per code point, and UTS #46 nameToASCII.
#include "stages/email_address.h"

#include <unicode/bytestream.h>
#include <unicode/idna.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <memory>

#include "leadclean/text.h"

namespace leadclean {
namespace {

constexpr size_t kMaxLocal = 64;
constexpr size_t kMaxDomain = 253;
constexpr size_t kMaxAddress = 254;
constexpr size_t kMaxLabel = 63;

constexpr std::array<std::string_view, 22> kSyntaxNames = {
    "ok",
    "empty",
    "no_at",
    "many_at",
    "no_local",
    "no_domain",
    "bad_utf8",
    "unsafe_char",
    "quoted_local",
    "local_char",
    "local_dot",
    "local_too_long",
    "domain_literal",
    "domain_char",
    "domain_dot",
    "domain_no_dot",
    "domain_hyphen",
    "label_too_long",
    "domain_too_long",
    "tld_not_alpha",
    "idna",
    "too_long",
};

constexpr std::array<bool, 256> kAtext = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
  }
  for (char c : std::string_view("!#$%&'*+-/=?^_`{|}~")) {
    table[static_cast<unsigned char>(c)] = true;
  }
  return table;
}();

bool IsAtext(unsigned char c) { return kAtext[c]; }

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

bool StartsWithAce(std::string_view label) {
  return label.size() >= 4 && AsciiLower(label[0]) == 'x' &&
         AsciiLower(label[1]) == 'n' && label[2] == '-' && label[3] == '-';
}

// Unquoted local part: atext and non-ASCII (already checked for safety),
// dots only between atoms.
EmailSyntax CheckLocal(std::string_view local) {
  if (local.empty()) {
    return EmailSyntax::kNoLocal;
  }
  if (local.front() == '"') {
    return EmailSyntax::kQuotedLocal;
  }
  if (local.size() > kMaxLocal) {
    return EmailSyntax::kLocalTooLong;
  }
  if (local.front() == '.' || local.back() == '.') {
    return EmailSyntax::kLocalDot;
  }
  char previous = 0;
  for (char c : local) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '.') {
      if (previous == '.') {
        return EmailSyntax::kLocalDot;
      }
    } else if (byte < 0x80 && !IsAtext(byte)) {
      return EmailSyntax::kLocalChar;
    }
    previous = c;
  }
  return EmailSyntax::kOk;
}

EmailSyntax CheckLabel(std::string_view label) {
  if (label.empty()) {
    return EmailSyntax::kDomainDot;
  }
  if (label.size() > kMaxLabel) {
    return EmailSyntax::kLabelTooLong;
  }
  for (char c : label) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return EmailSyntax::kDomainChar;
    }
  }
  if (label.front() == '-' || label.back() == '-') {
    return EmailSyntax::kDomainHyphen;
  }
  if (label.size() >= 4 && label[2] == '-' && label[3] == '-' &&
      !StartsWithAce(label)) {
    return EmailSyntax::kDomainHyphen;
  }
  return EmailSyntax::kOk;
}

bool IsTopLevelLabel(std::string_view label) {
  if (StartsWithAce(label)) {
    return true;
  }
  for (char c : label) {
    if (c < 'a' || c > 'z') {
      return false;
    }
  }
  return true;
}

// One IDNA instance for the process: UTS #46 non-transitional with the STD3
// rules, BiDi and CONTEXTJ checks, as IDNA 2008 registries apply them.
const icu::IDNA* Uts46() {
  static const icu::IDNA* idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::IDNA* instance = icu::IDNA::createUTS46Instance(
        UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
            UIDNA_NONTRANSITIONAL_TO_ASCII,
        status);
    return U_SUCCESS(status) ? instance : nullptr;
  }();
  return idna;
}

// Converts a (possibly Unicode) domain to lower-case ASCII with ICU.
EmailSyntax DomainToAscii(std::string_view domain, std::string* ascii) {
  const icu::IDNA* idna = Uts46();
  if (idna == nullptr) {
    return EmailSyntax::kIdna;
  }
  ascii->clear();
  icu::StringByteSink<std::string> sink(ascii);
  icu::IDNAInfo info;
  UErrorCode status = U_ZERO_ERROR;
  idna->nameToASCII_UTF8(
      icu::StringPiece(domain.data(), static_cast<int32_t>(domain.size())),
      sink, info, status);
  if (U_FAILURE(status) || info.hasErrors()) {
    return EmailSyntax::kIdna;
  }
  return EmailSyntax::kOk;
}

bool IsUnsafeCodePoint(UChar32 c, bool starts_part) {
  if (c == 0xFFFD) {
    return true;  // decoding damage, never part of a real address
  }
  switch (u_charType(c)) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_SURROGATE:
    case U_PRIVATE_USE_CHAR:
    case U_UNASSIGNED:
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return true;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
      return starts_part;  // would combine with whatever precedes it
    default:
      return false;
  }
}

// Non-ASCII code points that are unsafe in an address (the rules of
// python-email-validator's check_unsafe_chars, plus U+FFFD).
bool HasUnsafeChars(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  bool starts_part = true;
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0x80 && IsUnsafeCodePoint(c, starts_part)) {
      return true;
    }
    starts_part = (c == '@');
  }
  return false;
}

// The last domains checked on this thread, by their text as typed: a list
// repeats a few providers, so most checks are a lookup.
struct CheckedDomain {
  std::string typed;
  std::string ascii;
  EmailSyntax syntax = EmailSyntax::kEmpty;  // kEmpty: slot unused
};
// Lists hold thousands of distinct domains (typos, company domains).
constexpr size_t kCheckedDomainSlots = 1024;

size_t DomainSlot(std::string_view domain) {
  uint32_t hash = 2166136261u;
  for (char c : domain) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return hash % kCheckedDomainSlots;
}

EmailSyntax CheckDomainText(std::string_view domain, std::string* ascii);

// CheckDomainText, memoised (it depends on the text alone). *ascii points
// into the memo: valid until the next call on this thread.
EmailSyntax CheckDomainMemo(std::string_view domain,
                            const std::string** ascii) {
  thread_local std::array<CheckedDomain, kCheckedDomainSlots> checked;
  CheckedDomain& slot = checked[DomainSlot(domain)];
  if (slot.syntax == EmailSyntax::kEmpty || slot.typed != domain) {
    slot.typed.assign(domain);
    slot.syntax = CheckDomainText(domain, &slot.ascii);
  }
  *ascii = &slot.ascii;
  return slot.syntax;
}

EmailSyntax CheckDomainText(std::string_view domain, std::string* ascii) {
  if (domain.empty()) {
    return EmailSyntax::kNoDomain;
  }
  if (domain.front() == '[') {
    return EmailSyntax::kDomainLiteral;
  }
  if (IsAsciiText(domain)) {
    ascii->assign(domain);
    for (char& c : *ascii) {
      c = AsciiLower(c);
    }
    EmailSyntax shape = CheckAsciiDomain(*ascii);
    // Punycode labels must still be decoded and validated by ICU.
    if (shape != EmailSyntax::kOk || ascii->find("xn--") == std::string::npos) {
      return shape;
    }
  }
  if (DomainToAscii(domain, ascii) != EmailSyntax::kOk) {
    return EmailSyntax::kIdna;
  }
  return CheckAsciiDomain(*ascii);
}

EmailSyntax ParseForm(std::string_view text, EmailAddress* out) {
  size_t at = text.find('@');
  if (!text.empty() && text.front() == '"') {
    return EmailSyntax::kQuotedLocal;
  }
  if (at == std::string_view::npos) {
    return EmailSyntax::kNoAt;
  }
  if (text.find('@', at + 1) != std::string_view::npos) {
    return EmailSyntax::kManyAt;
  }
  std::string_view local = text.substr(0, at);
  EmailSyntax result = CheckLocal(local);
  if (result != EmailSyntax::kOk) {
    return result;
  }
  const std::string* domain = nullptr;
  result = CheckDomainMemo(text.substr(at + 1), &domain);
  if (result != EmailSyntax::kOk) {
    return result;
  }
  if (local.size() + 1 + domain->size() > kMaxAddress) {
    return EmailSyntax::kTooLong;
  }
  out->local.assign(local);
  out->domain.assign(*domain);
  return EmailSyntax::kOk;
}

}  // namespace

std::string_view EmailSyntaxName(EmailSyntax syntax) {
  return kSyntaxNames[static_cast<size_t>(syntax)];
}

EmailSyntax CheckAsciiDomain(std::string_view domain) {
  if (domain.empty()) {
    return EmailSyntax::kNoDomain;
  }
  if (domain.size() > kMaxDomain) {
    return EmailSyntax::kDomainTooLong;
  }
  size_t start = 0;
  size_t labels = 0;
  std::string_view last;
  while (true) {
    size_t dot = domain.find('.', start);
    std::string_view label = domain.substr(start, dot == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : dot - start);
    EmailSyntax result = CheckLabel(label);
    if (result != EmailSyntax::kOk) {
      return result;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  if (labels < 2) {
    return EmailSyntax::kDomainNoDot;
  }
  return IsTopLevelLabel(last) ? EmailSyntax::kOk : EmailSyntax::kTldNotAlpha;
}

EmailSyntax ParseEmailAddress(std::string_view text, EmailAddress* out) {
  if (text.empty()) {
    return EmailSyntax::kEmpty;
  }
  if (IsAsciiText(text)) {
    return ParseForm(text, out);
  }
  std::string normalized;
  if (!NfcTo(text, &normalized)) {  // also false for malformed UTF-8
    return EmailSyntax::kBadUtf8;
  }
  // Both forms must pass: NFC can hide a bad ASCII character ("<" + U+0338
  // composes to U+226E), and the typed form is what a mail client may send.
  for (std::string_view form : {text, std::string_view(normalized)}) {
    if (HasUnsafeChars(form)) {
      return EmailSyntax::kUnsafeChar;
    }
    EmailSyntax syntax = ParseForm(form, out);
    if (syntax != EmailSyntax::kOk) {
      return syntax;
    }
  }
  return EmailSyntax::kOk;
}

}  // namespace leadclean
