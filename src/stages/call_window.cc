// Call window stage: decides lc_call_window, when to call a kept lead in its
// own time zone, from rules/call_hours.csv (business hours per country
// calling code of lc_phone) and rules/call_notes.csv (preferred times in the
// notes and need columns: "gọi sau 5h chiều", "buổi sáng", "cuối tuần").
// Covered by tests/stages/call_window_test.cc.
//
// Format: "DAYS RANGES OFFSET (REGION[;RULE_ID...])", e.g.
// "Mon-Fri 08:00-11:30,13:30-17:30 +07:00 (VN)" or
// "Mon-Fri 17:00-21:00 +07:00 (VN;note_after_hour)"; "none (VN;note_no_call)"
// when the lead asks not to be called; empty without a phone or for a
// calling code the table does not list.
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/fccp.h"
#include "core/thread_memo.h"
#include "leadclean/stage.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

constexpr char kHoursFile[] = "call_hours.csv";
constexpr char kNotesFile[] = "call_notes.csv";
constexpr int kMaxCallingCode = 999;

struct RegionHours {
  std::string region;
  int calling_code = 0;
  std::string offset;  // "+07:00"
  std::string days;    // "Mon-Fri"
  std::string hours;   // "08:00-11:30,13:30-17:30"
  std::string base;    // the whole window, formatted once
  std::string where;   // "path:line"
};

enum class NoteKind { kWindow, kAfter, kBefore, kDays, kNone };

struct NoteRule {
  std::string id;
  NoteKind kind = NoteKind::kWindow;
  std::string days;
  int start = -1;  // minutes after midnight; -1 = not set
  int end = -1;
  std::string pattern;
  std::unique_ptr<RE2> re;  // for the captures of after/before
  std::string where;
};

// What the free text of a row asks for; depends on the text only, so it is
// memoised. Minutes -1 mean "the region's business hours".
struct NoteMatch {
  int none_rule = -1;
  int time_rule = -1;
  int days_rule = -1;
  int start = -1;
  int end = -1;
};

// "HH:MM" -> minutes after midnight, or -1.
int ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') {
    return -1;
  }
  for (int i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
  }
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : -1;
}

void AppendClock(int minutes, std::string* out) {
  char text[6] = {static_cast<char>('0' + minutes / 600),
                  static_cast<char>('0' + minutes / 60 % 10), ':',
                  static_cast<char>('0' + minutes % 60 / 10),
                  static_cast<char>('0' + minutes % 10), 0};
  out->append(text, 5);
}

const RE2& DaysPattern() {
  static const RE2 kDays(
      "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?"
      "(,(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)*");
  return kDays;
}

// "08:00-11:30,13:30-17:30": ranges in order, each start before its end.
bool ValidHours(std::string_view hours) {
  int previous_end = -1;
  for (;;) {
    std::string_view range = hours.substr(0, hours.find(','));
    if (range.size() != 11 || range[5] != '-') {
      return false;
    }
    int start = ParseClock(range.substr(0, 5));
    int end = ParseClock(range.substr(6, 5));
    if (start < 0 || end <= start || start < previous_end) {
      return false;
    }
    previous_end = end;
    if (range.size() == hours.size()) {
      return true;
    }
    hours.remove_prefix(range.size() + 1);
  }
}

bool ValidOffset(std::string_view offset) {
  return offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') &&
         ParseClock(offset.substr(1)) >= 0 &&
         ParseClock(offset.substr(1)) <= 14 * 60;
}

// Reads one copy of call_hours.csv; a region already read is replaced.
void ReadHoursFile(const std::string& path, std::vector<RegionHours>* regions) {
  RuleTableReader<5> in(path);
  in.read_header(io::ignore_extra_column, "region", "calling_code",
                 "utc_offset", "days", "hours");
  RegionHours r;
  std::string code;
  while (in.read_row(r.region, code, r.offset, r.days, r.hours)) {
    int line = static_cast<int>(in.get_file_line());
    if (!RE2::FullMatch(r.region, "[A-Z]{2}")) {
      throw RuleError(line, "region '" + r.region + "' is not an ISO code");
    }
    if (!RE2::FullMatch(code, "[1-9][0-9]{0,2}")) {
      throw RuleError(line, "calling_code '" + code + "' is not 1-3 digits");
    }
    if (!ValidOffset(r.offset)) {
      throw RuleError(line, "utc_offset '" + r.offset + "': expected +HH:MM");
    }
    if (!RE2::FullMatch(r.days, DaysPattern())) {
      throw RuleError(line, "days '" + r.days + "': expected Mon-Fri, Sat,Sun ...");
    }
    if (!ValidHours(r.hours)) {
      throw RuleError(line, "hours '" + r.hours +
                                "': expected HH:MM-HH:MM ranges in order, "
                                "separated by ','");
    }
    r.calling_code = std::stoi(code);
    r.where = path + ":" + std::to_string(line);
    auto same = std::find_if(regions->begin(), regions->end(),
                             [&](const RegionHours& x) {
                               return x.region == r.region;
                             });
    if (same != regions->end()) {
      *same = r;
    } else {
      regions->push_back(r);
    }
  }
}

