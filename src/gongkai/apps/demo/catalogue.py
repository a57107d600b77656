"""Published items for the demo county's government, made through the real review: drafted by
its handler, approved by its section head (the approver) and its leader (a second approver,
``<code>_lingdao``), so that the demo portal, its search and its feeds have content."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from gongkai.apps.agencies.models import Membership

from gongkai.apps.catalogue import categories, guide, index_numbers, items, review
from gongkai.apps.catalogue.models import Category, Item

SUBJECTS = ("城乡居民最低生活保障标准", "农村危房改造补助资金", "义务教育阶段学校招生", "城区道路改造工程",
            "高标准农田建设项目", "养老服务补贴", "公共租赁住房配租", "生态环境保护督察整改", "食品安全抽检结果",
            "重大行政决策事项目录", "政府工作报告重点任务", "财政预算执行情况", "城乡医疗救助", "退役军人优待",
            "安全生产专项整治", "乡村振兴衔接资金", "河道清淤疏浚工程", "应急避难场所建设")
FORMS = ("关于调整{0}的通知", "关于公布{0}的公告", "关于印发{0}实施方案的通知", "{0}情况公示", "关于做好{0}工作的意见")


def publish_demo_items(county, today: date, seed: int, count: int = 60, password: str = "") -> list[tuple[str, str, str]]:
    """Publish ``count`` items of the county government over the past year; the leader's account
    as (username, agency, role), to be listed with the demo accounts."""
    rng = random.Random(seed)
    government = county.government
    staff = county.staff[government.pk]
    username = staff.approver.username.rsplit("_", 1)[0] + "_lingdao"
    leader = get_user_model().objects.create(username=username, first_name="分管领导",
                                             password=make_password(password) if password else "!")
    Membership.objects.create(user=leader, agency=government, role=Membership.Role.APPROVER)
    index_numbers.save_settings(staff.approver, government, "011503721", "slash_year")  # a fictional organisation code
    categories.load_preset(government, "national")
    guide.save_guide_supplement(
        staff.approver, government, office_hours="工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）",
        email="zwgk@qingshan.example.gov.cn",
        notes=f"{government.name}主动公开的政府信息，同时通过县政府门户网站、“青山发布”微信公众号和县政务服务中心"
              "政府信息公开查阅点公开。\n查阅点设在县政务服务中心一楼，提供政府公报和主动公开文件的免费查阅。",
        reason="演示数据")
    leaves = list(Category.objects.filter(agency=government, children__isnull=True))
    for number in range(1, count + 1):
        subject = rng.choice(SUBJECTS)
        made_on = today - timedelta(days=rng.randint(5, 330))
        normative = rng.random() < 0.15
        fields = {
            "category": rng.choice(leaves), "publisher": government.name, "made_on": made_on,
            "title": rng.choice(FORMS).format(subject),
            "summary": f"{government.name}就{subject}有关事项作出安排，现予公开。",
            "body": f"为做好{subject}工作，根据有关规定，结合本县实际，现将有关事项通知如下。\n"
                    f"一、工作目标。\n二、主要措施。\n三、工作要求。各乡镇（街道）、各有关部门要认真抓好落实。",
            "kind": Item.Kind.NORMATIVE_DOCUMENT if normative else Item.Kind.OTHER,
        }
        if normative:
            fields.update(document_number=f"青政规〔{made_on.year}〕{number}号", effective_on=made_on)
        item = items.create_item(staff.handler, government, **fields)
        item = review.submit(staff.handler, item)
        item = review.approve_section(staff.approver, item, "经审查，该信息不涉及国家秘密、工作秘密和个人隐私，同意公开。")
        published = min(today, made_on + timedelta(days=rng.randint(1, 20)))
        review.approve_leader(leader, item, "同意发布。", on=published)
    return [(leader.username, government.name, "审核/负责人（分管领导）")]
