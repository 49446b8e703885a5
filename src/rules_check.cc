// `rules check` builds every stage of the registry the way `clean` does, so
// it lints exactly what a run would load and can never drift from it. The
// stages see a schema with one column per role, so rules on any role are
// compiled too.
#include "leadclean/rules_check.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "leadclean/pipeline.h"
#include "leadclean/roles.h"
#include "leadclean/stage.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

Schema EveryRole() {
  Schema schema;
  for (int r = 1; r < static_cast<int>(Role::kCount); ++r) {
    schema.names.emplace_back(RoleName(static_cast<Role>(r)));
    schema.roles.push_back(static_cast<Role>(r));
    schema.role_source.emplace_back("rules check");
  }
  return schema;
}

int CountFiles(const std::string& dir) {
  int count = 0;
  std::error_code ec;
  if (dir.empty()) {
    return 0;
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    count += entry.is_regular_file(ec) && !name.starts_with(".") ? 1 : 0;
  }
  return count;
}

}  // namespace

std::vector<std::string> CheckRules(const RuleFiles& files) {
  std::vector<std::string> problems;
  RoleTable roles;
  std::string error;
  if (!LoadRoleTable(files, &roles, &error)) {
    problems.push_back(error);
  }
  Options options;
  options.default_rules_dir = files.default_dir();
  options.rules_dir = files.user_dir();
  Schema schema = EveryRole();
  StageContext context{&options, &files, &schema};
  for (const StageInfo& info : StageRegistry()) {
    error.clear();
    bool ok = info.kind == StageKind::kRowLocal
                  ? info.make_local(context, &error) != nullptr
                  : info.make_cross(context, &error) != nullptr;
    // Stages sharing a table (fake and bot) report its problem once.
    if (!ok && std::find(problems.begin(), problems.end(), error) ==
                   problems.end()) {
      problems.push_back(error);
    }
  }
  return problems;
}

int RunRulesCheck(const std::string& dir) {
  constexpr int kError = static_cast<int>(ExitCode::kUsage);
  std::string default_dir = DefaultRulesDir();
  std::error_code ec;
  if (default_dir.empty()) {
    std::fprintf(stderr, "cannot find the default rules directory\n");
    return kError;
  }
  if (!dir.empty() && !fs::is_directory(dir, ec)) {
    std::fprintf(stderr, "%s: not a directory\n", dir.c_str());
    return kError;
  }
  std::vector<std::string> problems = CheckRules(RuleFiles(default_dir, dir));
  for (const std::string& problem : problems) {
    std::fprintf(stderr, "%s\n", problem.c_str());
  }
  if (!problems.empty()) {
    return kError;
  }
  std::printf("rules ok: %d files\n",
              CountFiles(default_dir) + CountFiles(dir));
  return 0;
}

}  // namespace leadclean
