"""What each step that cannot be undone says before it happens, and to whom it becomes visible.

The confirmation page (``views/actions.ask_first``, without JavaScript) and the dialog
(``static/js/confirm.js``, fed by the ``{% confirm_attrs %}`` tag) read the same text: one
entry per action, named where the view asks for it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Confirmation:
    """The question, what will happen, who will see it, and the button that goes ahead."""

    question: str
    effect: str
    audience: str
    button: str


CONFIRMATIONS = {
    "submit": Confirmation(
        question=_("Nộp bản tự đánh giá?"),
        effect=_(
            "Đơn vị không sửa được điểm, giải thích và tài liệu kiểm chứng nữa. Lãnh đạo đơn vị "
            "chỉ rút lại để sửa được khi còn trong thời hạn tự đánh giá và Sở Nội vụ chưa bắt "
            "đầu thẩm định."
        ),
        audience=_("Bản tự đánh giá chuyển đến Sở Nội vụ; thẩm định viên bắt đầu thẩm định."),
        button=_("Xác nhận nộp"),
    ),
    "send_explanation": Confirmation(
        question=_("Gửi giải trình?"),
        effect=_(
            "Giải trình và tài liệu bổ sung được gửi đi; đơn vị không sửa giải trình được nữa, "
            "kể cả khi hạn giải trình chưa hết."
        ),
        audience=_("Thẩm định viên Sở Nội vụ đọc giải trình và thẩm định lại (vòng 2)."),
        button=_("Xác nhận gửi giải trình"),
    ),
    "close_appraisal": Confirmation(
        question=_("Kết thúc thẩm định đơn vị này?"),
        effect=_(
            "Điểm thẩm định được chốt: tiêu chí chưa thẩm định giữ điểm tự chấm; thẩm định viên "
            "không sửa được nữa. Chỉ người phê duyệt mở lại được, khi khối chưa công bố."
        ),
        audience=_("Đơn vị thấy điểm thẩm định và ý kiến thẩm định của từng tiêu chí."),
        button=_("Xác nhận kết thúc thẩm định"),
    ),
    "delete_evidence": Confirmation(
        question=_("Xóa tệp kiểm chứng?"),
        effect=_(
            "Tệp bị xóa khỏi hệ thống và không khôi phục được; nhật ký chỉ còn ghi tên tệp đã xóa."
        ),
        audience=_("Sở Nội vụ sẽ không còn thấy tệp này khi thẩm định."),
        button=_("Xác nhận xóa"),
    ),
    "finalise": Confirmation(
        question=_("Chốt kết quả?"),
        effect=_(
            "Kết quả được tính lại và chốt: thẩm định viên và đơn vị không sửa điểm được nữa. "
            "Trước khi công bố, chỉ người phê duyệt mở lại được thẩm định của từng đơn vị."
        ),
        audience=_(
            "Kết quả chưa công khai: chỉ Sở Nội vụ và lãnh đạo xem bảng xếp hạng; mỗi đơn vị "
            "xem được những tiêu chí mình bị trừ điểm."
        ),
        button=_("Xác nhận chốt kết quả"),
    ),
    "publish": Confirmation(
        question=_("Công bố kết quả?"),
        effect=_(
            "Kết quả đã chốt được công bố theo quyết định và không sửa được nữa; mọi thay đổi "
            "sau đó phải đính chính bằng một quyết định mới (phiên bản mới)."
        ),
        audience=_(
            "Mọi người, kể cả người không đăng nhập, xem được chỉ số, xếp loại và thứ hạng."
        ),
        button=_("Xác nhận công bố"),
    ),
    "deactivate_account": Confirmation(
        question=_("Khóa tài khoản này?"),
        effect=_(
            "Người dùng không đăng nhập được nữa và liên kết đặt mật khẩu đã gửi cho họ không "
            "dùng được; điểm, ý kiến và nhật ký của họ vẫn giữ nguyên. Mở khóa lại được."
        ),
        audience=_("Người dùng bị đăng xuất ở lần mở trang kế tiếp."),
        button=_("Xác nhận khóa"),
    ),
    "reactivate_account": Confirmation(
        question=_("Mở khóa tài khoản này?"),
        effect=_(
            "Người dùng đăng nhập lại được bằng mật khẩu của họ, với vai trò và đơn vị hiện có."
        ),
        audience=_("Người dùng thấy lại mọi trang mà vai trò của họ cho phép."),
        button=_("Xác nhận mở khóa"),
    ),
}
