// Parsing the created_at timestamps lead exports carry.
#ifndef LEADCLEAN_TIMESTAMP_H_
#define LEADCLEAN_TIMESTAMP_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace leadclean {

// Seconds since 1970-01-01 UTC for the forms seen in exports:
//   2025-09-12T15:05:13+05:30, 2025-09-12 15:05:13Z, 2025-09-12T15:05,
//   2025-09-12, 12/09/2025 15:05:13, 12/09/2025 15:05, 12/09/2025,
//   12-09-2025 (day first, the Vietnamese order), and a Unix epoch number.
// A time without an offset is read as UTC+7 (Vietnam) unless
// `default_offset_minutes` says otherwise. Returns nullopt when the text is
// none of these or names an impossible date.
std::optional<int64_t> ParseTimestamp(std::string_view text,
                                      int default_offset_minutes = 7 * 60);

}  // namespace leadclean

#endif  // LEADCLEAN_TIMESTAMP_H_
