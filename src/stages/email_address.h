// Syntax of one bare email address (no display name, no surrounding
// spaces): the practical RFC 5321 subset leadclean accepts, with
// internationalised local parts (RFC 6531) and IDN domains (UTS #46).
//
// Policy, documented in docs/email.md: quoted local parts, domain literals
// ([1.2.3.4]), comments and folding white space are refused; the domain
// needs at least two labels and an alphabetic (or xn--) top-level label.
#ifndef LEADCLEAN_STAGES_EMAIL_ADDRESS_H_
#define LEADCLEAN_STAGES_EMAIL_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace leadclean {

// Why an address was refused; kOk when it was accepted.
enum class EmailSyntax : uint8_t {
  kOk,
  kEmpty,
  kNoAt,           // no '@'
  kManyAt,         // more than one '@'
  kNoLocal,        // nothing before the '@'
  kNoDomain,       // nothing after the '@'
  kBadUtf8,        // not well-formed UTF-8
  kUnsafeChar,     // control, format, separator, private-use, unassigned,
                   // U+FFFD, or a combining mark that starts a part
  kQuotedLocal,    // "quoted"@local parts (policy)
  kLocalChar,      // a character not allowed in an unquoted local part
  kLocalDot,       // local part starts or ends with '.', or has ".."
  kLocalTooLong,   // local part over 64 octets
  kDomainLiteral,  // [IP literal] domains (policy)
  kDomainChar,     // a character not allowed in a host name
  kDomainDot,      // empty label: leading, trailing or double '.'
  kDomainNoDot,    // a single label ("localhost", "gmail")
  kDomainHyphen,   // label starts or ends with '-', or "ab--" without xn--
  kLabelTooLong,   // a label over 63 octets
  kDomainTooLong,  // domain over 253 octets (in ASCII form)
  kTldNotAlpha,    // last label not alphabetic nor an xn-- A-label
  kIdna,           // UTS #46 / IDNA 2008 refused the domain
  kTooLong,        // whole address over 254 octets
};

// Short stable name of `syntax`, e.g. "local_dot".
std::string_view EmailSyntaxName(EmailSyntax syntax);

struct EmailAddress {
  std::string local;   // NFC, case kept
  std::string domain;  // lower-case ASCII; IDN labels in punycode (xn--)

  std::string Joined() const {
    std::string joined;
    joined.reserve(local.size() + 1 + domain.size());
    return joined.append(local).append(1, '@').append(domain);
  }
};

// Checks `text` as one bare address and, when it is accepted, fills `*out`.
// Pure-ASCII input never touches ICU. Never throws.
EmailSyntax ParseEmailAddress(std::string_view text, EmailAddress* out);

// Checks a lower-case ASCII domain (labels, hyphens, lengths, TLD). Used
// after IDNA and by rule loaders.
EmailSyntax CheckAsciiDomain(std::string_view domain);

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_EMAIL_ADDRESS_H_
