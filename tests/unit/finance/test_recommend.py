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


def test_the_fee_rebate_needs_every_monthly_window_of_the_cardmember_year() -> None:
    from kefu.packs.finance import rebate

    account = {"card_type": rebate.CARD, "date_of_account_open": "11/10/2022"}
    spend = [
        {
            "credit_card_type": rebate.CARD,
            "transaction_date": f"{m:02d}/15/{y}",
            "transaction_amount": "$7,600.00",
        }
        for y, m in [(2024, 11), (2024, 12)] + [(2025, m) for m in range(1, 11)]
    ]
    found = rebate.windows(account, spend, TODAY)
    assert [w.start for w in (found[0], found[-1])] == [date(2024, 11, 10), date(2025, 10, 10)]
    assert rebate.qualifies(found)
    spend[3]["transaction_amount"] = "$7,499.99"  # one window short: no rebate for the year
    assert not rebate.qualifies(rebate.windows(account, spend, TODAY))


def test_the_credit_bureau_incident_goes_to_a_human_while_its_protocol_runs() -> None:
    from kefu.packs.finance.escalations import escalation_for

    text = "Credit Karma says Rho-Bank reported a 60-day delinquency on my card!"
    found = escalation_for(text, TODAY)
    assert found is not None and found.name == "credit_bureau_incident"
    assert escalation_for("我的征信报告里有逾期记录", TODAY) is not None
    assert escalation_for(text, date(2025, 12, 1)) is None  # the protocol ended on 11/18
    assert escalation_for("what's my balance", TODAY) is None
