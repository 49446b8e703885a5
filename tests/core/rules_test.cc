#include "leadclean/rules.h"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "leadclean/roles.h"

namespace leadclean {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("leadclean-rules-test-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST_CASE("LoadRoleTable: an unknown role stops with file:line", "[rules]") {
  TempDir dir;
  std::string path = dir.Write("header_synonyms.csv",
                               "# comment\nrole,synonym\nfone,Tel 2\n");
  RuleFiles files("", dir.path());
  RoleTable table;
  std::string error;
  CHECK_FALSE(LoadRoleTable(files, &table, &error));
  CHECK(error == path + ":3: unknown role 'fone'");
}

TEST_CASE("LoadRoleTable: a missing column is reported with the file",
          "[rules]") {
  TempDir dir;
  std::string path = dir.Write("header_synonyms.csv", "role\nphone\n");
  RuleFiles files("", dir.path());
  RoleTable table;
  std::string error;
  CHECK_FALSE(LoadRoleTable(files, &table, &error));
  CHECK(error.rfind(path + ":", 0) == 0);
  CHECK(error.find("synonym") != std::string::npos);
}

TEST_CASE("LoadRoleTable: the user's rows layer on the defaults", "[rules]") {
  TempDir defaults;
  TempDir user;
  defaults.Write("header_synonyms.csv", "role,synonym\nphone,Tel\n");
  user.Write("header_synonyms.csv", "role,synonym\nphone,Số khác\nnotes,Tel\n");
  RuleFiles files(defaults.path(), user.path());
  RoleTable table;
  std::string error;
  REQUIRE(LoadRoleTable(files, &table, &error));
  CHECK(table.by_key.at("so khac") == Role::kPhone);
  CHECK(table.by_key.at("tel") == Role::kNotes);
}

TEST_CASE("ReadList: skips comments and blank lines, keeps line numbers",
          "[rules]") {
  TempDir dir;
  std::string path = dir.Write("list.txt", "# head\n\n  anh \nchị\n# x\nmr\n");
  std::vector<ListItem> items;
  std::string error;
  REQUIRE(ReadList(path, &items, &error));
  REQUIRE(items.size() == 3);
  CHECK(items[0].text == "anh");
  CHECK(items[0].line == 3);
  CHECK(items[2].text == "mr");
  CHECK(items[2].line == 6);
}

TEST_CASE("ReadList: invalid UTF-8 is a config error with its line",
          "[rules]") {
  TempDir dir;
  std::string path = dir.Write("list.txt", "ok\nbad\xFF\n");
  std::vector<ListItem> items;
  std::string error;
  CHECK_FALSE(ReadList(path, &items, &error));
  CHECK(error == path + ":2: not valid UTF-8");
}

}  // namespace
}  // namespace leadclean
