"""Forms of the interface: they shape input; the services decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
