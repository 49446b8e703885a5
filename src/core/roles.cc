// Header -> role mapping from the synonyms table, plus --map overrides.
#include "leadclean/roles.h"

#include "core/fccp.h"

#include "leadclean/text.h"

namespace leadclean {
namespace {

bool LoadOne(const std::string& path, RoleTable* table, std::string* error) {
  return ReadTable(
      path,
      [&] {
        RuleTableReader<2> in(path);
        in.read_header(io::ignore_extra_column, "role", "synonym");
        std::string role_name, synonym;
        while (in.read_row(role_name, synonym)) {
          Role role = RoleFromName(role_name);
          if (role == Role::kNone) {
            throw RuleError(in.get_file_line(),
                            "unknown role '" + role_name + "'");
          }
          table->by_key[FoldKey(synonym)] = role;
        }
      },
      error);
}

// Column index for the header part of --map, or -1.
int FindColumn(const Schema& schema, const std::string& header) {
  if (header.size() > 1 && header[0] == '#') {
    int n = std::atoi(header.c_str() + 1);
    return (n >= 1 && n <= schema.size()) ? n - 1 : -1;
  }
  for (int i = 0; i < schema.size(); ++i) {
    if (schema.names[i] == header) {
      return i;
    }
  }
  std::string key = FoldKey(header);
  for (int i = 0; i < schema.size(); ++i) {
    if (!key.empty() && FoldKey(schema.names[i]) == key) {
      return i;
    }
  }
  return -1;
}

void SplitFamilyAndGiven(Schema* schema) {
  bool has_family = false;
  for (Role role : schema->roles) {
    has_family = has_family || role == Role::kLastName;
  }
  if (!has_family) {
    return;
  }
  for (int i = 0; i < schema->size(); ++i) {
    if (schema->roles[i] == Role::kName && FoldKey(schema->names[i]) == "ten") {
      schema->roles[i] = Role::kFirstName;
    }
  }
}

}  // namespace

bool LoadRoleTable(const RuleFiles& files, RoleTable* table,
                   std::string* error) {
  for (const std::string& path : files.Paths("header_synonyms.csv")) {
    if (!LoadOne(path, table, error)) {
      return false;
    }
  }
  return true;
}

bool AssignRoles(const RoleTable& table,
                 const std::vector<std::pair<std::string, std::string>>& maps,
                 Schema* schema, std::string* error) {
  schema->roles.assign(schema->size(), Role::kNone);
  schema->role_source.assign(schema->size(), "");
  for (int i = 0; i < schema->size(); ++i) {
    auto it = table.by_key.find(FoldKey(schema->names[i]));
    if (it != table.by_key.end()) {
      schema->roles[i] = it->second;
      schema->role_source[i] = "synonym";
    }
  }
  SplitFamilyAndGiven(schema);
  for (const auto& [role_name, header] : maps) {
    Role role = RoleFromName(role_name);
    if (role == Role::kNone && role_name != "none") {
      *error = "--map " + role_name + "=" + header + ": unknown role '" +
               role_name + "'";
      return false;
    }
    int column = FindColumn(*schema, header);
    if (column < 0) {
      *error = "--map " + role_name + "=" + header + ": no column '" + header +
               "' in the input header";
      return false;
    }
    schema->roles[column] = role;
    schema->role_source[column] = "--map";
  }
  return true;
}

}  // namespace leadclean
