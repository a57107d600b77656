"""``gongkai case …``: the registry's rules on the command line, without a database."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from ..core.casework.simulate import ScenarioError, read_scenario, run, to_json_text

EXIT_OK, EXIT_INVALID = 0, 2

app = typer.Typer(add_completion=False, no_args_is_help=True, help="依申请公开的办理规则：按情景逐步检验。")


@app.command("simulate")
def simulate_command(
    scenario: Path = typer.Argument(..., help="情景文件（YAML，格式见 docs/simulate.md）", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（供程序使用）"),
) -> None:
    """按情景逐步办理一件申请：每一步接受或拒绝及其法律依据，答复期限、缴费期限、办理结果和救济途径。"""
    try:
        result = run(read_scenario(scenario))
    except ScenarioError as error:
        Console(stderr=True).print(f"[bold red]情景文件有误[/]：{error}", markup=True, highlight=False)
        if as_json:
            sys.stdout.write('{"error": "invalid_scenario", "message": ' + _json_string(str(error)) + "}\n")
        raise typer.Exit(EXIT_INVALID)
    if as_json:
        sys.stdout.write(to_json_text(result) + "\n")
        return
    for line in result.text_lines():
        typer.echo(line)


def _json_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