NoteKind ParseKind(const std::string& text, int line) {
  static const std::map<std::string, NoteKind> kKinds = {
      {"window", NoteKind::kWindow}, {"after", NoteKind::kAfter},
      {"before", NoteKind::kBefore}, {"days", NoteKind::kDays},
      {"none", NoteKind::kNone}};
  auto it = kKinds.find(text);
  if (it == kKinds.end()) {
    throw RuleError(line, "kind '" + text +
                              "': expected window, after, before, days or none");
  }
  return it->second;
}

int ParseOptionalClock(const std::string& text, int line, const char* what) {
  if (text.empty()) {
    return -1;
  }
  int minutes = ParseClock(text);
  if (minutes < 0) {
    throw RuleError(line, std::string(what) + " '" + text + "': expected HH:MM");
  }
  return minutes;
}

// Checks that a rule's columns fit its kind.
void CheckNoteRule(const NoteRule& rule, int line) {
  bool window = rule.kind == NoteKind::kWindow;
  if (window && ((rule.start < 0) != (rule.end < 0) ||
                 (rule.start >= 0 && rule.end <= rule.start))) {
    throw RuleError(line, "window: give start before end, or neither");
  }
  if (rule.kind == NoteKind::kAfter && rule.end < 0) {
    throw RuleError(line, "after: end is required");
  }
  if (rule.kind == NoteKind::kBefore && rule.start < 0) {
    throw RuleError(line, "before: start is required");
  }
  if (rule.kind == NoteKind::kDays && rule.days.empty()) {
    throw RuleError(line, "days: the days column is required");
  }
  if (!rule.days.empty() && !RE2::FullMatch(rule.days, DaysPattern())) {
    throw RuleError(line, "days '" + rule.days + "': expected Mon-Fri, Sat-Sun ...");
  }
}

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  return options;
}

void ReadNotesFile(const std::string& path, std::vector<NoteRule>* rules) {
  RuleTableReader<6> in(path);
  in.read_header(io::ignore_extra_column, "id", "kind", "days", "start", "end",
                 "pattern");
  std::string id, kind, days, start, end, pattern;
  while (in.read_row(id, kind, days, start, end, pattern)) {
    int line = static_cast<int>(in.get_file_line());
    if (!RE2::FullMatch(id, "[a-z0-9_]+")) {
      throw RuleError(line, "id '" + id + "': use a-z, 0-9 and _");
    }
    NoteRule rule;
    rule.id = id;
    rule.kind = ParseKind(kind, line);
    rule.days = days;
    rule.start = ParseOptionalClock(start, line, "start");
    rule.end = ParseOptionalClock(end, line, "end");
    rule.pattern = pattern;
    rule.where = path + ":" + std::to_string(line);
    CheckNoteRule(rule, line);
    rule.re = std::make_unique<RE2>(pattern, PatternOptions());
    if (!rule.re->ok()) {
      throw RuleError(line, "pattern: " + rule.re->error());
    }
    bool timed = rule.kind == NoteKind::kAfter || rule.kind == NoteKind::kBefore;
    int groups = rule.re->NumberOfCapturingGroups();
    if (timed && (groups < 1 || groups > 3)) {
      throw RuleError(line, "pattern: after/before need 1 to 3 groups "
                            "(hour, minutes, time-of-day word)");
    }
    auto same = std::find_if(rules->begin(), rules->end(),
                             [&](const NoteRule& r) { return r.id == id; });
    if (same != rules->end()) {
      *same = std::move(rule);
    } else {
      rules->push_back(std::move(rule));
    }
  }
}

