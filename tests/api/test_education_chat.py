"""The education pack through the real app over SQLite with the demo school: verification by the
student or a guardian, course recommendation explained, enrolment after confirmation, missing
prerequisites said, progress, quizzes, due this week, the handbook cited, a distressed student offered a
teacher, the data CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kefu.app import create_app
from kefu.cli import app as cli
from kefu.cli_education import open_school, seed_demo_school
from kefu_test_support import make_settings


@pytest.fixture
def settings(sqlite_url: str) -> Any:
    config = make_settings(sqlite_url)
    seed_demo_school(config)
    return config


@pytest.fixture
def client(settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as found:
        yield found


class Chat:
    def __init__(self, client: TestClient, lang: str) -> None:
        self.client = client
        created = client.post("/v1/conversations", json={"pack": "education", "locale": lang})
        assert created.status_code == 201, created.text
        self.id = created.json()["id"]
        self.headers = {"Authorization": f"Bearer {created.json()['token']}"}
        self.status = "bot"
        self.citations: list[Any] = []

    def say(self, text: str) -> str:
        done = self.client.post(
            f"/v1/conversations/{self.id}/messages", json={"text": text}, headers=self.headers
        )
        assert done.status_code == 200, done.text
        body = done.json()
        self.status = body["status"]
        bot = [m for m in body["messages"] if m["role"] != "customer"]
        self.citations = [c for m in bot for c in (m.get("citations") or [])]
        return "\n".join(m["text"] for m in bot)


def _student(settings: Any, guardian: bool) -> dict[str, Any]:
    school = open_school(settings).snapshot()
    return next(s for s in school.students if bool(s["guardians"]) == guardian and s["lang"] == "zh")


def test_student_verifies_hears_due_work_and_enrols_a_recommended_course(
    client: TestClient, settings: Any
) -> None:
    s = _student(settings, guardian=False)
    chat = Chat(client, "zh")
    assert "学号" in chat.say("我这周有什么作业")
    due = chat.say(f"学号{s['id']}，生日{s['birth_date']}")
    assert "身份已确认" in due and ("未来 7 天" in due)
    recommended = chat.say("给我推荐一门课，我喜欢数据")
    assert "因为" in recommended and "要帮你报名" in recommended
    before = len(open_school(settings).enrolments_of(s["id"]))
    assert "确认为你报名" in chat.say("好的")
    assert len(open_school(settings).enrolments_of(s["id"])) == before  # nothing before the yes
    assert "已为你报名" in chat.say("确认")
    assert len(open_school(settings).enrolments_of(s["id"])) == before + 1
    assert "已完成" in chat.say("我的学习进度怎么样")
    assert "测验" in chat.say("我这次测验考得怎么样")
    answer = chat.say("作业可以晚交吗")
    assert "48 小时" in answer and chat.citations[0]["anchor"] == "#late"
    assert "老师" in chat.say("我压力好大，想哭")
    chat.say("好")
    assert chat.status == "waiting_human"


def test_guardian_verifies_and_missing_prerequisites_are_said(client: TestClient, settings: Any) -> None:
    s = _student(settings, guardian=True)
    chat = Chat(client, "en")
    chat.say("I'd like to enrol my child in Machine Learning")
    ok = chat.say(f"Student number {s['id']}, my phone is {s['guardians'][0]['phone']}")
    assert "guardian" in ok
    assert "needs" in ok and "can't enrol" in ok
    assert not any(e["course"] == "ML" for e in open_school(settings).enrolments_of(s["id"]))


def test_school_import_export_round_trip(settings: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "school.json"
    done = runner.invoke(cli, ["data", "export", "school", str(out), "--database-url", settings.database_url])
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["courses"]) == 16
    done = runner.invoke(cli, ["data", "import", "school", str(out), "--database-url", settings.database_url])
    assert done.exit_code == 0, done.output
    bad = tmp_path / "bad.json"
    bad.write_text('{"courses": [{"id": "X"}]}', encoding="utf-8")
    done = runner.invoke(cli, ["data", "import", "school", str(bad), "--database-url", settings.database_url])
    assert done.exit_code == 2 and "lacks" in done.output
