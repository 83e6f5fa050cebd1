"""Forms of the interface: they shape input; the services decide what is valid."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parindex.core import clock
from parindex.core.models import Period, TieRule


class LeafScoreForm(forms.Form):
    """One leaf's self-assessed points and explanation, saved on its own."""

    points = forms.CharField(label=_("Điểm tự chấm"), required=False, max_length=20)
    note = forms.CharField(
        label=_("Giải thích / thuyết minh"), required=False, widget=forms.Textarea, max_length=5000
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp kiểm chứng"))
    citation = forms.CharField(label=_("Trích dẫn (mục, trang)"), required=False, max_length=255)


class AppraisalForm(forms.Form):
    """A reviewer's value for one leaf: appraised points (or survey points) and the reason."""

    points = forms.CharField(label=_("Điểm thẩm định"), required=False, max_length=20)
    note = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea, max_length=5000)
    not_applicable = forms.BooleanField(label=_("Không áp dụng"), required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReturnForm(forms.Form):
    deadline = forms.DateField(label=_("Hạn giải trình"))


class ExplanationForm(forms.Form):
    text = forms.CharField(
        label=_("Giải trình"), required=False, widget=forms.Textarea, max_length=5000
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AdjustmentForm(forms.Form):
    unit = forms.CharField(label=_("Mã đơn vị"), max_length=30)
    category = forms.CharField(label=_("Nhóm (mã tiêu chí)"), max_length=30)
    amount = forms.CharField(label=_("Số điểm"), max_length=20)
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    file = forms.FileField(label=_("Tài liệu kèm theo"), required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Phê duyệt")), ("reject", _("Từ chối"))])
    note = forms.CharField(label=_("Ý kiến"), required=False, max_length=5000)


class PublishForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định công bố"), max_length=100)


class CorrectionForm(forms.Form):
    unit = forms.CharField(label=_("Mã đơn vị"), max_length=30)
    leaf = forms.CharField(label=_("Mã tiêu chí"), max_length=30)
    points = forms.CharField(label=_("Điểm mới"), max_length=20)
    note = forms.CharField(label=_("Lý do điều chỉnh tiêu chí"), max_length=5000)
    reason = forms.CharField(label=_("Lý do đính chính"), max_length=5000)
    decision_number = forms.CharField(label=_("Số quyết định đính chính"), max_length=100)


class RemediationForm(forms.Form):
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    criterion = forms.CharField(label=_("Mã tiêu chí"), required=False, max_length=30)
    measure = forms.CharField(
        label=_("Biện pháp khắc phục"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    owner = forms.CharField(label=_("Người/bộ phận chủ trì"), max_length=255)
    due_date = forms.DateField(label=_("Thời hạn"))
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[
            ("planned", _("Chưa thực hiện")),
            ("in_progress", _("Đang thực hiện")),
            ("done", _("Đã hoàn thành")),
        ],
    )


# --- Decisions on one unit and on the groups of a period (services/decisions.py, results.py) ---

DATE_ERRORS = {
    "required": _("Nhập ngày (ngày/tháng/năm)."),
    "invalid": _("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm."),
}


def reason_field(label, required_message, *, required=True):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        error_messages={"required": required_message},
    )


class ExtendDeadlineForm(forms.Form):
    """An approver gives one unit until a new day to enter and submit."""

    until = forms.DateField(
        label=_("Gia hạn đến ngày"),
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    reason = reason_field(_("Lý do gia hạn"), _("Cần ghi lý do gia hạn."))

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < clock.today():
            raise ValidationError(_("Ngày gia hạn phải từ hôm nay trở đi."))
        return until


class LateAppraisalForm(forms.Form):
    """A reviewer starts appraising a unit that did not submit by its deadline."""

    reason = reason_field(
        _("Lý do thẩm định khi đơn vị không nộp"),
        _("Cần ghi lý do thẩm định khi đơn vị không nộp."),
    )


class ReopenForm(forms.Form):
    reason = reason_field(_("Lý do mở lại thẩm định"), _("Cần ghi lý do mở lại thẩm định."))


class UnitRankingForm(forms.Form):
    """Leave one unit out of the ranking of a period (graded, not ranked) or put it back."""

    excluded = forms.BooleanField(label=_("Không xếp hạng đơn vị trong kỳ này"), required=False)
    reason = reason_field(_("Lý do không xếp hạng"), "", required=False)

    def clean(self):
        data = super().clean()
        if data.get("excluded") and not data.get("reason"):
            self.add_error("reason", _("Cần ghi lý do không xếp hạng."))
        return data


class GroupRankingForm(forms.Form):
    """Whether a group is ranked in this period, with the reason when it is not."""

    ranked = forms.BooleanField(label=_("Xếp hạng kỳ này"), required=False)
    reason = reason_field(_("Lý do không xếp hạng"), "", required=False)

    def clean(self):
        data = super().clean()
        if not data.get("ranked") and not data.get("reason"):
            self.add_error("reason", _("Cần ghi lý do khối không xếp hạng kỳ này."))
        return data


class PublishGroupForm(forms.Form):
    """The decision that publishes one group's results: its number and its date."""

    decision_number = forms.CharField(
        label=_("Số quyết định"),
        max_length=100,
        error_messages={"required": _("Nhập số quyết định công bố.")},
    )
    decision_date = forms.DateField(
        label=_("Ngày quyết định"),
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )


class TieRuleForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Xếp hạng khi bằng điểm"),
        choices=TieRule.choices,
        widget=forms.RadioSelect,
        help_text=Period._meta.get_field("tie_rule").help_text,
        error_messages={"required": _("Chọn quy tắc xếp hạng khi bằng điểm.")},
    )


class AssignmentForm(forms.Form):
    """One assignment of the appraisal team, typed as codes (the service checks them)."""

    reviewer = forms.CharField(label=_("Tài khoản thẩm định viên"), max_length=150)
    unit = forms.CharField(
        label=_("Mã đơn vị"),
        required=False,
        max_length=30,
        help_text=_("Để trống: mọi đơn vị."),
    )
    criterion = forms.CharField(
        label=_("Mã tiêu chí"),
        required=False,
        max_length=30,
        help_text=_("Để trống: toàn bộ bộ tiêu chí. Gồm tiêu chí đó và mọi tiêu chí con."),
    )


class LeafCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Trao đổi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={
            "required": _("Nhập nội dung trao đổi."),
            "max_length": _("Nội dung trao đổi dài tối đa %(limit_value)d ký tự."),
        },
    )
