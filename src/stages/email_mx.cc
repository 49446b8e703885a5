// The MX check behind --check-mx (see email_mx.h). c-ares 1.18 channels are
// not thread-safe, so every Resolve() call gets its own channel, duplicated
// from a template that holds the settings; a domain is claimed in the shared
// cache before it is asked, so two threads never ask for the same one.
// Covered by tests/stages/email_mx_test.sh (dnsmasq on loopback).
#include "stages/email_mx.h"

#include <ares.h>
#include <arpa/inet.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <nlohmann/json.hpp>
#include <string_view>

namespace leadclean {
namespace {

constexpr int kClassIn = 1;
constexpr int kTypeA = 1;
constexpr int kTypeMx = 15;
constexpr int kTypeAaaa = 28;

// What one DNS query said.
enum class Answer : uint8_t { kFound, kNone, kTimeout, kError };

Answer FromStatus(int status) {
  switch (status) {
    case ARES_SUCCESS:
      return Answer::kFound;
    case ARES_ENODATA:    // NOERROR, no record of that type
    case ARES_ENOTFOUND:  // NXDOMAIN
      return Answer::kNone;
    case ARES_ETIMEOUT:
      return Answer::kTimeout;
    default:  // SERVFAIL, REFUSED, connection refused, a bad reply
      return Answer::kError;
  }
}

// Parses an MX reply. `*null_mx` is true when every exchange is the root
// "." (RFC 7505's Null MX is one such record, preference 0; several "."
// records, or another preference, reach nobody either).
Answer ParseMx(const unsigned char* reply, int length, bool* null_mx) {
  ares_mx_reply* records = nullptr;
  int status = ares_parse_mx_reply(reply, length, &records);
  if (status != ARES_SUCCESS) {
    return status == ARES_ENODATA ? Answer::kNone : Answer::kError;
  }
  *null_mx = true;
  for (ares_mx_reply* record = records; record != nullptr;
       record = record->next) {
    if (record->host[0] != '\0' && std::strcmp(record->host, ".") != 0) {
      *null_mx = false;
    }
  }
  ares_free_data(records);
  return Answer::kFound;
}

// Parses an A or AAAA reply: kFound when it holds at least one address
// (a CNAME chain without one is kNone).
Answer ParseAddresses(int type, const unsigned char* reply, int length) {
  constexpr int kMax = 4;
  int count = kMax;
  int status;
  if (type == kTypeA) {
    ares_addrttl addresses[kMax];
    status = ares_parse_a_reply(reply, length, nullptr, addresses, &count);
  } else {
    ares_addr6ttl addresses[kMax];
    status = ares_parse_aaaa_reply(reply, length, nullptr, addresses, &count);
  }
  if (status != ARES_SUCCESS) {
    return status == ARES_ENODATA ? Answer::kNone : Answer::kError;
  }
  return count > 0 ? Answer::kFound : Answer::kNone;
}

// The verdict when there is no MX: the A and AAAA answers combined.
MxReason FallbackReason(Answer a, Answer aaaa) {
  if (a == Answer::kFound || aaaa == Answer::kFound) {
    return MxReason::kAddress;
  }
  if (a == Answer::kTimeout || aaaa == Answer::kTimeout) {
    return MxReason::kTimeout;
  }
  if (a == Answer::kError || aaaa == Answer::kError) {
    return MxReason::kError;
  }
  return MxReason::kNoAddress;
}

// "IPv4", "IPv4:PORT", "IPv6", "[IPv6]" or "[IPv6]:PORT" (c-ares itself
// also takes "1.2.3", "[::1" and more, which would hide a typo).
bool ValidServer(std::string_view server) {
  std::string host(server);
  std::string_view port;
  int family = AF_INET;
  if (!server.empty() && server.front() == '[') {
    size_t close = server.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    host = server.substr(1, close - 1);
    family = AF_INET6;
    if (close + 1 < server.size()) {
      if (server[close + 1] != ':') {
        return false;
      }
      port = server.substr(close + 2);
    }
  } else if (size_t colon = server.find(':'); colon != std::string_view::npos) {
    family = server.find(':', colon + 1) == std::string_view::npos ? AF_INET
                                                                   : AF_INET6;
    if (family == AF_INET) {
      host = server.substr(0, colon);
      port = server.substr(colon + 1);
    }
  }
  unsigned char address[16];
  if (inet_pton(family, host.c_str(), address) != 1) {
    return false;
  }
  if (port.data() == nullptr) {
    return true;
  }
  int number = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || (number = number * 10 + (c - '0')) > 65535) {
      return false;
    }
  }
  return !port.empty() && number > 0;
}

