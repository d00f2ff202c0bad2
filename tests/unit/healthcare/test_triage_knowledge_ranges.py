"""Triage with reason and confidence, the curated knowledge, reference ranges with their guideline."""

from __future__ import annotations

import pytest

from kefu.guard.compliance import rule_book
from kefu.packs.healthcare.demo_data import generate_demo_hospital
from kefu.packs.healthcare.knowledge import HealthKnowledge
from kefu.packs.healthcare.ranges import GUIDELINES, band, trend
from kefu.packs.healthcare.triage import TriageClassifier, curated_examples, split, trained

DEPARTMENTS = generate_demo_hospital(seed=7).departments


@pytest.fixture(scope="module")
def triage() -> TriageClassifier:
    return trained(DEPARTMENTS)


@pytest.mark.parametrize(
    ("text", "dept"),
    [
        ("胸口闷、心慌挂什么科", "cardiology"),
        ("膝盖疼，上下楼更疼，看哪个科", "orthopaedics"),
        ("my child has a fever and a cough, which department?", "paediatrics"),
        ("red itchy eyes and blurred vision", "ophthalmology"),
    ],
)
def test_symptoms_go_to_their_department_with_a_reason(
    triage: TriageClassifier, text: str, dept: str
) -> None:
    found = triage.predict(text)
    assert found.department == dept and not found.unsure and found.confidence >= 0.5
    assert found.reason and all(word.lower() in text.lower() for word in found.reason)


def test_unsure_goes_to_general_internal_medicine(triage: TriageClassifier) -> None:
    found = triage.predict("hmm")
    assert found.unsure and found.department == "general_medicine"


def test_the_held_out_split_keeps_every_department_in_training() -> None:
    rows = curated_examples()
    train, test = split(rows, 0.2, 1)
    assert {d for _, d in test} <= {d for _, d in train} and len(train) + len(test) == len(rows)


def test_knowledge_entries_are_cited_and_never_diagnose_or_prescribe() -> None:
    kb = HealthKnowledge.load()
    book = rule_book("healthcare")
    assert len(kb.entries) >= 10
    for entry in kb.entries:
        assert entry.url.startswith("https://") and entry.source
        for lang in ("zh", "en"):
            hits = [h.rule for h in book.assess(entry.text[lang], lang).hits]
            assert all(h.startswith("disclaimer.") for h in hits), (entry.id, lang, hits)
    assert kb.find("布洛芬有什么副作用") is not None and kb.find("What is hypertension?") is not None
    assert kb.find("how do I reset my password") is None


@pytest.mark.parametrize(
    ("reading", "key", "see_doctor"),
    [
        ({"kind": "blood_pressure", "value": 118, "value2": 76}, "normal", False),
        ({"kind": "blood_pressure", "value": 125, "value2": 78}, "elevated", False),
        ({"kind": "blood_pressure", "value": 134, "value2": 82}, "stage1", True),
        ({"kind": "blood_pressure", "value": 150, "value2": 85}, "stage2", True),
        ({"kind": "blood_pressure", "value": 185, "value2": 100}, "crisis", True),
        ({"kind": "glucose_fasting", "value": 5.0}, "normal", False),
        ({"kind": "glucose_fasting", "value": 6.1}, "prediabetes", True),
        ({"kind": "glucose_fasting", "value": 7.2}, "diabetes_range", True),
        ({"kind": "bmi", "value": 31}, "obese", True),
        ({"kind": "bmi", "value": 26}, "overweight", False),
        ({"kind": "spo2", "value": 91}, "low", True),
        ({"kind": "temperature", "value": 38.4}, "fever", True),
    ],
)
def test_bands_follow_the_cited_guidelines(reading: dict[str, float], key: str, see_doctor: bool) -> None:
    found = band(reading)
    assert (found.key, found.see_doctor) == (key, see_doctor)
    assert GUIDELINES[str(reading["kind"])].url.startswith("https://")


def test_trend() -> None:
    assert trend([{"value": 120}, {"value": 140}]) == "up"
    assert trend([{"value": 140}, {"value": 120}]) == "down"
    assert trend([{"value": 120}, {"value": 122}]) == "steady"
