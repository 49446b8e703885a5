// Differential test: the RE2 fast path (stages/phone_fast.h) against
// libphonenumber itself. Every difference in parse result, E.164, region,
// validity, type or national format is a failure.
//
// Inputs: the example number of every type of every region in the library's
// metadata, the libphonenumber examples in ../shared/testdata, and a
// million numbers generated from those examples (digits replaced, lengths
// changed, written in E.164, national, bare, IDD and country-code-without-
// plus forms, parsed with several default regions), plus random digit runs.
// LEADCLEAN_PHONE_DIFF_COUNT overrides the million. Where national formats
// are compared, so are the formats dialled from one of kHomeRegions. The DigitAutomaton the
// fast path runs the patterns on is also checked against RE2 directly.
#include "stages/phone_fast.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <re2/re2.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "stages/phone_automaton.h"
#include "stages/phone_library.h"

namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace leadclean {
namespace {
namespace pn = i18n::phonenumbers;

struct Seed {
  int country_code = 0;
  std::string nsn;
  std::string region;  // "001" for non-geographic entities
  std::string national_prefix;
};

struct Input {
  std::string text;
  std::string region;
};

void AddMetadataSeeds(std::vector<Seed>* seeds) {
  pn::PhoneMetadataCollection collection;
  REQUIRE(collection.ParseFromArray(pn::metadata_get(), pn::metadata_size()));
  for (const pn::PhoneMetadata& m : collection.metadata()) {
    const pn::PhoneNumberDesc* descs[] = {
        &m.general_desc(),    &m.fixed_line(),
        &m.mobile(),          &m.toll_free(),
        &m.premium_rate(),    &m.shared_cost(),
        &m.personal_number(), &m.voip(),
        &m.pager(),           &m.uan(),
        &m.voicemail(),       &m.no_international_dialling(),
    };
    for (const pn::PhoneNumberDesc* desc : descs) {
      if (!desc->example_number().empty()) {
        seeds->push_back({m.country_code(), desc->example_number(), m.id(),
                          m.national_prefix()});
      }
    }
  }
}

// ../shared/testdata/libphonenumber/metadata/<code>/examples.csv:
// Region ; Type ; "NSN".
void AddTestdataSeeds(std::vector<Seed>* seeds) {
  namespace fs = std::filesystem;
  fs::path root =
      fs::path(LEADCLEAN_TESTDATA_DIR) / "libphonenumber" / "metadata";
  if (!fs::is_directory(root)) {
    WARN("no libphonenumber examples at " << root.string());
    return;
  }
  for (const auto& dir : fs::directory_iterator(root)) {
    std::ifstream in(dir.path() / "examples.csv");
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      size_t open = line.find('"');
      size_t close = line.find('"', open + 1);
      if (open == std::string::npos || close == std::string::npos) {
        continue;
      }
      std::string region = line.substr(0, line.find_first_of(" ;"));
      seeds->push_back({std::stoi(dir.path().filename().string()),
                        line.substr(open + 1, close - open - 1), region, ""});
    }
  }
}

// Metadata examples, then testdata examples with their region's prefixes.
std::vector<Seed> AllSeeds() {
  std::vector<Seed> seeds;
  AddMetadataSeeds(&seeds);
  const size_t from_metadata = seeds.size();
  AddTestdataSeeds(&seeds);
  for (size_t i = from_metadata; i < seeds.size(); ++i) {
    for (size_t k = 0; k < from_metadata; ++k) {
      if (seeds[k].region == seeds[i].region &&
          seeds[k].country_code == seeds[i].country_code) {
        seeds[i].national_prefix = seeds[k].national_prefix;
        break;
      }
    }
  }
  return seeds;
}

std::string RandomDigits(std::mt19937_64& rng, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out.push_back(static_cast<char>('0' + rng() % 10));
  }
  return out;
}

// The seed's NSN with a random tail and a length change of -2..+2 (mostly
// none).
std::string Mutate(std::mt19937_64& rng, const std::string& nsn) {
  static constexpr int kDelta[] = {0, 0, 0, 0, 0, 0, -1, 1, -2, 2};
  int length = static_cast<int>(nsn.size()) + kDelta[rng() % 10];
  length = std::max(length, 1);
  size_t keep = rng() % (nsn.size() + 1);
  keep = std::min<size_t>(keep, length);
  return nsn.substr(0, keep) + RandomDigits(rng, length - keep);
}

