// Mapping input headers to canonical roles.
//
// The synonyms come from rules/header_synonyms.csv (role,synonym), matched on
// FoldKey(): case-, diacritic- and punctuation-insensitive, so "Số điện
// thoại", "SO_DIEN_THOAI" and "so dien thoai" are one key.
#ifndef LEADCLEAN_ROLES_H_
#define LEADCLEAN_ROLES_H_

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "leadclean/record.h"
#include "leadclean/rules.h"

namespace leadclean {

struct RoleTable {
  std::unordered_map<std::string, Role> by_key;  // FoldKey(synonym) -> role
};

// Loads every copy of header_synonyms.csv. A later copy (the user's) wins
// for a synonym listed twice. Returns false with "path:line: message".
bool LoadRoleTable(const RuleFiles& files, RoleTable* table,
                   std::string* error);

// Sets schema->roles from the table, then applies `maps` (role=Header, in
// order; Header is an exact header, else a folded match, else "#N" for the
// N-th column, 1-based; role "none" unmaps). When a family-name column
// ("Họ") is present, a bare "Tên" column becomes first_name instead of
// name. Returns false with a message naming the bad --map.
bool AssignRoles(const RoleTable& table,
                 const std::vector<std::pair<std::string, std::string>>& maps,
                 Schema* schema, std::string* error);

}  // namespace leadclean

#endif  // LEADCLEAN_ROLES_H_
