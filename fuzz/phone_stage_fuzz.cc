// Fuzzes the phone stage (src/stages/phone*.cc) on a table with two phone
// columns. Input: the cells, split at byte 0x1F (one cell for plain seeds).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "fuzz_table.h"

using leadclean::Findings;
using leadclean::Role;
using leadclean::fuzzing::FuzzTable;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static FuzzTable* table =
      new FuzzTable({{"Phone", Role::kPhone}, {"Mobile", Role::kPhone}});
  static std::unique_ptr<leadclean::Stage> stage = [] {
    std::string error;
    auto made = leadclean::MakePhoneStage(table->Context(), &error);
    if (!made) {
      std::fprintf(stderr, "phone stage: %s\n", error.c_str());
      std::abort();
    }
    return made;
  }();
  std::vector<std::string> cells =
      leadclean::fuzzing::SplitCells(data, size, 2);
  Findings findings;
  stage->Process(table->Row(1, cells), &findings);
  // The same cells give the same findings (memoisation must not leak state).
  Findings again;
  stage->Process(table->Row(2, cells), &again);
  if (findings.out != again.out || findings.flags != again.flags ||
      findings.phone_all != again.phone_all) {
    std::fprintf(stderr, "phone stage: second call differs\n");
    std::abort();
  }
  return 0;
}
