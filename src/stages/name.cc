// Name stage: builds lc_name, the display name. NFC, whitespace collapsed,
// a leading honorific stripped (rules/honorifics.txt, flag
// name_honorific_stripped), then title case in the "vi" locale. A name split
// into family/given columns is joined in the order the headers imply.
// Covered by tests/stages/name_test.cc.
#include <algorithm>
#include <array>
#include <unordered_set>

#include "leadclean/stage.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

class NameStage : public Stage {
 public:
  NameStage(std::unordered_set<std::string> honorifics, bool family_first)
      : honorifics_(std::move(honorifics)), family_first_(family_first) {
    for (const std::string& honorific : honorifics_) {
      auto lead =
          static_cast<unsigned char>(honorific.empty() ? 0 : honorific[0]);
      honorific_leads_[lead] = true;
      if (lead >= 'a' && lead <= 'z') {
        honorific_leads_[lead - 'a' + 'A'] = true;
      }
    }
  }

  void Process(const RowView& row, Findings* findings) const override {
    thread_local std::string joined;
    thread_local std::string name;
    std::string_view raw = RawName(row, &joined);
    if (!TitleCaseNameTo(raw, &name)) {
      // Decomposed names (NFD, as some tools export them) compose first.
      thread_local std::string composed;
      if (!NfcTo(raw, &composed) || !TitleCaseNameTo(composed, &name)) {
        ProcessGeneral(raw, findings);
        return;
      }
      raw = composed;
    }
    if (name.empty()) {
      return;
    }
    // Title casing works word by word, so the cased text minus its first
    // word is the cased rest; the first word as typed is the raw text's.
    size_t space = name.find(' ');
    if (space != std::string::npos && IsHonorific(FirstWord(raw))) {
      findings->Flag("name_honorific_stripped");
      findings->Col(Out::kName).assign(name, space + 1);
      return;
    }
    findings->Col(Out::kName) = name;
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

  // Text TitleCaseNameTo leaves to the three general functions.
  void ProcessGeneral(std::string_view raw, Findings* findings) const {
    std::string name = CollapseSpaces(Nfc(raw));
    if (name.empty()) {
      return;
    }
    size_t space = name.find(' ');
    if (space != std::string::npos &&
        IsHonorific(std::string_view(name).substr(0, space))) {
      name.erase(0, space + 1);
      findings->Flag("name_honorific_stripped");
    }
    findings->Col(Out::kName) = TitleCase(name);
  }

  // The first word of a text of ASCII white space and letters.
  static std::string_view FirstWord(std::string_view text) {
    auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    size_t begin = 0;
    while (begin < text.size() && is_space(text[begin])) {
      ++begin;
    }
    size_t end = begin;
    while (end < text.size() && !is_space(text[end])) {
      ++end;
    }
    return text.substr(begin, end - begin);
  }

  // Whether the first of several words is an honorific, to drop. A
  // one-letter honorific ("a Hùng", "C. Lan") must be lower case or end
  // with a dot, so an initial as in "A Smith" stays. An ASCII first byte
  // lowers to one byte that no honorific may start with: most family names
  // are ruled out without lowering them.
  bool IsHonorific(std::string_view token) const {
    auto lead = static_cast<unsigned char>(token[0]);
    if (lead < 0x80 && !honorific_leads_[lead]) {
      return false;
    }
    bool dotted = token.size() > 1 && token.back() == '.';
    std::string first = Lower(dotted ? token.substr(0, token.size() - 1) : token);
    if (!honorifics_.contains(first)) {
      return false;
    }
    return !(first.size() == 1 && !dotted && token[0] != first[0]);
  }

  std::unordered_set<std::string> honorifics_;
  // ASCII bytes a token may start with to be an honorific: the first bytes
  // of the (lower-case) honorifics and their upper case.
  std::array<bool, 256> honorific_leads_ = {};
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
