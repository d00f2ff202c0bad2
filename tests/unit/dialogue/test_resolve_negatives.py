"""Messages that name nothing leave every resolver at ``none``: no slot is filled from small talk."""

from __future__ import annotations

import pytest
from resolve_support import glossary, product, tau_db

from kefu.dialogue.resolve.addresses import resolve_address
from kefu.dialogue.resolve.items import resolve_items
from kefu.dialogue.resolve.orders import resolve_order
from kefu.dialogue.resolve.payment import resolve_payment_method
from kefu.dialogue.resolve.products import resolve_product
from kefu.dialogue.resolve.variants import resolve_variant

SMALL_TALK = [
    "hello", "hi there", "thanks", "thank you so much", "yes", "no", "ok", "sure", "got it, thanks",
    "that's all", "bye", "what's your name?", "can you help me?", "I want to talk to a human",
    "how long does shipping take?", "what is your return policy?", "my email is yusuf.rossi7301@example.com",
    "I'm Yusuf Rossi, zip 19122", "I don't remember", "never mind", "no problem", "I'm not sure", "wait",
    "hmm", "what do you mean?", "你好", "谢谢", "好的", "是的", "不是", "没有了", "再见", "我要找人工",
    "退货政策是什么", "我不记得了", "怎么退", "可以吗", "嗯", "对", "行",
]  # fmt: skip


@pytest.mark.parametrize("text", SMALL_TALK)
def test_small_talk_resolves_to_nothing(text: str) -> None:
    db = tau_db()
    user = db["users"]["yusuf_rossi_9620"]
    orders = [db["orders"][o] for o in user["orders"]]
    items = db["orders"]["#W2378156"]["items"]
    keyboard = next(i for i in items if i["name"] == "Mechanical Keyboard")
    results = {
        "order": resolve_order(text, "en", orders, glossary=glossary()),
        "items": resolve_items(text, "en", items, glossary=glossary()),
        "variant": resolve_variant(
            text, "en", product("Mechanical Keyboard"), current=keyboard, glossary=glossary()
        ),
        "payment": resolve_payment_method(text, "en", user["payment_methods"]),
        "address": resolve_address(text, "en"),
        "product": resolve_product(text, "en", db["products"], glossary=glossary()),
    }
    assert {name: r.outcome for name, r in results.items() if r.outcome != "none"} == {}
