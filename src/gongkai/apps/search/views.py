"""The office's list of search synonyms (检索同义词): shown, added, changed, removed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.apps.agencies.permissions import may_manage_shared_tables

from . import synonyms
from .models import Synonym


class SynonymForm(forms.Form):
    term = forms.CharField(label="简称或俗称", max_length=40, help_text="群众检索时常用的说法，例如：低保")
    expansion = forms.CharField(label="规范名称", max_length=80, help_text="文件中的正式名称，例如：最低生活保障")

    def clean(self):
        data = super().clean()
        if data.get("term") and data.get("term") == data.get("expansion"):
            raise forms.ValidationError("简称和规范名称相同，无需设置")
        return data


def _require(user) -> None:
    if not may_manage_shared_tables(user):
        raise PermissionDenied("只有审核/负责人或系统管理员可以维护检索同义词")


@login_required
@require_http_methods(["GET", "POST"])
def synonym_list(request, pk: int | None = None):
    _require(request.user)
    editing = get_object_or_404(Synonym, pk=pk) if pk is not None else None
    form = SynonymForm(request.POST or None, initial={"term": editing.term, "expansion": editing.expansion} if editing else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = synonyms.save_synonym(form.cleaned_data["term"], form.cleaned_data["expansion"], request.user, editing)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None,
                               ["该简称已经设置过" if "already exists" in p or "已存在" in p else p for p in problems])
        else:
            messages.success(request, f"已保存：检索“{saved.term}”也能找到“{saved.expansion}”，反之亦然；相关信息的检索索引已更新。")
            return redirect("search:synonyms")
    return render(request, "search/synonyms.html", {"form": form, "editing": editing,
                                                     "synonyms": Synonym.objects.select_related("updated_by")})


@login_required
@require_POST
def synonym_delete(request, pk: int):
    _require(request.user)
    synonym = get_object_or_404(Synonym, pk=pk)
    synonyms.delete_synonym(synonym)
    messages.success(request, f"已删除：{synonym.term} → {synonym.expansion}；相关信息的检索索引已更新。")
    return redirect("search:synonyms")
