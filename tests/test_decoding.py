from __future__ import annotations

import os

import pytest

from gongkai.core.report.errors import ReportReadError
from gongkai.core.report.parsing import parse_bytes, read_report
from gongkai.core.report.parsing.decoding import decode_bytes

from tests.conftest import seed_text


@pytest.mark.parametrize(
    "encoding,label",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
     ("utf-16", "utf-16"), ("utf-16-le", "utf-16"), ("utf-16-be", "utf-16")],
)
def test_seed_in_every_encoding_parses_the_same(encoding, label):
    text = seed_text("004")
    report = parse_bytes(text.encode(encoding), source=f"004.{encoding}")
    assert report.encoding == label
    assert report.agency == "济宁高新区王因街道办事处"
    table = report.table("applications")
    assert table is not None and table.value("new_received", "natural_person") == 1


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "empty"),
        (b"   \n\r\n\t", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"PK\x03\x04" + os.urandom(2000), "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 8, "binary"),
    ],
)
def test_unreadable_bytes_are_refused_with_a_code_and_chinese_message(data, code):
    with pytest.raises(ReportReadError) as info:
        decode_bytes(data, "x.txt")
    assert info.value.code == code
    assert info.value.to_json()["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(ReportReadError) as info:
        read_report(tmp_path / "nope.txt")
    assert info.value.code == "not_found"
    other = tmp_path / "report.xyz"
    other.write_text("x")
    with pytest.raises(ReportReadError) as info:
        read_report(other)
    assert info.value.code == "unsupported_type"
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    with pytest.raises(ReportReadError) as info:
        read_report(folder)
    assert info.value.code == "not_a_file"
