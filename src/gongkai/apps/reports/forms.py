"""The office's parts of the report: table 2 (one field per cell of ``standard.ACTIVE``) and the
narrative of the six sections with the signature date and contacts."""

from __future__ import annotations

from django import forms

from gongkai.core import standard

from .services import DECIMAL_PLACES


def cell_name(row: str, column: str) -> str:
    return f"{row}__{column}"


class Table2Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout: list[tuple[standard.RowSpec, list[forms.BoundField]]] = []
        for row in standard.ACTIVE.rows:
            for column in row.columns:
                label = f"{row.label} · {column.label}"
                if column.decimal:
                    field = forms.DecimalField(label=label, min_value=0, decimal_places=DECIMAL_PLACES,
                                               max_digits=14)
                else:
                    field = forms.IntegerField(label=label, min_value=0)
                field.error_messages.update(required="请填写（没有的请填 0）", invalid="应为数字",
                                            min_value="不能为负数")
                self.fields[cell_name(row.key, column.key)] = field
        for row in standard.ACTIVE.rows:
            self.layout.append((row, [self[cell_name(row.key, c.key)] for c in row.columns]))

    @classmethod
    def initial_from(cls, table2: dict) -> dict:
        return {cell_name(r, c): v for r, columns in table2.items() for c, v in (columns or {}).items()}

    def values(self) -> dict:
        return {row.key: {c.key: self.cleaned_data[cell_name(row.key, c.key)] for c in row.columns}
                for row in standard.ACTIVE.rows}


class NarrativeForm(forms.Form):
    published_on = forms.DateField(label="落款日期", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    website = forms.CharField(label="报告发布网址", required=False, max_length=200)
    address = forms.CharField(label="联系地址", required=False, max_length=200)
    telephone = forms.CharField(label="联系电话", required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in standard.SECTIONS:
            help_text = ""
            if spec.key == "overview":
                help_text = "未写依申请公开情况的，生成报告时按表三、表四的数字补写一段"
            elif spec.key == "other_matters":
                help_text = "未写信息处理费收取情况的，生成报告时按台账中的缴费记录补写"
            self.fields[spec.key] = forms.CharField(
                label=f"{standard.chinese_numeral(spec.number)}、{spec.heading}", required=False,
                widget=forms.Textarea(attrs={"rows": 6 if spec.table is None else 3}), help_text=help_text)

    def section_fields(self) -> list[forms.BoundField]:
        return [self[s.key] for s in standard.SECTIONS]

    def sections(self) -> dict[str, str]:
        return {s.key: self.cleaned_data[s.key] for s in standard.SECTIONS}
