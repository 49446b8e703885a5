// The HTML report: one self-contained page (inline CSS, inline SVG charts,
// no script, no network) drawn from the JSON report alone, so any report
// file can be rendered again later. Sections that need fields a report does
// not have (scores, samples, sources) are left out. Every text is
// HTML-escaped, with invalid UTF-8 shown as U+FFFD and control characters as
// their U+2400 pictures. Covered by tests/report/html_test.cc.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leadclean/report.h"

namespace leadclean {
namespace {

using Json = nlohmann::json;

// Cells of sample rows can be megabytes long; show their start.
constexpr size_t kMaxCellBytes = 240;
// A report can list 100,000 columns; the page lists the first ones.
constexpr size_t kMaxColumns = 200;
constexpr size_t kMaxFlags = 100;
constexpr size_t kMaxSources = 200;
constexpr size_t kMaxSamplesPerReason = 20;

const Json* Find(const Json& json, const char* key) {
  if (!json.is_object()) {
    return nullptr;
  }
  auto it = json.find(key);
  return it == json.end() || it->is_null() ? nullptr : &*it;
}

const Json* FindPath(const Json& json, std::initializer_list<const char*> keys) {
  const Json* at = &json;
  for (const char* key : keys) {
    at = Find(*at, key);
    if (!at) {
      return nullptr;
    }
  }
  return at;
}

double Number(const Json* json, double fallback = 0) {
  return json && json->is_number() ? json->get<double>() : fallback;
}

std::string Text(const Json* json) {
  if (!json) {
    return "";
  }
  if (json->is_string()) {
    return json->get<std::string>();
  }
  return json->dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Length of the well-formed UTF-8 sequence at the start of `text`, or 0.
size_t Utf8Length(std::string_view text) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  size_t length;
  unsigned char low = 0x80, high = 0xBF;
  if (lead < 0x80) {
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) {
    return 0;
  }
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) {
      return 0;
    }
  }
  return length;
}

