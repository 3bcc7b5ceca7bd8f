"""Build import files in memory: CSV in a given encoding, XLSX with openpyxl."""
import io

import openpyxl

from tests.factories import make_uscc

ORG_HEADER = ["组织名称", "统一社会信用代码", "已登记", "状态", "业务主管部门代码", "区县代码", "财政拨款保障的群团组织"]


def org_row(n: int, name: str | None = None, **overrides) -> list:
    row = {
        "组织名称": name or f"导入测试组织{n}", "统一社会信用代码": make_uscc(9000 + n), "已登记": "是",
        "状态": "正常", "业务主管部门代码": "mca-jinshui", "区县代码": "jinshui", "财政拨款保障的群团组织": "否",
    }
    row.update(overrides)
    return [row[h] for h in ORG_HEADER]


def bad_uscc(n: int) -> str:
    """A USCC whose check character is wrong."""
    good = make_uscc(9000 + n)
    return good[:-1] + ("1" if good[-1] != "1" else "2")


def csv_bytes(rows, header=ORG_HEADER, encoding="utf-8") -> bytes:
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return "\r\n".join(lines).encode(encoding) + b"\r\n"


def xlsx_bytes(rows, header=ORG_HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_cells(data: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]
