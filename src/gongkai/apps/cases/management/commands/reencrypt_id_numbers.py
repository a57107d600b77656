"""``gongkai-manage reencrypt_id_numbers``: encrypt every stored ID number again with the first
field key and recompute its digest with the current digest key — the second half of a key rotation
(docs/privacy.md). Each number is read with any of the configured keys; nothing else changes and
nothing is recorded in the case histories (the cases' contents are the same)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from gongkai.apps.cases.models import Application


class Command(BaseCommand):
    help = "用当前第一个密钥重新加密全部身份证件号码并重新计算其摘要（更换密钥后运行）"

    def handle(self, *args, **options):
        done = 0
        ids = list(Application.objects.exclude(id_number_digest="").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                for application in Application.objects.filter(pk__in=ids[start:start + 500]).only("pk", "id_number"):
                    application.save(update_fields=["id_number"])
                    done += 1
        self.stdout.write(f"已重新加密{done}个身份证件号码")
