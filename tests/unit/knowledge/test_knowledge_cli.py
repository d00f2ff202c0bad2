"""``kefu kb ingest`` and ``kefu eval retrieval`` as real subprocesses: figures, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

KEFU = str(Path(sys.executable).parent / "kefu")
KB = [
    {"id": "refunds", "title": "Refunds", "content": "Refunds reach your card within 5 business days."},
    {"id": "shipping", "title": "Shipping", "content": "Orders ship in 24 hours; delivery takes 2-4 days."},
    {"id": "warranty", "title": "保修", "content": "所有电器享受两年保修，人为损坏除外。"},
    {"id": "points", "title": "积分", "content": "每消费一元积一分，一百积分抵一元。"},
]
QUERIES = [
    {"query": "退款多久到账？", "relevant": ["refunds"]},
    {"query": "how long is the warranty", "relevant": ["warranty"]},
    {"query": "积分怎么抵现金", "relevant": ["points"]},
    {"query": "when will my order arrive", "relevant": ["shipping", "refunds"]},
]


def kefu(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KEFU_SECRET_KEY": "cli-test-secret-key-of-32-bytes-min", "KEFU_ADMIN_TOKEN": "adm"}
    return subprocess.run(
        [KEFU, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=180, check=False
    )


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_eval_retrieval_prints_the_figures_and_json(tmp_path: Path) -> None:
    kb = write_jsonl(tmp_path / "kb.jsonl", KB)
    queries = write_jsonl(tmp_path / "q.jsonl", QUERIES)
    result = kefu("eval", "retrieval", "--kb", str(kb), "--queries", str(queries), "--json")
    assert result.returncode == 0, result.stderr
    for label in ("recall@1", "recall@5", "hit@5", "MRR", "p50 ms"):
        assert label in result.stdout
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"recall_at_1", "recall_at_5", "hit_at_5", "mrr", "p50_ms"} <= set(figures)
    assert figures["hit_at_5"] == 1.0 and figures["recall_at_5"] == 1.0  # 4 documents: all in the top 5
    assert figures["recall_at_1"] >= 0.5 and figures["mrr"] >= 0.75


def test_eval_retrieval_bad_files_exit_2_with_one_line(tmp_path: Path) -> None:
    kb = write_jsonl(tmp_path / "kb.jsonl", KB)
    queries = write_jsonl(tmp_path / "q.jsonl", QUERIES)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"query": "x"}\n', encoding="utf-8")
    cases = [
        ("--kb", str(tmp_path / "missing.jsonl"), "--queries", str(queries)),
        ("--kb", str(kb), "--queries", str(broken)),
        ("--kb", str(broken), "--queries", str(queries)),
    ]
    for args in cases:
        result = kefu("eval", "retrieval", *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("kefu: error: "), result.stderr


def test_kb_ingest_reports_bad_files_ingests_the_rest_and_exits_2(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "faq").mkdir(parents=True)
    (docs / "policy.md").write_text("# Returns\n\n## Refunds\n\nRefunds take 5 days.\n", encoding="utf-8")
    faq = "问题,答案\n营业时间？,每天九点到晚上九点。\n"
    (docs / "faq" / "常见问题.csv").write_bytes(faq.encode("gb18030"))
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (docs / "empty.txt").write_bytes(b"")
    db = f"sqlite:///{tmp_path}/kefu.db"
    result = kefu("kb", "ingest", str(docs), "--pack", "shop", "--database-url", db)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("kefu: error: ")]
    assert len(errors) == 2
    assert any("broken.pdf" in e for e in errors) and any("empty.txt" in e for e in errors)
    assert "2 of 4 files ingested" in result.stdout and "2 passages searchable" in result.stdout
    assert (tmp_path / ".kefu_index" / "shop").is_dir()  # the built index is cached beside the database

    again = kefu("kb", "ingest", str(docs / "policy.md"), "--pack", "shop", "--database-url", db)
    assert again.returncode == 0 and "1 unchanged" in again.stdout

    found = kefu("kb", "search", "how long do refunds take", "--pack", "shop", "--database-url", db)
    assert found.returncode == 0 and found.stdout.startswith("1. [")
    assert "Returns › Refunds  (policy.md#refunds)" in found.stdout.splitlines()[0]
    listed = kefu("kb", "list", "--pack", "shop", "--database-url", db)
    assert listed.returncode == 0 and "2 documents, 2 passages" in listed.stdout
    assert "faq/常见问题.csv" in listed.stdout

    bad = kefu("kb", "ingest", str(tmp_path / "nowhere"), "--pack", "shop", "--database-url", db)
    assert bad.returncode == 2 and bad.stderr.strip().startswith("kefu: error: ")
    bad_pack = kefu("kb", "ingest", str(docs), "--pack", "no such pack", "--database-url", db)
    assert bad_pack.returncode == 2 and "invalid pack name" in bad_pack.stderr
