"""Reading uploaded files: encodings, row numbers as the user sees them, refusals."""
import codecs

import pytest

from engine.imports.reading import ImportFileError, decode_text, read_table

from .helpers import xlsx_bytes

TEXT = "组织名称,区县代码\r\n郑州市金水区志愿者协会,jinshui\r\n"


@pytest.mark.parametrize("encoded", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.encode("gbk"),
    TEXT.encode("gb18030"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
], ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16"])
def test_csv_encodings_decode_to_the_same_text(encoded):
    assert decode_text(encoded) == TEXT
    dataset = read_table(encoded, "x.csv")
    assert dataset.headers == ["组织名称", "区县代码"]
    assert dataset[0] == ("郑州市金水区志愿者协会", "jinshui")


def test_row_numbers_count_the_header_and_blank_lines():
    data = "名称,代码\n甲,a\n\n , \n乙,b\n".encode()
    dataset = read_table(data)
    assert [row[0] for row in dataset] == ["甲", "乙"]
    assert dataset.source_rows == [2, 5]


def test_xlsx_row_numbers_and_whole_numbers():
    data = xlsx_bytes([["甲", 30.0], [None, None], ["乙", " 7 "]], header=["名称", "容量"])
    dataset = read_table(data, "x.xlsx")
    assert list(dataset) == [("甲", 30), ("乙", "7")]
    assert dataset.source_rows == [2, 4]


@pytest.mark.parametrize("data, filename, message", [
    (b"", "x.csv", "文件是空的"),
    (b",,\n1,2,3\n", "x.csv", "第1行应为表头"),
    ("a,b\n1,2,3\n".encode(), "x.csv", "第2行的列数多于表头"),
    (b"\xd0\xcf\x11\xe0rest", "old.xls", ".xls"),
    (b"PK\x03\x04broken", "x.xlsx", "不是有效的 XLSX"),
])
def test_unreadable_files_are_refused_in_chinese(data, filename, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data, filename)
