#!/usr/bin/env python3
"""Writes one Vietnamese lead list in several encodings for run.sh:
utf8.csv (the reference), cp1258.csv, cp1252.csv (Western names only, since
cp1252 cannot hold Vietnamese), tcvn3.csv, vni.csv, utf16le.csv, utf16be.csv
(with BOM), mojibake.csv (UTF-8 text once mis-read as windows-1252, saved as
UTF-8) and ascii.csv. The TCVN3 and VNI encoders below are written from the
published byte tables (see docs/robustness.md), independently of the
decoder in src/csv/encoding_tables.cc. Usage: make_fixtures.py DIR"""
import os
import sys
import unicodedata

ROWS = [
    ("Nguyễn Văn An", "0912345678", "an.nguyen@congty.vn", "Hà Nội"),
    ("Trần Thị Hồng Nhung", "0987 111 222", "nhung.tran@gmail.com", "Đà Nẵng"),
    ("Lê Đức Thọ", "0903 456 789", "tho.le@yahoo.com.vn", "Huế"),
    ("Phạm Minh Châu", "0938 222 333", "chau.pham@fpt.vn", "Cần Thơ"),
    ("Hoàng Thị Thuỷ", "0977 333 444", "thuy.hoang@viettel.vn", "Hải Phòng"),
    ("Đặng Quốc Việt", "0966 555 666", "viet.dang@vnpt.vn", "Biên Hoà"),
    ("Bùi Thị Ngọc Lan", "0945 777 888", "lan.bui@mobifone.vn", "Nha Trang"),
    ("Võ Thành Trung", "0919 888 999", "trung.vo@outlook.com", "Vũng Tàu"),
    ("Đỗ Mỹ Linh", "0388 123 456", "linh.do@gmail.com", "Quy Nhơn"),
    ("Ngô Bảo Châu", "0399 234 567", "chau.ngo@hcmus.edu.vn", "Thủ Đức"),
    ("Dương Thị Hướng", "0868 345 678", "huong.duong@gmail.com", "Buôn Ma Thuột"),
    ("Huỳnh Tấn Phát", "0707 456 789", "phat.huynh@tiki.vn", "Mỹ Tho"),
]
HEADER = ("Họ và tên", "Số điện thoại", "Email", "Địa chỉ")
WESTERN = [
    ("José Müller", "0912345678", "jose@firma.de", "Zürich"),
    ("Françoise Lefèvre", "0987 111 222", "f.lefevre@exemple.fr", "Orléans"),
    ("Jürgen Groß", "0903 456 789", "j.gross@beispiel.de", "München"),
    ("Ångström Øberg", "0938 222 333", "a.oberg@exempel.se", "Malmö"),
]
WESTERN_HEADER = ("Name", "Phone", "Email", "City")

# TCVN3 (ABC): lowercase letters with marks, and the seven capitals with a
# code of their own.
TCVN3 = dict(zip(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ĂÂÊÔƠƯĐ",
    bytes([0xB5, 0xB8, 0xB6, 0xB7, 0xB9, 0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6,
           0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB, 0xAE, 0xCC, 0xD0, 0xCE, 0xCF,
           0xD1, 0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6, 0xD7, 0xDD, 0xD8, 0xDC,
           0xDE, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4, 0xAB, 0xE5, 0xE8, 0xE6, 0xE7,
           0xE9, 0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE, 0xEF, 0xF3, 0xF1, 0xF2,
           0xF4, 0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9, 0xFA, 0xFD, 0xFB, 0xFC,
           0xFE, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7])))


def tcvn3(text):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
        elif ch in TCVN3:
            out.append(TCVN3[ch])
        elif ch.lower() in TCVN3:  # capitals come from a capital font
            out.append(TCVN3[ch.lower()])
        else:
            raise ValueError("not in TCVN3: %r" % ch)
    return bytes(out)


# VNI-Windows: base letter + modifier byte (windows-1252 bytes).
VNI_TONE = {"\u0301": 0xF9, "\u0300": 0xF8, "\u0309": 0xFB, "\u0303": 0xF5,
            "\u0323": 0xEF}
VNI_CIRC = {None: 0xE2, "\u0301": 0xE1, "\u0300": 0xE0, "\u0309": 0xE5,
            "\u0303": 0xE3, "\u0323": 0xE4}
VNI_BREVE = {None: 0xEA, "\u0301": 0xE9, "\u0300": 0xE8, "\u0309": 0xFA,
             "\u0303": 0xFC, "\u0323": 0xEB}
VNI_I = {None: None, "\u0301": 0xED, "\u0300": 0xEC, "\u0309": 0xE6,
         "\u0303": 0xF3, "\u0323": 0xF2}


def vni(text):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
            continue
        upper = ch.isupper()
        shift = 0x20 if upper else 0
        if ch in "đĐ":
            out.append(0xF1 - shift)
            continue
        d = unicodedata.normalize("NFD", ch.lower())
        base, marks = d[0], d[1:]
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), None)
        tone = next((m for m in marks if m in VNI_TONE), None)
        b = base.upper() if upper else base
        if base == "i":
            out.append(ord(b) if tone is None else VNI_I[tone] - shift)
        elif base == "y" and tone == "\u0323":
            out.append(0xEE - shift)
        elif shape == "\u031b":  # horn: ơ ư have bytes of their own
            out.append((0xF4 if base == "o" else 0xF6) - shift)
            if tone:
                out.append(VNI_TONE[tone] - shift)
        elif shape == "\u0302":
            out += bytes([ord(b), VNI_CIRC[tone] - shift])
        elif shape == "\u0306":
            out += bytes([ord(b), VNI_BREVE[tone] - shift])
        else:
            out += bytes([ord(b), VNI_TONE[tone] - shift])
    return bytes(out)


def cp1258(text):
    """windows-1258: letters it holds precomposed, others as base letter +
    combining tone mark (the way the code page is meant to be used)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in d if m in "\u0300\u0301\u0303\u0309\u0323")
        rest = unicodedata.normalize("NFC", "".join(m for m in d if m not in tones))
        out += (rest + tones).encode("cp1258")
    return bytes(out)


def cp1252_mojibake(text):
    """UTF-8 bytes read as windows-1252 (undefined bytes as C1 controls, as
    Windows does), then saved as UTF-8."""
    chars = []
    for b in text.encode("utf-8"):
        try:
            chars.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(b))
    return "".join(chars).encode("utf-8")


def csv_text(header, rows):
    return "\r\n".join(",".join(r) for r in [header] + rows) + "\r\n"


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    text = csv_text(HEADER, ROWS)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    write("utf8.csv", text.encode("utf-8"))
    write("cp1258.csv", cp1258(text))
    write("tcvn3.csv", tcvn3(text))
    write("vni.csv", vni(text))
    write("utf16le.csv", b"\xff\xfe" + text.encode("utf-16-le"))
    write("utf16be.csv", b"\xfe\xff" + text.encode("utf-16-be"))
    write("mojibake.csv", cp1252_mojibake(text))
    western = csv_text(WESTERN_HEADER, WESTERN)
    write("western_utf8.csv", western.encode("utf-8"))
    write("cp1252.csv", western.encode("cp1252"))
    ascii_rows = [tuple(unicodedata.normalize("NFD", c).encode("ascii", "ignore")
                        .decode().replace("\u0111", "d") for c in r)
                  for r in ROWS]
    write("ascii.csv", csv_text(("Name", "Phone", "Email", "City"),
                                ascii_rows).encode("ascii"))


if __name__ == "__main__":
    main()
