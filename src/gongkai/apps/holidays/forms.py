from __future__ import annotations

from datetime import date

from django import forms


class NoticeForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2004, max_value=2100)
    title = forms.CharField(label="通知文号或标题", max_length=200, required=False,
                            help_text="例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）")
    text = forms.CharField(label="通知正文", max_length=20000, widget=forms.Textarea(attrs={"rows": 12}),
                           help_text="粘贴通知中“一、元旦：……放假……上班。”等各条安排（标题和其他段落可一并粘贴，会被忽略）")


class DayForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    workday = forms.TypedChoiceField(label="安排", choices=[("0", "放假"), ("1", "调休上班")], coerce=lambda v: v == "1")
    name = forms.CharField(label="节日名称", max_length=40, required=False, help_text="例如：春节")

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not date(2004, 1, 1) <= day <= date(2100, 12, 31):
            raise forms.ValidationError("日期超出可录入的范围（2004年至2100年）")
        return day
