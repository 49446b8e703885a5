#include "core/spill.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace leadclean {
namespace {

// Random bytes (any value, NUL too); a quarter of them empty, some longer
// than 127 bytes so their lengths take two varint bytes.
std::string RandomText(std::mt19937_64* random) {
  const int kind = static_cast<int>((*random)() % 8);
  size_t size = kind < 2   ? 0
                : kind < 6 ? 1 + (*random)() % 20
                           : 100 + (*random)() % 400;
  std::string text(size, '\0');
  for (char& c : text) {
    c = static_cast<char>((*random)() & 0xff);
  }
  return text;
}

uint64_t RandomNumber(std::mt19937_64* random) {
  switch ((*random)() % 4) {
    case 0:
      return 0;
    case 1:
      return 1 + (*random)() % 127;
    case 2:
      return (*random)() % 1000000;
    default:
      return (*random)();
  }
}

// Every member filled at random; the primary phone is lc_phone in half of
// the rows that have phones, as the phone stage makes it.
Findings RandomFindings(std::mt19937_64* random) {
  Findings findings;
  for (std::string& column : findings.out) {
    column = RandomText(random);
  }
  findings.flags = RandomText(random);
  findings.reason = static_cast<Reason>(
      (*random)() % (static_cast<int>(Reason::kDuplicate) + 1));
  findings.rule = RandomText(random);
  findings.detail = RandomText(random);
  findings.duplicate_of = RandomNumber(random);
  findings.cluster = RandomNumber(random);
  findings.email_key = RandomText(random);
  for (size_t n = (*random)() % 6; n > 0; --n) {
    findings.phone_all.push_back(RandomText(random));
  }
  if (!findings.phone_all.empty() && (*random)() % 2 == 0) {
    findings.phone_all.front() = findings.Col(Out::kPhone);
  }
  findings.phone_fixed_mask = static_cast<uint32_t>((*random)());
  findings.person_key = RandomText(random);
  findings.company_key = RandomText(random);
  findings.city_key = RandomText(random);
  return findings;
}

// What the second pass gets back of `findings` (see spill.h).
Findings Kept(const Findings& findings) {
  Findings kept = findings;
  kept.email_key.clear();
  kept.person_key.clear();
  kept.company_key.clear();
  kept.city_key.clear();
  kept.phone_fixed_mask = 0;
  kept.phone_all.clear();
  if (!findings.phone_all.empty() &&
      findings.phone_all.front() != findings.Col(Out::kPhone)) {
    kept.phone_all.push_back(findings.phone_all.front());
  }
  return kept;
}

void CheckSame(const Findings& got, const Findings& want) {
  for (int i = 0; i < kOutCount; ++i) {
    INFO(OutName(static_cast<Out>(i)));
    CHECK(got.out[i] == want.out[i]);
  }
  CHECK(got.flags == want.flags);
  CHECK(got.reason == want.reason);
  CHECK(got.rule == want.rule);
  CHECK(got.detail == want.detail);
  CHECK(got.duplicate_of == want.duplicate_of);
  CHECK(got.cluster == want.cluster);
  CHECK(got.email_key == want.email_key);
  CHECK(got.phone_all == want.phone_all);
  CHECK(got.phone_fixed_mask == want.phone_fixed_mask);
  CHECK(got.person_key == want.person_key);
  CHECK(got.company_key == want.company_key);
  CHECK(got.city_key == want.city_key);
}

std::vector<Findings> RandomRows(size_t count, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<Findings> rows;
  for (size_t i = 0; i < count; ++i) {
    rows.push_back(RandomFindings(&random));
  }
  return rows;
}

TEST_CASE("spill: findings come back as the second pass reads them",
          "[spill]") {
  const std::vector<Findings> rows = RandomRows(500, 7);
  const std::string chunk(EncodeFindings(rows));
  // Decoded over other findings, so a member left as it was shows.
  std::vector<Findings> decoded = RandomRows(rows.size(), 8);
  REQUIRE(DecodeFindings(chunk, decoded));
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i);
    CheckSame(decoded[i], Kept(rows[i]));
  }
}

