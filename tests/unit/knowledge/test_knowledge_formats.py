"""Parsing each file format into document drafts, and the per-file errors of a batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fpdf import FPDF

from kefu.domain.errors import InvalidInput
from kefu.knowledge.formats import MAX_FILE_BYTES, parse_bytes
from kefu.knowledge.ingest import read_path

MARKDOWN = """# 退货政策

收到商品后七天内可以无理由退货。

## 退款时效

退款在 **5 个工作日**内原路退回，详见[帮助中心](https://example.com/help)。

### International orders

International refunds take up to 10 business days.

```
# not a heading inside a fence
```

## Shipping fees
Free shipping over 99 yuan.
"""


def test_markdown_follows_headings_and_keeps_the_path() -> None:
    [draft] = parse_bytes(MARKDOWN.encode(), "docs/returns.md", source="docs/returns.md")
    assert draft.title == "退货政策" and draft.source == "docs/returns.md"
    titles = [c.title for c in draft.chunks]
    assert titles == [
        "退货政策",
        "退货政策 › 退款时效",
        "退货政策 › 退款时效 › International orders",
        "退货政策 › Shipping fees",
    ]
    assert [c.anchor for c in draft.chunks] == [None, "退款时效", "international-orders", "shipping-fees"]
    assert [c.lang for c in draft.chunks] == ["zh", "zh", "en", "en"]
    assert "5 个工作日" in draft.chunks[1].text and "**" not in draft.chunks[1].text
    assert "帮助中心" in draft.chunks[1].text and "https://" not in draft.chunks[1].text
    assert "# not a heading inside a fence" in draft.chunks[2].text


def test_content_hash_changes_with_content_only() -> None:
    [a] = parse_bytes(MARKDOWN.encode(), "a.md")
    [b] = parse_bytes(MARKDOWN.encode(), "a.md")
    [c] = parse_bytes(MARKDOWN.replace("七天", "十天").encode(), "a.md")
    assert a.content_hash == b.content_hash != c.content_hash


def test_html_sections_ids_and_dropped_scripts() -> None:
    html = """<html><head><title>Help centre</title><script>var x = "secret";</script></head><body>
    <nav>Home | Shop</nav>
    <h2 id="delivery-times">Delivery times</h2><p>Orders ship within <b>24 hours</b>.</p>
    <ul><li>Beijing: next day</li><li>Elsewhere: 2-4 days</li></ul>
    <h2>Returns &amp; refunds</h2><p>Return within 7 days.</p></body></html>"""
    [draft] = parse_bytes(html.encode(), "help.html")
    assert draft.title == "Help centre"
    first, second = draft.chunks
    assert first.title == "Help centre › Delivery times" and first.anchor == "delivery-times"
    assert "24 hours" in first.text and "- Beijing: next day" in first.text
    assert second.anchor == "returns-refunds" and "secret" not in first.text + second.text
    assert "Home | Shop" not in first.text


def test_plain_text_gb18030_and_utf8_bom() -> None:
    text = "会员积分可以抵扣现金，100积分抵1元。积分有效期为一年。"
    [gb] = parse_bytes(text.encode("gb18030"), "积分说明.txt")
    [bom] = parse_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "points.txt")
    assert gb.chunks[0].text == text == bom.chunks[0].text
    assert gb.title == "积分说明" and gb.lang == "zh"


def test_gbk_file_on_disk_is_read(tmp_path: Path) -> None:
    (tmp_path / "政策.md").write_bytes("# 发票\n\n## 开票\n\n下单后可在订单页申请电子发票。".encode("gbk"))
    [result] = list(read_path(tmp_path))
    assert result.error is None
    assert result.drafts[0].chunks[0].title == "发票 › 开票"


def _pdf(text: str, pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.set_title("Warranty terms")
    pdf.set_font("helvetica", size=12)
    for number in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{text} (page {number + 1})")
    return bytes(pdf.output())


def test_generated_pdf_has_one_section_per_page() -> None:
    [draft] = parse_bytes(_pdf("Every appliance has a two year warranty.", pages=2), "warranty.pdf")
    assert draft.title == "Warranty terms"
    assert [c.anchor for c in draft.chunks] == ["page=1", "page=2"]
    assert draft.chunks[0].title == "Warranty terms › p. 1"
    assert "two year warranty" in draft.chunks[0].text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4\n1 0 obj <<", "broken.pdf", "not a readable PDF"),
        (b"hello", "fake.pdf", "not a readable PDF"),
        (b"", "empty.md", "empty file"),
        (b"  \n\n ", "blank.txt", "empty file"),
        (b"x", "report.docx", "unknown file type .docx"),
        (b"\x00\x01\x02\xff\xfe\x00garbage", "binary.txt", "binary content"),
        (b'{"id": "a"}\n', "kb.jsonl", "needs an id and a content"),
        (b"{not json", "kb.jsonl", "not valid JSON"),
        (b"- [unclosed", "faq.yaml", "invalid YAML"),
        (b"name,price\nx,1\n", "faq.csv", "question and answer columns"),
    ],
)
def test_bad_files_are_refused_clearly(data: bytes, name: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_bytes(data, name)
    assert message in caught.value.message and name in caught.value.message


def test_huge_file_is_refused() -> None:
    with pytest.raises(InvalidInput, match="too large"):
        parse_bytes(b"a" * (MAX_FILE_BYTES + 1), "big.txt")


def test_faq_files_one_chunk_per_pair_titled_by_the_question() -> None:
    csv_text = (
        "question,answer\n怎么修改收货地址？,在订单详情页点击修改地址。\n"
        'Can I pay by PayPal?,"Yes, at checkout."\n'
    )
    yaml_text = "faq:\n  - 问题: 发货时间？\n    答案: 付款后48小时内发货。\n"
    jsonl = '{"question": "Do you ship abroad?", "answer": "Yes, to 20 countries."}\n'
    [csv_draft] = parse_bytes(csv_text.encode("gb18030"), "faq.csv")
    [yaml_draft] = parse_bytes(yaml_text.encode(), "faq.yaml")
    [jsonl_draft] = parse_bytes(jsonl.encode(), "faq.jsonl")
    assert [c.title for c in csv_draft.chunks] == ["怎么修改收货地址？", "Can I pay by PayPal?"]
    assert [c.lang for c in csv_draft.chunks] == ["zh", "en"]
    assert csv_draft.chunks[1].text == "Yes, at checkout."
    assert csv_draft.chunks[1].anchor == "can-i-pay-by-paypal"
    assert yaml_draft.chunks[0].title == "发货时间？" and yaml_draft.chunks[0].text == "付款后48小时内发货。"
    assert jsonl_draft.chunks[0].title == "Do you ship abroad?" and jsonl_draft.meta["format"] == "faq"


def test_jsonl_documents_are_one_document_each() -> None:
    lines = [
        {"id": "doc_1", "title": "Card fees", "content": "## Annual fee\n\nThe Gold card costs $95 a year."},
        {"id": "doc_2", "content": "Plain content without a title."},
    ]
    drafts = parse_bytes("\n".join(json.dumps(x) for x in lines).encode(), "kb.jsonl")
    assert [d.source for d in drafts] == ["doc_1", "doc_2"]
    assert drafts[0].chunks[0].title == "Card fees › Annual fee" and drafts[1].title == "doc_2"


def test_a_batch_reports_bad_files_and_reads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "good.md").write_text("# Hours\n\nOpen 9 to 5.", encoding="utf-8")
    (tmp_path / "sub" / "faq.jsonl").write_text('{"question": "Q?", "answer": "A."}', encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.7 garbage")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / ".hidden.md").write_text("# secret", encoding="utf-8")
    results = {r.path.name: r for r in read_path(tmp_path)}
    assert sorted(results) == ["corrupt.pdf", "empty.txt", "faq.jsonl", "good.md", "notes.docx"]
    assert results["good.md"].error is None and results["faq.jsonl"].drafts[0].source == "sub/faq.jsonl"
    assert {n for n, r in results.items() if r.error} == {"corrupt.pdf", "empty.txt", "notes.docx"}
