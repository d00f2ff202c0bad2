"""Where a patient's measurement stands against published reference ranges, each range citing its
guideline; the trend of a kind over time. Categories only — never a diagnosis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kefu.packs.healthcare.hospital import Record


@dataclass(frozen=True)
class Band:
    key: str  # template suffix: "normal", "elevated", "stage1" …
    zh: str
    en: str
    see_doctor: bool = False


@dataclass(frozen=True)
class Guideline:
    kind: str
    unit: str
    source: str
    url: str
    department: str


GUIDELINES: dict[str, Guideline] = {
    "blood_pressure": Guideline(
        "blood_pressure",
        "mmHg",
        "2017 ACC/AHA Guideline for High Blood Pressure in Adults",
        "https://doi.org/10.1161/HYP.0000000000000065",
        "cardiology",
    ),
    "glucose_fasting": Guideline(
        "glucose_fasting",
        "mmol/L",
        "ADA Standards of Care in Diabetes, section 2 (fasting plasma glucose)",
        "https://diabetesjournals.org/care/issue/47/Supplement_1",
        "endocrinology",
    ),
    "bmi": Guideline(
        "bmi",
        "kg/m²",
        "WHO body-mass-index classes for adults",
        "https://www.who.int/data/gho/data/themes/topics/topic-details/GHO/body-mass-index",
        "general_medicine",
    ),
    "heart_rate": Guideline(
        "heart_rate",
        "bpm",
        "American Heart Association: resting heart rate of adults 60-100 bpm",
        "https://www.heart.org/en/health-topics/high-blood-pressure/the-facts-about-high-blood-pressure/all-about-heart-rate-pulse",
        "cardiology",
    ),
    "spo2": Guideline(
        "spo2",
        "%",
        "WHO Pulse Oximetry Training Manual (normal 95-100 %; below 94 % needs assessment)",
        "https://www.who.int/publications/i/item/9789241503969",
        "respiratory",
    ),
    "temperature": Guideline(
        "temperature",
        "°C",
        "NHS: a high temperature is 38 °C or more",
        "https://www.nhs.uk/conditions/fever-in-adults/",
        "general_medicine",
    ),
    "steps": Guideline(
        "steps",
        "steps/day",
        "WHO guidelines on physical activity (150-300 min of moderate activity a week)",
        "https://www.who.int/publications/i/item/9789240015128",
        "general_medicine",
    ),
}


def band(m: Record) -> Band:
    kind, value = str(m["kind"]), float(m["value"])
    if kind == "blood_pressure":
        low = float(m.get("value2") or 0)
        if value >= 180 or low >= 120:
            return Band("crisis", "高血压危象范围", "hypertensive-crisis range", True)
        if value >= 140 or low >= 90:
            return Band("stage2", "2级高血压范围", "stage 2 hypertension range", True)
        if value >= 130 or low >= 80:
            return Band("stage1", "1级高血压范围", "stage 1 hypertension range", True)
        if value >= 120:
            return Band("elevated", "血压偏高", "elevated", False)
        return Band("normal", "正常", "normal")
    if kind == "glucose_fasting":
        if value >= 7.0:
            return Band(
                "diabetes_range",
                "达到糖尿病诊断切点的范围（需医生确认）",
                "at or above the diabetes cut-off (a doctor must confirm)",
                True,
            )
        if value >= 5.6:
            return Band("prediabetes", "空腹血糖受损（糖尿病前期）范围", "prediabetes range", True)
        return Band("normal", "正常", "normal")
    if kind == "bmi":
        if value >= 30:
            return Band("obese", "肥胖", "obesity", True)
        if value >= 25:
            return Band("overweight", "超重", "overweight")
        if value < 18.5:
            return Band("underweight", "偏瘦", "underweight", True)
        return Band("normal", "正常", "normal")
    if kind == "heart_rate":
        if value > 100 or value < 60:
            return Band("outside", "静息心率不在60-100次/分之间", "outside 60-100 bpm at rest", value > 100)
        return Band("normal", "正常", "normal")
    if kind == "spo2":
        if value < 94:
            return Band("low", "血氧偏低", "low", True)
        return Band("normal", "正常", "normal")
    if kind == "temperature":
        if value >= 38:
            return Band("fever", "发热", "fever", True)
        return Band("normal", "正常", "normal")
    if value < 5000:
        return Band("low", "活动量偏少", "low activity")
    return Band("normal", "正常", "normal")


def trend(values: Sequence[Record]) -> str:
    """ "up" / "down" / "steady" from the first to the last reading (5 % either way counts)."""
    if len(values) < 2:
        return "steady"
    first, last = float(values[0]["value"]), float(values[-1]["value"])
    if first and (last - first) / abs(first) > 0.05:
        return "up"
    if first and (first - last) / abs(first) > 0.05:
        return "down"
    return "steady"


def value_text(m: Record) -> str:
    value = float(m["value"])
    shown = f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    if m["kind"] == "blood_pressure":
        return f"{shown}/{float(m.get('value2') or 0):.0f}"
    return shown
