"""TP.HCM's wards, communes and special zone from 1 July 2025 (Nghị quyết 1685/NQ-UBTVQH15),
each with its predecessors among ``hcm2025.OLD_WARDS``. Real names and real predecessors; every
share below "1" is an estimate (see ``hcm2025``'s docstring and ``SOURCES``).
"""

# --- Units from 1 July 2025 (Nghị quyết 1685/NQ-UBTVQH15) ----------------------------------------
# code, name, kind, predecessors [(old ward code, share)], real?
# Shares below "1" are estimates (see module docstring); each old ward's shares sum to 1 over
# the units listed here. Parts coming from wards outside OLD_WARDS are left out and named in
# a comment.
NEW_UNITS = [
    # From Quận 1
    # Đa Kao: the April 2025 draft put all of Đa Kao in Tân Định (1,62 km²); the final Tân Định
    # is about 1,23 km² and Sài Gòn grew from 2,6 to about 3,04 km², so about 0.4 went to Sài Gòn.
    # Nguyễn Thái Bình: the draft moved only its khu phố 1 to Sài Gòn, the rest to Bến Thành.
    (
        "SAIGON",
        "Phường Sài Gòn",
        "phuong",
        [("Q1-BENNGHE", "1"), ("Q1-DAKAO", "0.4"), ("Q1-NTBINH", "0.2")],
        True,
    ),
    ("TANDINH", "Phường Tân Định", "phuong", [("Q1-TANDINH", "1"), ("Q1-DAKAO", "0.6")], True),
    # Cầu Ông Lãnh: the draft moved its khu phố 1 and 6 to Bến Thành.
    (
        "BTHANH",
        "Phường Bến Thành",
        "phuong",
        [
            ("Q1-BTHANH", "1"),
            ("Q1-PNGULAO", "1"),
            ("Q1-CONGLANH", "0.3"),
            ("Q1-NTBINH", "0.8"),
        ],
        True,
    ),
    (
        "CAUONGLANH",
        "Phường Cầu Ông Lãnh",
        "phuong",
        [
            ("Q1-NCTRINH", "1"),
            ("Q1-CAUKHO", "1"),
            ("Q1-COGIANG", "1"),
            ("Q1-CONGLANH", "0.7"),
        ],
        True,
    ),
    # From Quận 3
    (
        "BANCO",
        "Phường Bàn Cờ",
        "phuong",
        [
            ("Q3-P01", "1"),
            ("Q3-P02", "1"),
            ("Q3-P03", "1"),
            ("Q3-P05", "1"),
            ("Q3-P04", "0.5"),
        ],
        True,
    ),
    ("XUANHOA", "Phường Xuân Hòa", "phuong", [("Q3-VTSAU", "1"), ("Q3-P04", "0.5")], True),
    (
        "NHIEULOC",
        "Phường Nhiêu Lộc",
        "phuong",
        [("Q3-P09", "1"), ("Q3-P11", "1"), ("Q3-P12", "1"), ("Q3-P14", "1")],
        True,
    ),
    # From Quận 4
    (
        "VINHHOI",
        "Phường Vĩnh Hội",
        "phuong",
        [("Q4-P01", "1"), ("Q4-P03", "1"), ("Q4-P02", "0.5"), ("Q4-P04", "0.5")],
        True,
    ),
    (
        "KHANHHOI",
        "Phường Khánh Hội",
        "phuong",
        [
            ("Q4-P08", "1"),
            ("Q4-P09", "1"),
            ("Q4-P02", "0.5"),
            ("Q4-P04", "0.5"),
            ("Q4-P15", "0.5"),
        ],
        True,
    ),
    (
        "XOMCHIEU",
        "Phường Xóm Chiếu",
        "phuong",
        [("Q4-P13", "1"), ("Q4-P16", "1"), ("Q4-P18", "1"), ("Q4-P15", "0.5")],
        True,
    ),
    # From Quận 5 (whole wards only)
    (
        "CHOQUAN",
        "Phường Chợ Quán",
        "phuong",
        [("Q5-P01", "1"), ("Q5-P02", "1"), ("Q5-P04", "1")],
        True,
    ),
    (
        "ANDONG",
        "Phường An Đông",
        "phuong",
        [("Q5-P05", "1"), ("Q5-P07", "1"), ("Q5-P09", "1")],
        True,
    ),
    (
        "CHOLON",
        "Phường Chợ Lớn",
        "phuong",
        [("Q5-P11", "1"), ("Q5-P12", "1"), ("Q5-P13", "1"), ("Q5-P14", "1")],
        True,
    ),
    # From Quận 10
    (
        "VUONLAI",
        "Phường Vườn Lài",
        "phuong",
        [
            ("Q10-P01", "1"),
            ("Q10-P02", "1"),
            ("Q10-P04", "1"),
            ("Q10-P09", "1"),
            ("Q10-P10", "1"),
        ],
        True,
    ),
    (
        "DIENHONG",
        "Phường Diên Hồng",
        "phuong",
        [("Q10-P06", "1"), ("Q10-P08", "1"), ("Q10-P14", "0.5")],
        True,
    ),
    (
        "HOAHUNG",
        "Phường Hòa Hưng",
        "phuong",
        [("Q10-P12", "1"), ("Q10-P13", "1"), ("Q10-P15", "1"), ("Q10-P14", "0.5")],
        True,
    ),
    # From quận Bình Tân. Lineage from copies of the official list of 168 units (code corpus,
    # see SOURCES); no press text of these clauses was found, so the parts are less certain.
    (
        "ANLAC",
        "Phường An Lạc",
        "phuong",
        [("QBTAN-BTDONGB", "1"), ("QBTAN-ANLACA", "1"), ("QBTAN-ANLAC", "1")],
        True,
    ),
    (
        "BINHTAN",
        "Phường Bình Tân",
        "phuong",
        [("QBTAN-BHHOAB", "1"), ("QBTAN-BTDONGA", "0.5"), ("QBTAN-TANTAO", "0.4")],
        True,
    ),
    # Also part of xã Tân Kiên (huyện Bình Chánh); the copies disagree on whether Tân Kiên came
    # whole or in part (xã Tân Nhựt also lists it).
    (
        "TANTAO",
        "Phường Tân Tạo",
        "phuong",
        [("QBTAN-TANTAOA", "0.7"), ("QBTAN-TANTAO", "0.4")],
        True,
    ),
    (
        "BINHTRIDONG",
        "Phường Bình Trị Đông",
        "phuong",
        [("QBTAN-BTDONG", "1"), ("QBTAN-BHHOAA", "0.5"), ("QBTAN-BTDONGA", "0.5")],
        True,
    ),
    # Also part of phường Sơn Kỳ (quận Tân Phú).
    (
        "BINHHUNGHOA",
        "Phường Bình Hưng Hòa",
        "phuong",
        [("QBTAN-BHHOA", "1"), ("QBTAN-BHHOAA", "0.5")],
        True,
    ),
    # Communes that took the rest of Tân Tạo / Tân Tạo A. Only their Bình Tân parts are listed:
    # Tân Vĩnh Lộc also has xã Vĩnh Lộc B and part of xã Phạm Văn Hai; Tân Nhựt has thị trấn Tân
    # Túc, xã Tân Nhựt and parts of xã Tân Kiên and Phường 16 (Quận 8).
    ("TANVINHLOC", "Xã Tân Vĩnh Lộc", "xa", [("QBTAN-TANTAO", "0.2")], True),
    ("TANNHUT", "Xã Tân Nhựt", "xa", [("QBTAN-TANTAOA", "0.3")], True),
    # From huyện Cần Giờ. Bình Khánh took only ấp An Nghĩa 1 and half of ấp An Nghĩa 2 of
    # An Thới Đông (HĐND plan of 18/4/2025), hence 0.2 / 0.8.
    (
        "BINHKHANH",
        "Xã Bình Khánh",
        "xa",
        [("HCG-BINHKHANH", "1"), ("HCG-TAMTHONHIEP", "1"), ("HCG-ANTHOIDONG", "0.2")],
        True,
    ),
    (
        "ANTHOIDONG",
        "Xã An Thới Đông",
        "xa",
        [("HCG-LYNHON", "1"), ("HCG-ANTHOIDONG", "0.8")],
        True,
    ),
    ("CANGIO", "Xã Cần Giờ", "xa", [("HCG-CANTHANH", "1"), ("HCG-LONGHOA", "1")], True),
    # The only TP.HCM (old) commune kept as it was.
    ("THANHAN", "Xã Thạnh An", "xa", [("HCG-THANHAN", "1")], True),
    # Other real units of the new city; their predecessors are outside OLD_WARDS.
    ("CONDAO", "Đặc khu Côn Đảo", "dac_khu", [], True),  # the former huyện Côn Đảo, whole
    ("THOIHOA", "Phường Thới Hòa", "phuong", [], True),  # former Bình Dương, kept as it was
    ("LONGSON", "Xã Long Sơn", "xa", [], True),  # former Bà Rịa - Vũng Tàu, kept as it was
    ("THUDAUMOT", "Phường Thủ Dầu Một", "phuong", [], True),
    ("DIAN", "Phường Dĩ An", "phuong", [], True),
    ("VUNGTAU", "Phường Vũng Tàu", "phuong", [], True),
    ("BARIA", "Phường Bà Rịa", "phuong", [], True),
]
