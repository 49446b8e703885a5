// Locating and reading rule files. fast-cpp-csv-parser throws typed
// exceptions carrying the file and line; ReadTable turns them into the
// "path:line: message" form every config error uses.
#include "leadclean/rules.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/fccp.h"

#include "leadclean/text.h"

namespace leadclean {
namespace fs = std::filesystem;

RuleFiles::RuleFiles(std::string default_dir, std::string user_dir)
    : default_dir_(std::move(default_dir)), user_dir_(std::move(user_dir)) {}

std::vector<std::string> RuleFiles::Paths(std::string_view file) const {
  std::vector<std::string> paths;
  for (const std::string* dir : {&default_dir_, &user_dir_}) {
    if (dir->empty()) {
      continue;
    }
    fs::path path = fs::path(*dir) / file;
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
      paths.push_back(path.string());
    }
  }
  return paths;
}

std::string DefaultRulesDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return "";
  }
  fs::path bin = exe.parent_path();
  for (const fs::path& candidate :
       {bin / ".." / "rules", bin / ".." / "share" / "leadclean" / "rules"}) {
    if (fs::is_directory(candidate, ec)) {
      return fs::weakly_canonical(candidate, ec).string();
    }
  }
  return "";
}

bool ReadList(const std::string& path, std::vector<ListItem>* items,
              std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open rule file";
    return false;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string_view text = Trim(line);
    if (number == 1 && text.starts_with("\xEF\xBB\xBF")) {
      text.remove_prefix(3);
    }
    if (text.empty() || text.front() == '#') {
      continue;
    }
    if (!IsValidUtf8(text)) {
      *error = path + ":" + std::to_string(number) + ": not valid UTF-8";
      return false;
    }
    items->push_back({std::string(text), number});
  }
  return true;
}

bool ReadLists(const RuleFiles& files, std::string_view file,
               std::vector<ListItem>* items, std::string* error) {
  for (const std::string& path : files.Paths(file)) {
    if (!ReadList(path, items, error)) {
      return false;
    }
  }
  return true;
}

bool ReadTable(const std::string& path, const std::function<void()>& body,
               std::string* error) {
  try {
    body();
    return true;
  } catch (const io::error::base& e) {
    std::string where = path;
    if (const auto* with_line =
            dynamic_cast<const io::error::with_file_line*>(&e)) {
      if (with_line->file_line >= 0) {
        where += ":" + std::to_string(with_line->file_line);
      }
    }
    *error = where + ": " + e.what();
  } catch (const RuleError& e) {
    *error = path + ":" + std::to_string(e.line) + ": " + e.what();
  } catch (const std::exception& e) {
    *error = path + ": " + e.what();
  }
  return false;
}

}  // namespace leadclean
