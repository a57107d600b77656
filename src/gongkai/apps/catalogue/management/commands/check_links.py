"""``gongkai-manage check_links [--agency ID] [--timeout S]``: fetch the links written in the
catalogue's items (only the items' own links; HEAD, then GET) and record each result."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.agencies.models import Agency
from gongkai.apps.catalogue.models import Item
from gongkai.apps.catalogue.links import LINK_TIMEOUT_SECONDS, check_item_links


class Command(BaseCommand):
    help = "检查政府信息公开目录中各条信息正文里的链接能否访问，并记录结果"

    def add_arguments(self, parser):
        parser.add_argument("--agency", type=int, help="只检查该机关（编号）的信息")
        parser.add_argument("--timeout", type=float, default=LINK_TIMEOUT_SECONDS, help="每个链接的超时秒数")

    def handle(self, *args, agency: int | None, timeout: float, **options):
        items = Item.objects.exclude(state=Item.State.WITHDRAWN).filter(body__icontains="://") | \
            Item.objects.exclude(state=Item.State.WITHDRAWN).filter(summary__icontains="://")
        if agency is not None:
            if not Agency.objects.filter(pk=agency).exists():
                raise CommandError(f"没有编号为 {agency} 的机关")
            items = items.filter(agency_id=agency)
        checked = failed = 0
        for item in items.distinct().order_by("pk").iterator():
            for check in check_item_links(item, timeout):
                checked += 1
                if not check.ok:
                    failed += 1
                    self.stdout.write(f"{item.index_number} {check.url}：{check.error}")
        self.stdout.write(f"共检查链接 {checked} 个，不可访问 {failed} 个")
