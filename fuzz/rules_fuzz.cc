// Fuzzes the rule-table loaders: the input becomes one user rule file
// layered on the shipped rules/, and every stage of the registry is built
// over it as `clean --rules DIR` would. When all load, a few rows go through
// the row-local stages, so user patterns are exercised too.
//
// Input: the first line names the rule file ("fake_rules.csv"); a name that
// is not a shipped file picks one by hash. The rest is the file's content.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_table.h"
#include "leadclean/roles.h"

namespace {

namespace fs = std::filesystem;
using namespace leadclean;

std::vector<std::string> ShippedFiles() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fuzzing::ShippedRulesDir())) {
    if (entry.is_regular_file()) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string TempDir() {
  std::string dir =
      (fs::temp_directory_path() / "leadclean-rules-fuzz-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  return dir;
}

const std::string& RulesDir() {
  static const std::string& dir = RulesDir();
  static const bool cleanup = [] {
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(RulesDir(), ec);
    });
    return true;
  }();
  (void)cleanup;
  return dir;
}

const char* const kRows[][5] = {
    {"Nguyễn Văn An", "0912345678", "an.nguyen@gmail.com", "Công ty TNHH ABC",
     "Giám đốc"},
    {"test", "0123456789", "test@test.com", "", ""},
    {"asdfgh", "+1 650 253 0000", "x@mailinator.com", "ABC Co., Ltd", "CEO"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> files = ShippedFiles();
  static const std::string& dir = RulesDir();
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string name = input.substr(0, newline);
  std::string content =
      newline == std::string::npos ? "" : input.substr(newline + 1);
  if (std::find(files.begin(), files.end(), name) == files.end()) {
    name = files[std::hash<std::string>()(name) % files.size()];
  }
  std::string path = dir + "/" + name;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  }

  RuleFiles rules(fuzzing::ShippedRulesDir(), dir);
  Schema schema;
  for (int r = 1; r < static_cast<int>(Role::kCount); ++r) {
    schema.names.emplace_back(RoleName(static_cast<Role>(r)));
    schema.roles.push_back(static_cast<Role>(r));
    schema.role_source.emplace_back("fuzz");
  }
  std::array<std::vector<int>, static_cast<int>(Role::kCount)> role_columns;
  for (int r = 0; r < static_cast<int>(Role::kCount); ++r) {
    role_columns[r] = schema.ColumnsOf(static_cast<Role>(r));
  }
  Options options;
  options.default_rules_dir = rules.default_dir();
  options.rules_dir = dir;
  StageContext context{&options, &rules, &schema};

  std::string error;
  RoleTable roles;
  bool ok = LoadRoleTable(rules, &roles, &error);
  std::vector<std::unique_ptr<Stage>> local;
  for (const StageInfo& info : StageRegistry()) {
    error.clear();
    if (info.kind == StageKind::kRowLocal) {
      auto stage = info.make_local(context, &error);
      ok = ok && stage != nullptr;
      if (stage) {
        local.push_back(std::move(stage));
      }
    } else {
      ok = info.make_cross(context, &error) != nullptr && ok;
    }
    // A failed factory must say why, as path:line: message.
    if (!error.empty() && error.find(':') == std::string::npos) {
      std::fprintf(stderr, "rules_fuzz: message without a path: %s\n",
                   error.c_str());
      std::abort();
    }
  }
  if (ok) {
    std::vector<std::string_view> fields(schema.names.size());
    for (const auto& values : kRows) {
      std::fill(fields.begin(), fields.end(), std::string_view());
      fields[role_columns[static_cast<int>(Role::kName)][0]] = values[0];
      fields[role_columns[static_cast<int>(Role::kPhone)][0]] = values[1];
      fields[role_columns[static_cast<int>(Role::kEmail)][0]] = values[2];
      fields[role_columns[static_cast<int>(Role::kCompany)][0]] = values[3];
      fields[role_columns[static_cast<int>(Role::kTitle)][0]] = values[4];
      RowView view;
      view.row = 1;
      view.schema = &schema;
      view.fields = fields;
      view.role_columns = &role_columns;
      Findings findings;
      for (const auto& stage : local) {
        stage->Process(view, &findings);
      }
    }
  }
  unlink(path.c_str());
  return 0;
}