const char* const kHomeRegions[] = {"VN", "US", "GB", "DE", "BR", "AR",
                                    "IT", "IN", "CN", "MX", "RU", "FR"};

Input Generate(std::mt19937_64& rng, const std::vector<Seed>& seeds) {
  const Seed& seed = seeds[rng() % seeds.size()];
  const std::string own = seed.region == "001" ? "VN" : seed.region;
  const std::string code = std::to_string(seed.country_code);
  std::string nsn = Mutate(rng, seed.nsn);
  switch (rng() % 10) {
    case 0:
      return {"+" + code + nsn, own};
    case 1:
      return {"+" + code + nsn, kHomeRegions[rng() % 12]};
    case 2:
      return {seed.national_prefix + nsn, own};
    case 3:
      return {nsn, own};
    case 4:
      return {code + nsn, own};
    case 5:
      return {"00" + code + nsn, "VN"};
    case 6:
      return {"+" + code + seed.national_prefix + nsn, own};
    case 7:
      return {RandomDigits(rng, 1 + rng() % 18), kHomeRegions[rng() % 12]};
    case 8:
      return {"011" + code + nsn, "US"};
    default:
      return {"+" + RandomDigits(rng, 1 + rng() % 17), own};
  }
}

std::string Describe(const PhoneVerdict& v) {
  if (!v.parsed) {
    return "parse error";
  }
  return v.E164() + " " + v.region + " valid=" + std::to_string(v.valid) +
         " type=" + std::string(PhoneTypeName(v.type));
}

struct Tally {
  // National formats are compared on every `format_every`-th input: they
  // cost the library as much as the verdict.
  size_t format_every = 1;
  size_t inputs = 0;
  size_t covered = 0;
  size_t valid = 0;
  size_t mismatches = 0;
  std::array<size_t, static_cast<int>(PhoneType::kUnknown) + 1> types = {};
  std::vector<std::string> examples;

  void Check(const Input& input) {
    ++inputs;
    PhoneVerdict fast;
    std::string fast_national;
    if (!FastPhone::Get().Verdict(input.text, input.region, &fast,
                                  &fast_national)) {
      return;
    }
    ++covered;
    PhoneVerdict library = LibraryVerdict(input.text, input.region);
    std::string fast_text = Describe(fast);
    std::string library_text = Describe(library);
    if (fast.parsed && library.parsed && inputs % format_every == 0) {
      if (!fast.valid) {
        FastPhone::Get().FormatNational(fast, &fast_national);
      }
      fast_text += " \"" + fast_national + "\"";
      library_text += " \"" + LibraryNational(library) + "\"";
      const char* from = kHomeRegions[inputs / format_every % 12];
      std::string fast_dialable;
      REQUIRE(FastPhone::Get().FormatDialable(fast, from, &fast_dialable));
      fast_text += " from " + std::string(from) + " \"" + fast_dialable + "\"";
      library_text += " from " + std::string(from) + " \"" +
                      LibraryDialable(library, from) + "\"";
    }
    valid += library.valid;
    ++types[static_cast<int>(library.type)];
    if (fast_text != library_text) {
      ++mismatches;
      if (examples.size() < 20) {
        examples.push_back(input.text + " @" + input.region + ": fast " +
                           fast_text + " | library " + library_text);
      }
    }
  }

  void Report(const char* what) const {
    std::cerr << "phone differential (" << what << "): " << inputs
              << " inputs, " << covered << " on the fast path, " << valid
              << " valid, " << mismatches << " mismatches; by type:";
    for (size_t type = 0; type < types.size(); ++type) {
      std::cerr << " " << PhoneTypeName(static_cast<PhoneType>(type)) << "="
                << types[type];
    }
    std::cerr << "\n";
    for (const std::string& example : examples) {
      UNSCOPED_INFO(example);
    }
  }
};

