// Loading and querying the email rule lists. Lookups take string_views and
// never allocate; parent-domain matches walk the label boundaries of the
// domain itself ("x.mailinator.com" -> "mailinator.com").
#include "stages/email_rules.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "leadclean/text.h"
#include "stages/email_address.h"

namespace leadclean {
namespace {

constexpr std::string_view kDisposableFile = "email_disposable_domains.txt";
constexpr std::string_view kFreeFile = "email_free_providers.txt";
constexpr std::string_view kRoleFile = "email_role_locals.txt";
constexpr std::string_view kPlaceholderFile = "email_placeholders.txt";
constexpr std::string_view kTypoFile = "email_typo_targets.txt";
constexpr std::string_view kReservedFile = "email_reserved_domains.txt";

using LineHandler = std::function<bool(std::string_view, std::string*)>;

// Feeds every line of every copy of `file` to `handle`.
bool ReadEach(const RuleFiles& files, std::string_view file,
              const LineHandler& handle, std::string* error) {
  for (const std::string& path : files.Paths(file)) {
    std::vector<ListItem> items;
    if (!ReadList(path, &items, error)) {
      return false;
    }
    for (const ListItem& item : items) {
      std::string message;
      if (!handle(item.text, &message)) {
        *error = path + ":" + std::to_string(item.line) + ": " + message;
        return false;
      }
    }
  }
  return true;
}

std::string_view Unlisted(std::string_view line) {
  return line.starts_with('-') ? line.substr(1) : std::string_view();
}

bool IsLowerAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z');
  });
}

// A domain (or, with `single_label_ok`, a bare TLD) for a rule list.
bool CheckRuleDomain(std::string_view domain, bool single_label_ok,
                     std::string* message) {
  EmailSyntax syntax = CheckAsciiDomain(domain);
  if (syntax == EmailSyntax::kOk ||
      (single_label_ok && syntax == EmailSyntax::kDomainNoDot)) {
    return true;
  }
  *message = "not a lower-case ASCII domain (" +
             std::string(EmailSyntaxName(syntax)) + "): '" +
             std::string(domain) + "'";
  return false;
}

// Adds or (with a leading '-') removes one domain of a plain domain list.
bool ApplyDomainLine(std::string_view line, bool single_label_ok,
                     StringSet* set, std::string* message) {
  std::string_view removed = Unlisted(line);
  std::string_view domain = removed.empty() ? line : removed;
  if (!CheckRuleDomain(domain, single_label_ok, message)) {
    return false;
  }
  if (removed.empty()) {
    set->emplace(domain);
  } else {
    set->erase(std::string(domain));
  }
  return true;
}

// True when `domain` or one of its parents (down to `min_labels` labels)
// is in `set`.
bool MatchesParent(const StringSet& set, std::string_view domain,
                   int min_labels) {
  int labels = static_cast<int>(std::count(domain.begin(), domain.end(), '.'));
  ++labels;
  while (labels >= min_labels) {
    if (set.contains(domain)) {
      return true;
    }
    size_t dot = domain.find('.');
    if (dot == std::string_view::npos) {
      return false;
    }
    domain.remove_prefix(dot + 1);
    --labels;
  }
  return false;
}

// "prefix" directives of the placeholder list: "blank: n a".
bool TakeDirective(std::string_view line, std::string_view name,
                   std::string_view* rest) {
  if (!line.starts_with(name) || line.size() <= name.size() ||
      line[name.size()] != ':') {
    return false;
  }
  *rest = Trim(line.substr(name.size() + 1));
  return true;
}

std::string_view StripPlus(std::string_view local) {
  size_t plus = local.find('+');
  return plus == std::string_view::npos || plus == 0 ? local
                                                     : local.substr(0, plus);
}

// `c` is a lower-case letter.
bool IsVowel(char c) {
  constexpr uint32_t kVowels = (1u << ('a' - 'a')) | (1u << ('e' - 'a')) |
                               (1u << ('i' - 'a')) | (1u << ('o' - 'a')) |
                               (1u << ('u' - 'a')) | (1u << ('y' - 'a'));
  return (kVowels >> (c - 'a') & 1) != 0;
}

// KeyRowStep of every pair of lower-case letters.
constexpr std::array<std::array<int8_t, 26>, 26> kKeySteps = [] {
  std::array<std::array<int8_t, 26>, 26> steps{};
  for (char a = 'a'; a <= 'z'; ++a) {
    for (char b = 'a'; b <= 'z'; ++b) {
      steps[a - 'a'][b - 'a'] = static_cast<int8_t>(KeyRowStep(a, b));
    }
  }
  return steps;
}();

}  // namespace

