"""Date/time expressions in Chinese and English, resolved against a fixed reference."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.nlu.datetimes import TimeExpression, resolve_datetimes

SHANGHAI = ZoneInfo("Asia/Shanghai")
REF = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)  # a Wednesday
YEAR_END = datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI)  # also a Wednesday


def _fmt(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%d %H:%M")


def _one(text: str, reference: datetime = REF, tz: str = "Asia/Shanghai") -> TimeExpression:
    found = resolve_datetimes(text, reference, tz)
    assert len(found) == 1, found
    return found[0]


# (text, start, end, grain, matched text); days/weeks/months carry an exclusive end, points in time None.
DAY_CASES = [
    # absolute
    ("2026-12-03", "2026-12-03 00:00", "2026-12-04 00:00", "day", "2026-12-03"),
    ("2026/12/3", "2026-12-03 00:00", "2026-12-04 00:00", "day", "2026/12/3"),
    ("12/03/2026", "2026-12-03 00:00", "2026-12-04 00:00", "day", "12/03/2026"),
    ("25/12/2026", "2026-12-25 00:00", "2026-12-26 00:00", "day", "25/12/2026"),
    ("12月3日", "2026-12-03 00:00", "2026-12-04 00:00", "day", "12月3日"),
    ("十二月三号", "2026-12-03 00:00", "2026-12-04 00:00", "day", "十二月三号"),
    ("2027年1月5日", "2027-01-05 00:00", "2027-01-06 00:00", "day", "2027年1月5日"),
    ("３月５日", "2027-03-05 00:00", "2027-03-06 00:00", "day", "３月５日"),  # nearest: next March
    ("11月20号下的单", "2026-11-20 00:00", "2026-11-21 00:00", "day", "11月20号"),  # nearest: 5 days ago
    ("Dec 3", "2026-12-03 00:00", "2026-12-04 00:00", "day", "Dec 3"),
    ("Dec. 3", "2026-12-03 00:00", "2026-12-04 00:00", "day", "Dec. 3"),
    ("December 3rd 2026", "2026-12-03 00:00", "2026-12-04 00:00", "day", "December 3rd 2026"),
    ("December 3rd, 2027", "2027-12-03 00:00", "2027-12-04 00:00", "day", "December 3rd, 2027"),
    ("3 Dec", "2026-12-03 00:00", "2026-12-04 00:00", "day", "3 Dec"),
    ("the 3rd of December", "2026-12-03 00:00", "2026-12-04 00:00", "day", "the 3rd of December"),
    ("3号", "2026-12-03 00:00", "2026-12-04 00:00", "day", "3号"),
    ("on the 3rd", "2026-12-03 00:00", "2026-12-04 00:00", "day", "on the 3rd"),
    ("下个月15号", "2026-12-15 00:00", "2026-12-16 00:00", "day", "下个月15号"),
    # relative days
    ("今天", "2026-11-25 00:00", "2026-11-26 00:00", "day", "今天"),
    ("明天", "2026-11-26 00:00", "2026-11-27 00:00", "day", "明天"),
    ("后天", "2026-11-27 00:00", "2026-11-28 00:00", "day", "后天"),
    ("大后天", "2026-11-28 00:00", "2026-11-29 00:00", "day", "大后天"),
    ("昨天", "2026-11-24 00:00", "2026-11-25 00:00", "day", "昨天"),
    ("前天", "2026-11-23 00:00", "2026-11-24 00:00", "day", "前天"),
    ("today", "2026-11-25 00:00", "2026-11-26 00:00", "day", "today"),
    ("Tomorrow", "2026-11-26 00:00", "2026-11-27 00:00", "day", "Tomorrow"),
    ("yesterday", "2026-11-24 00:00", "2026-11-25 00:00", "day", "yesterday"),
    ("the day after tomorrow", "2026-11-27 00:00", "2026-11-28 00:00", "day", "the day after tomorrow"),
    ("in 3 days", "2026-11-28 00:00", "2026-11-29 00:00", "day", "in 3 days"),
    ("3 days ago", "2026-11-22 00:00", "2026-11-23 00:00", "day", "3 days ago"),
    ("3天后", "2026-11-28 00:00", "2026-11-29 00:00", "day", "3天后"),
    ("三天后", "2026-11-28 00:00", "2026-11-29 00:00", "day", "三天后"),
    ("两周后", "2026-12-09 00:00", "2026-12-10 00:00", "day", "两周后"),
    ("in two weeks", "2026-12-09 00:00", "2026-12-10 00:00", "day", "in two weeks"),
    ("三个月后", "2027-02-25 00:00", "2027-02-26 00:00", "day", "三个月后"),
    ("再过两天", "2026-11-27 00:00", "2026-11-28 00:00", "day", "再过两天"),
    # weekdays (reference is Wednesday 2026-11-25)
    ("周三", "2026-11-25 00:00", "2026-11-26 00:00", "day", "周三"),  # today counts
    ("星期三", "2026-11-25 00:00", "2026-11-26 00:00", "day", "星期三"),
    ("礼拜三", "2026-11-25 00:00", "2026-11-26 00:00", "day", "礼拜三"),
    ("周一", "2026-11-30 00:00", "2026-12-01 00:00", "day", "周一"),  # Monday is past: next one
    ("周日", "2026-11-29 00:00", "2026-11-30 00:00", "day", "周日"),
    ("下周三", "2026-12-02 00:00", "2026-12-03 00:00", "day", "下周三"),
    ("下星期三", "2026-12-02 00:00", "2026-12-03 00:00", "day", "下星期三"),
    ("下个礼拜天", "2026-12-06 00:00", "2026-12-07 00:00", "day", "下个礼拜天"),
    ("下下周一", "2026-12-07 00:00", "2026-12-08 00:00", "day", "下下周一"),
    ("这周五", "2026-11-27 00:00", "2026-11-28 00:00", "day", "这周五"),
    ("本周一", "2026-11-23 00:00", "2026-11-24 00:00", "day", "本周一"),  # this week's, though past
    ("上周一", "2026-11-16 00:00", "2026-11-17 00:00", "day", "上周一"),
    ("Wednesday", "2026-11-25 00:00", "2026-11-26 00:00", "day", "Wednesday"),
    ("on Monday", "2026-11-30 00:00", "2026-12-01 00:00", "day", "Monday"),
    ("this Friday", "2026-11-27 00:00", "2026-11-28 00:00", "day", "this Friday"),
    ("next Friday", "2026-12-04 00:00", "2026-12-05 00:00", "day", "next Friday"),
    ("coming Wednesday", "2026-12-02 00:00", "2026-12-03 00:00", "day", "coming Wednesday"),
    ("last Monday", "2026-11-23 00:00", "2026-11-24 00:00", "day", "last Monday"),
    # weeks and months
    ("下周", "2026-11-30 00:00", "2026-12-07 00:00", "week", "下周"),
    ("这周", "2026-11-23 00:00", "2026-11-30 00:00", "week", "这周"),
    ("next week", "2026-11-30 00:00", "2026-12-07 00:00", "week", "next week"),
    ("last week", "2026-11-16 00:00", "2026-11-23 00:00", "week", "last week"),
    ("下个月", "2026-12-01 00:00", "2027-01-01 00:00", "month", "下个月"),
    ("上个月", "2026-10-01 00:00", "2026-11-01 00:00", "month", "上个月"),
    ("next month", "2026-12-01 00:00", "2027-01-01 00:00", "month", "next month"),
    ("this month", "2026-11-01 00:00", "2026-12-01 00:00", "month", "this month"),
    ("12月", "2026-12-01 00:00", "2027-01-01 00:00", "month", "12月"),
    ("in March", "2027-03-01 00:00", "2027-04-01 00:00", "month", "March"),
    ("May 2027", "2027-05-01 00:00", "2027-06-01 00:00", "month", "May 2027"),
]

POINT_CASES = [
    # times of day, no date: today if still ahead, else tomorrow (reference 10:00)
    ("下午三点", "2026-11-25 15:00", "hour", "下午三点"),
    ("上午10点半", "2026-11-25 10:30", "minute", "上午10点半"),
    ("晚上8点", "2026-11-25 20:00", "hour", "晚上8点"),
    ("中午12点", "2026-11-25 12:00", "hour", "中午12点"),
    ("中午1点", "2026-11-25 13:00", "hour", "中午1点"),
    ("凌晨2点", "2026-11-26 02:00", "hour", "凌晨2点"),  # past today: tomorrow's
    ("3点15分", "2026-11-25 15:15", "minute", "3点15分"),  # business hours: 3 → 15:00
    ("三点一刻", "2026-11-25 15:15", "minute", "三点一刻"),
    ("七点半", "2026-11-26 07:30", "minute", "七点半"),
    ("三点前", "2026-11-25 15:00", "hour", "三点"),
    ("两点钟", "2026-11-25 14:00", "hour", "两点钟"),
    ("下午3:30", "2026-11-25 15:30", "minute", "下午3:30"),
    ("晚上12点", "2026-11-26 00:00", "hour", "晚上12点"),
    ("3pm", "2026-11-25 15:00", "hour", "3pm"),
    ("3:30 pm", "2026-11-25 15:30", "minute", "3:30 pm"),
    ("8:05a.m.", "2026-11-26 08:05", "minute", "8:05a.m."),
    ("12am", "2026-11-26 00:00", "hour", "12am"),
    ("15:00", "2026-11-25 15:00", "minute", "15:00"),
    ("09:00", "2026-11-26 09:00", "minute", "09:00"),
    ("at 9", "2026-11-26 09:00", "hour", "at 9"),
    ("at 3", "2026-11-25 15:00", "hour", "at 3"),
    ("9 o'clock", "2026-11-26 09:00", "hour", "9 o'clock"),
    ("noon", "2026-11-25 12:00", "hour", "noon"),
    ("midnight", "2026-11-26 00:00", "hour", "midnight"),
    ("at 3 in the afternoon", "2026-11-25 15:00", "hour", "at 3 in the afternoon"),
    # relative times
    ("in 2 hours", "2026-11-25 12:00", "hour", "in 2 hours"),
    ("in an hour", "2026-11-25 11:00", "hour", "in an hour"),
    ("in half an hour", "2026-11-25 10:30", "minute", "in half an hour"),
    ("in 90 minutes", "2026-11-25 11:30", "minute", "in 90 minutes"),
    ("two hours later", "2026-11-25 12:00", "hour", "two hours later"),
    ("30 minutes ago", "2026-11-25 09:30", "minute", "30 minutes ago"),
    ("两个小时后", "2026-11-25 12:00", "hour", "两个小时后"),
    ("半小时后", "2026-11-25 10:30", "minute", "半小时后"),
    ("半个小时以后", "2026-11-25 10:30", "minute", "半个小时以后"),
    ("一个半小时后", "2026-11-25 11:30", "minute", "一个半小时后"),
    ("十分钟前", "2026-11-25 09:50", "minute", "十分钟前"),
    # combinations
    ("明天下午三点", "2026-11-26 15:00", "hour", "明天下午三点"),
    ("明天三点", "2026-11-26 15:00", "hour", "明天三点"),
    ("明天的下午3点", "2026-11-26 15:00", "hour", "明天的下午3点"),
    ("下周三上午10点", "2026-12-02 10:00", "hour", "下周三上午10点"),
    ("12月3日下午2点", "2026-12-03 14:00", "hour", "12月3日下午2点"),
    ("2026-12-03 15:00", "2026-12-03 15:00", "minute", "2026-12-03 15:00"),
    ("next Friday at 3pm", "2026-12-04 15:00", "hour", "next Friday at 3pm"),
    ("3pm tomorrow", "2026-11-26 15:00", "hour", "3pm tomorrow"),
    ("I'll call at 5 tomorrow", "2026-11-26 17:00", "hour", "at 5 tomorrow"),
    ("next Friday morning at 10", "2026-12-04 10:00", "hour", "next Friday morning at 10"),
    ("我想明天下午三点取件", "2026-11-26 15:00", "hour", "明天下午三点"),
    ("tomorrow morning", "2026-11-26 09:00", "hour", "tomorrow morning"),
    ("tomorrow night", "2026-11-26 20:00", "hour", "tomorrow night"),
    ("tomorrow at 10:30", "2026-11-26 10:30", "minute", "tomorrow at 10:30"),
    ("tomorrow at noon", "2026-11-26 12:00", "hour", "tomorrow at noon"),
    ("today at 9", "2026-11-25 09:00", "hour", "today at 9"),  # said date: no roll-over
    ("今天3点", "2026-11-25 15:00", "hour", "今天3点"),
    ("今晚", "2026-11-25 20:00", "hour", "今晚"),
    ("今晚8点半", "2026-11-25 20:30", "minute", "今晚8点半"),
    ("今天晚上8点", "2026-11-25 20:00", "hour", "今天晚上8点"),
    ("明早9点", "2026-11-26 09:00", "hour", "明早9点"),
    ("周五下午", "2026-11-27 15:00", "hour", "周五下午"),
    ("this afternoon", "2026-11-25 15:00", "hour", "this afternoon"),
    ("tonight at 8", "2026-11-25 20:00", "hour", "tonight at 8"),
    ("last night", "2026-11-24 20:00", "hour", "last night"),
    ("Friday, 3pm", "2026-11-27 15:00", "hour", "Friday, 3pm"),
]


@pytest.mark.parametrize(("text", "start", "end", "grain", "matched"), DAY_CASES)
def test_dates_weeks_months(text: str, start: str, end: str, grain: str, matched: str) -> None:
    found = _one(text)
    assert (_fmt(found.start), _fmt(found.end), found.grain, found.text) == (start, end, grain, matched)
    assert text[found.span[0] : found.span[1]] == matched


@pytest.mark.parametrize(("text", "start", "grain", "matched"), POINT_CASES)
def test_points_in_time(text: str, start: str, grain: str, matched: str) -> None:
    found = _one(text)
    assert (_fmt(found.start), found.end, found.grain, found.text) == (start, None, grain, matched)


@pytest.mark.parametrize(
    ("text", "start", "end", "grain"),
    [
        ("下周三", "2027-01-06 00:00", "2027-01-07 00:00", "day"),  # crosses into next year
        ("这周五", "2027-01-01 00:00", "2027-01-02 00:00", "day"),
        ("明天", "2026-12-31 00:00", "2027-01-01 00:00", "day"),
        ("后天", "2027-01-01 00:00", "2027-01-02 00:00", "day"),
        ("in 3 days", "2027-01-02 00:00", "2027-01-03 00:00", "day"),
        ("下个月", "2027-01-01 00:00", "2027-02-01 00:00", "month"),
        ("next week", "2027-01-04 00:00", "2027-01-11 00:00", "week"),
        ("1月5日", "2027-01-05 00:00", "2027-01-06 00:00", "day"),  # nearest: next January
        ("12月3日", "2026-12-03 00:00", "2026-12-04 00:00", "day"),  # nearest: this December
        ("3号", "2027-01-03 00:00", "2027-01-04 00:00", "day"),
        ("next Friday", "2027-01-08 00:00", "2027-01-09 00:00", "day"),
        ("一个月后", "2027-01-30 00:00", "2027-01-31 00:00", "day"),
    ],
)
def test_year_end_reference(text: str, start: str, end: str, grain: str) -> None:
    found = _one(text, YEAR_END)
    assert (_fmt(found.start), _fmt(found.end), found.grain) == (start, end, grain)


def test_year_end_combination_and_relative_time() -> None:
    late = datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI)
    assert _fmt(_one("下周三上午10点", late).start) == "2027-01-06 10:00"
    assert _fmt(_one("两个小时后", late).start) == "2027-01-01 01:30"
    assert _fmt(_one("下午三点", late).start) == "2027-01-01 15:00"  # past today: tomorrow


def test_month_arithmetic_clamps() -> None:
    jan31 = datetime(2027, 1, 31, 9, 0, tzinfo=SHANGHAI)
    assert _fmt(_one("一个月后", jan31).start) == "2027-02-28 00:00"
    assert _fmt(_one("next month", jan31).start) == "2027-02-01 00:00"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "你好，我想退货",
        "快一点",  # 一点 = "a little"
        "便宜一点吧",
        "有三点建议",  # three points
        "Good morning",
        "晚上好",
        "#W2611340",
        "13812345678",
        "$25",
        "200元",
        "3件",
        "three items at 5 dollars",
        "中山路12号",  # an address
        "3号楼",
        "然后天气不错",  # 然后 + 天气, not 后天
        "3日内发货",  # within 3 days, not the 3rd
        "I may come",
        "march forward",
        "5/5 stars",
        "version 2.0",
        "比分2:1",
        "三点五万元",
        "每周三",  # recurring, not a date
        "两个小时",  # a duration, not a point in time
    ],
)
def test_nothing_resolved(text: str) -> None:
    assert resolve_datetimes(text, REF) == []


def test_several_expressions_in_one_sentence() -> None:
    text = "我明天下午三点不在，下周三上午10点或者next Friday at 3pm都可以"
    found = resolve_datetimes(text, REF)
    assert [f.text for f in found] == ["明天下午三点", "下周三上午10点", "next Friday at 3pm"]
    assert [_fmt(f.start) for f in found] == ["2026-11-26 15:00", "2026-12-02 10:00", "2026-12-04 15:00"]
    assert all(text[f.span[0] : f.span[1]] == f.text for f in found)


def test_results_are_aware_and_in_the_requested_zone() -> None:
    for found in resolve_datetimes("明天下午三点 and in 2 hours and 下周", REF):
        assert found.start.tzinfo is not None
        assert found.start.utcoffset() == timedelta(hours=8)
        assert found.end is None or found.end.utcoffset() == timedelta(hours=8)


def test_reference_is_converted_to_the_zone_first() -> None:
    utc_ref = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)  # 02:30 on the 25th in Shanghai
    assert _fmt(_one("明天", utc_ref).start) == "2026-11-26 00:00"
    assert _fmt(_one("明天", utc_ref, tz="UTC").start) == "2026-11-25 00:00"
    new_york = _one("tomorrow at 3pm", REF, tz="America/New_York")  # 21:00 on the 24th in New York
    assert _fmt(new_york.start) == "2026-11-25 15:00"
    assert new_york.start.utcoffset() == timedelta(hours=-5)


def test_daylight_saving_day() -> None:
    ref = datetime(2026, 3, 7, 12, 0, tzinfo=ZoneInfo("America/New_York"))  # DST starts 2026-03-08
    found = _one("tomorrow at 3pm", ref, tz="America/New_York")
    assert _fmt(found.start) == "2026-03-08 15:00"
    assert found.start.utcoffset() == timedelta(hours=-4)
    later = _one("in 24 hours", ref, tz="America/New_York")
    assert _fmt(later.start) == "2026-03-08 13:00"  # 24 elapsed hours, across the skipped hour


def test_naive_reference_is_rejected() -> None:
    with pytest.raises(ValueError):
        resolve_datetimes("明天", datetime(2026, 11, 25, 10, 0))
