"""``gongkai-manage demo [--port 8000] [--no-serve]``: migrate, load the demo county if the
database has no applications, print the address and which demo account to use for what (also
shown on the login page while it serves), then serve on 127.0.0.1
with what the task queue needs beside the web server: Redis (a private ``redis-server`` when the
configured one does not answer) and a worker process, both stopped when the demo stops."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from gongkai.apps.cases.models import Application
from gongkai.apps.demo import county as demo
from gongkai.apps.demo.accounts import as_setting, print_guide
from gongkai.apps.supervision.services import queue_for_demo


class Command(BaseCommand):
    help = "演示：建立数据库、载入演示数据（数据库为空时），并在本机启动网站"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网站")
        parser.add_argument("--cases", type=int, default=demo.DEFAULT_CASES,
                            help=f"数据库为空时生成的申请件数（默认 {demo.DEFAULT_CASES}）")

    def handle(self, *args, port: int, no_serve: bool, cases: int, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已就绪。")
        if not Application.objects.exists():
            self.stdout.write(f"数据库中没有申请，正在载入演示数据（{cases} 件申请，逐件经登记、办理、审核签发，需要几分钟）……")
            county = demo.generate(cases=cases).county
            self.stdout.write("演示数据已载入。")
        else:
            self.stdout.write("数据库中已有申请，不再载入演示数据。")
            county = demo.existing_county()
        if county is not None:
            print_guide(self.stdout, county, port)
        else:
            self.stdout.write(f"请在浏览器中打开 http://127.0.0.1:{port}/ ，用已有账号登录。")
        if no_serve:
            return
        if county is not None:  # the login page shows the same guide while the demo serves
            settings.DEMO_ACCOUNTS = as_setting(county)
        with queue_for_demo(self.stdout):
            self.stdout.write("按 Ctrl+C 停止。")
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)