// The hour a note names, in minutes after midnight, or -1. See the
// "pattern" notes in rules/call_notes.csv for the afternoon reading.
int CapturedTime(std::string_view hour, std::string_view minute,
                 std::string_view word) {
  auto number = [](std::string_view digits) {
    int value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return digits.size() <= 2 ? value : -1;
  };
  int h = hour.empty() ? -1 : number(hour);
  int m = number(minute);
  if (h < 0 || m < 0) {
    return -1;
  }
  bool morning = word == "sang" || word == "am" || word == "a m";
  bool afternoon = !morning && !word.empty() && word != "trua";
  if ((afternoon && h < 12) || (!morning && h >= 1 && h <= 6)) {
    h += 12;  // "5h chieu", "3pm"; "1h trua", "sau 5h": see call_notes.csv
  }
  return h < 24 && m < 60 ? h * 60 + m : -1;
}

// Matched notes, per distinct text (texts repeat: "gọi sau 5h chiều").
using NoteMemo = ThreadMemo<NoteMatch, 4096, 4>;

class CallWindowStage : public Stage {
 public:
  CallWindowStage(std::vector<RegionHours> regions,
                  std::vector<NoteRule> notes, std::unique_ptr<RE2::Set> set)
      : regions_(std::move(regions)),
        notes_(std::move(notes)),
        set_(std::move(set)) {
    region_of_code_.fill(-1);
    for (size_t i = 0; i < regions_.size(); ++i) {
      RegionHours& r = regions_[i];
      r.base = r.days + " " + r.hours + " " + r.offset + " (" + r.region + ")";
      region_of_code_[r.calling_code] = static_cast<int16_t>(i);
    }
  }

  void Process(const RowView& row, Findings* findings) const override {
    if (findings->rejected()) {
      return;
    }
    const RegionHours* region = RegionOf(findings->Col(Out::kPhone));
    if (region == nullptr) {
      return;
    }
    const NoteMatch& match = MatchNotes(row);
    std::string& out = findings->Col(Out::kCallWindow);
    if (match.none_rule < 0 && match.time_rule < 0 && match.days_rule < 0) {
      out = region->base;
      return;
    }
    Compose(*region, match, &out);
  }

  void Report(nlohmann::json* out) const override {
    (*out)["regions"] = regions_.size();
    (*out)["note_rules"] = notes_.size();
  }

 private:
  // The region of an E.164 number by its calling code (codes are
  // prefix-free, so the first length that is listed is the one).
  const RegionHours* RegionOf(std::string_view e164) const {
    if (e164.size() < 2 || e164[0] != '+') {
      return nullptr;
    }
    int code = 0;
    for (size_t i = 1; i < e164.size() && i <= 3; ++i) {
      if (e164[i] < '0' || e164[i] > '9') {
        return nullptr;
      }
      code = code * 10 + (e164[i] - '0');
      if (region_of_code_[code] >= 0) {
        return &regions_[region_of_code_[code]];
      }
    }
    return nullptr;
  }

  // The notes and need columns, joined; matched once per distinct text
  // (short texts are memoised per thread).
  const NoteMatch& MatchNotes(const RowView& row) const {
    static const NoteMatch kNothing;
    thread_local std::string text;
    text.clear();
    for (Role role : {Role::kNotes, Role::kNeed}) {
      for (int column : row.Columns(role)) {
        std::string_view value = row.fields[column];
        if (!value.empty()) {
          text.append(value).append(" \n ");
        }
      }
    }
    if (text.empty()) {
      return kNothing;
    }
    constexpr size_t kMaxMemoText = 256;
    if (text.size() > kMaxMemoText) {
      thread_local NoteMatch scratch;
      scratch = Match(text);
      return scratch;
    }
    return NoteMemo::Get(id_, text, [this](std::string_view t, NoteMatch* m) {
      *m = Match(t);
    });
  }

  NoteMatch Match(std::string_view text) const {
    NoteMatch match;
    std::string folded = FoldKey(text);
    std::vector<int> hits;
    if (!set_ || !set_->Match(folded, &hits)) {
      return match;
    }
    std::sort(hits.begin(), hits.end());
    for (int i : hits) {
      const NoteRule& rule = notes_[i];
      if (rule.kind == NoteKind::kNone) {
        match.none_rule = i;
        return match;
      }
      if (match.days_rule < 0 && !rule.days.empty()) {
        match.days_rule = i;
      }
      if (match.time_rule < 0 && rule.kind != NoteKind::kDays &&
          Resolve(rule, folded, &match.start, &match.end)) {
        match.time_rule = i;
      }
    }
    return match;
  }

