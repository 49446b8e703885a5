// Name stage: builds lc_name, the display name. NFC, whitespace collapsed,
// a leading honorific stripped (rules/honorifics.txt, flag
// name_honorific_stripped), then title case in the "vi" locale. A name split
// into family/given columns is joined in the order the headers imply.
// Covered by tests/stages/name_test.cc.
#include <algorithm>
#include <unordered_set>

#include "leadclean/stage.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

class NameStage : public Stage {
 public:
  NameStage(std::unordered_set<std::string> honorifics, bool family_first)
      : honorifics_(std::move(honorifics)), family_first_(family_first) {}

  void Process(const RowView& row, Findings* findings) const override {
    thread_local std::string joined;
    std::string name = CollapseSpaces(Nfc(RawName(row, &joined)));
    if (name.empty()) {
      return;
    }
    if (StripHonorific(&name)) {
      findings->Flag("name_honorific_stripped");
    }
    findings->Col(Out::kName) = TitleCase(name);
  }

 private:
  // The name column, or the family and given names joined in *joined.
  std::string_view RawName(const RowView& row, std::string* joined) const {
    std::string_view full = row.Get(Role::kName);
    if (!full.empty()) {
      return full;
    }
    std::string_view given = row.Get(Role::kFirstName);
    std::string_view family = row.Get(Role::kLastName);
    std::string_view first = family_first_ ? family : given;
    std::string_view second = family_first_ ? given : family;
    joined->assign(first);
    if (!first.empty() && !second.empty()) {
      joined->push_back(' ');
    }
    joined->append(second);
    return *joined;
  }

  // Drops the first token when it is an honorific and more tokens follow.
  // A one-letter honorific ("a Hùng", "C. Lan") must be lower case or end
  // with a dot, so an initial as in "A Smith" stays.
  bool StripHonorific(std::string* name) const {
    size_t space = name->find(' ');
    if (space == std::string::npos) {
      return false;
    }
    std::string_view token = std::string_view(*name).substr(0, space);
    bool dotted = token.size() > 1 && token.back() == '.';
    std::string first = Lower(dotted ? token.substr(0, token.size() - 1) : token);
    if (!honorifics_.contains(first)) {
      return false;
    }
    if (first.size() == 1 && !dotted && token[0] != first[0]) {
      return false;
    }
    name->erase(0, space + 1);
    return true;
  }

  std::unordered_set<std::string> honorifics_;
  bool family_first_;
};

// Vietnamese headers ("Họ", "Họ đệm") put the family name first.
bool FamilyFirst(const Schema& schema) {
  for (int column : schema.ColumnsOf(Role::kLastName)) {
    std::string key = FoldKey(schema.names[column]);
    if (key == "ho" || key == "ho dem") {
      return true;
    }
  }
  return false;
}

}  // namespace

std::unique_ptr<Stage> MakeNameStage(const StageContext& context,
                                     std::string* error) {
  std::vector<ListItem> items;
  if (!ReadLists(*context.rules, "honorifics.txt", &items, error)) {
    return nullptr;
  }
  std::unordered_set<std::string> honorifics;
  for (const ListItem& item : items) {
    honorifics.insert(Lower(item.text));
  }
  return std::make_unique<NameStage>(std::move(honorifics),
                                     FamilyFirst(*context.schema));
}

}  // namespace leadclean