// A comma-separated list of ValidServer()s.
bool ValidServerList(std::string_view list) {
  while (true) {
    size_t comma = list.find(',');
    if (!ValidServer(list.substr(0, comma))) {
      return false;
    }
    if (comma == std::string_view::npos) {
      return true;
    }
    list.remove_prefix(comma + 1);
  }
}

MxVerdict VerdictOf(MxReason reason) {
  switch (reason) {
    case MxReason::kMx:
    case MxReason::kAddress:
      return MxVerdict::kMail;
    case MxReason::kNxdomain:
    case MxReason::kNullMx:
    case MxReason::kNoAddress:
      return MxVerdict::kNoMail;
    default:
      return MxVerdict::kUnknown;
  }
}

}  // namespace

// One c-ares channel working through a list of domains: each starts with an
// MX query; "no MX" (NOERROR without records) starts A and AAAA queries.
class MxChecker::Channel {
 public:
  Channel(MxChecker* checker, ares_channel channel,
          const std::vector<std::string>* domains)
      : checker_(checker), channel_(channel), domains_(domains) {}
  ~Channel() { ares_destroy(channel_); }

  // Returns when every domain has a verdict. Returns the queries sent.
  uint64_t Run();

 private:
  struct Lookup {
    Channel* channel = nullptr;
    const std::string* domain = nullptr;
    int addresses_waiting = 0;
    Answer a = Answer::kNone;
    Answer aaaa = Answer::kNone;
  };

  void Start(const std::string& domain);
  void Finish(Lookup* lookup, MxReason reason);
  void Wait();
  static void OnMx(void* arg, int status, int timeouts, unsigned char* reply,
                   int length);
  static void OnA(void* arg, int status, int timeouts, unsigned char* reply,
                  int length);
  static void OnAaaa(void* arg, int status, int timeouts, unsigned char* reply,
                     int length);
  static void OnAddress(Lookup* lookup, int type, Answer* answer, int status,
                        unsigned char* reply, int length);

  MxChecker* checker_;
  ares_channel channel_;
  const std::vector<std::string>* domains_;
  size_t next_ = 0;
  size_t in_flight_ = 0;
  uint64_t queries_ = 0;
  std::deque<Lookup> lookups_;  // a deque: callbacks hold pointers
};

uint64_t MxChecker::Channel::Run() {
  // New lookups start here, not from callbacks, so a query that fails at
  // once cannot recurse.
  for (;;) {
    while (in_flight_ < kMaxInFlight && next_ < domains_->size()) {
      Start((*domains_)[next_++]);
    }
    if (in_flight_ == 0) {
      return queries_;
    }
    Wait();
  }
}

void MxChecker::Channel::Start(const std::string& domain) {
  Lookup& lookup = lookups_.emplace_back();
  lookup.channel = this;
  lookup.domain = &domain;
  ++in_flight_;
  ++queries_;
  ares_query(channel_, domain.c_str(), kClassIn, kTypeMx, OnMx, &lookup);
}

void MxChecker::Channel::Finish(Lookup* lookup, MxReason reason) {
  --in_flight_;
  checker_->Store(*lookup->domain, reason);
}

