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
