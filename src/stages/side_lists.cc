// Loading --suppress / --against lists through the same phone and email
// stages leads go through, so "0912 345 678" on a list matches
// "+84912345678" in a lead.
#include "stages/side_lists.h"

#include <openssl/evp.h>

#include "leadclean/csv.h"
#include "leadclean/pipeline.h"
#include "leadclean/roles.h"
#include "leadclean/text.h"
#include "rules_engine/cross_detectors.h"

namespace leadclean {
namespace {

bool IsSha256Hex(std::string_view text) {
  if (text.size() != 64) {
    return false;
  }
  for (char c : text) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
               (c >= 'A' && c <= 'F');
    if (!hex) {
      return false;
    }
  }
  return true;
}

// The phone and email stages over a schema, applied to one row at a time.
class Normaliser {
 public:
  bool Init(const StageContext& context, std::string* error) {
    phone_ = MakePhoneStage(context, error);
    email_ = phone_ ? MakeEmailStage(context, error) : nullptr;
    schema_ = context.schema;
    for (int r = 0; r < static_cast<int>(Role::kCount); ++r) {
      role_columns_[r] = schema_->ColumnsOf(static_cast<Role>(r));
    }
    return email_ != nullptr;
  }

  Findings Run(const std::vector<std::string_view>& fields) const {
    RowView view;
    view.schema = schema_;
    view.fields = fields;
    view.role_columns = &role_columns_;
    Findings findings;
    phone_->Process(view, &findings);
    email_->Process(view, &findings);
    return findings;
  }

 private:
  std::unique_ptr<Stage> phone_;
  std::unique_ptr<Stage> email_;
  const Schema* schema_ = nullptr;
  std::array<std::vector<int>, static_cast<int>(Role::kCount)> role_columns_;
};

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + 32);
    }
  }
  return out;
}

}  // namespace

uint64_t SideLists::Hash(char kind, std::string_view key) {
  return StableHash(key, static_cast<uint8_t>(kind));
}

uint64_t SideLists::HashPair(char kind, std::string_view first,
                             std::string_view second) {
  return StableHash(second, Hash(kind, first));
}

std::string SideLists::Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

bool SideLists::Load(const StageContext& context, std::string* error) {
  for (const std::string& path : context.options->suppress) {
    if (!LoadFile(context, path, kSuppress, error)) {
      return false;
    }
  }
  for (const std::string& path : context.options->against) {
    if (!LoadFile(context, path, kAgainst, error)) {
      return false;
    }
  }
  return true;
}

void SideLists::AddFromFindings(const Findings& findings, List list) {
  for (const std::string& phone : findings.phone_all) {
    keys_[list].insert(Hash('p', phone));
  }
  if (!findings.email_key.empty()) {
    keys_[list].insert(Hash('e', findings.email_key));
  }
}

bool SideLists::LoadFile(const StageContext& context, const std::string& path,
                         List list, std::string* error) {
  std::unique_ptr<ByteSource> source = OpenByteSource(path, error);
  if (!source) {
    return false;
  }
  CsvReader reader(std::move(source), CsvOptions{});
  CsvRecord record;
  if (!reader.Next(&record)) {
    return reader.io_error().empty() || (*error = reader.io_error(), false);
  }
  Schema header_schema;
  header_schema.names.assign(record.fields.begin(), record.fields.end());
  RoleTable roles;
  if (!LoadRoleTable(*context.rules, &roles, error) ||
      !AssignRoles(roles, {}, &header_schema, error)) {
    return false;
  }
  bool by_role = !header_schema.ColumnsOf(Role::kPhone).empty() ||
                 !header_schema.ColumnsOf(Role::kEmail).empty();
  Schema value_schema;
  value_schema.names = {"phone", "email"};
  value_schema.roles = {Role::kPhone, Role::kEmail};
  StageContext list_context = context;
  list_context.schema = by_role ? &header_schema : &value_schema;
  Normaliser normaliser;
  if (!normaliser.Init(list_context, error)) {
    return false;
  }
  do {
    if (!record.error.empty()) {
      continue;
    }
    if (by_role) {
      if (record.line > 1 && record.fields.size() == header_schema.names.size()) {
        AddFromFindings(normaliser.Run(record.fields), list);
      }
      continue;
    }
    for (std::string_view cell : record.fields) {
      std::string_view value = Trim(cell);
      if (value.empty()) {
        continue;
      }
      if (IsSha256Hex(value)) {
        digests_[list].insert(Lowercase(value));
        continue;
      }
      bool is_email = value.find('@') != std::string_view::npos;
      std::vector<std::string_view> fields = {is_email ? "" : value,
                                              is_email ? value : ""};
      AddFromFindings(normaliser.Run(fields), list);
    }
  } while (reader.Next(&record));
  if (!reader.io_error().empty()) {
    *error = reader.io_error();
    return false;
  }
  return true;
}

bool SideLists::Matches(const Findings& findings, List list) const {
  if (keys_[list].empty() && digests_[list].empty()) {
    return false;
  }
  for (const std::string& phone : findings.phone_all) {
    if (keys_[list].contains(Hash('p', phone)) ||
        (!digests_[list].empty() && digests_[list].contains(Sha256Hex(phone)))) {
      return true;
    }
  }
  if (!findings.email_key.empty() &&
      keys_[list].contains(Hash('e', findings.email_key))) {
    return true;
  }
  const std::string& email = findings.Col(Out::kEmail);
  return !email.empty() && !digests_[list].empty() &&
         digests_[list].contains(Sha256Hex(Lowercase(email)));
}

}  // namespace leadclean
