"""The demo province: TP.HCM's units and its published 2022 figures (DOMAIN.md).

Published figures (results for 2022, announced April 2023) are marked ``published=True``; every
other index is illustrative, and the periods' notes say so on screen.
"""

from decimal import Decimal as D

GROUPS = [
    # code, name, ranked
    ("SO", "Khối sở, ban, ngành", True),
    ("NGANHDOC", "Khối cơ quan ngành dọc", False),
    ("QH", "Khối UBND TP. Thủ Đức, quận, huyện", True),  # until 30 June 2025
    ("PHUONG", "Khối phường", True),
    ("XA", "Khối xã, đặc khu", True),
]

# The published periods the demo loads; the current year is opened for self-assessment.
PAST_YEARS = (2021, 2022, 2024, 2025)

# code, name, short name, 2022 index, published?
UNITS = {
    "SO": [
        ("STP", "Sở Tư pháp", "Sở Tư pháp", D("97.57"), True),
        ("SNV", "Sở Nội vụ", "Sở Nội vụ", D("96.88"), False),
        ("STC", "Sở Tài chính", "Sở Tài chính", D("94.12"), False),
        ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT", D("93.46"), False),
        ("SCT", "Sở Công Thương", "Sở Công Thương", D("90.35"), False),
        ("SXD", "Sở Xây dựng", "Sở Xây dựng", D("88.74"), False),
        ("SGTVT", "Sở Giao thông vận tải", "Sở GTVT", D("89.91"), False),
        ("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT", D("87.03"), False),
        ("SQHKT", "Sở Quy hoạch - Kiến trúc", "Sở QH-KT", D("91.27"), False),
        ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", D("92.64"), False),
        ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", D("91.80"), False),
        ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", D("93.05"), False),
        ("SYT", "Sở Y tế", "Sở Y tế", D("89.48"), False),
        ("SVHTT", "Sở Văn hóa và Thể thao", "Sở VH&TT", D("90.93"), False),
        ("SDL", "Sở Du lịch", "Sở Du lịch", D("92.10"), False),
        ("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT", D("95.64"), False),
        ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", D("94.79"), False),
        ("SNGV", "Sở Ngoại vụ", "Sở Ngoại vụ", D("91.27"), False),
        ("TTTP", "Thanh tra Thành phố", "Thanh tra TP", D("92.98"), False),
        ("VPUBND", "Văn phòng Ủy ban nhân dân Thành phố", "Văn phòng UBND TP", D("95.02"), False),
        ("BDT", "Ban Dân tộc", "Ban Dân tộc", D("88.15"), False),
        (
            "HEPZA",
            "Ban Quản lý các Khu chế xuất và công nghiệp",
            "Ban QL KCX-KCN",
            D("90.06"),
            False,
        ),
        ("SHTP", "Ban Quản lý Khu Công nghệ cao", "Ban QL Khu CNC", D("93.77"), False),
        ("BQLATTP", "Ban Quản lý An toàn thực phẩm", "Ban QL ATTP", D("89.06"), False),
        ("BQLTT", "Ban Quản lý Khu đô thị mới Thủ Thiêm", "Ban QL Thủ Thiêm", D("86.41"), False),
        ("ITPC", "Trung tâm Xúc tiến Thương mại và Đầu tư", "Trung tâm XTTM&ĐT", D("85.18"), True),
    ],
    "NGANHDOC": [
        ("CHQ", "Cục Hải quan TP.HCM", "Cục Hải quan", D("95.17"), True),
        ("CT", "Cục Thuế TP.HCM", "Cục Thuế", D("93.40"), False),
        ("KBNN", "Kho bạc Nhà nước TP.HCM", "Kho bạc", D("92.85"), False),
        ("CA", "Công an TP.HCM", "Công an TP", D("90.62"), False),
        ("NHNN", "Ngân hàng Nhà nước Chi nhánh TP.HCM", "NHNN Chi nhánh", D("91.48"), False),
        ("CTK", "Cục Thống kê TP.HCM", "Cục Thống kê", D("89.37"), False),
        ("BHXH", "Bảo hiểm xã hội TP", "BHXH TP", D("88.12"), True),
    ],
    "QH": [
        ("QBTAN", "UBND quận Bình Tân", "Bình Tân", D("96.53"), True),
        ("TDUC", "UBND thành phố Thủ Đức", "TP. Thủ Đức", D("93.84"), False),
        ("Q1", "UBND Quận 1", "Quận 1", D("94.71"), False),
        ("Q3", "UBND Quận 3", "Quận 3", D("92.36"), False),
        ("Q4", "UBND Quận 4", "Quận 4", D("90.18"), False),
        ("Q5", "UBND Quận 5", "Quận 5", D("86.22"), True),
        ("Q6", "UBND Quận 6", "Quận 6", D("89.64"), False),
        ("Q7", "UBND Quận 7", "Quận 7", D("95.30"), False),
        ("Q8", "UBND Quận 8", "Quận 8", D("88.57"), False),
        ("Q10", "UBND Quận 10", "Quận 10", D("91.93"), False),
        ("Q11", "UBND Quận 11", "Quận 11", D("90.77"), False),
        ("Q12", "UBND Quận 12", "Quận 12", D("93.12"), False),
        ("QBTHANH", "UBND quận Bình Thạnh", "Bình Thạnh", D("92.49"), False),
        ("QGV", "UBND quận Gò Vấp", "Gò Vấp", D("94.26"), False),
        ("QPN", "UBND quận Phú Nhuận", "Phú Nhuận", D("95.88"), False),
        ("QTB", "UBND quận Tân Bình", "Tân Bình", D("91.05"), False),
        ("QTP", "UBND quận Tân Phú", "Tân Phú", D("89.90"), False),
        ("HBC", "UBND huyện Bình Chánh", "Bình Chánh", D("88.03"), False),
        ("HCG", "UBND huyện Cần Giờ", "Cần Giờ", D("87.45"), False),
        ("HCC", "UBND huyện Củ Chi", "Củ Chi", D("92.81"), False),
        ("HHM", "UBND huyện Hóc Môn", "Hóc Môn", D("90.44"), False),
        ("HNB", "UBND huyện Nhà Bè", "Nhà Bè", D("87.96"), False),
    ],
}