TEST_CASE("spill: every reason and empty findings round-trip", "[spill]") {
  for (int reason = 0; reason <= static_cast<int>(Reason::kDuplicate);
       ++reason) {
    INFO("reason " << reason);
    Findings findings;
    findings.reason = static_cast<Reason>(reason);
    const std::string chunk(EncodeFindings({&findings, 1}));
    Findings decoded = RandomRows(1, reason).front();
    REQUIRE(DecodeFindings(chunk, {&decoded, 1}));
    CheckSame(decoded, findings);
  }
}

TEST_CASE("spill: a chunk cut short, too long or for other rows is rejected",
          "[spill]") {
  const std::vector<Findings> rows = RandomRows(200, 11);
  std::vector<Findings> decoded(2);
  for (size_t i = 0; i + 1 < rows.size(); ++i) {
    const std::string one(EncodeFindings({&rows[i], 1}));
    for (size_t size = 0; size < one.size(); ++size) {
      INFO("row " << i << ", " << size << " of " << one.size() << " bytes");
      CHECK_FALSE(DecodeFindings(std::string_view(one).substr(0, size),
                                 {decoded.data(), 1}));
    }
    CHECK_FALSE(DecodeFindings(one + '\0', {decoded.data(), 1}));
    CHECK_FALSE(DecodeFindings(one, decoded));
    const std::string two(EncodeFindings({&rows[i], 2}));
    CHECK_FALSE(DecodeFindings(two, {decoded.data(), 1}));
    CHECK(DecodeFindings(two, decoded));
  }
}

TEST_CASE("spill: a row with an unknown mask bit or reason is corrupt",
          "[spill]") {
  Findings findings;
  findings.reason = Reason::kDuplicate;
  std::string chunk(EncodeFindings({&findings, 1}));
  Findings decoded;
  REQUIRE(DecodeFindings(chunk, {&decoded, 1}));
  std::string bad_reason = chunk;
  bad_reason.back() = static_cast<char>(Reason::kDuplicate) + 1;
  CHECK_FALSE(DecodeFindings(bad_reason, {&decoded, 1}));
  std::string bad_mask = chunk;
  bad_mask.replace(0, 4, 4, static_cast<char>(0xff));  // bits past the last
  CHECK_FALSE(DecodeFindings(bad_mask, {&decoded, 1}));
}

TEST_CASE("spill: varint strings round-trip and reject a cut", "[spill]") {
  std::mt19937_64 random(3);
  for (int i = 0; i < 200; ++i) {
    const std::string text = RandomText(&random);
    std::string encoded;
    PutString(text, &encoded);
    std::string_view in = encoded;
    std::string decoded = "old";
    REQUIRE(GetString(&in, &decoded));
    CHECK(decoded == text);
    CHECK(in.empty());
    for (size_t size = 0; size < encoded.size(); ++size) {
      std::string_view cut = std::string_view(encoded).substr(0, size);
      CHECK_FALSE(GetString(&cut, &decoded));
    }
  }
}

TEST_CASE("SpillFile: chunks read back by offset", "[spill]") {
  SpillFile file;
  std::string error;
  REQUIRE(file.Open(&error));
  uint64_t first = 0, second = 0;
  REQUIRE(file.Write("first chunk", &first, &error));
  REQUIRE(file.Write(std::string(300, 'x'), &second, &error));
  std::string_view bytes;
  REQUIRE(file.Read(second, 300, &bytes, &error));
  CHECK(bytes == std::string(300, 'x'));
  REQUIRE(file.Read(first, 11, &bytes, &error));
  CHECK(bytes == "first chunk");
  CHECK_FALSE(file.Read(second, 301, &bytes, &error));
  CHECK(error.find("cannot read back") != std::string::npos);
}

}  // namespace
}  // namespace leadclean
