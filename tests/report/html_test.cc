#include <algorithm>
#include <cctype>
#include <string>

#include <catch2/catch.hpp>

#include "leadclean/report.h"
#include "leadclean/text.h"

namespace leadclean {
namespace {

using Json = nlohmann::json;

// A report as BuildReport writes it, plus the fields the score stage adds
// (scores, sources[].mean_score/hot_share, samples), with hostile text.
Json Fixture() {
  Json report = Json::parse(R"json({
    "schema_version": 1,
    "versions": {"leadclean": "0.1.0", "icu": "72.1"},
    "options": {"region": "VN", "threads": 2, "rules_dir": ""},
    "inputs": [{"path": "leads <2025>.csv", "encoding": "UTF-8", "bom": true,
                "delimiter": ",", "rows": 300, "blank_lines": 0,
                "bytes": 73597}],
    "columns": [{"index": 1, "name": "Họ và tên", "role": "name",
                 "mapped_by": "synonym"},
                {"index": 2, "name": "Zalo", "role": "", "mapped_by": ""}],
    "outputs": {"cleaned": "out.csv", "rejects": "out.rejects.csv"},
    "counts": {"rows_in": 300, "cleaned": 231, "rejected": 69,
               "by_reason": {"malformed": 0, "bot": 12, "fake": 22,
                             "no_contact": 1, "suppressed": 0, "known": 0,
                             "duplicate": 34},
               "by_rule": {"dedup_phone": 26, "bot_burst": 6},
               "by_flag": {"email_free": 183, "phone_invalid": 23}},
    "sources": [{"source": "Vendor A", "rows": 34, "cleaned": 25,
                 "rejected": 9, "reject_rate": 0.2647, "duplicates": 7,
                 "rejected_by_reason": {"duplicate": 7, "fake": 2},
                 "mean_score": 41.5, "hot_share": 0.12},
                {"source": "(none)", "rows": 3, "cleaned": 3, "rejected": 0,
                 "reject_rate": 0.0, "duplicates": 0,
                 "rejected_by_reason": {}}],
    "conservation": {"ok": true, "rows_in": 300, "cleaned": 231,
                     "rejected": 69},
    "quality_gates": [{"gate": "max_reject_rate", "limit": 0.2,
                       "value": 0.23, "tripped": true}],
    "excel_safe": {"enabled": true, "cells_neutralised": 3},
    "scores": {"scored": 231, "histogram": [5, 10, 20, 40, 60, 50, 25, 12, 6, 3],
               "temperature": {"hot": 2, "warm": 88, "cold": 141},
               "mean": 38.2},
    "timings": {"total_seconds": 1.36, "setup_seconds": 1.15,
                "rows_per_second": 221.1}
  })json");
  Json sample = {{"lc_row", 17},
                 {"lc_rule", "name_placeholder"},
                 {"lc_detail", "line 18, byte 4410: expected 20 fields"},
                 {"values",
                  {{"Họ và tên", "<script>alert(\"x\")</script> & co"},
                   {"Ghi chú", std::string("a\0b", 3)},
                   {"Bytes", std::string("ok\xff\xfe")},
                   {"Long", std::string(10000, 'z')}}}};
  report["samples"] = {{"fake", Json::array({sample})},
                       {"duplicate", Json::array()}};
  return report;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return text;
}

TEST_CASE("html report: renders every section of a full report",
          "[report][html]") {
  std::string html = RenderHtmlReport(Fixture());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  for (const char* id : {"overview", "rejects", "flags", "sources", "scores",
                         "samples", "columns"}) {
    INFO(id);
    CHECK(Contains(html, std::string("<section id=\"") + id + "\">"));
  }
  CHECK(Contains(html, "300 rows in = 231 cleaned + 69 rejected"));
  CHECK(Contains(html, "Conservation ok"));
  CHECK(Contains(html, "<title>rejected rows by reason</title>"));
  CHECK(Contains(html, "<title>lc_score histogram</title>"));
  CHECK(Contains(html, "<title>lc_temperature split</title>"));
  CHECK(Contains(html, "mean score"));
  CHECK(Contains(html, "hot share"));
  CHECK(Contains(html, "12.0%"));  // Vendor A hot share
  CHECK(Contains(html, "41.5"));   // Vendor A mean score
  CHECK(Contains(html, "tripped"));
  CHECK(Contains(html, "dedup_phone"));
  CHECK(Contains(html, "email_free"));
  CHECK(Contains(html, "Họ và tên"));
  CHECK(Contains(html, "name_placeholder"));
  CHECK(Contains(html, "3 formula-like cells"));
  CHECK(Contains(html, "231 rows scored"));
}

TEST_CASE("html report: escapes text and is valid UTF-8",
          "[report][html]") {
  std::string html = RenderHtmlReport(Fixture());
  CHECK(Contains(html,
                 "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"));
  CHECK(Contains(html, "leads &lt;2025&gt;.csv"));
  CHECK_FALSE(Contains(Lower(html), "<script"));
  CHECK(Contains(html, "a\xE2\x90\x80" "b"));           // NUL as U+2400
  CHECK(Contains(html, "ok\xEF\xBF\xBD\xEF\xBF\xBD"));  // bad bytes as U+FFFD
  CHECK(IsValidUtf8(html));
  CHECK(html.find('\0') == std::string::npos);
  // A 10,000-byte cell is cut short.
  CHECK_FALSE(Contains(html, std::string(1000, 'z')));
  CHECK(Contains(html, std::string(200, 'z') + ""));
}

TEST_CASE("html report: is self-contained", "[report][html]") {
  std::string html = Lower(RenderHtmlReport(Fixture()));
  CHECK_FALSE(Contains(html, "http"));
  CHECK_FALSE(Contains(html, "<script"));
  CHECK_FALSE(Contains(html, "<link"));
  CHECK_FALSE(Contains(html, "<img"));
  CHECK_FALSE(Contains(html, "url("));
  CHECK(Contains(html, "<style>"));
  CHECK(Contains(html, "<svg"));
}

TEST_CASE("html report: leaves out what a report does not have",
          "[report][html]") {
  Json report = Fixture();
  report.erase("scores");
  report.erase("samples");
  report["sources"] = nullptr;
  report["conservation"]["ok"] = false;
  std::string html = RenderHtmlReport(report);
  CHECK_FALSE(Contains(html, "id=\"scores\""));
  CHECK_FALSE(Contains(html, "id=\"samples\""));
  CHECK_FALSE(Contains(html, "id=\"sources\""));
  CHECK_FALSE(Contains(html, "mean score"));
  CHECK(Contains(html, "Conservation FAILED"));

  // Anything at all renders without throwing.
  for (const char* text : {"{}", "null", "[]", "42", R"({"counts": 7})",
                           R"({"inputs": [1, "x", null], "sources": [7]})",
                           R"({"scores": {"histogram": "x"}})"}) {
    INFO(text);
    CHECK_NOTHROW(RenderHtmlReport(Json::parse(text)));
  }
}

}  // namespace
}  // namespace leadclean
