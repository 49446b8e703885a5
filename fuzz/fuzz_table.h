// A table of named columns with roles, and the row views fuzz targets feed
// to a stage. Like tests/test_util.h, without Catch2.
#ifndef LEADCLEAN_FUZZ_FUZZ_TABLE_H_
#define LEADCLEAN_FUZZ_FUZZ_TABLE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadclean/pipeline.h"
#include "leadclean/record.h"
#include "leadclean/rules.h"
#include "leadclean/stage.h"

namespace leadclean::fuzzing {

inline std::string ShippedRulesDir() {
  return std::string(LEADCLEAN_SOURCE_DIR) + "/rules";
}

class FuzzTable {
 public:
  explicit FuzzTable(std::vector<std::pair<std::string, Role>> columns)
      : rules_(ShippedRulesDir(), "") {
    for (auto& [name, role] : columns) {
      schema_.names.push_back(name);
      schema_.roles.push_back(role);
      schema_.role_source.push_back("fuzz");
    }
    for (int r = 0; r < static_cast<int>(Role::kCount); ++r) {
      role_columns_[r] = schema_.ColumnsOf(static_cast<Role>(r));
    }
    options_.default_rules_dir = ShippedRulesDir();
  }

  StageContext Context() const {
    return StageContext{&options_, &rules_, &schema_};
  }
  Options& options() { return options_; }
  int size() const { return schema_.size(); }

  // A view of one row; `values` must outlive the view. Missing values read
  // as "".
  RowView Row(uint64_t row, const std::vector<std::string>& values) {
    views_.assign(schema_.names.size(), std::string_view());
    for (size_t i = 0; i < values.size() && i < views_.size(); ++i) {
      views_[i] = values[i];
    }
    RowView view;
    view.row = row;
    view.schema = &schema_;
    view.fields = views_;
    view.role_columns = &role_columns_;
    return view;
  }

 private:
  Schema schema_;
  std::array<std::vector<int>, static_cast<int>(Role::kCount)> role_columns_;
  std::vector<std::string_view> views_;
  Options options_;
  RuleFiles rules_;
};

// Splits the fuzz input into at most `max_parts` cells at the byte 0x1F
// (ASCII unit separator), so a plain seed such as "0912 345 678" is one
// cell and the fuzzer can still reach several columns.
inline std::vector<std::string> SplitCells(const uint8_t* data, size_t size,
                                           size_t max_parts) {
  std::vector<std::string> cells(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0x1F && cells.size() < max_parts) {
      cells.emplace_back();
    } else {
      cells.back().push_back(static_cast<char>(data[i]));
    }
  }
  return cells;
}

}  // namespace leadclean::fuzzing

#endif  // LEADCLEAN_FUZZ_FUZZ_TABLE_H_
