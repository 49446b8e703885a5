// Byte tables for the legacy encodings decoded without ICU (see
// encoding_tables.cc).
#ifndef LEADCLEAN_CSV_ENCODING_TABLES_H_
#define LEADCLEAN_CSV_ENCODING_TABLES_H_

namespace leadclean {

extern const char16_t kTcvn3High[128];  // TCVN3 bytes 0x80-0xFF
extern const char16_t kCp1252C1[32];    // windows-1252 bytes 0x80-0x9F

}  // namespace leadclean

#endif  // LEADCLEAN_CSV_ENCODING_TABLES_H_
