"""TP.HCM 2025: departments (from 1 March 2025) and the wards and communes before 1 July 2025
(the units formed that day are in ``hcm2025_communes.py``).

Pure data, no Django. What is real and what is estimated:

* Names of the 2025 departments and which old departments each was formed from are from press
  reports of the TP.HCM People's Council resolutions of 20 February 2025 (effective 1 March 2025)
  and of 18 April 2025 (see ``SOURCES``). Where a department was split, the decisions name the
  functions transferred, not percentages: every share below "1" for a department is OUR ESTIMATE.
* The ward lists before 1 July 2025 (after the 2020 and the 2024/2025 mergers) and the new wards
  and communes of Nghị quyết 1685/NQ-UBTVQH15 (16 June 2025, in force 1 July 2025) are real names
  with real predecessors ("toàn bộ" = whole, "một phần" = part). The resolution does not give
  the size of a part: every share below "1" for a ward is OUR ESTIMATE (0.5 unless a source hints
  at the size, noted beside it).
* Since 1 July 2025 TP.HCM (merged with Bình Dương and Bà Rịa - Vũng Tàu) has 168 commune-level
  units: 113 phường, 54 xã, 1 đặc khu.
"""

# --- Departments ------------------------------------------------------------------------------
# code, name, short name, predecessors [(old code, share)], real?
# From 1 March 2025 (HĐND TP.HCM resolutions of 20/2/2025; UBND QĐ 645/QĐ-UBND of 18/2/2025):
# 21 specialised agencies became 16. A unit that merged gets a new code; one that continued
# unchanged keeps its old code with no predecessors.
# Estimated splits (the decisions list functions, not shares; the numbers are ours):
#   SLDTBXH -> Sở Nội vụ 0.5 (labour, wages, jobs, người có công, social insurance, gender
#   equality), Sở Y tế 0.3 (social protection, children, social evils; ~1,500 staff and
#   12 social-protection centres), Sở GD&ĐT 0.2 (handover to GD&ĐT reported; vocational
#   education is our reading). Minor handovers to Văn phòng UBND, Lực lượng TNXP and Viện
#   Nghiên cứu phát triển are not modelled.
#   SNV -> Sở Nội vụ 0.9, Sở Dân tộc và Tôn giáo 0.1 (its Ban Tôn giáo).
#   SXD -> Sở Xây dựng 0.8, Sở Giao thông Công chánh 0.2 (technical-infrastructure management).
DEPARTMENTS_2025 = [
    # Sở Tài chính also took in Ban Đổi mới quản lý doanh nghiệp (not a unit here).
    ("STC25", "Sở Tài chính", "Sở Tài chính", [("STC", "1"), ("SKHDT", "1")], True),
    ("SNV25", "Sở Nội vụ", "Sở Nội vụ", [("SNV", "0.9"), ("SLDTBXH", "0.5")], True),
    (
        "SDTTG25",
        "Sở Dân tộc và Tôn giáo",
        "Sở DT&TG",
        [("BDT", "1"), ("SNV", "0.1")],
        True,
    ),
    ("SXD25", "Sở Xây dựng", "Sở Xây dựng", [("SXD", "0.8"), ("SQHKT", "1")], True),
    # Also took the standing office of Ban An toàn giao thông (not a unit here); driving-licence
    # testing went to Công an TP.
    (
        "SGTCC25",
        "Sở Giao thông Công chánh",
        "Sở GTCC",
        [("SGTVT", "1"), ("SXD", "0.2")],
        True,
    ),
    (
        "SKHCN25",
        "Sở Khoa học và Công nghệ",
        "Sở KH&CN",
        [("SKHCN", "1"), ("STTTT", "1")],
        True,
    ),
    # Kept the name Sở Tài nguyên và Môi trường until 18/4/2025 (see DEPARTMENTS_2025_STEP2).
    (
        "STNMT25",
        "Sở Tài nguyên và Môi trường",
        "Sở TN&MT",
        [("STNMT", "1"), ("SNNPTNT", "1")],
        True,
    ),
    ("SYT25", "Sở Y tế", "Sở Y tế", [("SYT", "1"), ("SLDTBXH", "0.3")], True),
    (
        "SGDDT25",
        "Sở Giáo dục và Đào tạo",
        "Sở GD&ĐT",
        [("SGDDT", "1"), ("SLDTBXH", "0.2")],
        True,
    ),
    # Ban Quản lý An toàn thực phẩm became Sở An toàn thực phẩm on 1 January 2024 (Nghị quyết
    # 98/2023/QH15); kept in 2025.
    ("SATTP", "Sở An toàn thực phẩm", "Sở ATTP", [("BQLATTP", "1")], True),
    # Continued unchanged (named in the 2025 lists of agencies).
    ("STP", "Sở Tư pháp", "Sở Tư pháp", [], True),
    ("SCT", "Sở Công Thương", "Sở Công Thương", [], True),
    ("SVHTT", "Sở Văn hóa và Thể thao", "Sở VH&TT", [], True),
    ("SDL", "Sở Du lịch", "Sở Du lịch", [], True),
    ("TTTP", "Thanh tra Thành phố", "Thanh tra TP", [], True),
    ("VPUBND", "Văn phòng Ủy ban nhân dân Thành phố", "Văn phòng UBND TP", [], True),
    # Not in the 21/16 counts of specialised agencies, but still "Sở Ngoại vụ TP. Hồ Chí Minh"
    # in August 2025 (50th anniversary): treated as continuing.
    ("SNGV", "Sở Ngoại vụ", "Sở Ngoại vụ", [], True),
    # Still in place in August 2025 (new head appointed).
    (
        "HEPZA",
        "Ban Quản lý các Khu chế xuất và công nghiệp",
        "Ban QL KCX-KCN",
        [],
        True,
    ),
    # Not verified: assumed unchanged on 1 March 2025. (An April 2025 proposal would merge Ban
    # Quản lý Khu Công nghệ cao with Ban Quản lý Khu Nông nghiệp Công nghệ cao; outcome unknown.)
    ("SHTP", "Ban Quản lý Khu Công nghệ cao", "Ban QL Khu CNC", [], False),
    ("BQLTT", "Ban Quản lý Khu đô thị mới Thủ Thiêm", "Ban QL Thủ Thiêm", [], False),
    ("ITPC", "Trung tâm Xúc tiến Thương mại và Đầu tư", "Trung tâm XTTM&ĐT", [], False),
]

