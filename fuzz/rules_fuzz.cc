// Fuzzes the rule-table loaders: the input becomes one user rule file
// layered on the shipped rules/, and the stages that read that file are
// built over it as `clean --rules DIR` would (building all of them costs
// seconds per input under the sanitizers). When they load, a few rows go
// through the row-local ones, so user patterns are exercised too.
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
  static const std::string dir = TempDir();
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

// Which stages read each rule file (the fake rules name the list files they
// use, so every list can reach fake and bot).
struct Readers {
  const char* file;
  std::vector<std::string_view> stages;
};
const std::vector<Readers>& FileReaders() {
  static const std::vector<Readers> kReaders = {
      {"header_synonyms.csv", {}},
      {"honorifics.txt", {"name", "match_keys"}},
      {"company_suffixes.txt", {"match_keys"}},
      {"dedup_rules.csv", {"dedup"}},
      {"fake_rules.csv", {"fake", "bot"}},
      {"fake_settings.csv", {"fake", "bot"}},
      {"placeholder_names.txt", {"fake", "bot"}},
      {"bot_user_agents.txt", {"fake", "bot"}},
      {"competitor_domains.txt", {"fake", "bot", "score"}},
      {"placeholder_phones.txt", {"phone", "fake"}},
      {"vn_carriers.csv", {"phone"}},
      {"vn_landline_codes.csv", {"phone"}},
      {"vn_legacy_mobile.csv", {"phone"}},
      {"scoring.csv", {"score"}},
      {"scoring_settings.csv", {"score"}},
      {"source_quality.csv", {"score"}},
  };
  return kReaders;
}

std::vector<std::string_view> StagesReading(const std::string& file) {
  for (const Readers& readers : FileReaders()) {
    if (file == readers.file) {
      return readers.stages;
    }
  }
  if (file.rfind("email_", 0) == 0) {
    return {"email", "fake", "bot"};
  }
  return {"fake", "bot"};
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

  // A failed load must say why, as "path:line: message" or "path: message".
  auto check_message = [](bool loaded, const std::string& error) {
    if (!loaded && error.find(": ") == std::string::npos) {
      std::fprintf(stderr, "rules_fuzz: failed without a path: '%s'\n",
                   error.c_str());
      std::abort();
    }
    return loaded;
  };
  std::string error;
  RoleTable roles;
  bool ok = name != "header_synonyms.csv" ||
            check_message(LoadRoleTable(rules, &roles, &error), error);
  std::vector<std::string_view> wanted = StagesReading(name);
  std::vector<std::unique_ptr<Stage>> local;
  for (const StageInfo& info : StageRegistry()) {
    if (std::find(wanted.begin(), wanted.end(), info.name) == wanted.end()) {
      continue;
    }
    error.clear();
    if (info.kind == StageKind::kRowLocal) {
      auto stage = info.make_local(context, &error);
      ok = check_message(stage != nullptr, error) && ok;
      if (stage) {
        local.push_back(std::move(stage));
      }
    } else {
      ok = check_message(info.make_cross(context, &error) != nullptr, error) &&
           ok;
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
