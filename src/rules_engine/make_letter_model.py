#!/usr/bin/env python3
"""Writes letter_model.inc: the letter-pair model of gibberish.cc.

Each entry is round(10 * ln P(next | previous)) over '^' (start), a-z and '$'
(end), add-half smoothed, estimated from:
  * English words: /usr/share/dict/words (Debian package wamerican);
  * common English, Chinese and Korean given names and surnames (below);
  * every Vietnamese syllable the grammar in gibberish.cc accepts, plus the
    surnames, middle and given names of shared/reference/vietnam.md 4.2-4.4
    (folded) weighted 50 times, as names are what the model scores.
Run: python3 src/rules_engine/make_letter_model.py > src/rules_engine/letter_model.inc
"""
import collections
import math
import unicodedata

NAMES = """james john robert michael william david richard joseph thomas charles
christopher daniel matthew anthony mark donald steven paul andrew joshua kenneth
kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas
eric jonathan stephen larry justin scott brandon benjamin samuel gregory
alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan
henry douglas zachary peter kyle ethan walter noah jeremy christian keith roger
terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan
billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy
vincent ralph eugene russell bobby mason philip louis mary patricia jennifer
linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret
sandra ashley kimberly emily donna michelle carol amanda dorothy melissa
deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna
brenda pamela emma nicole helen samantha katherine christine debra rachel
carolyn janet catherine maria heather diane ruth julie olivia joyce virginia
victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah
jacqueline martha gloria teresa ann sara madison frances kathryn janice jean
abigail alice judy sophia grace denise amber doris marilyn danielle beverly
isabella theresa diana natalie brittany charlotte marie kayla alexis lori
oliver harry leo oscar archie charlie freddie alfie isaac lucas finley theo
arlo luca max sebastian hugo felix reuben rory louie ellie amelia isla ava mia
ivy lily rosie florence freya poppy evie sienna willow phoebe matilda chloe ruby
imogen zoe jade yasmin fatima aisha mohammed ahmed ali omar hassan yusuf
ibrahim raj priya anil sunil vijay wei li ming hui jun kenji yuki hiroshi
sakura akira mei lin chen kim park lee choi jin hyun soo smith johnson williams
brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez
wilson anderson taylor moore jackson martin perez thompson white harris sanchez
clark ramirez lewis robinson walker young allen king wright torres flores green
adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips
evans turner diaz parker cruz edwards collins reyes stewart morris morales
murphy cook rogers gutierrez ortiz morgan cooper bailey reed howard ramos cox
ward richardson watson brooks chavez wood bennett gray mendoza ruiz hughes price
alvarez castillo sanders patel myers long ross foster jimenez powell jenkins
perry sullivan bell coleman butler henderson barnes fisher vasquez simmons
romero patterson hamilton graham reynolds griffin wallace moreno west cole hayes
bryant herrera gibson ellis medina aguilar stevens murray ford castro marshall
owens harrison fernandez mcdonald woods washington kennedy wells vargas freeman
webb tucker guzman burns crawford olson simpson porter hunter gordon mendez
silva shaw snyder dixon munoz hunt hicks holmes palmer wagner black robertson
boyd rose stone salazar fox warren mills meyer rice schmidt garza daniels
ferguson nichols stephens soto weaver gardner payne grant dunn spencer hawkins
arnold pierce hansen peters santos hart bradley knight elliott cunningham
duncan armstrong hudson carroll lane riley andrews delgado berry perkins
hoffman johnston matthews richards willis carpenter sandoval wang zhang liu
yang huang zhao wu zhou xu sun ma zhu hu guo he luo zheng liang song tang xie
han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng su
lu ding shen dai ren yao tan"""

VN_NAMES = """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý
Trương Đoàn Đinh Trịnh Cao Đào Mai Lương Lưu Lâm Hà Thái Phùng Tạ Vương Chu Tô
Tăng Quách La Kiều Triệu Thạch Kim Hứa Châu Giàng Vừ Lò Sùng Thào Hờ Văn Thị Minh
Ngọc Thanh Đức Quốc Quang Hữu Đình Xuân Thành Duy Anh Trung Tấn Công Tuấn Trọng
Hồng Thế Tiến Mạnh Nhật Việt Huy Chí Hoài Hải Đăng Bá Phước Thu Mỹ Bích Phương
Thùy Như Thúy Diễm Nam Dũng Hiếu Đạt Cường Hùng Tùng Sơn Long Linh Nguyên Tâm
Phúc Thắng Thịnh Khoa Vinh Hưng Khánh Quân Tài Trí An Bảo Phong Toàn Nghĩa Nhân
Dung Thảo Ngân Trang Hương Nga Huyền Loan Yến Nhi Hiền Thương Hường Nhung Vân
Hạnh Thư Trâm Duyên Thủy My Thoa Ánh Hoa Hân Oanh Lan Cúc Huệ Nguyệt Phú"""

INITIALS = ("ngh ng nh ch gh gi kh ph qu th tr b c d g h k l m n p r s t v x"
            .split())
OPEN = ("a e i o u y ai ao au ay eo eu ia iu oa oi oe ua ue ui uo uu uy ya oai"
        " oay oao oeo uai uay uoi uou uya uyu ieu yeu").split()
NUCLEI = "a e i o u y ie ye uo oa oe ua ue uy uye oo".split()
FINALS = "ng nh ch c m n p t".split()
RIMES = set(OPEN) | {n + f for n in NUCLEI for f in FINALS}


def valid_syllable(initial, rime):
    f = rime[0]
    if initial == "k" and f not in "eiy":
        return False
    if initial == "c" and f in "eiy":
        return False
    if initial in ("gh", "ngh") and f not in "ei":
        return False
    if initial == "ng" and f in "ei":
        return False
    if initial == "g" and f == "e":
        return False
    return not (initial == "qu" and f == "u")


def fold(text):
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text.replace("đ", "d").replace("Đ", "D").lower()


def corpus():
    with open("/usr/share/dict/words", encoding="utf-8") as words:
        for word in words:
            word = word.strip()
            if word.isascii() and word.isalpha() and word.islower():
                yield word
    yield from NAMES.split()
    for initial in [""] + INITIALS:
        for rime in RIMES:
            if valid_syllable(initial, rime):
                yield initial + rime
    for _ in range(50):
        yield from (fold(name) for name in VN_NAMES.split())


def main():
    counts = collections.Counter()
    for word in corpus():
        word = "^" + word + "$"
        for a, b in zip(word, word[1:]):
            counts[a, b] += 1
    rows = "^abcdefghijklmnopqrstuvwxyz"
    columns = "abcdefghijklmnopqrstuvwxyz$"
    print("// Generated by make_letter_model.py; do not edit.")
    print("// Rows: '^', a-z (previous); columns: a-z, '$' (next).")
    for a in rows:
        total = sum(counts[a, b] for b in columns) + 0.5 * len(columns)
        cells = [round(10 * math.log((counts[a, b] + 0.5) / total))
                 for b in columns]
        print("{" + ", ".join(str(c) for c in cells) + "},")


if __name__ == "__main__":
    main()