// Waits for the channel's sockets or its next timeout, then lets c-ares
// handle what happened (answers, retries, timeouts).
void MxChecker::Channel::Wait() {
  ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
  int bits = ares_getsock(channel_, sockets, ARES_GETSOCK_MAXNUM);
  pollfd fds[ARES_GETSOCK_MAXNUM];
  nfds_t count = 0;
  for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
    short events = (ARES_GETSOCK_READABLE(bits, i) ? POLLIN : 0) |
                   (ARES_GETSOCK_WRITABLE(bits, i) ? POLLOUT : 0);
    if (events != 0) {
      fds[count++] = pollfd{sockets[i], events, 0};
    }
  }
  timeval wait;
  timeval* next = ares_timeout(channel_, nullptr, &wait);
  int ms =
      next == nullptr
          ? 1000
          : static_cast<int>(wait.tv_sec * 1000 + (wait.tv_usec + 999) / 1000);
  int ready = poll(fds, count, ms);
  if (ready < 0 && errno == EINTR) {
    return;
  }
  if (ready <= 0) {
    ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    return;
  }
  for (nfds_t i = 0; i < count; ++i) {
    bool readable = fds[i].revents & (POLLIN | POLLERR | POLLHUP);
    bool writable = fds[i].revents & POLLOUT;
    ares_process_fd(channel_, readable ? fds[i].fd : ARES_SOCKET_BAD,
                    writable ? fds[i].fd : ARES_SOCKET_BAD);
  }
}

void MxChecker::Channel::OnMx(void* arg, int status, int /*timeouts*/,
                              unsigned char* reply, int length) {
  auto* lookup = static_cast<Lookup*>(arg);
  Channel* self = lookup->channel;
  if (status == ARES_EDESTRUCTION) {
    return;
  }
  bool null_mx = false;
  Answer answer = FromStatus(status);
  if (answer == Answer::kFound) {
    answer = ParseMx(reply, length, &null_mx);
  }
  switch (answer) {
    case Answer::kFound:
      self->Finish(lookup, null_mx ? MxReason::kNullMx : MxReason::kMx);
      return;
    case Answer::kTimeout:
      self->Finish(lookup, MxReason::kTimeout);
      return;
    case Answer::kError:
      self->Finish(lookup, MxReason::kError);
      return;
    case Answer::kNone:
      break;
  }
  if (status == ARES_ENOTFOUND) {
    self->Finish(lookup, MxReason::kNxdomain);
    return;
  }
  // NOERROR without an MX: the domain itself is the mail host, if it has
  // an address (RFC 5321 section 5.1).
  lookup->addresses_waiting = 2;
  self->queries_ += 2;
  const char* name = lookup->domain->c_str();
  ares_query(self->channel_, name, kClassIn, kTypeA, OnA, lookup);
  ares_query(self->channel_, name, kClassIn, kTypeAaaa, OnAaaa, lookup);
}

void MxChecker::Channel::OnA(void* arg, int status, int /*timeouts*/,
                             unsigned char* reply, int length) {
  auto* lookup = static_cast<Lookup*>(arg);
  OnAddress(lookup, kTypeA, &lookup->a, status, reply, length);
}

void MxChecker::Channel::OnAaaa(void* arg, int status, int /*timeouts*/,
                                unsigned char* reply, int length) {
  auto* lookup = static_cast<Lookup*>(arg);
  OnAddress(lookup, kTypeAaaa, &lookup->aaaa, status, reply, length);
}

void MxChecker::Channel::OnAddress(Lookup* lookup, int type, Answer* answer,
                                   int status, unsigned char* reply,
                                   int length) {
  if (status == ARES_EDESTRUCTION) {
    return;
  }
  *answer = FromStatus(status);
  if (*answer == Answer::kFound) {
    *answer = ParseAddresses(type, reply, length);
  }
  if (--lookup->addresses_waiting == 0) {
    lookup->channel->Finish(lookup, FallbackReason(lookup->a, lookup->aaaa));
  }
}