// One pass for the three signs (HasKeyboardWalk's walk counted alongside);
// any one of them answers true, so the order they are found in is moot. A
// byte that is not a letter resets all three at once.
bool IsGibberishLocal(std::string_view local) {
  size_t consonants = 0;
  size_t repeats = 0;
  int direction = 0;
  size_t walk = 1;  // keys in the current walk
  char previous = 0;
  bool previous_letter = false;
  for (size_t i = 0; i < local.size(); ++i) {
    const char c = local[i];
    if (c < 'a' || c > 'z') {
      consonants = 0;
      repeats = 1;
      walk = 1;
      direction = 0;
      previous = c;
      previous_letter = false;
      continue;
    }
    consonants = IsVowel(c) ? 0 : consonants + 1;
    repeats = c == previous ? repeats + 1 : 1;
    if (consonants >= 6 || repeats >= 4) {
      return true;
    }
    const int step = previous_letter ? kKeySteps[previous - 'a'][c - 'a'] : 0;
    walk = step == 0 ? 1 : (step == direction ? walk + 1 : 2);
    direction = step;
    // "erty" lives inside ordinary words: property, liberty.
    if (walk >= 4 && local.substr(i - 3, 4) != "erty" &&
        local.substr(i - 3, 4) != "ytre") {
      return true;
    }
    previous = c;
    previous_letter = true;
  }
  return false;
}

void EmailRules::BuildFilters() {
  for (const std::string& role : roles_) {
    role_shapes_.Add(role);
  }
  for (const std::string& local : placeholder_locals_) {
    placeholder_shapes_.Add(local);
  }
  for (const auto& [domain, locals] : placeholder_addresses_) {
    for (const std::string& local : locals) {
      placeholder_shapes_.Add(local);
    }
  }
}

bool EmailRules::AddFree(std::string_view line, std::string* message) {
  std::string_view removed = Unlisted(line);
  if (!removed.empty()) {
    free_.erase(std::string(removed));
    return true;
  }
  size_t end = line.find_first_of(" \t");
  std::string_view domain = line.substr(0, end);
  if (!CheckRuleDomain(domain, false, message)) {
    return false;
  }
  ProviderRule rule;
  std::string_view rest = end == std::string_view::npos ? "" : line.substr(end);
  while (!(rest = Trim(rest)).empty()) {
    size_t next = std::min(rest.find_first_of(" \t"), rest.size());
    std::string_view word = rest.substr(0, next);
    rest.remove_prefix(next);
    if (word == "dots") {
      rule.ignore_dots = true;
    } else if (word == "plus") {
      rule.strip_plus = true;
    } else if (word.starts_with('=') &&
               CheckRuleDomain(word.substr(1), false, message)) {
      rule.canonical = std::string(word.substr(1));
    } else {
      *message = "expected 'dots', 'plus' or '=domain', got '" +
                 std::string(word) + "'";
      return false;
    }
  }
  free_[std::string(domain)] = std::move(rule);
  return true;
}

bool EmailRules::AddPlaceholder(std::string_view line, std::string* message) {
  std::string_view removed = Unlisted(line);
  bool remove = !removed.empty();
  line = remove ? removed : line;
  auto apply = [remove](StringSet* set, std::string_view item) {
    if (remove) {
      set->erase(std::string(item));
    } else {
      set->emplace(item);
    }
  };
  std::string_view text;
  if (TakeDirective(line, "blank", &text)) {
    apply(&blank_texts_, FoldKey(text));
    return true;
  }
  if (TakeDirective(line, "cell", &text)) {
    apply(&placeholder_prefixes_, FoldKey(text));
    return true;
  }
  size_t at = line.find('@');
  if (at == std::string_view::npos || !IsLowerAscii(line) ||
      line.find('@', at + 1) != std::string_view::npos) {
    *message =
        "expected local@domain, local@*, *@domain, 'blank: text' or "
        "'cell: text' in lower case, got '" +
        std::string(line) + "'";
    return false;
  }
  std::string_view local = line.substr(0, at);
  std::string_view domain = line.substr(at + 1);
  if (local == "*") {
    apply(&placeholder_domains_, domain);
  } else if (domain == "*") {
    apply(&placeholder_locals_, local);
  } else {
    apply(&placeholder_addresses_[std::string(domain)], local);
  }
  return true;
}

bool EmailRules::AddRole(std::string_view line, std::string* message) {
  if (!IsLowerAscii(line) || line.find('@') != std::string_view::npos) {
    *message =
        "expected a lower-case local part, got '" + std::string(line) + "'";
    return false;
  }
  std::string_view removed = Unlisted(line);
  if (removed.empty()) {
    roles_.emplace(line);
  } else {
    roles_.erase(std::string(removed));
  }
  return true;
}

bool EmailRules::Load(const RuleFiles& files, std::string* error) {
  auto domains = [](StringSet* set, bool single_label_ok) {
    return [set, single_label_ok](std::string_view line, std::string* m) {
      return ApplyDomainLine(line, single_label_ok, set, m);
    };
  };
  auto member =
      [this](bool (EmailRules::*add)(std::string_view, std::string*)) {
        return [this, add](std::string_view line, std::string* m) {
          return (this->*add)(line, m);
        };
      };
  auto typo = [this](std::string_view line, std::string* m) {
    return typos_.AddLine(line, m);
  };
  return ReadEach(files, kDisposableFile, domains(&disposable_, false),
                  error) &&
         ReadEach(files, kReservedFile, domains(&reserved_, true), error) &&
         ReadEach(files, kFreeFile, member(&EmailRules::AddFree), error) &&
         ReadEach(files, kRoleFile, member(&EmailRules::AddRole), error) &&
         ReadEach(files, kPlaceholderFile, member(&EmailRules::AddPlaceholder),
                  error) &&
         ReadEach(files, kTypoFile, typo, error) && (BuildFilters(), true);
}

