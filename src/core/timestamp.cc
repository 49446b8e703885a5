// Timestamp parsing by hand: std::get_time is locale-bound and slow, and
// exports mix ISO 8601 with day-first Vietnamese dates.
#include "leadclean/timestamp.h"

#include "leadclean/text.h"

namespace leadclean {
namespace {

// Days from 1970-01-01 to y-m-d (proleptic Gregorian), after H. Hinnant.
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool ValidDate(int y, int m, int d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) {
    return false;
  }
  return d <= kDays[m - 1] + (m == 2 && IsLeap(y));
}

// Reads exactly `n` digits at `*pos`.
bool Digits(std::string_view s, size_t* pos, int n, int* out) {
  int value = 0;
  for (int i = 0; i < n; ++i) {
    if (*pos >= s.size() || s[*pos] < '0' || s[*pos] > '9') {
      return false;
    }
    value = value * 10 + (s[(*pos)++] - '0');
  }
  *out = value;
  return true;
}

// Reads 1 or 2 digits.
bool ShortNumber(std::string_view s, size_t* pos, int* out) {
  size_t start = *pos;
  int value = 0;
  while (*pos < s.size() && *pos - start < 2 && s[*pos] >= '0' &&
         s[*pos] <= '9') {
    value = value * 10 + (s[(*pos)++] - '0');
  }
  *out = value;
  return *pos > start;
}

bool Eat(std::string_view s, size_t* pos, char c) {
  if (*pos < s.size() && s[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

struct Parts {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

int64_t Seconds(const Parts& p, int offset_minutes) {
  int64_t days = DaysFromCivil(p.year, p.month, p.day);
  return days * 86400 + p.hour * 3600 + p.minute * 60 + p.second -
         int64_t{offset_minutes} * 60;
}

bool ParseDate(std::string_view s, size_t* pos, Parts* p) {
  size_t start = *pos;
  if (Digits(s, pos, 4, &p->year) && Eat(s, pos, '-') &&
      ShortNumber(s, pos, &p->month) && Eat(s, pos, '-') &&
      ShortNumber(s, pos, &p->day)) {
    return true;
  }
  *pos = start;
  char sep = 0;
  if (!ShortNumber(s, pos, &p->day) || *pos >= s.size()) {
    return false;
  }
  sep = s[*pos];
  return (sep == '/' || sep == '-' || sep == '.') && Eat(s, pos, sep) &&
         ShortNumber(s, pos, &p->month) && Eat(s, pos, sep) &&
         Digits(s, pos, 4, &p->year);
}

bool ParseTime(std::string_view s, size_t* pos, Parts* p) {
  if (!ShortNumber(s, pos, &p->hour) || !Eat(s, pos, ':') ||
      !Digits(s, pos, 2, &p->minute)) {
    return false;
  }
  if (Eat(s, pos, ':') && !Digits(s, pos, 2, &p->second)) {
    return false;
  }
  if (Eat(s, pos, '.')) {
    while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9') {
      ++*pos;
    }
  }
  return p->hour < 24 && p->minute < 60 && p->second < 61;
}

// "Z", "+07:00", "+0700", "+07"; returns false on anything else.
bool ParseOffset(std::string_view s, size_t* pos, int* minutes) {
  if (Eat(s, pos, 'Z') || Eat(s, pos, 'z')) {
    *minutes = 0;
    return true;
  }
  int sign = Eat(s, pos, '+') ? 1 : (Eat(s, pos, '-') ? -1 : 0);
  int hours = 0, mins = 0;
  if (sign == 0 || !Digits(s, pos, 2, &hours)) {
    return false;
  }
  Eat(s, pos, ':');
  if (*pos < s.size() && !Digits(s, pos, 2, &mins)) {
    return false;
  }
  *minutes = sign * (hours * 60 + mins);
  return true;
}

std::optional<int64_t> ParseEpoch(std::string_view s) {
  if (s.size() < 9 || s.size() > 10) {
    return std::nullopt;
  }
  int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

// Two digits at s[pos] into *out; false when either is not a digit.
bool TwoDigits(std::string_view s, size_t pos, int* out) {
  unsigned tens = static_cast<unsigned char>(s[pos]) - unsigned{'0'};
  unsigned ones = static_cast<unsigned char>(s[pos + 1]) - unsigned{'0'};
  if (tens > 9 || ones > 9) {
    return false;
  }
  *out = static_cast<int>(tens * 10 + ones);
  return true;
}

// "12/09/2025 " at the start of `s`, at least 11 bytes.
bool DayFirstDate(std::string_view s, Parts* p) {
  int century = 0, year = 0;
  if (s[5] != '/' || s[10] != ' ' || !TwoDigits(s, 0, &p->day) ||
      !TwoDigits(s, 3, &p->month) || !TwoDigits(s, 6, &century) ||
      !TwoDigits(s, 8, &year)) {
    return false;
  }
  p->year = century * 100 + year;
  return true;
}

// "2025-09-12" and `separator` at the start of `s`, at least 11 bytes.
bool IsoDate(std::string_view s, char separator, Parts* p) {
  int century = 0, year = 0;
  if (s[4] != '-' || s[7] != '-' || s[10] != separator ||
      !TwoDigits(s, 0, &century) || !TwoDigits(s, 2, &year) ||
      !TwoDigits(s, 5, &p->month) || !TwoDigits(s, 8, &p->day)) {
    return false;
  }
  p->year = century * 100 + year;
  return true;
}

// The shapes most exports write, read at fixed offsets without the general
// parser's tries: "12/09/2025 15:05", "12/09/2025 15:05:13" (day first) and
// "2025-09-12 15:05:13", "2025-09-12T15:05:13+07:00". The general parser
// reads each of these the same way; any other text (and a bad date or
// time, which it rejects too) returns false and goes to it.
bool ReadCommonShape(std::string_view s, Parts* p, int* offset) {
  size_t n = s.size();
  if (n != 16 && n != 19 && n != 25) {
    return false;
  }
  bool date_ok = n != 25 && s[2] == '/'
                     ? DayFirstDate(s, p)
                     : n != 16 && IsoDate(s, n == 25 ? 'T' : ' ', p);
  if (!date_ok || s[13] != ':' || !TwoDigits(s, 11, &p->hour) ||
      !TwoDigits(s, 14, &p->minute)) {
    return false;
  }
  if (n > 16 && (s[16] != ':' || !TwoDigits(s, 17, &p->second))) {
    return false;
  }
  if (n == 25) {
    int hours = 0, minutes = 0;
    if ((s[19] != '+' && s[19] != '-') || s[22] != ':' ||
        !TwoDigits(s, 20, &hours) || !TwoDigits(s, 23, &minutes)) {
      return false;
    }
    *offset = (s[19] == '+' ? 1 : -1) * (hours * 60 + minutes);
  }
  return ValidDate(p->year, p->month, p->day) && p->hour < 24 &&
         p->minute < 60 && p->second < 61;
}

}  // namespace

std::optional<int64_t> ParseTimestamp(std::string_view text,
                                      int default_offset_minutes) {
  std::string_view s = Trim(text);
  Parts common;
  int common_offset = default_offset_minutes;
  if (ReadCommonShape(s, &common, &common_offset)) {
    return Seconds(common, common_offset);
  }
  if (auto epoch = ParseEpoch(s)) {
    return epoch;
  }
  size_t pos = 0;
  Parts p;
  if (!ParseDate(s, &pos, &p) || !ValidDate(p.year, p.month, p.day)) {
    return std::nullopt;
  }
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
    ++pos;
    while (pos < s.size() && s[pos] == ' ') {
      ++pos;
    }
    if (!ParseTime(s, &pos, &p)) {
      return std::nullopt;
    }
  }
  int offset = default_offset_minutes;
  while (pos < s.size() && s[pos] == ' ') {
    ++pos;
  }
  if (pos < s.size() && !ParseOffset(s, &pos, &offset)) {
    return std::nullopt;
  }
  if (pos != s.size()) {
    return std::nullopt;
  }
  return Seconds(p, offset);
}

}  // namespace leadclean
