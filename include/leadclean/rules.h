// Rule tables: where they are found and how they are read.
//
// The shipped defaults live in rules/ beside the binary's tree (or in
// share/leadclean/rules when installed); --rules DIR layers the user's files
// on top. Lists are one item per line with '#' comments. Tables are CSV with
// a header, read with fast-cpp-csv-parser. Every failure is reported as
// "path:line: message".
#ifndef LEADCLEAN_RULES_H_
#define LEADCLEAN_RULES_H_

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leadclean {

class RuleFiles {
 public:
  // `user_dir` may be empty.
  RuleFiles(std::string default_dir, std::string user_dir);

  // Existing copies of `file`: the default first, then the user's. A rule
  // table is the concatenation of all copies; a user row with the id of a
  // default row replaces it (see each stage).
  std::vector<std::string> Paths(std::string_view file) const;
  const std::string& default_dir() const { return default_dir_; }
  const std::string& user_dir() const { return user_dir_; }

 private:
  std::string default_dir_;
  std::string user_dir_;
};

// The shipped rules directory: <exe dir>/../rules, else
// <exe dir>/../share/leadclean/rules. Returns "" when neither exists.
std::string DefaultRulesDir();

struct ListItem {
  std::string text;
  int line = 0;
};

// Reads a one-item-per-line list. Trims each line, skips blank lines and
// lines starting with '#'. Returns false with "path: message" when the file
// cannot be read.
bool ReadList(const std::string& path, std::vector<ListItem>* items,
              std::string* error);

// Reads every copy of `file` from `files` into one list.
bool ReadLists(const RuleFiles& files, std::string_view file,
               std::vector<ListItem>* items, std::string* error);

// Thrown by a table reader's body for a bad value on a given line.
struct RuleError : std::runtime_error {
  RuleError(int line_number, const std::string& message)
      : std::runtime_error(message), line(line_number) {}
  int line;
};

// Runs `body`, which reads a table with fast-cpp-csv-parser, and converts
// any exception it throws into "path:line: message". Returns false on error.
bool ReadTable(const std::string& path, const std::function<void()>& body,
               std::string* error);

}  // namespace leadclean

#endif  // LEADCLEAN_RULES_H_
