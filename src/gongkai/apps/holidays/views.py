"""The holiday table in the staff pages: the years, a year's days, entering a notice."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.apps.agencies.permissions import may_manage_shared_tables, visible_agencies
from gongkai.core.casework.holiday_notice import NoticeError

from . import services
from .forms import DayForm, NoticeForm
from .models import HolidayDay, NoticeYear


def _require(user) -> None:
    if not may_manage_shared_tables(user):
        raise PermissionDenied("只有审核/负责人或系统管理员可以维护节假日安排")


@login_required
@require_GET
def index(request):
    _require(request.user)
    return render(request, "holidays/index.html", {"years": services.years()})


@login_required
@require_http_methods(["GET", "POST"])
def notice(request):
    _require(request.user)
    preview = None
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            year, text = form.cleaned_data["year"], form.cleaned_data["text"]
            visible = visible_agencies(request.user)
            try:
                if "confirm" in request.POST:
                    entered = services.enter_notice(text, year, form.cleaned_data["title"], visible)
                    messages.success(request, f"{year}年节假日安排已录入：放假{len(entered.holidays)}天，调休上班"
                                              f"{len(entered.workdays)}天；{entered.changed_total}件在办申请的答复期限已重新计算。")
                    return render(request, "holidays/entered.html", {"preview": entered})
                preview = services.preview_notice(text, year, visible)
            except NoticeError as error:
                form.add_error("text", str(error))
    else:
        form = NoticeForm(initial={"year": date.today().year + 1})
    return render(request, "holidays/notice.html", {"form": form, "preview": preview})


@login_required
@require_http_methods(["GET", "POST"])
def year(request, year: int):
    _require(request.user)
    form = DayForm(initial={"day": date(year, 1, 1)})
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                day = date.fromisoformat(request.POST["remove"])
            except ValueError:
                messages.error(request, "日期无效")
                return redirect("holidays:year", year=year)
            if services.remove_day(day):
                messages.success(request, f"已删除{day.isoformat()}的安排，在办申请的答复期限已重新计算。")
            return redirect("holidays:year", year=year)
        form = DayForm(request.POST)
        if form.is_valid():
            try:
                entry = services.add_day(form.cleaned_data["day"], form.cleaned_data["workday"], form.cleaned_data["name"])
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, f"已保存：{entry}；在办申请的答复期限已重新计算。")
                return redirect("holidays:year", year=entry.day.year)
    days = HolidayDay.objects.filter(day__year=year).order_by("day")
    return render(request, "holidays/year.html", {"year": year, "days": days, "form": form,
                                                   "notice": NoticeYear.objects.filter(year=year).first(),
                                                   "library": services.library_covers(year)})
