"""The disclosure catalogue as rules and data, without a database.

- Index numbers (索引号): the national shape ``014416330/2018-04736`` (the publisher's
  9-character organisation code or 18-character unified social credit code, a slash, the year, a
  hyphen and a serial number) written in the format an agency chose (``INDEX_FORMATS``), and the
  local variants an office may enter for existing items — a year and month (``/201804-00012``),
  hyphens only (``014416330-2018-04736``), a text prefix (``某府办/2020-001``) — read by
  ``parse_index_number``.
- Wrong and sensitive wording (错敏词): ``WordRule``s (a wrong form with its correct form, or a
  sensitive word), the default lists every office starts from, the office's own lists read from
  text (``parse_word_lines``), and ``check_words``.
- Links: ``extract_links`` finds the addresses an item's text points to (checked by a job).
- Presets of the catalogue tree: the national basic categories (after 条例 Art. 20) and the 26
  areas of the grass-roots standard catalogue (国办发〔2019〕54号).
- The publication deadline: 20 working days after the information was made or changed (条例
  Art. 26), on the same working-day engine as the registry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from gongkai.core.casework.workdays import (
    ACTIVE_DISCLOSURE_WORKING_DAYS,
    DEFAULT_CALENDAR,
    Deadline,
    WorkCalendar,
    _explain,
    count_working_days,
    show,
)

# ----------------------------------------------------------------------------- channels

# Where an item was also published besides the catalogue (key, label).
CHANNELS: tuple[tuple[str, str], ...] = (
    ("portal", "门户网站"),
    ("new_media", "政务新媒体"),
    ("gazette", "政府公报"),
    ("notice_board", "公告栏"),
    ("service_centre", "政务服务中心查阅点"),
    ("other", "其他"),
)
CHANNEL_LABELS = dict(CHANNELS)

# The topic classification (主题分类) of the State Council's disclosure catalogue: the 21 classes
# of the 国务院政府信息公开目录 as the 中国政府网 policy library (www.gov.cn/zhengce/xxgk/) files its
# documents, taken over by most provincial and county catalogues. Keys are the classes' order
# (two digits), stable when a label is reworded.
TOPICS: tuple[tuple[str, str], ...] = (
    ("01", "综合政务"),
    ("02", "国民经济管理、国有资产监管"),
    ("03", "财政、金融、审计"),
    ("04", "国土资源、能源"),
    ("05", "农业、林业、水利"),
    ("06", "工业、交通"),
    ("07", "商贸、海关、旅游"),
    ("08", "市场监管、安全生产监管"),
    ("09", "城乡建设、环境保护"),
    ("10", "科技、教育"),
    ("11", "文化、广电、新闻出版"),
    ("12", "卫生、体育"),
    ("13", "人口与计划生育、妇女儿童工作"),
    ("14", "劳动、人事、监察"),
    ("15", "公安、安全、司法"),
    ("16", "民政、扶贫、救灾"),
    ("17", "民族、宗教"),
    ("18", "对外事务"),
    ("19", "港澳台侨工作"),
    ("20", "国防"),
    ("21", "其他"),
)
TOPIC_LABELS = dict(TOPICS)

# ------------------------------------------------------------------------ index numbers


class IndexNumberError(ValueError):
    """An index number or an index number setting that cannot be used (in Chinese, for people)."""


INDEX_NUMBER_MAX_LENGTH = 60
DEFAULT_SERIAL_DIGITS = 5

# key -> (template, label). ``{prefix}`` is the agency's code, ``{year}`` four digits,
# ``{month}`` two, ``{serial}`` the serial number padded to the agency's number of digits.
INDEX_FORMATS: dict[str, tuple[str, str]] = {
    "slash_year": ("{prefix}/{year}-{serial}", "机构代码/年份-序号（如 014416330/2026-00001）"),
    "slash_month": ("{prefix}/{year}{month}-{serial}", "机构代码/年月-序号（如 014416330/202603-00001）"),
    "hyphen": ("{prefix}-{year}-{serial}", "机构代码-年份-序号（如 014416330-2026-00001）"),
}
DEFAULT_INDEX_FORMAT = "slash_year"

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−－"), "-")
_INDEX = re.compile(
    r"^(?P<prefix>.*?)[/-]?(?P<year>(?:19|20)\d\d)(?P<month>0[1-9]|1[0-2])?[/-](?P<serial>\d{1,10})$"
)
_PREFIX_FORBIDDEN = re.compile(r"[\s/\\<>\"'`]")


@dataclass(frozen=True)
class IndexNumber:
    """An index number read into its parts (``month`` only where the number carries one)."""

    text: str
    prefix: str
    year: int
    month: int | None
    serial: int


def normalize_index_number(text: str) -> str:
    """Full-width characters to half width, the many dashes to "-", spaces removed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return re.sub(r"\s+", "", text)


