#include "leadclean/timestamp.h"

#include <catch2/catch.hpp>

namespace leadclean {
namespace {

struct Case {
  const char* text;
  std::optional<int64_t> expected;
};

TEST_CASE("ParseTimestamp: reads ISO 8601, day-first dates and epochs",
          "[timestamp]") {
  // 2025-09-12T08:05:13Z = 1757664313
  const Case cases[] = {
      {"2025-09-12T08:05:13Z", 1757664313},
      {"2025-09-12T15:05:13+07:00", 1757664313},
      {"2025-09-12T13:35:13+05:30", 1757664313},
      {"2025-09-12 15:05:13", 1757664313},  // no offset: Vietnam time
      {"12/09/2025 15:05:13", 1757664313},
      {"12-09-2025 15:05:13", 1757664313},
      {"12/09/2025 15:05", 1757664300},
      {"2025-09-12T15:05:13.250+0700", 1757664313},
      {"2025-09-12", 1757610000},  // midnight in Vietnam
      {"1757664313", 1757664313},
      {"  2025-09-12T08:05:13Z ", 1757664313},
      {"2024-02-29", 1709139600},
      {"2025-02-29", std::nullopt},
      {"31/04/2025", std::nullopt},
      {"2025-09-12T25:00", std::nullopt},
      {"yesterday", std::nullopt},
      {"", std::nullopt},
      {"2025-09-12 15:05:13 GMT", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(ParseTimestamp(c.text) == c.expected);
  }
}

}  // namespace
}  // namespace leadclean
