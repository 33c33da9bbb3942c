from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.review.api import review_batch, review_text

_PIECES = st.sampled_from(
    ["一、", "（一）", "1.", "2、", "三、", "一是", "其中", "共", "件", "%", "100%以上", "率", "|", "\n",
     "2023年", "街道", "镇", "首都", "天津", "第一责任人", "存在的不足", "下一步", "12", "0", " ",
     "三、收到和处理政府信息公开申请情况", "（七）总计", "四、结转下年度继续办理"]
)  # fmt: skip
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
def test_arbitrary_text_never_crashes(text: str) -> None:
    report = review_text(text)
    data = report.to_json(include_lines=True)
    for finding in data["findings"]:
        for span in finding["evidence"]:
            assert 0 <= span["start"] <= span["end"] <= len(report.text.content)


@settings(max_examples=25, deadline=None)
@given(st.lists(_TEXT, min_size=2, max_size=4))
def test_arbitrary_batches_never_crash(texts: list[str]) -> None:
    review_batch([review_text(t, f"{i}.txt") for i, t in enumerate(texts)])
