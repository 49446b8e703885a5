// The email stage's opt-in MX check (--check-mx): does a domain accept mail?
//
// One MxChecker per run. It asks DNS (c-ares) for the domain's MX records;
// when there are none it asks for A and AAAA (RFC 5321 section 5.1: the
// domain itself is then the mail host). A Null MX (RFC 7505: one MX whose
// exchange is ".") says the domain accepts no mail. Each domain is looked up
// once per run; the answers are cached for every thread.
#ifndef LEADCLEAN_STAGES_EMAIL_MX_H_
#define LEADCLEAN_STAGES_EMAIL_MX_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "stages/email_typo.h"  // StringMap

namespace leadclean {

enum class MxVerdict : uint8_t {
  kMail,     // an MX host, or (no MX) an A/AAAA address
  kNoMail,   // NXDOMAIN, Null MX, or neither MX nor A/AAAA (lc_flags:
             // email_no_mx)
  kUnknown,  // timeout, SERVFAIL, REFUSED, a bad answer (email_mx_unknown)
};

// Why a domain got its verdict; the report counts each.
enum class MxReason : uint8_t {
  kMx,         // kMail: MX records
  kAddress,    // kMail: no MX, but A/AAAA
  kNxdomain,   // kNoMail: the domain does not exist
  kNullMx,     // kNoMail: RFC 7505 Null MX
  kNoAddress,  // kNoMail: no MX, no A, no AAAA
  kTimeout,    // kUnknown: no answer within --mx-timeout
  kError,      // kUnknown: SERVFAIL, REFUSED, unreachable, a bad answer
  kCount,
};

struct MxSettings {
  // Resolver "IP", "IP:PORT", "[IPv6]:PORT", or several joined by ','.
  // "" = the system's resolvers (/etc/resolv.conf).
  std::string server;
  // Time one DNS query may take in all: it is sent, sent again after a
  // third of this when unanswered, then given up.
  int timeout_ms = 2000;
};

class MxChecker {
 public:
  // Returns nullptr and sets `*error` when c-ares cannot start or
  // `settings.server` is not an address ("--dns-server: ...").
  static std::unique_ptr<MxChecker> Create(const MxSettings& settings,
                                           std::string* error);
  ~MxChecker();
  MxChecker(const MxChecker&) = delete;
  MxChecker& operator=(const MxChecker&) = delete;

  // Looks up every domain of `domains` not asked about before, all at once
  // on one c-ares channel (up to kMaxInFlight lookups in flight), and
  // returns when each has a verdict. Thread-safe: a domain another thread
  // is looking up is waited for, not asked again.
  void Resolve(const std::vector<std::string>& domains);

  // The verdict for `domain` (ASCII, lower case); looks it up first when
  // no Resolve() call has.
  MxVerdict Verdict(std::string_view domain);

  // Settings and counts: domains looked up, per verdict and reason, DNS
  // queries sent, seconds spent waiting on DNS.
  void Report(nlohmann::json* out) const;

  static constexpr size_t kMaxInFlight = 256;

 private:
  struct Entry {
    bool pending = true;
    MxVerdict verdict = MxVerdict::kUnknown;
  };
  class Channel;

  MxChecker(const MxSettings& settings, void* channel);
  void Store(const std::string& domain, MxReason reason);
  void WaitFor(const std::vector<std::string>& domains);

  MxSettings settings_;
  void* template_channel_;  // ares_channel; ares_dup()ed per Resolve() call
  mutable std::mutex mutex_;
  std::condition_variable done_;
  StringMap<Entry> cache_;
  uint64_t reasons_[static_cast<int>(MxReason::kCount)] = {};
  uint64_t queries_ = 0;
  double seconds_ = 0;
};

}  // namespace leadclean

#endif  // LEADCLEAN_STAGES_EMAIL_MX_H_
