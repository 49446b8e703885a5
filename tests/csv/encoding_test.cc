// Legacy encodings, detection and mojibake repair (csv/encoding.h).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/progress.h"
#include "csv/encoding.h"
#include "leadclean/csv.h"

namespace leadclean {
namespace {

std::string Decode(const std::string& encoding, const std::string& bytes) {
  std::string out;
  REQUIRE(DecodeToUtf8(encoding, bytes, &out));
  return out;
}

// Reads everything through CsvReader's decoding layer with `read_size`.
std::string ThroughSource(const std::string& encoding, const std::string& bytes,
                          size_t read_size) {
  auto source = Utf8DecodingSource(encoding, "", MemoryByteSource(bytes),
                                   read_size);
  std::string out;
  char buf[5];
  long n;
  while ((n = source->Read(buf, sizeof(buf))) > 0) {
    out.append(buf, n);
  }
  REQUIRE(n == 0);
  return out;
}

TEST_CASE("TCVN3 decodes the ABC table", "[encoding]") {
  CHECK(Decode("TCVN3", "Nguy\xD4n V\xA8n An") == "Nguyễn Văn An");
  CHECK(Decode("tcvn3", "H\xE4 v\xB5 t\xAAn") == "Họ và tên");
  // "\xDE" "a": a hex escape would swallow the "a" ("\xDEa" = 0xDEA).
  CHECK(Decode("ABC", "\xA7\xDE" "a ch\xD8") == "Địa chỉ");
  CHECK(Decode("TCVN3", "Tr\xAD\xEAng") == "Trường");  // ư is 0xAD
}

TEST_CASE("VNI decodes base letter + modifier", "[encoding]") {
  CHECK(Decode("VNI", "Nguye\xE3n Va\xEAn An") == "Nguyễn Văn An");
  CHECK(Decode("VNI", "Le\xE2 \xD1\xF6\xF9\x63 Tho\xEF") == "Lê Đức Thọ");
  CHECK(Decode("VNI", "ng\xF6\xF4\xF8i") == "người");
  CHECK(Decode("VNI", "NGUYE\xC3N") == "NGUYỄN");
  CHECK(Decode("VNI", "\xD1\xF2\x61 ch\xE6") == "Địa chỉ");
  // A base letter at the end of one read and its modifier in the next.
  // VNI marks follow the letter they sit on: "Ho\xF8" "a" is Hòa.
  const std::string text = "Nguye\xE3n Va\xEAn An, Ho\xF8" "a, Hoa\xF8";
  for (size_t read_size : {1, 2, 3, 5, 64}) {
    CHECK(ThroughSource("VNI", text, read_size) ==
          "Nguyễn Văn An, Hòa, Hoà");
  }
}

TEST_CASE("detection ranks legacy decodings", "[encoding]") {
  EncodingChoice choice;
  std::string error;
  REQUIRE(ResolveEncoding("", "Name,Phone\nAn,0912\n", true, &choice, &error));
  CHECK(choice.name == "UTF-8");
  CHECK(choice.method == "ascii");
  REQUIRE(ResolveEncoding("", "H\xE4 v\xB5 t\xAAn,S\xE8 \xAEi\xD6n tho\xB9i\n"
                              "Nguy\xD4n V\xA8n An,0912\n",
                          true, &choice, &error));
  CHECK(choice.name == "TCVN3");
  CHECK(choice.method == "scored");
  REQUIRE(ResolveEncoding("", "Ho\xEF va\xF8 te\xE2n,So\xE1 \xF1ie\xE4n\n"
                              "Nguye\xE3n Va\xEAn An,0912\n",
                          true, &choice, &error));
  CHECK(choice.name == "VNI");
  REQUIRE(ResolveEncoding("", "Name,City\nJos\xE9 M\xFCller,Z\xFCrich\n", true,
                          &choice, &error));
  CHECK(choice.name == "windows-1252");
  // Mostly UTF-8 with one bad byte stays UTF-8.
  REQUIRE(ResolveEncoding("", "Nguyễn Văn An,Trần \xFF\n", true, &choice,
                          &error));
  CHECK(choice.name == "UTF-8");
  CHECK(choice.method == "mostly-utf-8");
  // windows-1252 smart quotes are punctuation, not TCVN3 capitals.
  REQUIRE(ResolveEncoding("", "name,note\nAnn,\x93hi\x94 \x96 ok\n", true,
                          &choice, &error));
  CHECK(choice.name == "windows-1252");
  CHECK(choice.method == "scored");
  // One legacy letter next to ASCII letters is enough evidence ...
  REQUIRE(ResolveEncoding("", "City,State\n\xD5" "akman,AL\n", true, &choice,
                          &error));
  CHECK(choice.name == "windows-1252");
  // ... stray bytes with no ASCII letter beside them are not: the input
  // passes through as UTF-8 (rows flagged invalid_utf8).
  REQUIRE(ResolveEncoding("", "a,b\n1,\xFF\xFE\n2,z\n", true, &choice,
                          &error));
  CHECK(choice.name == "UTF-8");
  CHECK(choice.method == "unrecognised");
  CHECK(choice.confidence == 0);
  // Noise that no decoding makes readable passes through.
  REQUIRE(ResolveEncoding("", "\x81\x8D\x8F\x90\x9D\x81\x8D\xA4\xA7", true,
                          &choice, &error));
  CHECK(choice.name == "UTF-8");
  CHECK(choice.method == "unrecognised");
  CHECK_FALSE(ResolveEncoding("no-such", "", true, &choice, &error));
}

TEST_CASE("mojibake is repaired only when it round-trips", "[encoding]") {
  std::string out;
  REQUIRE(RepairMojibake("Nguyá»…n VÄƒn An", &out));
  CHECK(out == "Nguyễn Văn An");
  REQUIRE(RepairMojibake("Sá»‘ Ä‘iá»‡n thoáº¡i", &out));
  CHECK(out == "Số điện thoại");
  REQUIRE(RepairMojibake("CafÃ©", &out));
  CHECK(out == "Café");
  // Double mojibake is undone twice.
  REQUIRE(RepairMojibake("CafÃƒÂ©", &out));
  CHECK(out == "Café");
  CHECK_FALSE(RepairMojibake("Nguyễn Văn An", &out));
  CHECK_FALSE(RepairMojibake("Hà Nội", &out));
  CHECK_FALSE(RepairMojibake("Café", &out));
  CHECK_FALSE(RepairMojibake("plain", &out));
  std::vector<std::string_view> fields = {"Nguyá»…n", "0912", "Hà"};
  std::vector<std::string> storage;
  CHECK(FindMojibakeCells(fields, false, &storage) == 1);
  CHECK(fields[0] == "Nguyá»…n");
  CHECK(FindMojibakeCells(fields, true, &storage) == 1);
  CHECK(fields[0] == "Nguyễn");
  CHECK(fields[2] == "Hà");
}

TEST_CASE("progress line", "[progress]") {
  Progress progress({1000, 3000}, 1);
  progress.Update(1, 1000, 500);
  const std::string line = progress.Line();
  CHECK(line.find("500 rows") != std::string::npos);
  CHECK(line.find(" 50%") != std::string::npos);
  Progress unknown({0}, 2);
  unknown.Update(0, 10, 5);
  CHECK(unknown.Line().find('%') == std::string::npos);
  CHECK(unknown.Line().find("pass 1/2") != std::string::npos);
}

}  // namespace
}  // namespace leadclean
