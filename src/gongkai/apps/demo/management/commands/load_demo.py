"""``gongkai-manage load_demo [--cases N] [--seed S] [--force]``: load the demo county
(``gongkai.apps.demo.county.generate``). Refuses a database that already has applications unless
``--force``, which adds another demo county beside them; nothing is ever deleted."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.agencies.models import Agency
from gongkai.apps.demo import county as demo
from gongkai.apps.demo.accounts import print_guide
from gongkai.apps.cases.models import Application

# Further demo counties for --force: (name, username prefix)
COUNTIES = [(demo.COUNTY, ""), ("绿水县", "lvshui_"), ("白云县", "baiyun_"), ("红石县", "hongshi_"), ("金河县", "jinhe_")]


def free_county() -> tuple[str, str]:
    for name, prefix in COUNTIES:
        if not Agency.objects.filter(name=f"{name}人民政府", parent=None).exists():
            return name, prefix
    raise CommandError("演示县的名称已全部使用，不再添加")


class Command(BaseCommand):
    help = "载入演示数据：一个县（县政府、30个部门、19个乡镇街道）、各角色人员和两个年度的依申请公开台账"

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=demo.DEFAULT_CASES, help=f"申请件数（默认 {demo.DEFAULT_CASES}）")
        parser.add_argument("--seed", type=int, default=2025, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--force", action="store_true", help="数据库中已有申请时，仍然另外添加一个演示县（不删除任何数据）")

    def handle(self, *args, cases: int, seed: int, force: bool, **options):
        if cases < 0:
            raise CommandError("申请件数不能为负数")
        if Application.objects.exists() and not force:
            raise CommandError("数据库中已有申请，不载入演示数据（如确需另外添加一个演示县，请加 --force；不会删除任何数据）")
        name, prefix = free_county()
        self.stdout.write(f"正在生成演示数据：{name}，{cases} 件申请……")
        result = demo.generate(cases=cases, seed=seed, county=name, prefix=prefix)
        made = "，".join(f"{year}年 {n} 件" for year, n in result.cases.items())
        self.stdout.write(f"已生成 {len(result.county.agencies)} 个机关、{len(result.county.accounts)} 个账号；"
                          f"申请 {made}；行政复议、行政诉讼 {result.appeals} 件；{result.closed_year}年度已结转。")
        print_guide(self.stdout, result.county)
