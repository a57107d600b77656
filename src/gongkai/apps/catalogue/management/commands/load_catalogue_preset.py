"""``gongkai-manage load_catalogue_preset --agency ID --preset national|grassroots``: add the
national basic categories or the 26 grass-roots areas to an agency's catalogue tree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.apps.agencies.models import Agency
from gongkai.apps.catalogue.categories import load_preset
from gongkai.core.casework.catalogue import PRESETS


class Command(BaseCommand):
    help = "为机关的政府信息公开目录载入预置分类（national：基本目录；grassroots：基层政务公开标准目录26个领域）"

    def add_arguments(self, parser):
        parser.add_argument("--agency", type=int, required=True, help="机关编号（ID）")
        parser.add_argument("--preset", required=True, choices=sorted(PRESETS), help="预置目录")

    def handle(self, *args, agency: int, preset: str, **options):
        chosen = Agency.objects.filter(pk=agency).first()
        if chosen is None:
            raise CommandError(f"没有编号为 {agency} 的机关")
        try:
            added = load_preset(chosen, preset)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"“{chosen}”已载入{PRESETS[preset][0]}：新增分类 {added} 个")
