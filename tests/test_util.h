// Helpers for stage tests: a one-row table with named columns and roles.
#ifndef LEADCLEAN_TESTS_TEST_UTIL_H_
#define LEADCLEAN_TESTS_TEST_UTIL_H_

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadclean/pipeline.h"
#include "leadclean/record.h"
#include "leadclean/rules.h"
#include "leadclean/stage.h"

namespace leadclean::testing {

inline RuleFiles ShippedRules() {
  return RuleFiles(std::string(LEADCLEAN_SOURCE_DIR) + "/rules", "");
}

// Columns given as (header, role) pairs; values set per row.
class TestTable {
 public:
  explicit TestTable(std::vector<std::pair<std::string, Role>> columns) {
    for (auto& [name, role] : columns) {
      schema_.names.push_back(name);
      schema_.roles.push_back(role);
      schema_.role_source.push_back("test");
    }
    for (int r = 0; r < static_cast<int>(Role::kCount); ++r) {
      role_columns_[r] = schema_.ColumnsOf(static_cast<Role>(r));
    }
  }

  const Schema& schema() const { return schema_; }

  StageContext Context() const {
    return StageContext{&options_, &rules_, &schema_};
  }

  // A view of one row with `values` (one per column).
  RowView Row(uint64_t row, const std::vector<std::string>& values) {
    values_ = values;
    views_.assign(values_.begin(), values_.end());
    RowView view;
    view.row = row;
    view.schema = &schema_;
    view.fields = views_;
    view.role_columns = &role_columns_;
    return view;
  }

  Options& options() { return options_; }

 private:
  Schema schema_;
  std::array<std::vector<int>, static_cast<int>(Role::kCount)> role_columns_;
  std::vector<std::string> values_;
  std::vector<std::string_view> views_;
  Options options_;
  RuleFiles rules_ = ShippedRules();
};

}  // namespace leadclean::testing

#endif  // LEADCLEAN_TESTS_TEST_UTIL_H_
