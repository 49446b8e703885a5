#include "leadclean/roles.h"

#include <catch2/catch.hpp>

#include "test_util.h"

namespace leadclean {
namespace {

Schema MakeSchema(std::vector<std::string> names) {
  Schema schema;
  schema.names = std::move(names);
  return schema;
}

TEST_CASE("AssignRoles: maps English and Vietnamese headers", "[roles]") {
  RoleTable table;
  std::string error;
  REQUIRE(LoadRoleTable(testing::ShippedRules(), &table, &error));
  const std::pair<std::string, Role> cases[] = {
      {"Họ và tên", Role::kName},       {"HỌ VÀ TÊN", Role::kName},
      {"Ho ten", Role::kName},          {"full_name", Role::kName},
      {"SĐT", Role::kPhone},            {"Số điện thoại", Role::kPhone},
      {"so_dien_thoai", Role::kPhone},  {"Di động", Role::kPhone},
      {"phone_number", Role::kPhone},   {"Email", Role::kEmail},
      {"E-mail", Role::kEmail},         {"Công ty", Role::kCompany},
      {"company_name", Role::kCompany}, {"Chức vụ", Role::kTitle},
      {"job_title", Role::kTitle},      {"Tỉnh/Thành phố", Role::kCity},
      {"Nguồn", Role::kSource},         {"lead_source", Role::kSource},
      {"Ngày tạo", Role::kCreatedAt},   {"created_time", Role::kCreatedAt},
      {"Ghi chú", Role::kNotes},        {"ip_address", Role::kIp},
      {"user_agent", Role::kUserAgent}, {"Lead Source", Role::kSource},
      {"Mobile Phone Number", Role::kPhone},
      {"Something else", Role::kNone},
  };
  for (const auto& [header, role] : cases) {
    INFO(header);
    Schema schema = MakeSchema({header});
    REQUIRE(AssignRoles(table, {}, &schema, &error));
    CHECK(schema.roles[0] == role);
  }
}

TEST_CASE("AssignRoles: Họ + Tên columns become last and first name",
          "[roles]") {
  RoleTable table;
  std::string error;
  REQUIRE(LoadRoleTable(testing::ShippedRules(), &table, &error));
  Schema schema = MakeSchema({"Họ", "Tên", "SĐT"});
  REQUIRE(AssignRoles(table, {}, &schema, &error));
  CHECK(schema.roles[0] == Role::kLastName);
  CHECK(schema.roles[1] == Role::kFirstName);
  CHECK(schema.roles[2] == Role::kPhone);
}

TEST_CASE("AssignRoles: --map overrides by header, folded header or #N",
          "[roles]") {
  RoleTable table;
  std::string error;
  REQUIRE(LoadRoleTable(testing::ShippedRules(), &table, &error));
  Schema schema = MakeSchema({"Liên lạc", "", "Phone"});
  REQUIRE(AssignRoles(table,
                      {{"phone", "lien lac"}, {"email", "#2"}, {"none", "Phone"}},
                      &schema, &error));
  CHECK(schema.roles[0] == Role::kPhone);
  CHECK(schema.roles[1] == Role::kEmail);
  CHECK(schema.roles[2] == Role::kNone);
  CHECK(schema.role_source[0] == "--map");
}

TEST_CASE("AssignRoles: a bad --map names the problem", "[roles]") {
  RoleTable table;
  std::string error;
  Schema schema = MakeSchema({"A"});
  CHECK_FALSE(AssignRoles(table, {{"fone", "A"}}, &schema, &error));
  CHECK(error == "--map fone=A: unknown role 'fone'");
  CHECK_FALSE(AssignRoles(table, {{"phone", "B"}}, &schema, &error));
  CHECK(error == "--map phone=B: no column 'B' in the input header");
}

}  // namespace
}  // namespace leadclean
