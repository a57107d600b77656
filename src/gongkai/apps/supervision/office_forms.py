"""Forms of the supervising office's pages."""

from __future__ import annotations

from datetime import date

from django import forms

from gongkai.web.forms import DateInput


class NoticeForm(forms.Form):
    text = forms.CharField(label="督办事项", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    answer_due_on = forms.DateField(label="答复期限", widget=DateInput())


def _years() -> list[tuple[int, str]]:
    this = date.today().year
    return [(y, f"{y}年度") for y in range(this - 1, this - 11, -1)]


class RegionYearForm(forms.Form):
    region = forms.ModelChoiceField(label="监督范围", queryset=None, empty_label=None)
    year = forms.TypedChoiceField(label="报告年度", coerce=int, choices=_years)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        from gongkai.apps.agencies.models import Agency

        self.fields["region"].queryset = Agency.objects.filter(pk__in=[r.pk for r in regions]).order_by("order_path")
        if self.fields["region"].initial is None and "region" not in self.initial:
            self.fields["region"].initial = regions[0].pk


class ExportForm(RegionYearForm):
    pass


class BulletinForm(RegionYearForm):
    issuer = forms.CharField(label="发文机关", max_length=100,
                             help_text="通报落款的机关名称，如“某县人民政府办公室”")
    on = forms.DateField(label="成文日期", required=False, widget=DateInput(),
                         help_text="不填为今天")
