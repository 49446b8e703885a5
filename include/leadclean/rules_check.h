// `leadclean rules check [DIR]`: lints the rule tables.
#ifndef LEADCLEAN_RULES_CHECK_H_
#define LEADCLEAN_RULES_CHECK_H_

#include <string>
#include <vector>

#include "leadclean/rules.h"

namespace leadclean {

// Builds every stage of the registry over `files`, as `clean` would, and
// returns each problem ("path:line: message"); empty when all load.
std::vector<std::string> CheckRules(const RuleFiles& files);

// Usage: leadclean rules check [DIR]  (DIR layered on the default rules).
// Loads every rule table the stages load, from the default rules directory
// with `dir` (may be empty) layered on top, exactly as `clean --rules DIR`
// would. Prints each problem as "path:line: message" on stderr and returns
// 2 (ExitCode::kUsage); otherwise prints "rules ok: N files" on stdout and
// returns 0.
int RunRulesCheck(const std::string& dir);

}  // namespace leadclean

#endif  // LEADCLEAN_RULES_CHECK_H_
