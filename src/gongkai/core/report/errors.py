"""Errors for inputs that cannot be read: a precise code for machines, Chinese for people."""

from __future__ import annotations


class ReportReadError(Exception):
    """An input that is not a readable report (missing, empty, binary, undecodable, too large)."""

    MESSAGES = {
        "not_found": "找不到文件",
        "not_a_file": "不是文件",
        "permission": "没有读取权限",
        "empty": "文件是空的",
        "too_large": "文件太大",
        "binary": "文件不是文本（可能是二进制文件、图片或压缩包）",
        "undecodable": "无法识别文件的字符编码（支持 UTF-8、GB18030/GBK、UTF-16）",
        "unsupported_type": "不支持的文件类型",
        "broken_file": "文件已损坏或格式不正确",
        "scanned_pdf": "PDF 没有文字层（可能是扫描件），无法读取文字",
        "invalid_input": "输入文件内容不符合要求",
        "render_failed": "无法生成文件",
        "timeout": "处理超时，已停止该文件",
        "internal_error": "处理该文件时发生内部错误",
        "worker_crashed": "处理该文件的进程意外退出",
        "out_of_memory": "处理该文件所需内存超出上限",
        "zip_bomb": "压缩包疑似压缩炸弹，已拒绝",
        "archive_too_large": "压缩包太大",
        "list_unreadable": "无法读取文件清单",
        "agency_list_unreadable": "无法读取机关名单",
        "no_cjk_font": "系统中没有中文字体，无法生成 PDF（请安装 fonts-noto-cjk）",
        "converter_missing": "需要安装 LibreOffice 才能读取 .doc/.wps/.rtf/.odt 文件",
        "conversion_failed": "LibreOffice 无法转换该文件",
        "conversion_timeout": "LibreOffice 转换超时",
    }

    def __init__(self, code: str, path: str | None = None, detail: str | None = None):
        self.code = code
        self.path = path
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = self.MESSAGES.get(self.code, "无法读取文件")
        if self.detail:
            text = f"{text}：{self.detail}"
        return text

    def to_json(self) -> dict[str, str | None]:
        return {"path": self.path, "error": self.code, "message": self.message}
