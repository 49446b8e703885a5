// The shared row types: column roles, the schema of the combined input, the
// read-only view of one row that stages see, and the findings they add.
#ifndef LEADCLEAN_RECORD_H_
#define LEADCLEAN_RECORD_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leadclean {

// Canonical meaning of an input column. Names (RoleName) are what the
// header-synonym table and --map use.
enum class Role : uint8_t {
  kNone,
  kName,
  kFirstName,
  kLastName,
  kPhone,
  kEmail,
  kCompany,
  kTitle,
  kCity,
  kSource,
  kCampaign,
  kCreatedAt,
  kIp,
  kUserAgent,
  kBudget,
  kTimeline,
  kNeed,
  kNotes,
  kPageViews,
  kSessions,
  kEmailOpens,
  kDownloads,
  kEvents,
  kHoneypot,
  kId,
  kDob,  // date of birth: only the optional name+dob dedup rule reads it
  kCount
};

// "name", "phone", ... ; "" for kNone.
std::string_view RoleName(Role role);
// Inverse of RoleName; kNone when unknown.
Role RoleFromName(std::string_view name);

// The lc_* columns a stage fills. The cleaned CSV writes lc_row, then these
// in this order, with lc_cluster and lc_flags (kept in Findings) right after
// lc_name: the order of DESIGN.md, then the extension columns.
enum class Out : uint8_t {
  kPhone,
  kPhoneNational,
  kPhoneType,
  kPhoneCarrier,
  kPhoneAlt,
  kEmail,
  kEmailStatus,
  kName,
  kFit,
  kIntent,
  kScore,
  kTemperature,
  kStage,
  kWhy,
  kEmailAlt,
  kBant,
  kCallWindow,
  kMergedFrom,  // --merge: which lc_* fields came from which duplicate rows
  kCount
};
constexpr int kOutCount = static_cast<int>(Out::kCount);
// lc_cluster and lc_flags are written after this column.
constexpr Out kLastBeforeCluster = Out::kName;
// "lc_phone", ...
std::string_view OutName(Out column);

// Why a row went to the rejects. Lower value wins when several apply.
enum class Reason : uint8_t {
  kNone,
  kMalformed,
  kBot,
  kFake,
  kNoContact,
  kSuppressed,
  kKnown,
  kDuplicate,
};
// "malformed", "bot", ...; "" for kNone.
std::string_view ReasonName(Reason reason);

// Columns of the combined input (the union of every input's header, in
// order of first appearance) and the role of each.
struct Schema {
  std::vector<std::string> names;  // exactly as in the input header
  std::vector<Role> roles;
  std::vector<std::string> role_source;  // "synonym", "--map", "" (none)

  int size() const { return static_cast<int>(names.size()); }
  // Indexes of the columns with `role`, in column order.
  std::vector<int> ColumnsOf(Role role) const;
};

// What a stage sees of one row. Fields are aligned with Schema columns; a
// column absent from this row's input file reads as "".
struct RowView {
  uint64_t row = 0;  // lc_row: 1-based across all inputs
  const Schema* schema = nullptr;
  std::span<const std::string_view> fields;
  // Per-role column indexes, precomputed once (see Pipeline).
  const std::array<std::vector<int>, static_cast<int>(Role::kCount)>*
      role_columns = nullptr;

  // The first non-empty value among the columns with `role`, or "".
  std::string_view Get(Role role) const {
    for (int column : Columns(role)) {
      if (!fields[column].empty()) {
        return fields[column];
      }
    }
    return {};
  }
  // Every column index with `role`.
  const std::vector<int>& Columns(Role role) const {
    return (*role_columns)[static_cast<int>(role)];
  }
};

// What the stages decided about one row.
struct Findings {
  std::array<std::string, kOutCount> out;
  std::string flags;  // ';'-separated rule ids, in the order raised

  Reason reason = Reason::kNone;
  std::string rule;    // id of the rule that decided the reason
  std::string detail;  // human detail for the rejects file
  uint64_t duplicate_of = 0;
  uint64_t cluster = 0;

  // Keys for cross-row stages, filled by row-local stages. Only the first
  // pass (PrepareRow, Prepass) reads them: the second pass gets them back
  // empty, and phone_all as at most its primary phone (core/spill.h).
  std::string email_key;               // canonical email for dedup
  std::vector<std::string> phone_all;  // every valid E.164 found (primary first)
  uint32_t phone_fixed_mask = 0;       // bit i: phone_all[i] is a fixed line
  std::string person_key;   // folded name tokens, sorted ("an nguyen van")
  std::string company_key;  // folded company, legal form removed
  std::string city_key;     // folded city

  std::string& Col(Out column) { return out[static_cast<int>(column)]; }
  const std::string& Col(Out column) const {
    return out[static_cast<int>(column)];
  }
  // Empties every member as a new Findings is, keeping the strings' storage
  // (the pipeline reuses batches).
  void Clear();
  // Adds `id` to flags unless already present.
  void Flag(std::string_view id);
  bool HasFlag(std::string_view id) const;
  // Records a reject reason; keeps the existing one when it has priority.
  void Reject(Reason why, std::string_view rule_id, std::string_view text);
  bool rejected() const { return reason != Reason::kNone; }
};

}  // namespace leadclean

#endif  // LEADCLEAN_RECORD_H_
