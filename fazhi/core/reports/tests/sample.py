"""A realistic report for the renderer tests: a 政府信息公开工作年度报告 lookalike whose tables
follow the layout of 国办公开办函〔2021〕30号 (tables 二, 三 and 四)."""

from __future__ import annotations

import datetime as dt

from fazhi.core.reports.document import Block, Cell, Document, Heading, Paragraph, Table

TITLE = "示例街道2026年政府信息公开工作年度报告"
ISSUER = "示例市示例区人民政府示例街道办事处"
DATE = dt.date(2027, 1, 20)

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

# Per applicant column (the 总计 column is computed): new, carried over, results (一)…(六),
# carried forward. Each column satisfies 一 + 二 = 三(七) + 四.
REQUESTS: dict[str, list[int]] = {
    "new": [48, 5, 0, 1, 2, 0],
    "carried_in": [3, 0, 0, 0, 1, 0],
    "（一）予以公开": [30, 3, 0, 1, 1, 0],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": [6, 1, 0, 0, 1, 0],
    "（三）不予公开": [2, 0, 0, 0, 0, 0],
    "（四）无法提供": [7, 1, 0, 0, 0, 0],
    "（五）不予处理": [1, 0, 0, 0, 0, 0],
    "（六）其他处理": [2, 0, 0, 0, 0, 0],
    "carried_out": [3, 0, 0, 0, 1, 0],
}
RESULT_LABELS = [k for k in REQUESTS if k.startswith("（")]

NEW_REQUESTS_LINK = "/ledgers/disclosure/requests/?year=2026&applicant=natural"


def numbers(values: list[int], link: str = "", note_at: int = -1) -> list[Cell]:
    cells = [
        Cell(v, link=link if i == 0 else "", note="暂定" if i == note_at else "")
        for i, v in enumerate(values)
    ]
    return [*cells, Cell(sum(values))]


def table_two() -> Table:
    header = [
        [Cell("第二十条第（一）项", colspan=4)],
        [Cell("信息内容"), Cell("本年制发件数"), Cell("本年废止件数"), Cell("现行有效件数")],
    ]
    rows = [
        [Cell("规章"), Cell(0), Cell(0), Cell(0)],
        [Cell("行政规范性文件"), Cell(2), Cell(1), Cell(15)],
        [Cell("第二十条第（五）项", colspan=4, bold=True, align="center")],
        [
            Cell("信息内容", bold=True),
            Cell("本年处理决定数量", colspan=3, bold=True, align="center"),
        ],
        [Cell("行政许可"), Cell(1234, colspan=3)],
    ]
    return Table(header=header, rows=rows, key="table2", column_widths=[2, 1, 1, 1])


def table_three() -> Table:
    header = [
        [
            Cell(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                rowspan=3,
                colspan=2,
            ),
            Cell("申请人情况", colspan=7),
        ],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(name) for name in APPLICANTS[1:]],
    ]
    totals = [sum(REQUESTS[label][i] for label in RESULT_LABELS) for i in range(6)]
    rows: list[list[Cell]] = [
        [
            Cell("一、本年新收政府信息公开申请数量", colspan=2),
            *numbers(REQUESTS["new"], link=NEW_REQUESTS_LINK),
        ],
        [Cell("二、上年结转政府信息公开申请数量", colspan=2), *numbers(REQUESTS["carried_in"])],
    ]
    for i, label in enumerate(RESULT_LABELS):
        group = [Cell("三、本年度办理结果", rowspan=len(RESULT_LABELS) + 1)] if i == 0 else []
        rows.append([*group, Cell(label), *numbers(REQUESTS[label])])
    rows.append([Cell("（七）总计"), *numbers(totals)])
    rows.append(
        [Cell("四、结转下年度继续办理", colspan=2), *numbers(REQUESTS["carried_out"], note_at=0)]
    )
    return Table(
        header=header,
        rows=rows,
        key="table3",
        column_widths=[1.6, 3.4, 1, 1, 1, 1.2, 1.2, 1, 1],
    )


def table_four(caption: str = "") -> Table:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    header = [
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [
            *[Cell(name, rowspan=2) for name in outcomes],
            Cell("未经复议直接起诉", colspan=5),
            Cell("复议后起诉", colspan=5),
        ],
        [Cell(name) for name in outcomes * 2],
    ]
    figures = [1, 0, 0, 1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1]
    return Table(header=header, rows=[[Cell(v) for v in figures]], caption=caption, key="table4")


def sample_document() -> Document:
    blocks: list[Block] = [
        Paragraph(
            "本报告由示例街道办事处根据《中华人民共和国政府信息公开条例》（以下简称《条例》）"
            "和国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告的有关要求编制。"
            "本报告所列数据的统计期限自2026年1月1日起至2026年12月31日止。",
            key="intro",
        ),
        Heading("一、总体情况"),
        Heading("（一）主动公开", level=2),
        Paragraph(
            "2026年，本街道通过政府网站公开栏目主动公开政府信息326条，"
            "其中政策文件12件、工作动态214条、财政预决算信息6条。",
            key="overview",
            editable=True,
        ),
        Heading("（二）依申请公开", level=2),
        Heading("1.申请受理", level=3),
        Paragraph("全年新收政府信息公开申请56件，上年结转4件。", key="requests"),
        Heading("（1）办理时限", level=4),
        Paragraph("所有申请均在法定期限内答复，无逾期情况。"),
        Heading("二、主动公开政府信息情况"),
        table_two(),
        Heading("三、收到和处理政府信息公开申请情况"),
        table_three(),
        Heading("四、政府信息公开行政复议、行政诉讼情况"),
        table_four(caption="行政复议、行政诉讼情况统计表"),
        Heading("五、存在的主要问题及改进情况"),
        Paragraph(
            "（请填写本年度政府信息公开工作存在的主要问题及改进情况。）",
            key="problems",
            editable=True,
            placeholder=True,
        ),
        Heading("六、其他需要报告的事项"),
        Paragraph("本年度未收取信息处理费。", key="other", editable=True),
    ]
    return Document(title=TITLE, blocks=blocks, issuer=ISSUER, date=DATE, provisional=True)