def parse_index_number(text: str) -> IndexNumber:
    """Read an index number entered for an existing item, in the national shape or a local variant."""
    normal = normalize_index_number(text)
    if not normal:
        raise IndexNumberError("请填写索引号，或留空由系统自动编号")
    if len(normal) > INDEX_NUMBER_MAX_LENGTH:
        raise IndexNumberError(f"索引号过长（{len(normal)} 个字符，最多 {INDEX_NUMBER_MAX_LENGTH} 个）")
    if any(unicodedata.category(c).startswith("C") for c in normal):
        raise IndexNumberError("索引号中含有不可见的控制字符")
    match = _INDEX.match(normal)
    if match is None:
        raise IndexNumberError(
            f"索引号“{normal}”无法识别：应为“机构代码/年份-序号”（如 014416330/2018-04736），"
            "也可为“机构代码/年月-序号”“机构代码-年份-序号”或以文字开头的本地写法"
        )
    prefix = match["prefix"].rstrip("/-")
    month = int(match["month"]) if match["month"] else None
    return IndexNumber(normal, prefix, int(match["year"]), month, int(match["serial"]))


def check_index_prefix(prefix: str) -> str:
    """The agency's prefix as stored, or an IndexNumberError: an organisation code, a credit code
    or a short text, without spaces or slashes."""
    prefix = unicodedata.normalize("NFKC", prefix or "").strip()
    if not prefix:
        raise IndexNumberError("请填写索引号前缀（组织机构代码、统一社会信用代码或本地使用的文字前缀）")
    if len(prefix) > 30:
        raise IndexNumberError("索引号前缀最多 30 个字符")
    if _PREFIX_FORBIDDEN.search(prefix):
        raise IndexNumberError("索引号前缀不能含空格、斜杠或引号")
    return prefix


def format_index_number(fmt: str, prefix: str, year: int, month: int, serial: int,
                        digits: int = DEFAULT_SERIAL_DIGITS) -> str:
    """The index number of the ``serial``-th item of ``year`` in the agency's format."""
    if fmt not in INDEX_FORMATS:
        raise IndexNumberError(f"不认识的索引号格式：{fmt}")
    if not 1 <= digits <= 10:
        raise IndexNumberError("序号位数应在 1 到 10 之间")
    template, _ = INDEX_FORMATS[fmt]
    text = template.format(prefix=check_index_prefix(prefix), year=f"{year:04d}", month=f"{month:02d}",
                           serial=f"{serial:0{digits}d}")
    parse_index_number(text)  # every generated number is one the parser accepts
    return text


# ------------------------------------------------------------------ wrong and sensitive words

WRONG = "wrong"  # a wrong form, with the correct one (错)
SENSITIVE = "sensitive"  # a word to be reviewed before publication (敏)
WORD_KINDS = {WRONG: "错误表述", SENSITIVE: "敏感词"}


class WordListError(ValueError):
    """A line of a word list that cannot be read (in Chinese, naming the line)."""


