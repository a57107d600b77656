"""Which demo account to use for what: the accounts guide the ``demo`` and ``load_demo`` commands
print (and the login page shows while the demo serves).

Every demo account has the password ``county.DEMO_PASSWORD``. The guide names the county
government's own staff for each part of the work, its leader for the catalogue's second review,
the county's supervisor (the 政务公开办), and how the other agencies' accounts are named."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .county import DEMO_PASSWORD, ROLE_SUFFIXES, County, leader_of


@dataclass(frozen=True)
class Use:
    """One line of the guide: what to try, with which account, in which agency."""

    task: str
    username: str
    agency: str


def guide(county: County) -> list[Use]:
    """The accounts to use for each part of the work, in the order a case and an item meet them."""
    government = county.government
    staff = county.staff[government.pk]
    uses = [
        Use("登记申请（登记员）：登记收到的申请、导入台账", staff.registrar.username, government.name),
        Use("承办申请（承办人）：办理步骤、拟办答复、生成文书、起草目录信息", staff.handler.username, government.name),
        Use("审核签发（审核人/负责人）：签发答复、批准延期、年度结转、文书与节假日设置", staff.approver.username,
            government.name),
        Use("目录信息初审（科室审核）", staff.approver.username, government.name),
    ]
    leader = leader_of(county.government)
    if leader is not None:
        uses.append(Use("目录信息发布审核（分管领导）", leader.username, government.name))
    uses.append(Use("上级主管（县政务公开办）：全县台账与年报、收集审查各机关年报", county.supervisor.username,
                    f"{government.name}（全县各机关）"))
    department = next((a for a in county.agencies if a.parent_id is not None), None)
    if department is not None:
        staff = county.staff[department.pk]
        uses.append(Use(f"其他机关同样三个账号：另有 {staff.handler.username}、{staff.approver.username}",
                        staff.registrar.username, department.name))
    return uses


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def print_guide(stdout, county: County, port: int | None = None) -> None:
    """Write the guide: the address, the password and a table of accounts by use."""
    if port is not None:
        stdout.write(f"请在浏览器中打开 http://127.0.0.1:{port}/ ，用下列演示账号登录；"
                     f"公众看到的政府信息公开栏目在 http://127.0.0.1:{port}/public/ 。")
    stdout.write(f"演示账号的密码均为：{DEMO_PASSWORD}")
    uses = guide(county)
    names = max(_width(u.username) for u in uses)
    tasks = max(_width(u.task) for u in uses)
    stdout.write(f"  {_pad('账号', names)}  {_pad('用途', tasks)}  机关")
    for use in uses:
        stdout.write(f"  {_pad(use.username, names)}  {_pad(use.task, tasks)}  {use.agency}")
    suffixes = "、".join(f"“代码_{suffix}”（{role.label}）" for role, suffix in ROLE_SUFFIXES.items())
    stdout.write(f"  共 {len(county.accounts)} 个演示账号：每个机关有{suffixes}，"
                 "机关代码见 docs/annual-report-from-cases.md。")


def as_setting(county: County) -> dict:
    """The guide as ``settings.DEMO_ACCOUNTS``, which the login page shows while the demo serves."""
    return {"password": DEMO_PASSWORD,
            "uses": [{"username": u.username, "task": u.task, "agency": u.agency} for u in guide(county)]}
