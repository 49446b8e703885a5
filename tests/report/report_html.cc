// report_html REPORT.json OUT.html: renders a JSON report with
// RenderHtmlReport (used by render_check.sh, and handy to re-render an old
// report). Exit 0, or 1 with a message.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "leadclean/report.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: report_html REPORT.json OUT.html\n");
    return 1;
  }
  std::ifstream in(argv[1], std::ios::binary);
  nlohmann::json report =
      nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded()) {
    std::fprintf(stderr, "report_html: %s: not JSON\n", argv[1]);
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << leadclean::RenderHtmlReport(report);
  out.close();
  if (!out) {
    std::fprintf(stderr, "report_html: %s: cannot write\n", argv[2]);
    return 1;
  }
  return 0;
}