  // The range a time rule gives for `folded`; false when it comes out empty.
  static bool Resolve(const NoteRule& rule, std::string_view folded,
                      int* start, int* end) {
    *start = rule.start;
    *end = rule.end;
    if (rule.kind == NoteKind::kWindow) {
      return true;
    }
    re2::StringPiece groups[4];  // whole match, hour, minutes, word
    int n = rule.re->NumberOfCapturingGroups();
    if (!rule.re->Match(folded, 0, folded.size(), RE2::UNANCHORED, groups,
                        n + 1)) {
      return false;
    }
    auto view = [](re2::StringPiece piece) {
      return std::string_view(piece.data(), piece.size());
    };
    int time = CapturedTime(view(groups[1]), view(groups[2]), view(groups[3]));
    if (time < 0) {
      return false;
    }
    (rule.kind == NoteKind::kAfter ? *start : *end) = time;
    return *start < *end;
  }

  void Compose(const RegionHours& region, const NoteMatch& match,
               std::string* out) const {
    out->clear();
    // Cited in file order, each rule once.
    std::string ids;
    int first = match.none_rule >= 0 ? match.none_rule : match.time_rule;
    int second = match.none_rule >= 0 ? -1 : match.days_rule;
    if (first < 0 || (second >= 0 && second < first)) {
      std::swap(first, second);
    }
    if (first >= 0) {
      ids.append(";").append(notes_[first].id);
    }
    if (second >= 0 && second != first) {
      ids.append(";").append(notes_[second].id);
    }
    if (match.none_rule >= 0) {
      out->append("none (").append(region.region).append(ids).append(")");
      return;
    }
    out->append(match.days_rule >= 0 ? notes_[match.days_rule].days
                                     : region.days);
    out->push_back(' ');
    if (match.time_rule >= 0 && match.start >= 0) {
      AppendClock(match.start, out);
      out->push_back('-');
      AppendClock(match.end, out);
    } else {
      out->append(region.hours);
    }
    out->append(" ").append(region.offset).append(" (").append(region.region);
    out->append(ids).append(")");
  }

  std::vector<RegionHours> regions_;
  std::vector<NoteRule> notes_;
  std::unique_ptr<RE2::Set> set_;
  std::array<int16_t, kMaxCallingCode + 1> region_of_code_{};
  uint64_t id_ = NewMemoOwner();  // keys the per-thread memo
};

bool LoadRegions(const RuleFiles& files, std::vector<RegionHours>* regions,
                 std::string* error) {
  std::vector<std::string> paths = files.Paths(kHoursFile);
  if (paths.empty()) {
    *error = std::string(kHoursFile) + ": not found in the rules folders";
    return false;
  }
  for (const std::string& path : paths) {
    if (!ReadTable(path, [&] { ReadHoursFile(path, regions); }, error)) {
      return false;
    }
  }
  std::map<int, const RegionHours*> by_code;
  for (const RegionHours& r : *regions) {
    auto [it, added] = by_code.emplace(r.calling_code, &r);
    if (!added) {
      *error = r.where + ": calling_code " + std::to_string(r.calling_code) +
               " is already used by " + it->second->region +
               " (one region per code)";
      return false;
    }
  }
  return true;
}

bool LoadNotes(const RuleFiles& files, std::vector<NoteRule>* notes,
               std::unique_ptr<RE2::Set>* set, std::string* error) {
  for (const std::string& path : files.Paths(kNotesFile)) {
    if (!ReadTable(path, [&] { ReadNotesFile(path, notes); }, error)) {
      return false;
    }
  }
  if (notes->empty()) {
    return true;
  }
  *set = std::make_unique<RE2::Set>(PatternOptions(), RE2::UNANCHORED);
  for (const NoteRule& rule : *notes) {
    std::string message;
    if ((*set)->Add(rule.pattern, &message) < 0) {
      *error = rule.where + ": pattern: " + message;
      return false;
    }
  }
  if (!(*set)->Compile()) {
    *error = std::string(kNotesFile) + ": patterns too large for RE2";
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<Stage> MakeCallWindowStage(const StageContext& context,
                                           std::string* error) {
  std::vector<RegionHours> regions;
  std::vector<NoteRule> notes;
  std::unique_ptr<RE2::Set> set;
  if (!LoadRegions(*context.rules, &regions, error) ||
      !LoadNotes(*context.rules, &notes, &set, error)) {
    return nullptr;
  }
  return std::make_unique<CallWindowStage>(std::move(regions),
                                           std::move(notes), std::move(set));
}

}  // namespace leadclean
