// Names of roles, output columns and reasons, and the Findings helpers.
#include "leadclean/record.h"

#include <algorithm>
#include <cstring>

namespace leadclean {
namespace {

constexpr std::string_view kRoleNames[] = {
    "",           "name",      "first_name", "last_name",   "phone",
    "email",      "company",   "title",      "city",        "source",
    "campaign",   "created_at", "ip",        "user_agent",  "budget",
    "timeline",   "need",      "notes",      "page_views",  "sessions",
    "email_opens", "downloads", "events",    "honeypot",    "id",
    "dob",
};
static_assert(std::size(kRoleNames) == static_cast<size_t>(Role::kCount));

constexpr std::string_view kOutNames[] = {
    "lc_phone",     "lc_phone_national", "lc_phone_type",  "lc_phone_carrier",
    "lc_phone_alt", "lc_email",          "lc_email_status", "lc_name",
    "lc_fit",       "lc_intent",         "lc_score",        "lc_temperature",
    "lc_stage",     "lc_why",            "lc_email_alt",    "lc_bant",
    "lc_call_window", "lc_merged_from",
};
static_assert(std::size(kOutNames) == static_cast<size_t>(kOutCount));

constexpr std::string_view kReasonNames[] = {
    "", "malformed", "bot", "fake", "no_contact", "suppressed", "known",
    "duplicate",
};

}  // namespace

std::string_view RoleName(Role role) {
  return kRoleNames[static_cast<int>(role)];
}

Role RoleFromName(std::string_view name) {
  for (int i = 1; i < static_cast<int>(Role::kCount); ++i) {
    if (kRoleNames[i] == name) {
      return static_cast<Role>(i);
    }
  }
  return Role::kNone;
}

std::string_view OutName(Out column) {
  return kOutNames[static_cast<int>(column)];
}

std::string_view ReasonName(Reason reason) {
  return kReasonNames[static_cast<int>(reason)];
}

std::vector<int> Schema::ColumnsOf(Role role) const {
  std::vector<int> columns;
  for (int i = 0; i < size(); ++i) {
    if (roles[i] == role) {
      columns.push_back(i);
    }
  }
  return columns;
}

void Findings::Clear() {
  // A member added to Findings must be cleared here too; its size (on a
  // 64-bit libstdc++) is checked so that one is not forgotten.
  static_assert(sizeof(void*) != 8 || sizeof(Findings) == 856,
                "Findings changed: update Findings::Clear()");
  for (std::string& column : out) {
    column.clear();
  }
  flags.clear();
  reason = Reason::kNone;
  rule.clear();
  detail.clear();
  duplicate_of = 0;
  cluster = 0;
  email_key.clear();
  phone_all.clear();
  phone_fixed_mask = 0;
  person_key.clear();
  company_key.clear();
  city_key.clear();
}

bool Findings::HasFlag(std::string_view id) const {
  // Each id in turn, its first byte tested before the rest: most rows have
  // one or two flags, so the scan should cost a few compares, not a find()
  // per id.
  const char* at = flags.data();
  const char* const end = at + flags.size();
  const size_t n = id.size();
  for (;;) {
    const size_t left = static_cast<size_t>(end - at);
    if (left >= n && (n == 0 || at[0] == id[0]) &&
        std::memcmp(at, id.data(), n) == 0 && (left == n || at[n] == ';')) {
      return true;
    }
    at = static_cast<const char*>(std::memchr(at, ';', left));
    if (at == nullptr) {
      return false;
    }
    ++at;
  }
}

void Findings::Flag(std::string_view id) {
  if (flags.empty()) {  // most rows: nothing to look through
    flags.append(id);
    return;
  }
  if (HasFlag(id)) {
    return;
  }
  flags.push_back(';');
  flags.append(id);
}

void Findings::Reject(Reason why, std::string_view rule_id,
                      std::string_view text) {
  if (reason != Reason::kNone && reason <= why) {
    return;
  }
  reason = why;
  rule.assign(rule_id);
  detail.assign(text);
}

}  // namespace leadclean