std::unique_ptr<MxChecker> MxChecker::Create(const MxSettings& settings,
                                             std::string* error) {
  static const int library = ares_library_init(ARES_LIB_INIT_ALL);
  if (library != ARES_SUCCESS) {
    *error = std::string("c-ares: ") + ares_strerror(library);
    return nullptr;
  }
  if (settings.timeout_ms <= 0) {
    *error = "--mx-timeout: expected a positive number of milliseconds";
    return nullptr;
  }
  ares_options options{};
  options.timeout = std::max(1, settings.timeout_ms / 3);  // then 2x: 3x in all
  options.tries = 2;
  // SERVFAIL and REFUSED are answers: without this flag c-ares would ask
  // again, and a domain must cost one query per record type.
  options.flags = ARES_FLAG_NOCHECKRESP;
  ares_channel channel;
  int status = ares_init_options(
      &channel, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS);
  if (status != ARES_SUCCESS) {
    *error = std::string("c-ares: ") + ares_strerror(status);
    return nullptr;
  }
  if (!settings.server.empty() &&
      (!ValidServerList(settings.server) ||
       ares_set_servers_ports_csv(channel, settings.server.c_str()) !=
           ARES_SUCCESS)) {
    ares_destroy(channel);
    *error = "--dns-server: expected IP or IP:PORT (IPv6 as [IP]:PORT), got '" +
             settings.server + "'";
    return nullptr;
  }
  return std::unique_ptr<MxChecker>(new MxChecker(settings, channel));
}

MxChecker::MxChecker(const MxSettings& settings, void* channel)
    : settings_(settings), template_channel_(channel) {}

MxChecker::~MxChecker() {
  ares_destroy(static_cast<ares_channel>(template_channel_));
}

void MxChecker::Resolve(const std::vector<std::string>& domains) {
  std::vector<std::string> mine;
  ares_channel channel = nullptr;
  int status = ARES_SUCCESS;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& domain : domains) {
      if (cache_.try_emplace(domain).second) {
        mine.push_back(domain);
      }
    }
    if (!mine.empty()) {
      status = ares_dup(&channel, static_cast<ares_channel>(template_channel_));
    }
  }
  if (!mine.empty()) {
    auto start = std::chrono::steady_clock::now();
    uint64_t queries = 0;
    if (status == ARES_SUCCESS) {
      queries = Channel(this, channel, &mine).Run();
    } else {
      for (const std::string& domain : mine) {
        Store(domain, MxReason::kError);
      }
    }
    std::chrono::duration<double> took =
        std::chrono::steady_clock::now() - start;
    std::lock_guard<std::mutex> lock(mutex_);
    queries_ += queries;
    seconds_ += took.count();
  }
  WaitFor(domains);
}

void MxChecker::WaitFor(const std::vector<std::string>& domains) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (const std::string& domain : domains) {
    done_.wait(lock, [&] { return !cache_.find(domain)->second.pending; });
  }
}

MxVerdict MxChecker::Verdict(std::string_view domain) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(domain);
    if (it != cache_.end() && !it->second.pending) {
      return it->second.verdict;
    }
  }
  std::vector<std::string> one = {std::string(domain)};
  Resolve(one);
  std::lock_guard<std::mutex> lock(mutex_);
  return cache_.find(domain)->second.verdict;
}

void MxChecker::Store(const std::string& domain, MxReason reason) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& entry = cache_.find(domain)->second;
    entry.verdict = VerdictOf(reason);
    entry.pending = false;
    ++reasons_[static_cast<int>(reason)];
  }
  done_.notify_all();
}

void MxChecker::Report(nlohmann::json* out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto count = [this](MxReason reason) {
    return reasons_[static_cast<int>(reason)];
  };
  (*out)["dns_server"] = settings_.server.empty() ? "system" : settings_.server;
  (*out)["timeout_ms"] = settings_.timeout_ms;
  (*out)["c_ares"] = ares_version(nullptr);
  (*out)["domains_looked_up"] = cache_.size();
  (*out)["with_mx"] = count(MxReason::kMx);
  (*out)["address_only"] = count(MxReason::kAddress);
  (*out)["no_mx"] = count(MxReason::kNxdomain) + count(MxReason::kNullMx) +
                    count(MxReason::kNoAddress);
  (*out)["nxdomain"] = count(MxReason::kNxdomain);
  (*out)["null_mx"] = count(MxReason::kNullMx);
  (*out)["no_address"] = count(MxReason::kNoAddress);
  (*out)["unknown"] = count(MxReason::kTimeout) + count(MxReason::kError);
  (*out)["timeouts"] = count(MxReason::kTimeout);
  (*out)["errors"] = count(MxReason::kError);
  (*out)["dns_queries"] = queries_;
  (*out)["seconds_waiting"] = seconds_;
}

}  // namespace leadclean
