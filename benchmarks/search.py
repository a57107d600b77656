"""Full-text search over 1,000,000 published catalogue items on PostgreSQL: p50 / p95 of
``gongkai.apps.search.services.search`` (count, ranked page of 20, items, highlighted snippets).
Counts above ``EXACT_UP_TO`` are estimates from the newest items (``docs/portal.md``); the
figures say how many were.

Run: .venv/bin/python benchmarks/search.py [--items 1000000] [--queries 200]
Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/gongkai_bench_search); creates and
migrates the database and generates the items and their index once (a later run reuses them).
Target: p95 under 100 ms.

The items are realistic Chinese: titles and sentences made from a vocabulary of government
business (低保, 医疗保障, 政府采购, ...), written with COPY. Their index rows hold exactly the
terms ``services.entry_fields`` gives (checked on a sample): each distinct title and sentence is
segmented once by the same ``segment.words`` / ``segment.grams``, since jieba cuts at
punctuation anyway.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from databases import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench_search"
TARGET_MS = 100
AGENCIES = 20
SEED = 20261121
PROTOTYPE_TITLE = "基准测试原型信息"

PLACES = ["城关镇", "东湖街道", "西山乡", "南河镇", "北塘街道", "青石镇", "柳林乡", "白沙镇", "红旗街道", "新华街道",
          "长安镇", "龙泉乡", "太平镇", "永安街道", "双河镇", "石桥乡", "金山街道", "清水镇", "黄土乡", "高新区"]
SUBJECTS = ["最低生活保障", "城乡低保", "特困人员供养", "临时救助", "医疗保障", "城乡居民医保", "养老服务", "住房保障",
            "公租房", "义务教育", "学前教育", "就业创业", "职业技能培训", "农村公路", "饮水安全", "乡村振兴",
            "耕地保护", "土地征收", "征地补偿", "生态环境保护", "大气污染防治", "河长制", "安全生产", "消防安全",
            "食品安全", "药品监管", "市场监管", "行政许可", "行政处罚", "政府采购", "财政预算", "部门决算",
            "三公经费", "国有资产", "防汛抗旱", "森林防火", "退役军人优抚", "残疾人补贴", "高龄津贴", "殡葬改革",
            "老旧小区改造", "营商环境", "招商引资", "重点项目", "统计公报", "人口普查", "文物保护", "公共文化服务"]
ACTIONS = ["关于印发{s}实施方案的通知", "关于调整{s}标准的通知", "关于开展{s}专项检查的通知", "{y}年{s}工作要点",
           "{y}年{s}资金分配情况公示", "关于{p}{s}工作情况的报告", "{p}{s}对象名单公示", "关于进一步加强{s}工作的意见",
           "{s}管理办法", "关于{y}年度{s}绩效评价结果的公告", "{p}关于{s}有关问题的批复", "关于做好{y}年{s}工作的通知"]
PREDICATES = ["严格按照规定程序办理", "实行动态管理，做到应保尽保", "资金全部通过银行代发", "接受社会监督",
              "由乡镇人民政府、街道办事处初审", "县级主管部门审核确认", "公示期为7天", "有异议的可以向县民政局反映",
              "标准提高到每人每月{n}元", "共涉及{n}户", "累计发放资金{n}万元", "比上年增长{m}%", "自{y}年1月1日起施行",
              "有效期五年", "各单位要高度重视，精心组织", "确保各项政策落实到位", "切实维护群众合法权益",
              "经县人民政府同意", "现将有关事项通知如下", "请认真贯彻执行"]


def vocabulary(rng: random.Random) -> tuple[list[str], list[str]]:
    titles = set()
    while len(titles) < 30_000:
        action = rng.choice(ACTIONS).format(s=rng.choice(SUBJECTS), y=rng.randint(2018, 2026), p=rng.choice(PLACES))
        prefix = rng.choice(PLACES + [""] * 5)
        titles.add(action if action.startswith(prefix) else prefix + action)
    sentences = set()
    while len(sentences) < 8_000:
        predicate = rng.choice(PREDICATES).format(n=rng.randint(2, 2000), m=rng.randint(1, 30), y=rng.randint(2018, 2026))
        sentences.add(f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}工作{predicate}。")
    return sorted(titles), sorted(sentences)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prototype():
    """A real published item, made through the catalogue's review: the other items copy its
    reviewers and approvals."""
    from django.contrib.auth import get_user_model

    from gongkai.apps.agencies.models import Agency, Membership
    from gongkai.apps.catalogue import items, review
    from gongkai.apps.catalogue.models import Category, Item

    found = Item.objects.filter(state=Item.State.PUBLISHED, title=PROTOTYPE_TITLE).first()
    if found:
        return found
    User = get_user_model()
    county = Agency.objects.create(name="基准测试县人民政府", kind=Agency.Kind.COUNTY, credit_code="113700000000000000")
    users = []
    for name, role in (("bench_handler", "handler"), ("bench_section", "approver"), ("bench_leader", "approver")):
        user = User.objects.create_user(name, password=None)
        Membership.objects.create(user=user, agency=county, role=role)
        users.append(user)
    category = Category.objects.create(agency=county, name="通知公告")
    item = items.create_item(users[0], county, category=category, title=PROTOTYPE_TITLE, summary="原型。",
                                 publisher=county.name, made_on=date.today() - timedelta(days=3))
    review.submit(users[0], item)
    review.approve_section(users[1], item, "经审查，同意公开")
    return review.approve_leader(users[2], Item.objects.get(pk=item.pk), "同意发布")


def generate(count: int, rng: random.Random) -> None:
    from django.db import connection
    from django.db.models import JSONField

    from gongkai.apps.agencies.models import Agency
    from gongkai.apps.catalogue.models import Category, Item
    from gongkai.apps.search.models import SearchEntry
    from gongkai.apps.search.segment import grams, words
    from gongkai.apps.search.services import entry_fields

    proto = prototype()
    agencies = list(Agency.objects.filter(name__startswith="基准测试部门"))
    for n in range(len(agencies), AGENCIES):
        agencies.append(Agency.objects.create(name=f"基准测试部门{n + 1}", kind=Agency.Kind.DEPARTMENT,
                                              parent=proto.agency, credit_code=f"11370000000000{n + 1:04d}"))
    categories = {}
    for agency in agencies:
        categories[agency.pk] = [Category.objects.get_or_create(agency=agency, name=name, parent=None)[0].pk
                                 for name in ("政策文件", "社会救助", "财政信息", "通知公告", "人事信息")]
    existing = Item.objects.exclude(pk=proto.pk).count()
    migration = importlib.import_module("gongkai.apps.search.migrations.0002_period_terms")
    if existing >= count:
        print(f"已有 {existing} 条生成的信息，直接使用")
        with connection.cursor() as cursor:  # the GIN indexes, if a load was cut off before it built them
            for sql in migration.CREATE_INDEXES:
                cursor.execute(sql)
        return
    titles, sentences = vocabulary(rng)
    started = time.perf_counter()
    title_terms = {t: (words(t), grams(t)) for t in titles}
    sentence_terms = {s: (words(s), grams(s)) for s in sentences}
    print(f"分词：{len(titles)} 个标题、{len(sentences)} 个句子，{time.perf_counter() - started:.1f} 秒")

    fields = [f for f in Item._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    base = {f.attname: getattr(proto, f.attname) for f in fields}
    today = date.today()
    entry_columns = ["item_id", "agency_id", "category_id", "published_on", "title", "title_words", "text_words", "grams"]
    sample = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM catalogue_item")
        next_id = cursor.fetchone()[0] + 1
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('catalogue_item', 'id'), {next_id + count})")
    raw = connection.connection
    with raw.cursor() as cursor:
        for sql in migration.DROP_INDEXES:  # the GIN indexes, built again after the load
            cursor.execute(sql)
    started = time.perf_counter()
    batch = 100_000
    for start in range(existing, count, batch):
        items, entries = [], []
        for i in range(start, min(count, start + batch)):
            agency = rng.choice(agencies)
            title = rng.choice(titles)
            summary_sentences = rng.sample(sentences, 2)
            body_sentences = rng.sample(sentences, 3)
            made = today - timedelta(days=rng.randint(5, 3000))
            published = made + timedelta(days=rng.randint(0, 4))
            row = dict(base, agency_id=agency.pk, category_id=rng.choice(categories[agency.pk]), title=title,
                       summary="".join(summary_sentences), body="\n".join(body_sentences), document_number="",
                       index_number=f"{agency.credit_code}/{made.year}-{i:07d}", publisher=agency.name, made_on=made, published_on=published,
                       due_on=made + timedelta(days=28))
            item_id = next_id + i - existing
            items.append([item_id] + [json.dumps(row[f.attname], ensure_ascii=False) if isinstance(f, JSONField)
                                      else row[f.attname] for f in fields])
            text_words, text_grams = {}, {}
            for part in summary_sentences + body_sentences + [row["index_number"], row["publisher"]]:
                w, g = sentence_terms.get(part) or (words(part), grams(part))
                text_words.update(dict.fromkeys(w))
                text_grams.update(dict.fromkeys(g))
            t_words, t_grams = title_terms[title]
            all_grams = dict.fromkeys(t_grams)
            all_grams.update(text_grams)
            entries.append([item_id, agency.pk, row["category_id"], published, title, " ".join(t_words),
                            " ".join(text_words), " ".join(all_grams)])
            if len(sample) < 200 and rng.random() < 0.001:
                sample.append((item_id, set(t_words), set(text_words), set(all_grams)))
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY catalogue_item (id, {', '.join(columns)}) FROM STDIN") as copy:
                for values in items:
                    copy.write_row(values)
            with cursor.copy(f"COPY {SearchEntry._meta.db_table} ({', '.join(entry_columns)}) FROM STDIN") as copy:
                for values in entries:
                    copy.write_row(values)
        raw.commit()
        done = min(count, start + batch)
        print(f"  已写入 {done} 条（{time.perf_counter() - started:.0f} 秒）", flush=True)
    started = time.perf_counter()
    with raw.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for sql in migration.CREATE_INDEXES:
            cursor.execute(sql)
        cursor.execute("ANALYZE catalogue_item")
        cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
    raw.commit()
    print(f"建立 GIN 索引：{time.perf_counter() - started:.0f} 秒")
    # The index rows are those entry_fields gives.
    for item_id, t_words, text_words, all_grams in sample:
        expected = entry_fields(Item.objects.get(pk=item_id))
        assert set(expected["title_words"].split()) == t_words
        assert set(expected["text_words"].split()) == text_words
        assert set(expected["grams"].split()) == all_grams
    print(f"抽查 {len(sample)} 条：索引内容与 entry_fields 一致")


def queries(n: int, rng: random.Random) -> list[tuple[str, str]]:
    two = ["低保", "医保", "养老", "住房", "采购", "预算", "决算", "补贴", "救助", "公示", "标准", "许可", "处罚", "防汛",
           "教育", "就业", "公路", "饮水", "环境", "消防", "食品", "药品", "文物", "统计", "残疾", "优抚", "殡葬", "招商",
           "资金", "名单", "低", "保", "镇", "乡"]
    words = ["最低生活保障", "特困人员供养", "临时救助", "城乡居民医保", "政府采购", "财政预算", "三公经费", "乡村振兴",
             "安全生产", "食品安全", "行政许可", "征地补偿", "老旧小区改造", "营商环境", "职业技能培训", "公共文化服务",
             "高龄津贴", "森林防火", "大气污染防治", "统计公报"]
    phrases = ["城乡低保标准调整", "关于调整最低生活保障标准的通知", "临时救助资金分配情况公示", "政府采购管理办法",
               "财政预算绩效评价结果", "城关镇城乡低保对象名单公示", "关于开展安全生产专项检查的通知",
               "2025年乡村振兴工作要点", "关于做好2024年防汛抗旱工作的通知", "残疾人补贴资金全部通过银行代发",
               "住房保障实行动态管理", "义务教育经费比上年增长", "东湖街道养老服务工作", "食品安全 药品监管",
               "关于进一步加强河长制工作的意见", "不存在的词语组合火星移民"]
    out = []
    for i in range(n):
        kind = ("两字", "词语", "短语")[i % 3]
        out.append((kind, rng.choice({"两字": two, "词语": words, "短语": phrases}[kind])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    ensure_database(url)
    setup_django(url)
    rng = random.Random(SEED)
    generate(args.items, rng)

    from gongkai.apps.search.models import SearchEntry
    from gongkai.apps.search.services import EXACT_UP_TO, search

    print(f"索引中的已发布信息：{SearchEntry.objects.count()} 条")
    asked = queries(args.queries, random.Random(SEED + 1))
    for _, text in asked[:10]:  # warm the connection and the caches
        search(text)
    times: dict[str, list[float]] = {}
    found, estimated = [], 0
    for kind, text in asked:
        start = time.perf_counter()
        results = search(text)
        elapsed = (time.perf_counter() - start) * 1000
        times.setdefault(kind, []).append(elapsed)
        times.setdefault("全部", []).append(elapsed)
        found.append(results.total)
        estimated += results.estimated
    print(f"{len(asked)} 次检索（每次：计数、排序取第一页 20 条、读取信息、生成高亮摘要）：")
    for kind in ("两字", "词语", "短语", "全部"):
        values = sorted(times[kind])
        p95 = values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]
        print(f"  {kind}：{len(values)} 次，p50 {statistics.median(values):.1f} ms，p95 {p95:.1f} ms，"
              f"最慢 {values[-1]:.1f} ms")
    overall = sorted(times["全部"])
    p95 = overall[min(len(overall) - 1, int(round(0.95 * len(overall))) - 1)]
    print(f"  命中条数：中位数 {statistics.median(found):.0f}，超过 1000 条的 {sum(f >= 1000 for f in found)} 次，"
          f"无结果 {sum(f == 0 for f in found)} 次；条数为估计数（超过 {EXACT_UP_TO} 条时从最新的信息推算）的 {estimated} 次")
    print(f"目标 p95 < {TARGET_MS} ms：{'达到' if p95 < TARGET_MS else '未达到'}（p95 {p95:.1f} ms）")
    accuracy(sorted({text for _, text in asked}))


def accuracy(texts: list[str]) -> None:
    """How far the estimated counts are from the true ones (counted here over the whole index)."""
    from django.db import connection

    from gongkai.apps.search.services import _tsquery, search

    errors = []
    for text in texts:
        results = search(text)
        if not results.estimated:
            continue
        column = "grams_vector" if results.query.mode == "grams" or results.by_grams else "document"
        terms = results.query.fallback if results.by_grams else results.query.terms
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM search_searchentry WHERE {column} @@ %s::tsquery", [_tsquery(terms)])
            true = cursor.fetchone()[0]
        errors.append(abs(results.found - true) / true)
    errors.sort()
    print(f"估计数与实际条数之差（{len(errors)} 个不同的检索词）：中位数 {statistics.median(errors):.1%}，"
          f"最大 {errors[-1]:.1%}")


if __name__ == "__main__":
    main()
