from django.core.management.base import BaseCommand

from gongkai.apps.search.services import rebuild


class Command(BaseCommand):
    help = "重建全文检索索引：清空后按全部已发布的主动公开信息重新分词建立"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000, help="每批写入的条数（默认 1000）")

    def handle(self, *args, batch_size: int, **options):
        count = rebuild(batch_size=batch_size)
        self.stdout.write(f"已重建检索索引：{count} 条已发布信息")