@dataclass(frozen=True)
class WordRule:
    kind: str
    word: str
    correct: str = ""
    note: str = ""
    # Longer phrases that contain ``word`` and are right (农业部门 is not 农业部).
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class WordFinding:
    rule: WordRule
    start: int  # position in the text checked
    context: str  # the words around it

    @property
    def message(self) -> str:
        if self.rule.kind == WRONG:
            text = f"“{self.rule.word}”应为“{self.rule.correct}”"
        else:
            text = f"含敏感词“{self.rule.word}”，须经审核确认"
        return text + (f"（{self.rule.note}）" if self.rule.note else "")


_REORGANISED_2018 = "2018年国务院机构改革后的名称"
DEFAULT_WORDS: tuple[WordRule, ...] = (
    WordRule(WRONG, "中华人民共合国", "中华人民共和国"),
    WordRule(WRONG, "中华人民共各国", "中华人民共和国"),
    WordRule(WRONG, "中华人名共和国", "中华人民共和国"),
    WordRule(WRONG, "国务院办工厅", "国务院办公厅"),
    WordRule(WRONG, "国务院办公听", "国务院办公厅"),
    WordRule(WRONG, "国务院办公亭", "国务院办公厅"),
    WordRule(WRONG, "国物院", "国务院"),
    WordRule(WRONG, "人民政付", "人民政府"),
    WordRule(WRONG, "人民正府", "人民政府"),
    WordRule(WRONG, "政府信息公开条列", "政府信息公开条例"),
    WordRule(WRONG, "社会主意", "社会主义"),
    WordRule(WRONG, "中国共产觉", "中国共产党"),
    WordRule(WRONG, "全国人大常委", "全国人大常委会", "全称为全国人民代表大会常务委员会，简称不应省略“会”字"),
    WordRule(WRONG, "台湾政府", "台湾当局"),
    WordRule(WRONG, "台湾总统", "台湾地区领导人"),
    WordRule(WRONG, "国家工商行政管理总局", "国家市场监督管理总局", _REORGANISED_2018),
    WordRule(WRONG, "国家质量监督检验检疫总局", "国家市场监督管理总局", _REORGANISED_2018),
    WordRule(WRONG, "国家食品药品监督管理总局", "国家市场监督管理总局", _REORGANISED_2018 + "（药品另设国家药品监督管理局）"),
    WordRule(WRONG, "国土资源部", "自然资源部", _REORGANISED_2018, ("国土资源部门",)),
    WordRule(WRONG, "环境保护部", "生态环境部", _REORGANISED_2018, ("环境保护部门",)),
    WordRule(WRONG, "农业部", "农业农村部", _REORGANISED_2018, ("农业部门",)),
    WordRule(WRONG, "国家卫生和计划生育委员会", "国家卫生健康委员会", _REORGANISED_2018),
    WordRule(WRONG, "国家安全生产监督管理总局", "应急管理部", _REORGANISED_2018),
    WordRule(WRONG, "国家林业局", "国家林业和草原局", _REORGANISED_2018),
    WordRule(WRONG, "国务院法制办公室", "司法部", _REORGANISED_2018),
    WordRule(WRONG, "国家旅游局", "文化和旅游部", _REORGANISED_2018),
    WordRule(WRONG, "地方税务局", "税务局", "2018年国税地税征管体制改革后合并"),
    WordRule(WRONG, "中国银行保险监督管理委员会", "国家金融监督管理总局", "2023年党和国家机构改革后的名称"),
    WordRule(SENSITIVE, "中华民国"),
    WordRule(SENSITIVE, "台独"),
    WordRule(SENSITIVE, "港独"),
    WordRule(SENSITIVE, "法轮功"),
)

_ARROWS = re.compile(r"\s*(?:→|->|=>|＝>|⇒|=|\t)\s*")
CONTEXT_CHARACTERS = 12


