#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "leadclean/stage.h"
#include "test_util.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

using testing::TestTable;

// Runs the shipped call-window stage on one row with `phone` as lc_phone.
std::string Window(const std::string& phone, const std::string& notes,
                   const std::string& need = "") {
  TestTable table({{"Ghi chú", Role::kNotes}, {"Nhu cầu", Role::kNeed}});
  std::string error;
  auto stage = MakeCallWindowStage(table.Context(), &error);
  REQUIRE(stage);
  Findings findings;
  findings.Col(Out::kPhone) = phone;
  stage->Process(table.Row(1, {notes, need}), &findings);
  return findings.Col(Out::kCallWindow);
}

constexpr char kVn[] = "+84912345678";
constexpr char kVnHours[] = "Mon-Fri 08:00-11:30,13:30-17:30 +07:00";

TEST_CASE("call window: business hours come from the phone's region",
          "[call_window]") {
  struct Case {
    const char* phone;
    const char* window;
  } cases[] = {
      {kVn, "Mon-Fri 08:00-11:30,13:30-17:30 +07:00 (VN)"},
      {"+6591234567", "Mon-Fri 09:00-12:00,13:00-18:00 +08:00 (SG)"},
      {"+12025550123", "Mon-Fri 09:00-12:00,13:00-17:00 -05:00 (US)"},
      {"+85512345678", "Mon-Fri 08:00-11:30,14:00-17:30 +07:00 (KH)"},
      {"+966501234567", "Sun-Thu 09:00-12:00,13:00-17:00 +03:00 (SA)"},
      {"+919812345678", "Mon-Fri 10:00-13:00,14:00-18:00 +05:30 (IN)"},
      {"+3531234567", ""},  // Ireland is not in the table
      {"", ""},             // no valid phone
  };
  for (const Case& c : cases) {
    INFO(c.phone);
    CHECK(Window(c.phone, "") == c.window);
  }
}

TEST_CASE("call window: Vietnamese and English notes move the window",
          "[call_window]") {
  struct Case {
    const char* notes;
    std::string window;
  } cases[] = {
      {"gọi sau 5h chiều", "Mon-Fri 17:00-21:00 +07:00 (VN;note_after_hour)"},
      {"Gọi SAU 5H CHIỀU nhé", "Mon-Fri 17:00-21:00 +07:00 (VN;note_after_hour)"},
      {"sau 18h", "Mon-Fri 18:00-21:00 +07:00 (VN;note_after_hour)"},
      {"sau 17h30", "Mon-Fri 17:30-21:00 +07:00 (VN;note_after_hour)"},
      {"sau 5h", "Mon-Fri 17:00-21:00 +07:00 (VN;note_after_hour)"},
      {"sau 9h sáng", "Mon-Fri 09:00-21:00 +07:00 (VN;note_after_hour)"},
      {"sau 1h trưa", "Mon-Fri 13:00-21:00 +07:00 (VN;note_after_hour)"},
      {"sau 11h trưa", "Mon-Fri 11:00-21:00 +07:00 (VN;note_after_hour)"},
      {"sau 8h tối", "Mon-Fri 20:00-21:00 +07:00 (VN;note_after_hour)"},
      {"call after 3pm", "Mon-Fri 15:00-21:00 +07:00 (VN;note_after_ampm)"},
      {"after 3:30 PM please",
       "Mon-Fri 15:30-21:00 +07:00 (VN;note_after_ampm)"},
      {"trước 9h", "Mon-Fri 07:30-09:00 +07:00 (VN;note_before_hour)"},
      {"before 10am", "Mon-Fri 07:30-10:00 +07:00 (VN;note_before_ampm)"},
      {"liên hệ buổi sáng", "Mon-Fri 08:00-11:30 +07:00 (VN;note_morning)"},
      {"gọi buổi trưa", "Mon-Fri 11:30-13:30 +07:00 (VN;note_noon)"},
      {"buổi chiều rảnh", "Mon-Fri 13:30-17:30 +07:00 (VN;note_afternoon)"},
      {"buổi tối", "Mon-Fri 18:00-21:00 +07:00 (VN;note_evening)"},
      {"evening only", "Mon-Fri 18:00-21:00 +07:00 (VN;note_evening)"},
      {"mornings are best", "Mon-Fri 08:00-11:30 +07:00 (VN;note_morning)"},
      {"gọi giờ hành chính",
       std::string(kVnHours) + " (VN;note_office_hours)"},
      {"ngoài giờ hành chính", "Mon-Fri 18:00-21:00 +07:00 (VN;note_evening)"},
      {"cuối tuần", "Sat-Sun 08:00-11:30,13:30-17:30 +07:00 (VN;note_weekend)"},
      {"gọi sau 5h chiều hoặc cuối tuần",
       "Sat-Sun 17:00-21:00 +07:00 (VN;note_after_hour;note_weekend)"},
      {"weekend morning",
       "Sat-Sun 08:00-11:30 +07:00 (VN;note_morning;note_weekend)"},
      {"đừng gọi", "none (VN;note_no_call)"},
      {"không gọi điện, nhắn tin thôi", "none (VN;note_no_call)"},
      {"cần báo giá gấp", std::string(kVnHours) + " (VN)"},
      {"nhắn tin trước khi gọi", std::string(kVnHours) + " (VN)"},
      {"sau 2 ngày", std::string(kVnHours) + " (VN)"},  // not a time
      {"sau 22h", std::string(kVnHours) + " (VN)"},     // past the end: skipped
  };
  for (const Case& c : cases) {
    INFO(c.notes);
    CHECK(Window(kVn, c.notes) == c.window);
  }
}