size_t GeneratedCount() {
  const char* text = std::getenv("LEADCLEAN_PHONE_DIFF_COUNT");
  return text != nullptr ? std::strtoull(text, nullptr, 10) : 1000000;
}

TEST_CASE("phone_fast: agrees with libphonenumber on every example number",
          "[phone][differential]") {
  const std::vector<Seed> seeds = AllSeeds();
  Tally tally;
  for (const Seed& seed : seeds) {
    const std::string own = seed.region == "001" ? "VN" : seed.region;
    const std::string code = std::to_string(seed.country_code);
    tally.Check({"+" + code + seed.nsn, "VN"});
    tally.Check({"+" + code + seed.nsn, own});
    tally.Check({seed.national_prefix + seed.nsn, own});
    tally.Check({seed.nsn, own});
  }
  tally.Report("examples");
  CHECK(tally.inputs >= 4 * 1148);
  CHECK(tally.covered * 100 >= tally.inputs * 99);
  CHECK(tally.mismatches == 0);
}

TEST_CASE(
    "phone_fast: agrees with libphonenumber on a million generated "
    "numbers",
    "[phone][differential]") {
  const std::vector<Seed> seeds = AllSeeds();
  std::mt19937_64 rng(20240601);
  Tally tally;
  tally.format_every = 4;
  const size_t count = GeneratedCount();
  for (size_t i = 0; i < count; ++i) {
    tally.Check(Generate(rng, seeds));
  }
  tally.Report("generated");
  CHECK(tally.covered * 100 >= tally.inputs * 99);
  CHECK(tally.mismatches == 0);
}

TEST_CASE("phone_automaton: full and prefix matches agree with RE2",
          "[phone][automaton]") {
  const std::vector<std::string> patterns = {
      "[12]\\d{9}|[135-9]\\d{8}|[16]\\d{7}|[16-8]\\d{6}",
      "(?:5(?:2[238]|59)|89[6-9]|99[013-9])\\d{6}|(?:3\\d|5[689])\\d{7}",
      "1800\\d{4,6}|12(?:0[13]|28)\\d{4}",
      "(?:|0)9\\d?",
      "4(?:1\\d)*5+",
      "6\\d{2,}",
      "(8)(\\d{3})",
  };
  DigitAutomaton automaton;
  for (size_t i = 0; i < patterns.size(); ++i) {
    REQUIRE(automaton.Add(static_cast<int>(i), patterns[i]));
  }
  REQUIRE(automaton.Build(100000));
  std::mt19937_64 rng(7);
  for (int n = 0; n < 20000; ++n) {
    std::string text(rng() % 13, '0');
    for (char& c : text) {
      c = static_cast<char>('0' + rng() % 10);
    }
    if (n % 3 == 0 && !text.empty()) {
      text[0] = "18569"[rng() % 5];
    }
    INFO(text);
    const uint64_t full = automaton.FullMatches(text);
    const uint64_t prefix = automaton.PrefixMatches(text);
    for (size_t i = 0; i < patterns.size(); ++i) {
      INFO(patterns[i]);
      RE2 re(patterns[i]);
      CHECK(((full >> i) & 1) == RE2::FullMatch(text, re));
      CHECK(((prefix >> i) & 1) ==
            re.Match(text, 0, text.size(), RE2::ANCHOR_START, nullptr, 0));
    }
  }
}

TEST_CASE("phone_automaton: refuses syntax outside the metadata's",
          "[phone][automaton]") {
  const std::vector<std::string> refused = {
      "\\w", ".", "[^1]", "1(?=2)", "1*?", "a", "(1", "1)", "[]", "1{2",
      "1{3,2}", "{1}", "[3-1]",
  };
  for (const std::string& pattern : refused) {
    INFO(pattern);
    DigitAutomaton automaton;
    CHECK_FALSE(automaton.Add(0, pattern));
  }
  DigitAutomaton automaton;
  CHECK_FALSE(automaton.Add(DigitAutomaton::kMaxPatterns, "1"));
  REQUIRE(automaton.Add(0, "\\d{20}"));
  CHECK_FALSE(automaton.Build(5));
}

}  // namespace
}  // namespace leadclean