def parse_word_lines(text: str, kind: str) -> list[WordRule]:
    """An office's word list as text: for wrong forms ``错误写法 → 正确写法 # 说明`` per line (also
    ``->``, ``=``, a tab), for sensitive words one word per line (``# 说明`` allowed)."""
    if kind not in WORD_KINDS:
        raise WordListError(f"不认识的词表类别：{kind}")
    rules: list[WordRule] = []
    seen: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), 1):
        line, _, note = line.partition("#")
        line, note = unicodedata.normalize("NFKC", line).strip(), note.strip()
        if not line:
            continue
        if kind == WRONG:
            parts = _ARROWS.split(line, maxsplit=1)
            if len(parts) != 2 or not parts[0] or not parts[1]:
                raise WordListError(f"第 {number} 行应写作“错误写法 → 正确写法”：{line}")
            word, correct = parts[0].strip(), parts[1].strip()
            if word == correct:
                raise WordListError(f"第 {number} 行的错误写法与正确写法相同：{word}")
        else:
            if _ARROWS.search(line):
                raise WordListError(f"第 {number} 行：敏感词表每行只写一个词：{line}")
            word, correct = line, ""
        if word in seen:
            raise WordListError(f"第 {number} 行的“{word}”在词表中重复")
        seen.add(word)
        rules.append(WordRule(kind, word, correct, note))
    return rules


def format_word_lines(rules: list[WordRule]) -> str:
    """The inverse of ``parse_word_lines``: a list as the text staff edit."""
    lines = []
    for rule in rules:
        line = f"{rule.word} → {rule.correct}" if rule.kind == WRONG else rule.word
        lines.append(line + (f" # {rule.note}" if rule.note else ""))
    return "\n".join(lines)


def _inside_allowed_phrase(text: str, start: int, rule: WordRule) -> bool:
    """Whether the wrong form found at ``start`` is part of its correct form or of an allowed phrase."""
    for phrase in (rule.correct, *rule.allowed):
        offset = phrase.find(rule.word) if phrase else -1
        while offset != -1:
            if start - offset >= 0 and text.startswith(phrase, start - offset):
                return True
            offset = phrase.find(rule.word, offset + 1)
    return False


def check_words(text: str, rules) -> list[WordFinding]:
    """Every occurrence of a rule's word in ``text``, in text order (a wrong form that is part of
    its correct form or of an allowed phrase — a short name inside the full name, 农业部 inside
    农业部门 — is not a finding)."""
    text = unicodedata.normalize("NFKC", text or "")
    findings: list[WordFinding] = []
    for rule in rules:
        word = unicodedata.normalize("NFKC", rule.word)
        if not word:
            continue
        start = text.find(word)
        while start != -1:
            if not (rule.kind == WRONG and _inside_allowed_phrase(text, start, rule)):
                context = text[max(0, start - CONTEXT_CHARACTERS):start + len(word) + CONTEXT_CHARACTERS]
                findings.append(WordFinding(rule, start, context.replace("\n", " ")))
            start = text.find(word, start + len(word))
    findings.sort(key=lambda f: (f.start, f.rule.word))
    return findings


# ------------------------------------------------------------------------------- links