TEST_CASE("call window: the need column is read too, and a memo hit gives "
          "the same answer",
          "[call_window]") {
  CHECK(Window(kVn, "", "demo buổi sáng") ==
        "Mon-Fri 08:00-11:30 +07:00 (VN;note_morning)");
  for (int i = 0; i < 3; ++i) {
    CHECK(Window("+6591234567", "buổi chiều") ==
          "Mon-Fri 13:30-17:30 +08:00 (SG;note_afternoon)");
  }
}

TEST_CASE("call window: rejected rows get no window", "[call_window]") {
  TestTable table({{"Ghi chú", Role::kNotes}});
  std::string error;
  auto stage = MakeCallWindowStage(table.Context(), &error);
  REQUIRE(stage);
  Findings findings;
  findings.Col(Out::kPhone) = kVn;
  findings.Reject(Reason::kFake, "name_placeholder", "");
  stage->Process(table.Row(1, {""}), &findings);
  CHECK(findings.Col(Out::kCallWindow).empty());
}

// A --rules folder with one file; removed with the object.
class UserRules {
 public:
  UserRules(const std::string& file, const std::string& text) {
    std::string pattern =
        (fs::temp_directory_path() / "leadclean-cw-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    std::ofstream(fs::path(dir_) / file) << text;
  }
  ~UserRules() { fs::remove_all(dir_); }
  std::string Build() const {
    RuleFiles rules(std::string(LEADCLEAN_SOURCE_DIR) + "/rules", dir_);
    Schema schema;
    StageContext context{nullptr, &rules, &schema};
    std::string error;
    auto stage = MakeCallWindowStage(context, &error);
    return stage ? "" : error.substr(error.find("call_"));
  }

 private:
  std::string dir_;
};

TEST_CASE("call window: bad rule rows stop the run with file:line",
          "[call_window][rules]") {
  const char kHours[] = "region,calling_code,utc_offset,days,hours\n";
  const char kNotes[] = "id,kind,days,start,end,pattern\n";
  struct Case {
    const char* file;
    std::string text;
    const char* error;
  } cases[] = {
      {"call_hours.csv", std::string(kHours) + "VN,84,+07:00,Mon-Fri,\"08:00-11:30,13:30-17:30\"\n", ""},
      {"call_hours.csv", std::string(kHours) + "VN,84,+7,Mon-Fri,08:00-17:00\n",
       "call_hours.csv:2: utc_offset '+7': expected +HH:MM"},
      {"call_hours.csv", std::string(kHours) + "VN,84,+07:00,Mon-Fri,17:00-08:00\n",
       "call_hours.csv:2: hours '17:00-08:00': expected HH:MM-HH:MM ranges in "
       "order, separated by ','"},
      {"call_hours.csv", std::string(kHours) + "VN,84,+07:00,Monday,08:00-17:00\n",
       "call_hours.csv:2: days 'Monday': expected Mon-Fri, Sat,Sun ..."},
      {"call_hours.csv", std::string(kHours) + "XX,84,+07:00,Mon-Fri,08:00-17:00\n",
       "call_hours.csv:2: calling_code 84 is already used by VN (one region per "
       "code)"},
      {"call_notes.csv", std::string(kNotes) + "late,after,,,,\\bsau (\\d+)h\n",
       "call_notes.csv:2: after: end is required"},
      {"call_notes.csv", std::string(kNotes) + "late,after,,,21:00,\\bsau h\n",
       "call_notes.csv:2: pattern: after/before need 1 to 3 groups (hour, "
       "minutes, time-of-day word)"},
      {"call_notes.csv", std::string(kNotes) + "x,window,,09:00,,abc\n",
       "call_notes.csv:2: window: give start before end, or neither"},
      {"call_notes.csv", std::string(kNotes) + "x,sometimes,,,,abc\n",
       "call_notes.csv:2: kind 'sometimes': expected window, after, before, "
       "days or none"},
      {"call_notes.csv", std::string(kNotes) + "x,window,,,,(abc\n",
       "call_notes.csv:2: pattern: missing ): (abc"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(UserRules(c.file, c.text).Build() == c.error);
  }
}

}  // namespace
}  // namespace leadclean
