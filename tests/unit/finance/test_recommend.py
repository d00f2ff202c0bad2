"""Card recommendations from stated needs: cash back within the fee the customer accepts, a fee rebate
earned by monthly spend, subscription-only cards, sign-up offers open on the bank's date."""

from __future__ import annotations

from datetime import date

from kefu.packs.finance import recommend

TODAY = date(2025, 11, 14)


def test_no_fee_cash_back_depends_on_the_subscription() -> None:
    slots = {"goal": "cash_back", "max_fee": 0.0, "monthly_spend": recommend.NOT_NEEDED}
    assert recommend.needs_subscription_answer(slots)
    assert not recommend.needs_spend_answer(slots)
    card = recommend.recommend({**slots, "subscription": "yes"}, TODAY)
    assert card is not None and card.name == "Gold Rewards Card"
    card = recommend.recommend({**slots, "subscription": "no"}, TODAY)
    assert card is not None and card.name in ("Bronze Rewards Card", "Silver Rewards Card")


def test_a_rebate_earned_by_monthly_spend_lowers_the_effective_fee() -> None:
    slots = {"goal": "cash_back", "max_fee": 100.0, "subscription": "no"}
    assert recommend.needs_spend_answer(slots)
    card = recommend.recommend({**slots, "monthly_spend": 50000.0}, TODAY)
    assert card is not None and card.name == "Platinum Rewards Card"
    card = recommend.recommend({**slots, "monthly_spend": 1000.0}, TODAY)
    assert card is not None and card.name != "Platinum Rewards Card"


def test_only_sign_up_offers_open_today_count() -> None:
    card = recommend.recommend({"goal": "signup_bonus"}, TODAY)
    assert card is not None and card.name == "EcoCard"
    card = recommend.recommend({"goal": "signup_bonus"}, date(2025, 3, 1))
    assert card is not None and card.name == "Silver Rewards Card"  # its offer was open then, with no fee


def test_needs_are_read_in_both_languages() -> None:
    assert recommend.goal("the highest cash back please") == "cash_back"
    assert recommend.goal("想要开卡奖励最好的") == "signup_bonus"
    assert recommend.max_fee("no annual fee unless it's the only option", asked=False) == 0.0
    assert recommend.max_fee("up to $100 a year in fees", asked=False) == 100.0
    assert recommend.max_fee("不要年费", asked=False) == 0.0
