"""All entities of a message at once, and the time zone setting they depend on."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from kefu.config import Settings
from kefu.nlu.extract import extract_entities

REFERENCE = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_chinese_message_with_everything() -> None:
    found = extract_entities(
        "订单#W1234567明天下午三点送到，运费20元，买了三件，电话13812345678", REFERENCE, "Asia/Shanghai"
    )
    assert found["order_ids"] == ["#W1234567"]
    assert found["datetimes"][0]["start"] == "2026-11-26T15:00:00+08:00"
    assert found["money"] == [{"amount": "20", "currency": "CNY"}]
    assert found["quantities"][0]["value"] == 3
    assert found["phones"][0]["kind"] == "cn_mobile"


def test_an_english_message_in_another_zone() -> None:
    found = extract_entities(
        "can you deliver next Friday at 3pm? I paid $25.50", REFERENCE, "America/New_York"
    )
    assert found["datetimes"][0]["start"].startswith("2026-12-04T15:00:00-05:00")
    assert found["money"] == [{"amount": "25.50", "currency": "USD"}]


def test_unknown_time_zone_is_a_configuration_error() -> None:
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(timezone="Mars/Olympus")
