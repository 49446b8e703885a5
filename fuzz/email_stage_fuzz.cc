// Fuzzes the email stage (src/stages/email*.cc) on a table with two email
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
      new FuzzTable({{"Email", Role::kEmail}, {"Email 2", Role::kEmail}});
  static std::unique_ptr<leadclean::Stage> stage = [] {
    std::string error;
    auto made = leadclean::MakeEmailStage(table->Context(), &error);
    if (!made) {
      std::fprintf(stderr, "email stage: %s\n", error.c_str());
      std::abort();
    }
    return made;
  }();
  std::vector<std::string> cells =
      leadclean::fuzzing::SplitCells(data, size, 2);
  Findings findings;
  stage->Process(table->Row(1, cells), &findings);
  Findings again;
  stage->Process(table->Row(2, cells), &again);
  if (findings.out != again.out || findings.flags != again.flags ||
      findings.email_key != again.email_key) {
    std::fprintf(stderr, "email stage: second call differs\n");
    std::abort();
  }
  return 0;
}