// Appends `text` HTML-escaped. Stops after `max_bytes` of input (at a
// character boundary) and appends an ellipsis.
void AppendEscaped(std::string_view text, std::string* out,
                   size_t max_bytes = std::string_view::npos) {
  size_t i = 0;
  while (i < text.size()) {
    if (i >= max_bytes) {
      out->append("\xE2\x80\xA6");  // …
      return;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = Utf8Length(text.substr(i));
    if (length == 0) {
      out->append("\xEF\xBF\xBD");  // U+FFFD
      ++i;
      continue;
    }
    if (length > 1) {
      out->append(text.substr(i, length));
    } else if (c == '&') {
      out->append("&amp;");
    } else if (c == '<') {
      out->append("&lt;");
    } else if (c == '>') {
      out->append("&gt;");
    } else if (c == '"') {
      out->append("&quot;");
    } else if (c == '\'') {
      out->append("&#39;");
    } else if (c < 0x20 || c == 0x7F) {
      // Control pictures: NUL -> U+2400, CR -> U+240D, DEL -> U+2421.
      unsigned int picture = c == 0x7F ? 0x2421 : 0x2400 + c;
      out->push_back(static_cast<char>(0xE0 | (picture >> 12)));
      out->push_back(static_cast<char>(0x80 | ((picture >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (picture & 0x3F)));
    } else {
      out->push_back(static_cast<char>(c));
    }
    i += length;
  }
}

std::string Escape(std::string_view text,
                   size_t max_bytes = std::string_view::npos) {
  std::string out;
  AppendEscaped(text, &out, max_bytes);
  return out;
}

// 12345 -> "12,345"; fractions keep up to 2 decimals.
std::string FormatNumber(double value) {
  if (!std::isfinite(value)) {
    return "–";
  }
  double rounded = std::round(value);
  if (std::fabs(value - rounded) > 1e-9) {
    char text[64];
    std::snprintf(text, sizeof(text), "%.2f", value);
    return text;
  }
  char digits[64];
  std::snprintf(digits, sizeof(digits), "%.0f", std::fabs(rounded));
  std::string plain = digits;
  std::string out;
  for (size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && (plain.size() - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(plain[i]);
  }
  return (rounded < 0 ? "-" : "") + out;
}

std::string Percent(double share) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f%%", share * 100);
  return text;
}

// Colours per reject reason, stable across reports.
const char* ReasonColour(std::string_view reason) {
  static const std::pair<std::string_view, const char*> kColours[] = {
      {"malformed", "#7b2d26"}, {"bot", "#b3541e"},
      {"fake", "#d1822c"},      {"no_contact", "#8a8f98"},
      {"suppressed", "#6c4f9c"}, {"known", "#3f6fb5"},
      {"duplicate", "#2f8f83"},
  };
  for (const auto& [name, colour] : kColours) {
    if (name == reason) {
      return colour;
    }
  }
  return "#5b6470";
}

struct Bar {
  std::string label;
  double value = 0;
  std::string note;  // printed after the value, e.g. a share
  std::string colour;
};

// A horizontal bar chart as inline SVG.
std::string HorizontalBars(const std::vector<Bar>& bars,
                           const std::string& title) {
  constexpr int kLabelWidth = 100, kBarWidth = 300, kRow = 26, kWidth = 600;
  double max = 0;
  for (const Bar& bar : bars) {
    max = std::max(max, bar.value);
  }
  int height = static_cast<int>(bars.size()) * kRow + 8;
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " +
                    std::to_string(kWidth) + " " + std::to_string(height) +
                    "\" width=\"" + std::to_string(kWidth) + "\" height=\"" +
                    std::to_string(height) + "\"><title>" + Escape(title) +
                    "</title>";
  int y = 4;
  for (const Bar& bar : bars) {
    int width = max > 0 ? static_cast<int>(std::lround(bar.value / max *
                                                       kBarWidth))
                        : 0;
    if (bar.value > 0 && width < 2) {
      width = 2;
    }
    svg += "<text x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" +
           std::to_string(y + 17) + "\" text-anchor=\"end\">" +
           Escape(bar.label, 60) + "</text>";
    svg += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" +
           std::to_string(y + 3) + "\" width=\"" + std::to_string(width) +
           "\" height=\"18\" rx=\"3\" fill=\"" + bar.colour + "\"/>";
    svg += "<text x=\"" + std::to_string(kLabelWidth + width + 6) +
           "\" y=\"" + std::to_string(y + 17) + "\" class=\"value\">" +
           FormatNumber(bar.value) +
           (bar.note.empty() ? "" : " · " + Escape(bar.note)) + "</text>";
    y += kRow;
  }
  return svg + "</svg>";
}

// Vertical bars for the 10-bucket score histogram.
std::string Histogram(const Json& buckets) {
  constexpr int kWidth = 720, kLeft = 40, kBottom = 190;
  constexpr int kPlotHeight = 160;
  double max = 0;
  for (const Json& bucket : buckets) {
    max = std::max(max, Number(&bucket));
  }
  // Ten buckets in every report; more would not fit the width.
  size_t count = std::min<size_t>(buckets.size(), 50);
  if (count == 0) {
    return "";
  }
  int slot = (kWidth - kLeft - 10) / static_cast<int>(count);
  std::string svg =
      "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 720 220\" "
      "width=\"720\" height=\"220\"><title>lc_score histogram</title>";
  svg += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" +
         std::to_string(kBottom) + "\" x2=\"" + std::to_string(kWidth - 10) +
         "\" y2=\"" + std::to_string(kBottom) + "\" class=\"axis\"/>";
  for (size_t i = 0; i < count; ++i) {
    double value = Number(&buckets[i]);
    int height = max > 0 ? static_cast<int>(std::lround(value / max *
                                                        kPlotHeight))
                         : 0;
    int x = kLeft + static_cast<int>(i) * slot + 4;
    int low = static_cast<int>(i * 100 / count);
    int high = static_cast<int>((i + 1) * 100 / count) - 1;
    if (i + 1 == count) {
      high = 100;
    }
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" +
           std::to_string(kBottom - height) + "\" width=\"" +
           std::to_string(slot - 8) + "\" height=\"" + std::to_string(height) +
           "\" rx=\"2\" fill=\"#3f6fb5\"/>";
    svg += "<text x=\"" + std::to_string(x + (slot - 8) / 2) + "\" y=\"" +
           std::to_string(kBottom - height - 4) +
           "\" text-anchor=\"middle\" class=\"value\">" + FormatNumber(value) +
           "</text>";
    svg += "<text x=\"" + std::to_string(x + (slot - 8) / 2) + "\" y=\"" +
           std::to_string(kBottom + 16) + "\" text-anchor=\"middle\">" +
           std::to_string(low) + "–" + std::to_string(high) + "</text>";
  }
  return svg + "</svg>";
}

// One stacked bar: hot / warm / cold.
std::string TemperatureBar(const Json& temperature) {
  static const std::pair<const char*, const char*> kParts[] = {
      {"hot", "#c8442f"}, {"warm", "#e0a030"}, {"cold", "#5b86c5"}};
  double total = 0;
  for (const auto& [name, colour] : kParts) {
    total += Number(Find(temperature, name));
  }
  std::string svg =
      "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 720 64\" width=\"720\" "
      "height=\"64\"><title>lc_temperature split</title>";
  double x = 0;
  std::string legend;
  int legend_x = 0;
  for (const auto& [name, colour] : kParts) {
    double value = Number(Find(temperature, name));
    double width = total > 0 ? value / total * 700 : 0;
    svg += "<rect x=\"" + std::to_string(std::lround(x)) +
           "\" y=\"4\" width=\"" + std::to_string(std::lround(width)) +
           "\" height=\"26\" fill=\"" + colour + "\"/>";
    x += width;
    legend += "<rect x=\"" + std::to_string(legend_x) +
              "\" y=\"44\" width=\"12\" height=\"12\" fill=\"" + colour +
              "\"/><text x=\"" + std::to_string(legend_x + 18) +
              "\" y=\"55\">" + name + " " + FormatNumber(value) +
              (total > 0 ? " (" + Percent(value / total) + ")" : "") +
              "</text>";
    legend_x += 230;
  }
  return svg + legend + "</svg>";
}

void Section(const char* id, const char* title, const std::string& body,
             std::string* out) {
  *out += "<section id=\"";
  *out += id;
  *out += "\"><h2>";
  *out += title;
  *out += "</h2>\n" + body + "</section>\n";
}

std::string Row(const std::vector<std::string>& cells, bool header = false) {
  std::string row = "<tr>";
  for (const std::string& cell : cells) {
    row += header ? "<th>" : "<td>";
    row += cell;
    row += header ? "</th>" : "</td>";
  }
  return row + "</tr>\n";
}

std::string Conservation(const Json& report) {
  const Json* conservation = Find(report, "conservation");
  const Json& c = conservation ? *conservation : report;
  bool ok = Find(c, "ok") && Find(c, "ok")->is_boolean() &&
            Find(c, "ok")->get<bool>();
  return std::string("<p class=\"conservation ") + (ok ? "ok" : "failed") +
         "\"><strong>Conservation " + (ok ? "ok" : "FAILED") +
         ":</strong> " + FormatNumber(Number(Find(c, "rows_in"))) +
         " rows in = " + FormatNumber(Number(Find(c, "cleaned"))) +
         " cleaned + " + FormatNumber(Number(Find(c, "rejected"))) +
         " rejected</p>\n";
}

std::string Overview(const Json& report) {
  std::string body = Conservation(report);
  const Json* inputs = Find(report, "inputs");
  if (inputs && inputs->is_array() && !inputs->empty()) {
    body += "<table><thead>" +
            Row({"input", "encoding", "delimiter", "rows", "blank lines",
                 "bytes"},
                true) +
            "</thead><tbody>";
    for (const Json& input : *inputs) {
      std::string encoding = Escape(Text(Find(input, "encoding")));
      const Json* bom = Find(input, "bom");
      if (bom && bom->is_boolean() && bom->get<bool>()) {
        encoding += " (BOM)";
      }
      body += Row({"<code>" + Escape(Text(Find(input, "path"))) + "</code>",
                   encoding,
                   "<code>" + Escape(Text(Find(input, "delimiter"))) +
                       "</code>",
                   FormatNumber(Number(Find(input, "rows"))),
                   FormatNumber(Number(Find(input, "blank_lines"))),
                   FormatNumber(Number(Find(input, "bytes")))});
    }
    body += "</tbody></table>\n";
  }
  const Json* outputs = Find(report, "outputs");
  if (outputs) {
    body += "<p class=\"outputs\">Cleaned: <code>" +
            Escape(Text(Find(*outputs, "cleaned"))) +
            "</code> · Rejects: <code>" +
            Escape(Text(Find(*outputs, "rejects"))) + "</code></p>\n";
  }
  const Json* excel = Find(report, "excel_safe");
  if (excel && excel->is_object()) {
    const Json* enabled = Find(*excel, "enabled");
    bool on = enabled && enabled->is_boolean() && enabled->get<bool>();
    body += std::string("<p class=\"outputs\">Spreadsheet safety: ") +
            (on ? "on, " + FormatNumber(Number(Find(*excel,
                                                    "cells_neutralised"))) +
                      " formula-like cells written as text"
                : "off (--no-excel-safe)") +
            "</p>\n";
  }
  const Json* gates = Find(report, "quality_gates");
  if (gates && gates->is_array() && !gates->empty()) {
    body += "<table><thead>" +
            Row({"quality gate", "limit", "value", "result"}, true) +
            "</thead><tbody>";
    for (const Json& gate : *gates) {
      const Json* tripped = Find(gate, "tripped");
      bool trip = tripped && tripped->is_boolean() && tripped->get<bool>();
      body += Row({Escape(Text(Find(gate, "gate"))),
                   FormatNumber(Number(Find(gate, "limit"))),
                   FormatNumber(Number(Find(gate, "value"))),
                   trip ? "<span class=\"bad\">tripped</span>" : "passed"});
    }
    body += "</tbody></table>\n";
  }
  return body;
}

std::string Rejects(const Json& report) {
  const Json* by_reason = FindPath(report, {"counts", "by_reason"});
  double rows_in = Number(FindPath(report, {"counts", "rows_in"}));
  std::vector<Bar> bars;
  if (by_reason && by_reason->is_object()) {
    // Priority order first (README "Rejects CSV"), then any other reason.
    static const char* const kOrder[] = {"malformed", "bot", "fake",
                                         "no_contact", "suppressed", "known",
                                         "duplicate"};
    std::vector<std::string> names(std::begin(kOrder), std::end(kOrder));
    for (const auto& [name, count] : by_reason->items()) {
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
    for (const std::string& name : names) {
      const Json* count = Find(*by_reason, name.c_str());
      if (!count) {
        continue;
      }
      double value = Number(count);
      bars.push_back({name, value,
                      rows_in > 0 ? Percent(value / rows_in) + " of rows" : "",
                      ReasonColour(name)});
    }
  }
  std::string body = "<div class=\"grid\"><div>";
  body += bars.empty() ? "<p>No reject counts in this report.</p>\n"
                       : HorizontalBars(bars, "rejected rows by reason");
  body += "</div><div>";
  const Json* by_rule = FindPath(report, {"counts", "by_rule"});
  if (by_rule && by_rule->is_object() && !by_rule->empty()) {
    std::vector<std::pair<double, std::string>> rules;
    for (const auto& [rule, count] : by_rule->items()) {
      rules.emplace_back(Number(&count), rule);
    }
    std::sort(rules.begin(), rules.end(),
              [](const auto& a, const auto& b) {
                return a.first != b.first ? a.first > b.first
                                          : a.second < b.second;
              });
    body += "<table class=\"narrow\"><thead>" +
            Row({"deciding rule (lc_rule)", "rows"}, true) +
            "</thead><tbody>";
    for (const auto& [count, rule] : rules) {
      body += Row({"<code>" + Escape(rule) + "</code>",
                   "<span class=\"num\">" + FormatNumber(count) + "</span>"});
    }
    body += "</tbody></table>\n";
  }
  return body + "</div></div>\n";
}

std::string Flags(const Json& report) {
  const Json* by_flag = FindPath(report, {"counts", "by_flag"});
  if (!by_flag || !by_flag->is_object() || by_flag->empty()) {
    return "<p>No flags were raised.</p>\n";
  }
  double rows_in = Number(FindPath(report, {"counts", "rows_in"}));
  std::vector<std::pair<double, std::string>> flags;
  for (const auto& [flag, count] : by_flag->items()) {
    flags.emplace_back(Number(&count), flag);
  }
  std::sort(flags.begin(), flags.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  size_t shown = std::min(flags.size(), kMaxFlags);
  size_t half = (shown + 1) / 2;
  std::string head = "<table><thead>" +
                     Row({"flag (lc_flags)", "rows", "share"}, true) +
                     "</thead><tbody>";
  std::string body = "<div class=\"grid even\"><div>" + head;
  for (size_t i = 0; i < shown; ++i) {
    if (i == half) {
      body += "</tbody></table></div><div>" + head;
    }
    const auto& [count, flag] = flags[i];
    body += Row({"<code>" + Escape(flag) + "</code>",
                 "<span class=\"num\">" + FormatNumber(count) + "</span>",
                 "<span class=\"num\">" +
                     (rows_in > 0 ? Percent(count / rows_in) : "") +
                     "</span>"});
  }
  if (flags.size() > shown) {
    body += Row({"… " + FormatNumber(flags.size() - shown) + " more", "", ""});
  }
  return body + "</tbody></table></div></div>\n";
}

std::string Sources(const Json& sources) {
  std::vector<const Json*> rows;
  bool has_score = false, has_hot = false;
  for (const Json& source : sources) {
    rows.push_back(&source);
    has_score = has_score || Find(source, "mean_score");
    has_hot = has_hot || Find(source, "hot_share");
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Json* a, const Json* b) {
    return Number(Find(*a, "rows")) > Number(Find(*b, "rows"));
  });
  std::vector<std::string> head = {"source", "rows", "cleaned",
                                   "reject rate", "duplicates",
                                   "rejected by reason"};
  if (has_score) {
    head.push_back("mean score");
  }
  if (has_hot) {
    head.push_back("hot share");
  }
  std::string body = "<table><thead>" + Row(head, true) + "</thead><tbody>";
  size_t shown = 0;
  for (const Json* source : rows) {
    if (shown++ == kMaxSources) {
      body += Row({"… " + FormatNumber(rows.size() - kMaxSources) + " more"});
      break;
    }
    double rate = Number(Find(*source, "reject_rate"));
    std::string meter =
        "<span class=\"meter\"><span style=\"width:" +
        FormatNumber(std::round(std::clamp(rate, 0.0, 1.0) * 100)) +
        "%\"></span></span> " + Percent(rate);
    std::string reasons;
    const Json* by_reason = Find(*source, "rejected_by_reason");
    if (by_reason && by_reason->is_object()) {
      for (const auto& [reason, count] : by_reason->items()) {
        reasons += "<span class=\"chip\" style=\"background:" +
                   std::string(ReasonColour(reason)) + "\">" +
                   Escape(reason) + " " + FormatNumber(Number(&count)) +
                   "</span> ";
      }
    }
    std::vector<std::string> cells = {
        Escape(Text(Find(*source, "source")), kMaxCellBytes),
        "<span class=\"num\">" + FormatNumber(Number(Find(*source, "rows"))) +
            "</span>",
        "<span class=\"num\">" +
            FormatNumber(Number(Find(*source, "cleaned"))) + "</span>",
        meter,
        "<span class=\"num\">" +
            FormatNumber(Number(Find(*source, "duplicates"))) + "</span>",
        reasons};
    if (has_score) {
      const Json* mean = Find(*source, "mean_score");
      char text[32] = "–";
      if (mean && mean->is_number()) {
        std::snprintf(text, sizeof(text), "%.1f", mean->get<double>());
      }
      cells.push_back("<span class=\"num\">" + std::string(text) + "</span>");
    }
    if (has_hot) {
      const Json* hot = Find(*source, "hot_share");
      cells.push_back("<span class=\"num\">" +
                      (hot && hot->is_number() ? Percent(hot->get<double>())
                                               : std::string("–")) +
                      "</span>");
    }
    body += Row(cells);
  }
  return body + "</tbody></table>\n";
}

// The files --sort / --split-by wrote, with their temperatures.
std::string Arranged(const Json& arrange) {
  std::string body;
  std::string split = Text(Find(arrange, "split_by"));
  body += "<p>" + std::string(split.empty() ? "One file" : "Split by <code>" +
                                                               Escape(split) +
                                                               "</code>") +
          (Text(Find(arrange, "sort")) == "score"
               ? ", each sorted by <code>lc_score</code> (highest first)"
               : ", rows in input order") +
          ". Every kept row is in exactly one file: " +
          (Find(arrange, "conserved") && Find(arrange, "conserved")->is_boolean() &&
                   Find(arrange, "conserved")->get<bool>()
               ? std::string("yes")
               : std::string("<span class=\"bad\">no</span>")) +
          ".</p>\n";
  body += "<table class=\"narrow\"><thead>" +
          Row({"file", "rows", "hot", "warm", "cold"}, true) + "</thead><tbody>";
  const Json* files = Find(arrange, "files");
  if (files && files->is_array()) {
    for (const Json& file : *files) {
      const Json* t = Find(file, "temperature");
      auto count = [&](const char* key) {
        return "<span class=\"num\">" +
               FormatNumber(Number(t ? Find(*t, key) : nullptr)) + "</span>";
      };
      body += Row({"<code>" + Escape(Text(Find(file, "path")), kMaxCellBytes) +
                       "</code>",
                   "<span class=\"num\">" +
                       FormatNumber(Number(Find(file, "rows"))) + "</span>",
                   count("hot"), count("warm"), count("cold")});
    }
  }
  return body + "</tbody></table>\n";
}

std::string Scores(const Json& scores) {
  std::string body;
  const Json* mean = Find(scores, "mean");
  if (mean && mean->is_number()) {
    char text[64];
    std::snprintf(text, sizeof(text), "%.1f", mean->get<double>());
    body += "<p>Mean <code>lc_score</code> of kept rows: <strong>" +
            std::string(text) + "</strong>";
    const Json* scored = Find(scores, "scored");
    if (scored && scored->is_number()) {
      body += " (" + FormatNumber(Number(scored)) + " rows scored)";
    }
    body += "</p>\n";
  }
  const Json* histogram = Find(scores, "histogram");
  if (histogram && histogram->is_array()) {
    body += "<h3>Score histogram</h3>\n" + Histogram(*histogram);
  }
  const Json* temperature = Find(scores, "temperature");
  if (temperature && temperature->is_object()) {
    body += "<h3>Temperature</h3>\n" + TemperatureBar(*temperature);
  }
  return body;
}

std::string Samples(const Json& samples) {
  std::string body;
  for (const auto& [reason, rows] : samples.items()) {
    if (!rows.is_array() || rows.empty()) {
      continue;
    }
    body += "<h3><span class=\"chip\" style=\"background:" +
            std::string(ReasonColour(reason)) + "\">" + Escape(reason) +
            "</span></h3>\n<table class=\"samples\"><thead>" +
            Row({"lc_row", "lc_rule", "lc_detail", "values"}, true) +
            "</thead><tbody>";
    size_t shown = 0;
    for (const Json& row : rows) {
      if (shown++ == kMaxSamplesPerReason) {
        break;
      }
      std::string values;
      const Json* fields = Find(row, "values");
      if (fields && fields->is_object()) {
        for (const auto& [column, value] : fields->items()) {
          std::string text = Text(&value);
          if (text.empty()) {
            continue;
          }
          values += "<span class=\"kv\"><b>" + Escape(column, 60) +
                    "</b> " + Escape(text, kMaxCellBytes) + "</span> ";
        }
      }
      body += Row({"<span class=\"num\">" + Escape(Text(Find(row, "lc_row"))) +
                       "</span>",
                   "<code>" + Escape(Text(Find(row, "lc_rule")), 80) + "</code>",
                   Escape(Text(Find(row, "lc_detail")), kMaxCellBytes * 2),
                   values});
    }
    body += "</tbody></table>\n";
  }
  return body;
}

std::string Columns(const Json& columns) {
  std::string body = "<table class=\"narrow\"><thead>" +
                     Row({"#", "column", "role", "mapped by"}, true) +
                     "</thead><tbody>";
  size_t shown = 0;
  for (const Json& column : columns) {
    if (shown++ == kMaxColumns) {
      body += Row({"", "… " + FormatNumber(columns.size() - kMaxColumns) +
                           " more columns",
                   "", ""});
      break;
    }
    std::string role = Text(Find(column, "role"));
    body += Row({FormatNumber(Number(Find(column, "index"))),
                 Escape(Text(Find(column, "name")), 120),
                 role.empty() ? "<span class=\"muted\">none</span>"
                              : "<code>" + Escape(role) + "</code>",
                 Escape(Text(Find(column, "mapped_by")))});
  }
  return body + "</tbody></table>\n";
}

std::string Footer(const Json& report) {
  std::string body = "<footer>";
  const Json* versions = Find(report, "versions");
  if (versions && versions->is_object()) {
    std::string list;
    for (const auto& [name, version] : versions->items()) {
      list += (list.empty() ? "" : " · ") + Escape(name) + " " +
              Escape(Text(&version));
    }
    body += "<p>" + list + "</p>";
  }
  const Json* timings = Find(report, "timings");
  if (timings) {
    char text[160];
    std::snprintf(text, sizeof(text),
                  "%.2f s in total (setup %.2f s), %s rows/s",
                  Number(Find(*timings, "total_seconds")),
                  Number(Find(*timings, "setup_seconds")),
                  FormatNumber(std::round(
                                   Number(Find(*timings, "rows_per_second"))))
                      .c_str());
    body += std::string("<p>") + text;
    const Json* threads = FindPath(report, {"options", "threads"});
    if (threads) {
      body += ", " + FormatNumber(Number(threads)) + " threads";
    }
    body += "</p>";
  }
  return body + "</footer>\n";
}

constexpr const char* kStyle = R"(
:root { color-scheme: light; --ink: #1d232b; --muted: #66707c; --line: #dde2e8;
  --ok: #2d7a3e; --bad: #b3261e; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "Noto Sans", sans-serif; color: var(--ink); margin: 0 auto; padding: 24px 32px;
  max-width: 1120px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.conservation { font-size: 17px; padding: 10px 14px; border-radius: 6px;
  background: var(--panel); border-left: 5px solid var(--ok); }
.conservation.failed { border-left-color: var(--bad); color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; }
table.narrow { width: auto; min-width: 380px; }
th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: var(--panel); font-weight: 600; font-size: 13px; }
td .num, .num { font-variant-numeric: tabular-nums; }
code { font: 13px ui-monospace, "DejaVu Sans Mono", monospace;
  background: var(--panel); padding: 0 4px; border-radius: 3px;
  overflow-wrap: anywhere; }
.chart { display: block; max-width: 100%; height: auto; margin: 6px 0; }
.chart text { font: 13px system-ui, sans-serif; fill: var(--ink); }
.chart .value { fill: var(--muted); }
.chart .axis { stroke: var(--line); stroke-width: 1; }
.meter { display: inline-block; width: 70px; height: 8px; background: var(--line);
  border-radius: 4px; vertical-align: middle; overflow: hidden; }
.meter span { display: block; height: 100%; background: var(--bad); }
.chip { display: inline-block; color: #fff; border-radius: 10px; padding: 0 8px;
  font-size: 12px; margin: 1px 0; white-space: nowrap; }
.kv { display: inline-block; margin-right: 10px; overflow-wrap: anywhere; }
.kv b { color: var(--muted); font-weight: 600; }
.samples td { font-size: 13px; }
.samples td:nth-child(1), .samples td:nth-child(2) { white-space: nowrap; }
.samples td:nth-child(3) { width: 30%; }
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
  gap: 24px; align-items: start; }
.grid.even { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.bad { color: var(--bad); font-weight: 600; }
.muted { color: var(--muted); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px;
  border-top: 1px solid var(--line); }
)";

}  // namespace

std::string RenderHtmlReport(const nlohmann::json& report) {
  std::string inputs;
  const Json* input_list = Find(report, "inputs");
  if (input_list && input_list->is_array()) {
    for (const Json& input : *input_list) {
      std::string path = Text(Find(input, "path"));
      inputs += (inputs.empty() ? "" : ", ") + (path == "-" ? "stdin" : path);
    }
  }
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>leadclean report";
  if (!inputs.empty()) {
    page += " · " + Escape(inputs, 200);
  }
  page += "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  page += "<h1>leadclean report</h1>\n<p class=\"subtitle\">" +
          (inputs.empty() ? std::string("no input") : Escape(inputs, 400)) +
          "</p>\n";
  Section("overview", "Overview", Overview(report), &page);
  Section("rejects", "Rejects by reason", Rejects(report), &page);
  const Json* sources = Find(report, "sources");
  if (sources && sources->is_array() && !sources->empty()) {
    Section("sources", "Sources (vendor quality)", Sources(*sources), &page);
  }
  const Json* scores = Find(report, "scores");
  if (scores && scores->is_object()) {
    Section("scores", "Scores", Scores(*scores), &page);
  }
  const Json* arrange = Find(report, "arrange");
  if (arrange && arrange->is_object()) {
    Section("outputs", "Call lists (--sort / --split-by)", Arranged(*arrange),
            &page);
  }
  Section("flags", "Flags", Flags(report), &page);
  const Json* samples = Find(report, "samples");
  if (samples && samples->is_object() && !samples->empty()) {
    Section("samples", "Sample rejected rows", Samples(*samples), &page);
  }
  const Json* columns = Find(report, "columns");
  if (columns && columns->is_array() && !columns->empty()) {
    Section("columns", "Columns and roles", Columns(*columns), &page);
  }
  page += Footer(report);
  page += "</body>\n</html>\n";
  return page;
}

}  // namespace leadclean
