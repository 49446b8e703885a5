// Fuzzes the name stage (src/stages/name.cc) and the match keys built from
// names and companies (src/stages/match_keys.cc). Columns: full name, family
// name ("Họ"), given name ("Tên"), company, city. Input: the cells, split at
// byte 0x1F (a plain seed is a full name).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "fuzz_table.h"

using leadclean::Findings;
using leadclean::Role;
using leadclean::fuzzing::FuzzTable;

namespace {

std::unique_ptr<leadclean::Stage> Make(
    std::unique_ptr<leadclean::Stage> (*factory)(const leadclean::StageContext&,
                                                 std::string*),
    const FuzzTable& table) {
  std::string error;
  auto made = factory(table.Context(), &error);
  if (!made) {
    std::fprintf(stderr, "stage: %s\n", error.c_str());
    std::abort();
  }
  return made;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static FuzzTable* table = new FuzzTable({{"Họ và tên", Role::kName},
                                           {"Họ", Role::kLastName},
                                           {"Tên", Role::kFirstName},
                                           {"Công ty", Role::kCompany},
                                           {"Tỉnh", Role::kCity}});
  static auto name = Make(leadclean::MakeNameStage, *table);
  static auto keys = Make(leadclean::MakeMatchKeysStage, *table);
  std::vector<std::string> cells =
      leadclean::fuzzing::SplitCells(data, size, 5);
  Findings findings;
  leadclean::RowView row = table->Row(1, cells);
  name->Process(row, &findings);
  keys->Process(row, &findings);
  return 0;
}