const ProviderRule* EmailRules::FindFree(std::string_view domain) const {
  while (true) {
    if (auto it = free_.find(domain); it != free_.end()) {
      return &it->second;
    }
    size_t dot = domain.find('.');
    if (dot == std::string_view::npos ||
        domain.find('.', dot + 1) == std::string_view::npos) {
      return nullptr;  // never match a bare suffix such as "com.vn"
    }
    domain.remove_prefix(dot + 1);
  }
}

DomainInfo EmailRules::Classify(std::string_view domain) const {
  DomainInfo info;
  info.reserved = MatchesParent(reserved_, domain, 1);
  info.disposable = MatchesParent(disposable_, domain, 2);
  info.provider = FindFree(domain);
  info.free = info.provider != nullptr;
  if (!info.reserved && !info.free && !typos_.IsListed(domain)) {
    info.typo_of = std::string(typos_.Correct(domain));
  }
  info.placeholder_domain = placeholder_domains_.contains(domain);
  if (auto it = placeholder_addresses_.find(domain);
      it != placeholder_addresses_.end()) {
    info.placeholder_locals = &it->second;
  }
  return info;
}

bool EmailRules::IsPlaceholder(std::string_view local,
                               const DomainInfo& domain) const {
  return domain.placeholder_domain ||
         (placeholder_shapes_.MayContain(local) &&
          (placeholder_locals_.contains(local) ||
           (domain.placeholder_locals != nullptr &&
            domain.placeholder_locals->contains(local))));
}

bool EmailRules::IsRole(std::string_view local) const {
  local = StripPlus(local);
  if (role_shapes_.MayContain(local) && roles_.contains(local)) {
    return true;
  }
  // "sales2", "info.hcm", "cskh-hn": a role with a number or a short
  // branch tag.
  size_t cut = 0;
  while (cut < local.size() && local[cut] >= 'a' && local[cut] <= 'z') {
    ++cut;
  }
  if (cut == 0 || cut == local.size() ||
      std::string_view("._-0123456789").find(local[cut]) ==
          std::string_view::npos ||
      !role_shapes_.MayContain(local.substr(0, cut)) ||
      !roles_.contains(local.substr(0, cut))) {
    return false;
  }
  std::string_view rest = local.substr(cut);
  if (rest.find_first_not_of("0123456789") == std::string_view::npos) {
    return true;
  }
  rest.remove_prefix(1);
  return !rest.empty() && rest.size() <= 4 &&
         std::all_of(rest.begin(), rest.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
         });
}

bool EmailRules::IsBlankText(std::string_view folded) const {
  return folded.empty() || blank_texts_.contains(folded);
}

bool EmailRules::IsPlaceholderText(std::string_view folded) const {
  return std::any_of(placeholder_prefixes_.begin(), placeholder_prefixes_.end(),
                     [folded](const std::string& prefix) {
                       return !prefix.empty() && folded.starts_with(prefix);
                     });
}

std::string EmailRules::DedupKey(std::string_view lower_local,
                                 std::string_view domain,
                                 const ProviderRule* provider) const {
  std::string key;
  DedupKeyTo(lower_local, domain, provider, &key);
  return key;
}

void EmailRules::DedupKeyTo(std::string_view lower_local,
                            std::string_view domain,
                            const ProviderRule* provider,
                            std::string* key) const {
  if (provider != nullptr && provider->strip_plus) {
    lower_local = StripPlus(lower_local);
  }
  if (provider != nullptr && !provider->canonical.empty()) {
    domain = provider->canonical;
  }
  key->resize(lower_local.size() + 1 + domain.size());
  char* at = key->data();
  if (provider != nullptr && provider->ignore_dots) {
    for (char c : lower_local) {
      *at = c;
      at += c != '.';  // a dot is overwritten by what follows
    }
  } else {
    std::memcpy(at, lower_local.data(), lower_local.size());
    at += lower_local.size();
  }
  *at++ = '@';
  std::memcpy(at, domain.data(), domain.size());
  at += domain.size();
  key->resize(at - key->data());
}

void EmailRules::Describe(nlohmann::json* out) const {
  size_t placeholders = placeholder_locals_.size() +
                        placeholder_domains_.size() +
                        placeholder_prefixes_.size();
  for (const auto& [domain, locals] : placeholder_addresses_) {
    placeholders += locals.size();
  }
  (*out)["disposable_domains"] = disposable_.size();
  (*out)["free_providers"] = free_.size();
  (*out)["role_locals"] = roles_.size();
  (*out)["placeholders"] = placeholders;
  (*out)["typo_targets"] = typos_.provider_count();
  (*out)["reserved_domains"] = reserved_.size();
}

}  // namespace leadclean