# Second step, HĐND TP.HCM special session of 18 April 2025 (effective date not found): Sở Giao
# thông Công chánh merged into Sở Xây dựng (Sở Quy hoạch - Kiến trúc was not re-created), Sở Tài
# nguyên và Môi trường renamed Sở Nông nghiệp và Môi trường, leaving 15 specialised agencies.
# Predecessors point at DEPARTMENTS_2025 codes. From 1 July 2025 every department also absorbed
# its Bình Dương and Bà Rịa - Vũng Tàu counterpart: not modelled.
DEPARTMENTS_2025_STEP2 = [
    (
        "SXD25B",
        "Sở Xây dựng",
        "Sở Xây dựng",
        [("SXD25", "1"), ("SGTCC25", "1")],
        True,
    ),
    ("SNNMT25", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", [("STNMT25", "1")], True),
]

# --- Wards and communes before 1 July 2025 ----------------------------------------------------
# code, name, district code. Lists as they stood in the first half of 2025, i.e. after the 2020
# mergers (Nghị quyết 1111/NQ-UBTVQH14) and those in force on 1 January 2025 (Nghị quyết
# 1278/NQ-UBTVQH15): Quận 1 10 phường, Quận 3 10, Quận 4 10, Quận 5 10, Quận 10 11,
# quận Bình Tân 10, huyện Cần Giờ 1 thị trấn + 6 xã.
OLD_WARDS = [
    # Quận 1
    ("Q1-TANDINH", "Phường Tân Định", "Q1"),
    ("Q1-DAKAO", "Phường Đa Kao", "Q1"),
    ("Q1-BENNGHE", "Phường Bến Nghé", "Q1"),
    ("Q1-BTHANH", "Phường Bến Thành", "Q1"),
    ("Q1-PNGULAO", "Phường Phạm Ngũ Lão", "Q1"),
    ("Q1-NTBINH", "Phường Nguyễn Thái Bình", "Q1"),
    ("Q1-CONGLANH", "Phường Cầu Ông Lãnh", "Q1"),
    ("Q1-NCTRINH", "Phường Nguyễn Cư Trinh", "Q1"),
    ("Q1-CAUKHO", "Phường Cầu Kho", "Q1"),
    ("Q1-COGIANG", "Phường Cô Giang", "Q1"),
    # Quận 3
    ("Q3-VTSAU", "Phường Võ Thị Sáu", "Q3"),
    ("Q3-P01", "Phường 1", "Q3"),
    ("Q3-P02", "Phường 2", "Q3"),
    ("Q3-P03", "Phường 3", "Q3"),
    ("Q3-P04", "Phường 4", "Q3"),
    ("Q3-P05", "Phường 5", "Q3"),
    ("Q3-P09", "Phường 9", "Q3"),
    ("Q3-P11", "Phường 11", "Q3"),
    ("Q3-P12", "Phường 12", "Q3"),
    ("Q3-P14", "Phường 14", "Q3"),
    # Quận 4
    ("Q4-P01", "Phường 1", "Q4"),
    ("Q4-P02", "Phường 2", "Q4"),
    ("Q4-P03", "Phường 3", "Q4"),
    ("Q4-P04", "Phường 4", "Q4"),
    ("Q4-P08", "Phường 8", "Q4"),
    ("Q4-P09", "Phường 9", "Q4"),
    ("Q4-P13", "Phường 13", "Q4"),
    ("Q4-P15", "Phường 15", "Q4"),
    ("Q4-P16", "Phường 16", "Q4"),
    ("Q4-P18", "Phường 18", "Q4"),
    # Quận 5
    ("Q5-P01", "Phường 1", "Q5"),
    ("Q5-P02", "Phường 2", "Q5"),
    ("Q5-P04", "Phường 4", "Q5"),
    ("Q5-P05", "Phường 5", "Q5"),
    ("Q5-P07", "Phường 7", "Q5"),
    ("Q5-P09", "Phường 9", "Q5"),
    ("Q5-P11", "Phường 11", "Q5"),
    ("Q5-P12", "Phường 12", "Q5"),
    ("Q5-P13", "Phường 13", "Q5"),
    ("Q5-P14", "Phường 14", "Q5"),
    # Quận 10
    ("Q10-P01", "Phường 1", "Q10"),
    ("Q10-P02", "Phường 2", "Q10"),
    ("Q10-P04", "Phường 4", "Q10"),
    ("Q10-P06", "Phường 6", "Q10"),
    ("Q10-P08", "Phường 8", "Q10"),
    ("Q10-P09", "Phường 9", "Q10"),
    ("Q10-P10", "Phường 10", "Q10"),
    ("Q10-P12", "Phường 12", "Q10"),
    ("Q10-P13", "Phường 13", "Q10"),
    ("Q10-P14", "Phường 14", "Q10"),
    ("Q10-P15", "Phường 15", "Q10"),
    # Quận Bình Tân
    ("QBTAN-ANLAC", "Phường An Lạc", "QBTAN"),
    ("QBTAN-ANLACA", "Phường An Lạc A", "QBTAN"),
    ("QBTAN-BHHOA", "Phường Bình Hưng Hòa", "QBTAN"),
    ("QBTAN-BHHOAA", "Phường Bình Hưng Hòa A", "QBTAN"),
    ("QBTAN-BHHOAB", "Phường Bình Hưng Hòa B", "QBTAN"),
    ("QBTAN-BTDONG", "Phường Bình Trị Đông", "QBTAN"),
    ("QBTAN-BTDONGA", "Phường Bình Trị Đông A", "QBTAN"),
    ("QBTAN-BTDONGB", "Phường Bình Trị Đông B", "QBTAN"),
    ("QBTAN-TANTAO", "Phường Tân Tạo", "QBTAN"),
    ("QBTAN-TANTAOA", "Phường Tân Tạo A", "QBTAN"),
    # Huyện Cần Giờ
    ("HCG-CANTHANH", "Thị trấn Cần Thạnh", "HCG"),
    ("HCG-BINHKHANH", "Xã Bình Khánh", "HCG"),
    ("HCG-ANTHOIDONG", "Xã An Thới Đông", "HCG"),
    ("HCG-LONGHOA", "Xã Long Hòa", "HCG"),
    ("HCG-LYNHON", "Xã Lý Nhơn", "HCG"),
    ("HCG-TAMTHONHIEP", "Xã Tam Thôn Hiệp", "HCG"),
    ("HCG-THANHAN", "Xã Thạnh An", "HCG"),
]

SOURCES = [
    # Wards and communes
    "Danh sách 168 đơn vị hành chính cấp xã của TPHCM sau sắp xếp (text of Nghị quyết "
    "1685/NQ-UBTVQH15), CafeF, 08/2025: "
    "https://cafef.vn/danh-sach-168-xa-phuong-dac-khu-cua-thanh-pho-ho-chi-minh-"
    "188250804163059363.chn",
    "Phương án sắp xếp và tên 102 phường, xã mới tại TP HCM, VnExpress, 04/2025: "
    "https://vnexpress.net/phuong-an-sap-xep-va-ten-102-phuong-moi-tai-tp-hcm-4875543.html",
    "Ở ngay trung tâm Quận 1 là phường nào sau sáp nhập? (Nghị quyết 25/NQ-HĐND 2025), "
    "Thư viện nhà đất: https://thuviennhadat.vn/thi-truong-bat-dong-san/"
    "o-ngay-trung-tam-quan-1-la-phuong-nao-sau-sap-nhap-683812.html",
    "TP.HCM sáp nhập phường quận 1, đề xuất còn 4 phường có tên Sài Gòn, Thanh Niên, 04/2025: "
    "https://thanhnien.vn/tphcm-sap-nhap-phuong-quan-1-de-xuat-con-4-phuong-co-ten-sai-gon-"
    "185250414211226226.htm",
    "TP.HCM: tên phường Cầu Ông Lãnh..., Thanh Niên, 08/2025: https://thanhnien.vn/"
    "tphcm-ten-phuong-cau-ong-lanh-goi-nho-bac-danh-tuong-lay-lung-thoi-nguyen-"
    "185250807210147335.htm",
    "Phường Bến Thành - trung tâm đa chức năng của TP.HCM sau sáp nhập, Vietnam.vn: "
    "https://www.vietnam.vn/sv/phuong-ben-thanh-trung-tam-da-chuc-nang-cua-tphcm-sau-sap-nhap",
    "Dự kiến tên gọi các phường, xã mới của TP. Hồ Chí Minh sau sắp xếp, Thời báo Tài chính, "
    "04/2025: https://thoibaotaichinhvietnam.vn/du-kien-ten-goi-cac-phuong-xa-moi-cua-tp-ho-chi-"
    "minh-sau-sap-xep-174862.html",
    "Sắp xếp các đơn vị hành chính cấp xã thuộc TP.HCM (2020: Võ Thị Sáu, Quận 4, 5, 10): "
    "https://giayphepxaydunghcm.vn/tin-tuc/sap-xep-cac-don-vi-hanh-chinh-cap-xa-thuoc-thanh-pho-"
    "ho-chi-minh",
    "Không để phiền hà... sau sắp xếp lại phường (Quận 4 có 10 phường), SGGP, 12/2024: "
    "https://www.sggp.org.vn/khong-de-phien-ha-anh-huong-quyen-va-loi-ich-hop-phap-cua-nhan-dan-"
    "sau-sap-xep-lai-phuong-post775513.html",
    "District 10, Ho Chi Minh City (11 wards as of 2025), Wikipedia: "
    "https://en.wikipedia.org/wiki/District_10,_Ho_Chi_Minh_City",
    "Thông tin về hành chính quận Bình Tân (10 phường), iwater.vn: "
    "https://iwater.vn/thong-tin-dia-danh/thong-tin-ve-hanh-chinh-quan-binh-tan-38480.html",
    "Phường Bình Tân chính thức thành lập, Sức khỏe Việt: https://suckhoeviet.org.vn/"
    "phuong-binh-tan-chinh-thuc-thanh-lap-mo-rong-quan-ly-nang-tam-phat-trien-20196.html",
    "Núi duy nhất và cao nhất ở TPHCM (Cần Giờ: 7 đơn vị cấp xã), VietNamNet, 09/2024: "
    "https://vietnamnet.vn/ngon-nui-duy-nhat-va-cao-nhat-o-tphcm-ten-la-gi-2326562.html",
    "Lý do xã duy nhất ở TP.HCM không sáp nhập (Cần Giờ còn 4 xã), CafeLand: "
    "https://cafeland.vn/quy-hoach/ly-do-xa-duy-nhat-o-tphcm-khong-sap-nhap-137249.html",
    "Vì sao 4 xã, 1 phường của TP HCM vẫn giữ nguyên, 24h: https://www.24h.com.vn/"
    "tin-tuc-trong-ngay/vi-sao-4-xa-1-phuong-cua-tp-hcm-van-giu-nguyen-khong-phai-sap-nhap-"
    "c46a1678692.html",
    "TPHCM và Bình Dương không còn trùng tên phường, xã (168 đơn vị: 113 phường, 54 xã, "
    "1 đặc khu), Lao Động: https://news.laodong.vn/xa-hoi/tphcm-va-binh-duong-khong-con-trung-"
    "ten-phuong-xa-sau-sap-xep-1496508.ldo",
    "Copies of the official 168-unit list with predecessors, public GitHub code (code-corpus "
    "file ids 62729775144, 51993808196, 23603724393, 57029962073, 5019629771)",
    # Departments
    "Lập Sở Giao thông công chánh TP.HCM từ Sở GTVT và Ban ATGT, Báo Mới, 20/2/2025: "
    "https://lite.baomoi.com/lap-so-giao-thong-cong-chanh-tp-hcm-tu-so-gtvt-va-ban-atgt-"
    "c51526885.epi",
    "TP.HCM thành lập Sở Giao thông Công chánh, Báo Mới: "
    "https://lite.baomoi.com/tp-hcm-thanh-lap-so-giao-thong-cong-chanh-c51526620.epi",
    "TP Hồ Chí Minh: trình phương án thành lập Sở Giao thông công chánh, Kinh tế & Đô thị: "
    "https://kinhtedothi.vn/tp-ho-chi-minh-trinh-phuong-an-thanh-lap-so-giao-thong-cong-chanh.html",
    "Đề xuất lập Sở Giao thông Công chánh TP HCM, VietnamBiz, 17/2/2025: "
    "https://vietnambiz.vn/de-xuat-lap-so-giao-thong-cong-chanh-tp-hcm-2025217195716269.htm",
    "Bàn giao các đơn vị ngành LĐ-TB&XH TPHCM về Sở Nội vụ, Dân trí, 28/2/2025: "
    "https://dantri.com.vn/noi-vu/ban-giao-cac-don-vi-nganh-ld-tbxh-tphcm-ve-so-noi-vu-"
    "20250228173740028.htm",
    "Sở Y tế TP.HCM tiếp nhận hơn 1.500 nhân sự Sở LĐ-TB&XH (Tuổi Trẻ, 3/3/2025), copy: "
    "https://m.xosobinhdinh.org/so-y-te-tp-hcm-tiep-nhan-hon-1-500-nhan-su-so-lao-dong-thuong-"
    "binh-va-xa-hoi-20250303091149552.htm",
    "Sở Y tế TPHCM có Phó Giám đốc phụ trách chống tệ nạn xã hội (QĐ 645/QĐ-UBND 18/2/2025): "
    "https://cocc.edu.vn/so-y-te-tphcm-co-pho-giam-doc-phu-trach-chong-te-nan-xa-hoi-"
    "20250303132050023-htm",
    "TP HCM hợp nhất Sở Giao thông công chánh và Xây dựng (VnExpress, 18/4/2025), copy: "
    "https://news.daisan.vn/tp-hcm-hop-nhat-so-giao-thong-cong-chanh-va-xay-dung-bao-vnexpress",
    "Thành phố Hồ Chí Minh tiếp tục đề xuất... (04/2025): https://vietnamtodaynew.blogspot.com/"
    "2025/04/thanh-pho-ho-chi-minh-tiep-tuc-e-xuat.html",
    "Lập 15 cơ quan chuyên môn thuộc UBND TP.HCM, Thanh Niên, 1/7/2025: "
    "https://thanhnien.vn/lap-15-co-quan-chuyen-mon-thuoc-ubnd-tphcm-185250701160659934.htm",
    "Thành lập Sở An toàn thực phẩm đầu tiên tại Việt Nam, Báo Tin tức, 30/12/2023: "
    "http://baotintuc.vn/podcast/thanh-lap-so-an-toan-thuc-pham-dau-tien-tai-viet-nam-"
    "20231230172551359.htm",
    "Sở Ngoại vụ TP. Hồ Chí Minh - Nửa thế kỷ đồng hành..., Doanh nghiệp & Hội nhập, 8/2025: "
    "https://doanhnghiephoinhap.vn/so-ngoai-vu-tp-ho-chi-minh-nua-the-ky-dong-hanh-cung-cong-"
    "cuoc-doi-moi-va-hoi-nhap-cua-thanh-pho-113858.html",
    "Ông Nguyễn Toàn Thắng giữ chức Giám đốc Sở Nông nghiệp - Môi trường TP.HCM, Thanh Niên, "
    "22/8/2025: https://thanhnien.vn/ong-nguyen-toan-thang-giu-chuc-giam-doc-so-nong-nghiep-moi-"
    "truong-tphcm-185250822153924782.htm",
]