# TP. Thủ Đức was formed on 1 January 2021 from Quận 2, Quận 9 and quận Thủ Đức: the lineage
# the model keeps so a merged unit keeps its history.
FORMER_UNITS = [
    ("Q2", "UBND Quận 2", "Quận 2", "QH"),
    ("Q9", "UBND Quận 9", "Quận 9", "QH"),
    ("QTDUC", "UBND quận Thủ Đức", "Q. Thủ Đức", "QH"),
]
LINEAGE = {"TDUC": ["Q2", "Q9", "QTDUC"]}

# Illustrative thresholds: in the 2022 results every unit of TP.HCM was graded "Tốt".
BANDS = [
    ("Xuất sắc", D("98"), "#1a7f37"),
    ("Tốt", D("80"), "#4c9a2a"),
    ("Khá", D("70"), "#d4a017"),
    ("Trung bình", D("50"), "#e07b24"),
    ("Yếu", D("0"), "#c62828"),
]

PERIOD_NOTES = {
    2022: (
        "Dữ liệu mẫu. Chỉ số của Sở Tư pháp (97.57), Trung tâm Xúc tiến Thương mại và Đầu tư "
        "(85.18), Cục Hải quan TP.HCM (95.17), Bảo hiểm xã hội TP (88.12), UBND quận Bình Tân "
        "(96.53) và UBND Quận 5 (86.22) theo kết quả năm 2022 của TP.HCM công bố tháng 4/2023; "
        "chỉ số các đơn vị khác, điểm từng tiêu chí và ngưỡng xếp loại là số liệu minh họa."
    ),
    2021: "Dữ liệu mẫu: toàn bộ số liệu năm 2021 là số liệu minh họa, không phải kết quả công bố.",
    2024: (
        "Dữ liệu mẫu: toàn bộ chỉ số năm 2024 là số liệu minh họa, không phải kết quả công bố. "
        "Năm cuối trước sắp xếp: các sở trước khi hợp nhất (1/3/2025), các quận, huyện, và — để "
        "minh họa so sánh qua sắp xếp — các phường, xã cũ của Quận 1, 3, 4, 5, 10, quận Bình Tân "
        "và huyện Cần Giờ (tên thật, chấm theo bộ tiêu chí cấp xã mô phỏng)."
    ),
    2025: (
        "Dữ liệu mẫu: năm đầu sau sắp xếp. Tên đơn vị và quan hệ kế thừa là thật: các sở theo "
        "các nghị quyết của HĐND TP.HCM năm 2025 (hợp nhất từ 1/3/2025), các phường, xã, đặc khu "
        "theo Nghị quyết 1685/NQ-UBTVQH15 (từ 1/7/2025). Tỷ lệ kế thừa “một phần” là ước tính "
        "của dữ liệu mẫu; toàn bộ chỉ số năm 2025 là số liệu minh họa, không phải kết quả công bố. "
        "Chỉ một phần trong 168 đơn vị cấp xã của TP.HCM có trong dữ liệu mẫu."
    ),
}

APPRAISAL_REASONS = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện.",
    "Báo cáo gửi chậm so với thời hạn quy định.",
    "Chưa hoàn thành đủ chỉ tiêu kế hoạch năm.",
    "Tài liệu kiểm chứng không đúng kỳ đánh giá.",
]

DEMO_PASSWORD = "demo12345"

# username, họ và tên (Vietnamese order), role, unit code, e-mail — demo only: real accounts are
# made on the accounts page (/accounts/) or with ``importusers``.
ACCOUNTS = [
    ("canbo.tuphap", "Nguyễn Thị Lan", "officer", "STP", "canbo.tuphap@example.gov.vn"),
    ("lanhdao.tuphap", "Trần Văn Minh", "unit_head", "STP", "lanhdao.tuphap@example.gov.vn"),
    ("canbo.binhtan", "Lê Hoàng Nam", "officer", "BINHTAN", "canbo.binhtan@example.gov.vn"),
    ("thamdinh", "Phạm Thu Hà", "reviewer", None, "thamdinh@example.gov.vn"),
    ("thamdinh.tuphap", "Hoàng Thị Mai", "reviewer", None, "thamdinh.tuphap@example.gov.vn"),
    ("pheduyet", "Võ Quốc Bảo", "approver", None, "pheduyet@example.gov.vn"),
    ("lanhdao", "Đặng Minh Tuấn", "leader", None, "lanhdao@example.gov.vn"),
    ("admin", "Bùi Thanh Sơn", "admin", None, "admin@example.gov.vn"),
]

# The appraisal team of the open period: Sở Tư pháp's reviewer appraises content 2 (Cải cách
# thể chế) of every unit; ``thamdinh`` stays in the Sở Nội vụ pool (the rest).
TEAM = [("thamdinh.tuphap", "2")]

CURRENT_PERIOD_NOTE = (
    "Kỳ đánh giá mẫu để thử quy trình: các đơn vị tự đánh giá, nộp, Sở Nội vụ thẩm định. "
    "Cơ cấu sau sắp xếp năm 2025: các sở sau hợp nhất, các phường, xã, đặc khu (không còn "
    "cấp quận, huyện). Số liệu nhập vào đây chỉ dùng để thử."
)
