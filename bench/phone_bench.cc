// Phone benchmark: the phone stage (cleaning, fast path, memo) against the
// naive per-number libphonenumber loop (Parse + IsValidNumber +
// GetNumberType + Format(E164)) on the same generated cells, one thread.
//
//   phone_bench [COUNT] [RULES_DIR]
//
// COUNT defaults to 1,000,000 cells; RULES_DIR to the rules/ beside the
// binary's tree. Cells are Vietnamese lead-list phone values: mostly clean
// mobiles, then spaced/dotted/+84 forms, lost zeros, labels, legacy
// 11-digit numbers, landlines, two-number cells and junk; every number is
// drawn at random, so almost all cells are distinct. Prints CPU ns per
// cell (after a warm-up, best of two runs) and the ratio.
#include <phonenumbers/phonenumberutil.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "leadclean/pipeline.h"
#include "leadclean/stage.h"
#include "stages/phone_stage.h"

namespace leadclean {
namespace {

class CellMaker {
 public:
  explicit CellMaker(uint64_t seed) : rng_(seed) {}

  std::string Next() {
    int kind = static_cast<int>(rng_() % 100);
    std::string national = Mobile();
    if (kind < 60) {
      return national;
    }
    if (kind < 70) {
      return national.substr(0, 4) + (kind % 2 ? " " : ".") +
             national.substr(4, 3) + (kind % 2 ? " " : ".") +
             national.substr(7);
    }
    if (kind < 76) {
      return "+84 " + national.substr(1);
    }
    if (kind < 81) {
      return national.substr(1);  // Excel lost the zero
    }
    if (kind < 85) {
      return "\xC4\x90T: " + national + " (Zalo)";
    }
    if (kind < 88) {
      return "0168" + Digits(7);  // legacy Viettel
    }
    if (kind < 92) {
      return "(028) 3" + Digits(3) + " " + Digits(4);
    }
    if (kind < 95) {
      return national + " / " + Mobile();
    }
    if (kind < 97) {
      return national.substr(1) + ".0";
    }
    return Digits(static_cast<int>(5 + rng_() % 8));  // junk
  }

 private:
  std::string Mobile() {
    static const char* const kPrefixes[] = {
        "32", "33", "34", "35", "36", "37", "38", "39", "70",
        "77", "79", "81", "83", "84", "85", "86", "88", "90",
        "91", "93", "94", "96", "97", "98", "56"};
    return "0" + std::string(kPrefixes[rng_() % std::size(kPrefixes)]) +
           Digits(7);
  }
  std::string Digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i) {
      out.push_back(static_cast<char>('0' + rng_() % 10));
    }
    return out;
  }

  std::mt19937_64 rng_;
};

// CPU time of this thread: the machine may be shared, and both sides run
// on this one thread.
double CpuSeconds() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + now.tv_nsec * 1e-9;
}

// The naive loop: Parse, IsValidNumber, GetNumberType, Format(E164) and,
// with `national`, Format(NATIONAL) of valid numbers (what lc_phone_national
// needs). Returns the number of valid cells.
size_t RunLibrary(const std::vector<std::string>& cells, bool national) {
  namespace pn = i18n::phonenumbers;
  const pn::PhoneNumberUtil& util = *pn::PhoneNumberUtil::GetInstance();
  size_t valid = 0;
  std::string e164;
  std::string formatted;
  for (const std::string& cell : cells) {
    pn::PhoneNumber number;
    if (util.Parse(cell, "VN", &number) !=
        pn::PhoneNumberUtil::NO_PARSING_ERROR) {
      continue;
    }
    bool ok = util.IsValidNumber(number);
    util.GetNumberType(number);
    util.Format(number, pn::PhoneNumberUtil::E164, &e164);
    if (ok && national) {
      util.Format(number, pn::PhoneNumberUtil::NATIONAL, &formatted);
    }
    valid += ok;
  }
  return valid;
}

// The stage over one-column rows. Returns the number of rows with lc_phone.
size_t RunStage(const Stage& stage, const std::vector<std::string>& cells) {
  Schema schema;
  schema.names = {"phone"};
  schema.roles = {Role::kPhone};
  std::array<std::vector<int>, static_cast<int>(Role::kCount)> roles;
  roles[static_cast<int>(Role::kPhone)] = {0};
  size_t valid = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string_view field = cells[i];
    RowView row;
    row.row = i + 1;
    row.schema = &schema;
    row.fields = std::span<const std::string_view>(&field, 1);
    row.role_columns = &roles;
    Findings findings;
    stage.Process(row, &findings);
    valid += !findings.Col(Out::kPhone).empty();
  }
  return valid;
}

std::unique_ptr<Stage> MakeStage(const std::string& rules_dir,
                                 const PhoneStageOptions& options) {
  static Options cli;
  static RuleFiles rules(rules_dir, "");
  std::string error;
  auto stage = MakePhoneStageWith({&cli, &rules, nullptr}, options, &error);
  if (stage == nullptr) {
    std::fprintf(stderr, "phone_bench: %s\n", error.c_str());
    std::exit(1);
  }
  return stage;
}

int Main(int argc, char** argv) {
  size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::string rules_dir = argc > 2 ? argv[2] : DefaultRulesDir();
  CellMaker maker(42);
  std::vector<std::string> cells;
  cells.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    cells.push_back(maker.Next());
  }
  size_t distinct =
      std::unordered_set<std::string>(cells.begin(), cells.end()).size();

  auto cached = MakeStage(rules_dir, {});
  auto uncached = MakeStage(rules_dir, {.fast_path = true, .cache = false});
  // Warm-up: the library's regex cache and RE2's lazily built DFAs.
  const std::vector<std::string> warm_up(
      cells.begin(), cells.begin() + std::min<size_t>(cells.size(), 20000));
  RunLibrary(warm_up, true);
  RunStage(*uncached, warm_up);

  // Each side runs twice; the faster run counts (the machine may be busy).
  size_t library_valid = 0;
  size_t stage_valid = 0;
  auto best_of_two = [](auto&& run) {
    double best = 1e300;
    for (int round = 0; round < 2; ++round) {
      double start = CpuSeconds();
      run();
      best = std::min(best, CpuSeconds() - start);
    }
    return best;
  };
  double library =
      best_of_two([&] { library_valid = RunLibrary(cells, false); });
  double library_national = best_of_two([&] { RunLibrary(cells, true); });
  double stage = best_of_two([&] { stage_valid = RunStage(*cached, cells); });
  double no_cache = best_of_two([&] { RunStage(*uncached, cells); });

  auto per_cell = [&](double seconds) { return seconds * 1e9 / count; };
  std::printf("cells: %zu (%zu distinct)\n", count, distinct);
  std::printf("libphonenumber loop:            %7.0f ns/cell  %zu valid\n",
              per_cell(library), library_valid);
  std::printf("libphonenumber loop + NATIONAL: %7.0f ns/cell\n",
              per_cell(library_national));
  std::printf(
      "phone stage:                    %7.0f ns/cell  %zu with "
      "lc_phone\n",
      per_cell(stage), stage_valid);
  std::printf("phone stage, no memo:           %7.0f ns/cell\n",
              per_cell(no_cache));
  std::printf("ratio: %.1fx (loop + NATIONAL: %.1fx; no memo: %.1fx)\n",
              library / stage, library_national / stage, library / no_cache);
  return 0;
}

}  // namespace
}  // namespace leadclean

int main(int argc, char** argv) { return leadclean::Main(argc, argv); }
