// Unit tests of the MX check's setup and of the path without a batch
// (Process() alone), against a loopback UDP socket that never answers. The
// answers of a real server are tested end to end by email_mx_test.sh.
#include "stages/email_mx.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "leadclean/pipeline.h"
#include "leadclean/rules.h"
#include "leadclean/stage.h"

namespace leadclean {
namespace {

// A bound UDP socket on 127.0.0.1 that nobody reads: a resolver that
// never answers.
class SilentResolver {
 public:
  SilentResolver() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0);
    REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) ==
            0);
    port_ = ntohs(address.sin_port);
  }
  ~SilentResolver() { close(fd_); }
  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_CASE("email_mx: a resolver that is not an IP address is refused",
          "[email][mx]") {
  const std::vector<std::string> bad = {
      "dns.invalid", "127.0.0.1:x",     "localhost:53", "1.2.3",      "[::1",
      "127.0.0.1:",  "127.0.0.1:70000", "[::1]53",      "127.0.0.1,", "[::1]"};
  for (const std::string& server : bad) {
    INFO(server);
    std::string error;
    CHECK(MxChecker::Create({server, 2000}, &error) == nullptr);
    CHECK(error ==
          "--dns-server: expected IP or IP:PORT (IPv6 as "
          "[IP]:PORT), got '" +
              server + "'");
  }
  std::string error;
  CHECK(MxChecker::Create({"127.0.0.1", 0}, &error) == nullptr);
  CHECK(error == "--mx-timeout: expected a positive number of milliseconds");
  for (const char* good : {"127.0.0.1", "127.0.0.1:5353", "[::1]:53", "::1",
                           "127.0.0.1:53,[::1]:5353"}) {
    INFO(good);
    CHECK(MxChecker::Create({good, 2000}, &error) != nullptr);
  }
}

TEST_CASE("email_mx: a silent resolver gives unknown once per domain",
          "[email][mx]") {
  SilentResolver silent;
  std::string error;
  auto checker = MxChecker::Create({silent.Address(), 90}, &error);
  REQUIRE(checker != nullptr);
  CHECK(checker->Verdict("acme-corp.vn") == MxVerdict::kUnknown);
  CHECK(checker->Verdict("acme-corp.vn") == MxVerdict::kUnknown);  // cached
  checker->Resolve({"acme-corp.vn", "other-corp.vn", "third-corp.vn"});
  nlohmann::json report;
  checker->Report(&report);
  CHECK(report["domains_looked_up"] == 3);
  CHECK(report["timeouts"] == 3);
  CHECK(report["unknown"] == 3);
  CHECK(report["dns_queries"] == 3);
}

TEST_CASE("email_mx: Process() alone looks a domain up and flags it",
          "[email][mx]") {
  SilentResolver silent;
  Options options;
  options.check_mx = true;
  options.dns_server = silent.Address();
  options.mx_timeout_ms = 90;
  static const RuleFiles rules(LEADCLEAN_SOURCE_DIR "/rules", "");
  StageContext context{&options, &rules, nullptr};
  std::string error;
  auto stage = MakeEmailStage(context, &error);
  REQUIRE(stage != nullptr);
  CHECK(stage->WantsBatch());

  Schema schema;
  schema.names = {"email"};
  schema.roles = {Role::kEmail};
  std::array<std::vector<int>, static_cast<int>(Role::kCount)> columns;
  columns[static_cast<int>(Role::kEmail)] = {0};
  struct Case {
    std::string cell, status, flags;
  };
  const std::vector<Case> cases = {
      {"an@acme-corp.vn", "valid", "email_mx_unknown"},
      {"info@acme-corp.vn", "risky", "email_role;email_mx_unknown"},
      {"an@gmail.com", "valid", "email_free"},  // providers are not asked
      {"an@example.com", "invalid", "email_invalid;email_reserved"},
  };
  for (const Case& test : cases) {
    INFO(test.cell);
    std::vector<std::string_view> fields = {test.cell};
    RowView row{1, &schema, fields, &columns};
    Findings findings;
    stage->Process(row, &findings);
    CHECK(findings.Col(Out::kEmailStatus) == test.status);
    CHECK(findings.flags == test.flags);
  }
  nlohmann::json report;
  stage->Report(&report);
  CHECK(report["mx"]["domains_looked_up"] == 1);
  CHECK(report["mx"]["timeouts"] == 1);
}

}  // namespace
}  // namespace leadclean
