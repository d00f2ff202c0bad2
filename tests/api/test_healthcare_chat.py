"""The healthcare pack through the real app over SQLite with the demo hospital: booking with
confirmation, emergencies first, refusals, readings only after verification, the data CLI."""

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
from kefu.cli_healthcare import open_hospital, seed_demo_hospital
from kefu_test_support import make_settings


@pytest.fixture
def settings(sqlite_url: str) -> Any:
    config = make_settings(sqlite_url)
    seed_demo_hospital(config)
    return config


@pytest.fixture
def client(settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as found:
        yield found


class Chat:
    def __init__(self, client: TestClient, lang: str) -> None:
        self.client = client
        created = client.post("/v1/conversations", json={"pack": "healthcare", "locale": lang})
        assert created.status_code == 201, created.text
        self.id = created.json()["id"]
        self.headers = {"Authorization": f"Bearer {created.json()['token']}"}
        self.status = "bot"

    def say(self, text: str) -> str:
        done = self.client.post(
            f"/v1/conversations/{self.id}/messages", json={"text": text}, headers=self.headers
        )
        assert done.status_code == 200, done.text
        body = done.json()
        self.status = body["status"]
        return "\n".join(m["text"] for m in body["messages"] if m["role"] != "customer")


def test_booking_asks_for_confirmation_then_holds_the_slot(client: TestClient, settings: Any) -> None:
    chat = Chat(client, "zh")
    assert "建议挂心血管内科" in chat.say("胸口闷、心慌挂什么科")
    assert "手机号和出生日期" in chat.say("好的，帮我预约")
    listed = chat.say("13800138001，1980-05-12")
    assert "张伟您好" in listed and "心血管内科可预约的时段" in listed
    hospital = open_hospital(settings)
    before = {a["slot"] for a in hospital.appointments("P0001")}
    assert "确认预约吗" in chat.say("1")
    assert {a["slot"] for a in hospital.appointments("P0001")} == before  # nothing before the yes
    done = chat.say("确认")
    assert "已预约" in done and "身份证" in done
    booked = {a["slot"] for a in hospital.appointments("P0001")} - before
    assert len(booked) == 1
    slot = booked.pop()
    assert all(
        s["id"] != slot for s in hospital.free_slots("cardiology", None, "2000-01-01", "2100-01-01", 500)
    )


def test_an_emergency_in_the_middle_of_a_booking_wins(client: TestClient) -> None:
    chat = Chat(client, "en")
    chat.say("Book me an appointment with cardiology")
    assert "Free slots" in chat.say("My number is 13900139004 and I was born on 3 September 1975.")
    reply = chat.say("I have crushing chest pain and can't breathe")
    assert chat.status == "waiting_human" and "911" in reply


def test_diagnosis_and_prescription_are_refused_with_a_department(client: TestClient) -> None:
    chat = Chat(client, "en")
    reply = chat.say("I'm always thirsty. Do I have diabetes?")
    assert "only a doctor" in reply and "you have diabetes" not in reply.lower()
    reply = chat.say("What dose of ibuprofen should I take?")
    assert "prescriptions are only made by a doctor" in reply and chat.status == "bot"


def test_knowledge_answers_are_cited_with_the_disclaimer(client: TestClient) -> None:
    chat = Chat(client, "zh")
    reply = chat.say("高血压是什么")
    assert "来源：WHO" in reply and "仅供参考" in reply and "建议科室：心血管内科" in reply


def test_readings_only_for_the_verified_patient(client: TestClient) -> None:
    chat = Chat(client, "en")
    assert "mobile number" in chat.say("How is my blood pressure?")
    assert "couldn't find" in chat.say("My number is 13800138003 and I was born on 1 January 1901.")
    reply = chat.say("My number is 13800138003 and I was born on 20 February 1958.")
    assert "ACC/AHA" in reply and "stage" in reply and "not a diagnosis" in reply


def test_data_export_import_and_bad_files(settings: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "hospital.json"
    url = ["--database-url", settings.database_url]
    env = {"KEFU_SECRET_KEY": settings.secret_key, "KEFU_ADMIN_TOKEN": settings.admin_token}
    done = runner.invoke(cli, ["data", "export", "hospital", str(out), *url], env=env)
    assert done.exit_code == 0, done.output
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "kefu-hospital/1"
    done = runner.invoke(cli, ["data", "import", "hospital", str(out), *url], env=env)
    assert done.exit_code == 0 and "18 departments" in done.output, done.output
    bad = tmp_path / "bad.json"
    bad.write_text('{"hospital": {"name": "x"}, "departments": []}', encoding="utf-8")
    done = runner.invoke(cli, ["data", "import", "hospital", str(bad), *url], env=env)
    assert done.exit_code == 2 and len(done.output.strip().splitlines()) == 1, done.output


def test_an_empty_hospital_says_how_to_load_one(sqlite_url: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url))) as empty:
        created = empty.post("/v1/conversations", json={"pack": "healthcare", "locale": "en"})
    assert created.status_code == 503 and "kefu demo seed" in created.json()["error"]["message"]


def test_community_answers_are_marked_when_the_curated_library_has_nothing(client: TestClient) -> None:
    import csv

    from kefu.packs.healthcare.community import community
    from kefu.packs.healthcare.knowledge import HealthKnowledge
    from kefu.packs.healthcare.triage import labelled_csv

    qa, kb = community(), HealthKnowledge.load()
    assert qa is not None
    with labelled_csv().open(encoding="utf-8", newline="") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    question = next(t for t in titles if "什么" in t and kb.find(t) is None and qa.find(t) is not None)
    reply = Chat(client, "zh").say(question)
    assert "社区回答，未经本院审核" in reply and "Chinese medical dialogue data" in reply, (question, reply)
