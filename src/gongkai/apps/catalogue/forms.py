"""The forms of the catalogue pages (input only: the rules are in ``services``)."""

from __future__ import annotations

from django import forms

from gongkai.web.forms import Plain
from gongkai.core.casework import catalogue as rules

from .models import CatalogueSettings, Category, GuideSupplement, Item, ValidityChange
from .categories import category_choices
from .items import find_published

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CategoryChoice(forms.ModelChoiceField):
    """The agency's categories in tree order, indented by depth."""

    def __init__(self, agency, **kwargs):
        super().__init__(queryset=Category.objects.filter(agency=agency), **kwargs)
        self.choices = [("", "——请选择——")] + (category_choices(agency) if agency is not None else [])


class ItemForm(Plain, forms.Form):
    agency = forms.ModelChoiceField(label="发布机关", queryset=None, empty_label=None)
    title = forms.CharField(label="标题", max_length=300)
    document_number = forms.CharField(label="文号", max_length=100, required=False,
                                      help_text="规章和行政规范性文件必填，如：某府规〔2026〕1号")
    kind = forms.ChoiceField(label="信息类别", choices=Item.Kind.choices, initial=Item.Kind.OTHER,
                             help_text="规章和行政规范性文件计入年度报告表二")
    publisher = forms.CharField(label="发布机构", max_length=100)
    made_on = forms.DateField(label="生成日期", widget=DATE,
                              help_text="信息制作或者变更之日；应自此日起20个工作日内公开（《条例》第二十六条）")
    effective_on = forms.DateField(label="施行日期", widget=DATE, required=False,
                                   help_text="规章和行政规范性文件必填；有效性自此日起算")
    written_on = forms.DateField(label="成文日期", widget=DATE, required=False,
                                 help_text="公文落款的日期（签发日期）；不是公文的可不填")
    topic = forms.ChoiceField(label="主题分类", choices=[("", "——请选择——"), *rules.TOPICS], required=False,
                              help_text="国务院政府信息公开目录的主题分类，公众可按主题分类查找")
    interprets = forms.CharField(label="解读的政策文件", max_length=80, required=False,
                                 help_text="本信息是对某一文件的解读时，填写该文件（须已发布）的索引号；两者的信息页面将互相链接")
    index_number = forms.CharField(label="索引号", max_length=80, required=False,
                                   help_text="留空则按本机关的索引号格式自动编号；已有索引号的信息请照录")
    summary = forms.CharField(label="内容概述", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 14}), required=False)
    channels = forms.MultipleChoiceField(label="同时发布的渠道", choices=rules.CHANNELS, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="修改说明", max_length=500, required=False)

    def __init__(self, *args, agencies, agency=None, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if agency is None:
            chosen = self.data.get("agency") if self.is_bound else None
            agency = agencies.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else agencies.first()
        self.agency = agency
        self.fields["category"] = CategoryChoice(agency, label="目录分类")
        self.order_fields(["agency", "category"])
        # The categories offered are the agency's: another agency is chosen above the form (?agency=).
        self.fields["agency"].widget = forms.HiddenInput()
        self.fields["agency"].initial = agency.pk if agency else None
        if item is None:
            del self.fields["reason"]

    def clean_interprets(self):
        text = self.cleaned_data["interprets"].strip()
        if not text or self.agency is None:
            return None
        return find_published(self.agency, text)

    def item_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in
                ("category", "index_number", "title", "summary", "body", "document_number", "publisher", "made_on",
                 "kind", "effective_on", "channels", "written_on", "topic", "interprets")}

    @classmethod
    def initial_from(cls, item: Item) -> dict:
        return {name: getattr(item, name) for name in
                ("title", "summary", "body", "document_number", "publisher", "made_on", "kind", "effective_on",
                 "channels", "index_number", "written_on", "topic")} | {
            "category": item.category_id, "agency": item.agency_id,
            "interprets": item.interprets.index_number if item.interprets_id else ""}


class StatementForm(Plain, forms.Form):
    statement = forms.CharField(label="保密审查意见", widget=forms.Textarea(attrs={"rows": 3}),
                                initial="经审查，该信息不涉及国家秘密、工作秘密、商业秘密和个人隐私，同意公开。")


class ReasonForm(Plain, forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ValidityForm(Plain, forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=ValidityChange._meta.get_field("validity").choices)
    on = forms.DateField(label="日期", widget=DATE, help_text="施行、废止或失效之日")
    reason = forms.CharField(label="理由或依据", max_length=500, required=False,
                             help_text="废止或失效须写明依据，如废止决定的文号")


class AttachmentForm(Plain, forms.Form):
    file = forms.FileField(label="附件")


class ListFilterForm(Plain, forms.Form):
    q = forms.CharField(label="标题、文号或索引号", required=False)
    state = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *Item.State.choices], required=False)
    category = forms.IntegerField(label="目录分类", required=False, widget=forms.Select)
    year = forms.IntegerField(label="生成年度", required=False, min_value=1990, max_value=2100)
    agency = forms.IntegerField(label="机关", required=False, widget=forms.Select)


class SettingsForm(Plain, forms.ModelForm):
    reason = forms.CharField(label="修改说明", max_length=200, required=False)

    class Meta:
        model = CatalogueSettings
        fields = ["index_prefix", "index_format", "serial_digits"]


class GuideForm(Plain, forms.ModelForm):
    reason = forms.CharField(label="修改说明", max_length=200, required=False)

    class Meta:
        model = GuideSupplement
        fields = ["office_hours", "email", "notes", "disclosure_rules"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6}), "disclosure_rules": forms.Textarea(attrs={"rows": 8})}


class CategoryForm(Plain, forms.Form):
    name = forms.CharField(label="分类名称", max_length=100)
    code = forms.CharField(label="分类代码", max_length=40, required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"] = CategoryChoice(agency, label="上级分类", required=False)
        self.fields["parent"].choices = [("", "（顶级分类）")] + self.fields["parent"].choices[1:]


class WordListForm(Plain, forms.Form):
    entries = forms.CharField(label="词条", widget=forms.Textarea(attrs={"rows": 10}), required=False,
                              help_text="每行一条；错误表述写作“错误写法 → 正确写法”，敏感词每行一个词；# 之后为说明")
    use_defaults = forms.BooleanField(label="同时使用系统默认词表", required=False, initial=True,
                                      help_text="关闭默认词表或删除敏感词须由审核人办理并写明理由")
    reason = forms.CharField(label="修改说明", max_length=200, required=False)