# An address runs over printable ASCII except quotes and angle brackets (Chinese text around it ends it).
_URL_CHARACTERS = r"[!#-&(-;=?-~]"
_LINK = re.compile(rf"\b(?:(?:https?|ftp|file|data)://|javascript:){_URL_CHARACTERS}+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def extract_links(text: str) -> list[str]:
    """The addresses written in ``text`` (plain text or HTML), each once, in order of appearance."""
    links: list[str] = []
    for match in _LINK.finditer(unicodedata.normalize("NFKC", text or "")):
        link = match.group(0).rstrip(_TRAILING)
        if link and link not in links:
            links.append(link)
    return links


# ----------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class PresetCategory:
    name: str
    code: str
    children: tuple["PresetCategory", ...] = ()


def _node(code: str, name: str, *children: tuple[str, str]) -> PresetCategory:
    return PresetCategory(name, code, tuple(PresetCategory(n, c) for c, n in children))


# The national basic categories of a disclosure catalogue: what 条例 Art. 20 (and Art. 19, 21)
# requires agencies to publish, in the order most catalogues follow, and the column of the
# disclosure work itself (guide, rules, annual reports; Art. 12, 49–50).
NATIONAL_PRESET: tuple[PresetCategory, ...] = (
    _node("01", "机构职能", ("0101", "机构设置"), ("0102", "领导信息"), ("0103", "内设机构"),
          ("0104", "办公地址、办公时间和联系方式")),
    _node("02", "法规文件", ("0201", "规章"), ("0202", "行政规范性文件"), ("0203", "其他文件"),
          ("0204", "政策解读")),
    _node("03", "规划计划", ("0301", "国民经济和社会发展规划"), ("0302", "专项规划"), ("0303", "区域规划"),
          ("0304", "年度计划")),
    _node("04", "统计信息", ("0401", "统计数据"), ("0402", "统计公报")),
    _node("05", "行政许可和其他对外管理服务", ("0501", "依据、条件、程序"), ("0502", "办理结果")),
    _node("06", "行政处罚和行政强制", ("0601", "依据、条件、程序"), ("0602", "处罚决定")),
    _node("07", "财政信息", ("0701", "财政预算"), ("0702", "财政决算"), ("0703", "“三公”经费")),
    _node("08", "行政事业性收费", ("0801", "收费项目、依据和标准")),
    _node("09", "政府采购", ("0901", "采购目录和标准"), ("0902", "实施情况")),
    _node("10", "重大建设项目", ("1001", "批准服务信息"), ("1002", "实施信息")),
    _node("11", "重点领域信息", ("1101", "乡村振兴（扶贫）"), ("1102", "教育"), ("1103", "医疗卫生"),
          ("1104", "社会保障"), ("1105", "促进就业"), ("1106", "环境保护"), ("1107", "公共卫生"),
          ("1108", "安全生产"), ("1109", "食品药品"), ("1110", "产品质量")),
    _node("12", "应急管理", ("1201", "应急预案"), ("1202", "预警信息"), ("1203", "应对情况")),
    _node("13", "人事信息", ("1301", "公务员招考"), ("1302", "人事任免")),
    _node("14", "其他法定主动公开信息"),
    _node("15", "政府信息公开工作", ("1501", "政府信息公开指南"), ("1502", "政府信息公开制度"),
          ("1503", "政府信息公开年度报告")),
)

# The 26 areas of the grass-roots standard catalogue (基层政务公开标准目录), in the order of the
# pilot plan (国办发〔2017〕42号; 国办发〔2019〕54号 extended them to every county and township).
GRASSROOTS_AREAS: tuple[str, ...] = (
    "城乡规划", "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿",
    "国有土地上房屋征收与补偿", "环境保护", "公共文化服务", "公共法律服务", "扶贫", "救灾",
    "食品药品监管", "城市综合执法",
    "就业", "社会保险", "社会救助", "养老服务", "户籍管理", "涉农补贴", "义务教育", "医疗卫生",
    "市政服务", "农村危房改造", "保障性住房",
)
GRASSROOTS_PRESET: tuple[PresetCategory, ...] = (
    PresetCategory("基层政务公开标准目录", "JC",
                   tuple(PresetCategory(name, f"JC{number:02d}") for number, name in enumerate(GRASSROOTS_AREAS, 1))),
)

PRESETS: dict[str, tuple[str, tuple[PresetCategory, ...]]] = {
    "national": ("政府信息公开基本目录（《条例》第二十条）", NATIONAL_PRESET),
    "grassroots": ("基层政务公开标准目录（26个领域）", GRASSROOTS_PRESET),
}

# --------------------------------------------------------------------------- timeliness


def active_disclosure_deadline(made_on: date, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Deadline:
    """By when information made or changed on ``made_on`` is published (条例 Art. 26)."""
    count = count_working_days(made_on, ACTIVE_DISCLOSURE_WORKING_DAYS, calendar)
    lines = [f"信息生成（制作或者变更）日期：{show(made_on)}。"]
    lines += _explain(count, "主动公开期限（《条例》第二十六条，20个工作日）")
    return Deadline(count.due, bool(count.unknown_years), lines, "publication", None, [count])
