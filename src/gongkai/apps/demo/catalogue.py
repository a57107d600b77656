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

# Each subject with its 主题分类 (core.casework.catalogue.TOPICS).
SUBJECT_TOPICS = {
    "城乡居民最低生活保障标准": "16", "农村危房改造补助资金": "09", "义务教育阶段学校招生": "10", "城区道路改造工程": "09",
    "高标准农田建设项目": "05", "养老服务补贴": "16", "公共租赁住房配租": "09", "生态环境保护督察整改": "09",
    "食品安全抽检结果": "08", "重大行政决策事项目录": "01", "政府工作报告重点任务": "01", "财政预算执行情况": "03",
    "城乡医疗救助": "16", "退役军人优待": "14", "安全生产专项整治": "08", "乡村振兴衔接资金": "05",
    "河道清淤疏浚工程": "05", "应急避难场所建设": "01",
}
SUBJECTS = tuple(SUBJECT_TOPICS)
DISCLOSURE_RULES = (
    "一、主动公开制度：属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内通过县政府门户网站政府信息公开专栏公开，"
    "并按政府信息公开目录编制索引号、主题分类。",
    "二、依申请公开制度：县政府办公室政务公开科统一受理、登记依申请公开事项，按《中华人民共和国政府信息公开条例》"
    "规定的期限答复；答复文书经科室负责人审核、分管领导签发。",
    "三、保密审查制度：公开前由承办科室和政务公开科两级审查，不得公开涉及国家秘密、工作秘密、商业秘密和个人隐私的信息。",
    "四、政策解读制度：以县政府名义印发的行政规范性文件，与文件同步发布政策解读。",
    "五、监督考核制度：政府信息公开工作纳入年度绩效考核，每年1月31日前向社会公布上一年度工作年度报告。",
)
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
        reason="演示数据", disclosure_rules="\n".join(DISCLOSURE_RULES))
    interpretation_category = Category.objects.get(agency=government, name="政策解读")
    leaves = list(Category.objects.filter(agency=government, children__isnull=True)
                  .exclude(pk=interpretation_category.pk))
    number = published = 0
    while published < count:  # ``count`` items, the interpretations included
        number += 1
        # The first is always the 低保 standard with its interpretation: what the portal's search
        # box gives as its example (portal.catalogue_views.SEARCH_EXAMPLES) must find something.
        subject = SUBJECTS[0] if number == 1 else rng.choice(SUBJECTS)
        made_on = today - timedelta(days=rng.randint(5, 330))
        normative = number == 1 or rng.random() < 0.15
        fields = {
            "category": rng.choice(leaves), "publisher": government.name, "made_on": made_on,
            "title": rng.choice(FORMS).format(subject),
            "summary": f"{government.name}就{subject}有关事项作出安排，现予公开。",
            "body": f"为做好{subject}工作，根据有关规定，结合本县实际，现将有关事项通知如下。\n"
                    f"一、工作目标。\n二、主要措施。\n三、工作要求。各乡镇（街道）、各有关部门要认真抓好落实。",
            "kind": Item.Kind.NORMATIVE_DOCUMENT if normative else Item.Kind.OTHER,
            "topic": SUBJECT_TOPICS[subject], "written_on": made_on - timedelta(days=rng.randint(0, 3)),
        }
        if normative:
            fields.update(document_number=f"青政规〔{made_on.year}〕{number}号", effective_on=made_on)
        item = _publish(staff, leader, government, fields, min(today, made_on + timedelta(days=rng.randint(1, 20))))
        published += 1
        if normative and published < count:
            published += 1
            # Its 政策解读, published the same day and linked to it.
            _publish(staff, leader, government, {
                "category": interpretation_category, "publisher": government.name, "made_on": item.made_on,
                "title": f"《{item.title}》政策解读", "summary": f"解读{item.document_number}的出台背景、主要内容和适用对象。",
                "body": f"一、出台背景。\n二、主要内容：{subject}的对象、标准和程序。\n三、适用对象和施行时间。",
                "topic": item.topic, "written_on": item.published_on, "interprets": item}, item.published_on)
    return [(leader.username, government.name, "审核/负责人（分管领导）")]


def _publish(staff, leader, agency, fields: dict, on: date) -> Item:
    """An item drafted by the handler and published through both reviews on ``on``."""
    item = items.create_item(staff.handler, agency, **fields)
    item = review.submit(staff.handler, item)
    item = review.approve_section(staff.approver, item, "经审查，该信息不涉及国家秘密、工作秘密和个人隐私，同意公开。")
    return review.approve_leader(leader, item, "同意发布。", on=on)
