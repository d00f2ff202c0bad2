"""Product and stock questions, answered from the catalogue in the customer's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.dialogue.resolve.products import resolve_product
from kefu.engine.context import TurnContext
from kefu.nlu import entities
from kefu.packs.retail import render, slots
from kefu.packs.retail.questions import about_catalogue
from kefu.packs.retail.shop import Record

if TYPE_CHECKING:
    from kefu.packs.retail.host import RetailHost


def named_products(text: str, products: list[Record]) -> list[Record]:
    """Products the message names: through the glossary (either language, typos, aliases), else by
    their English or Chinese name or a distinctive word of it."""
    found = resolve_product(text, "en", products, glossary=render.glossary())
    ids = [found.value] if found.resolved and found.value else list(found.candidates)
    if ids:
        return [p for p in products if str(p.get("product_id")) in ids]
    folded = entities.fold(text).lower()
    exact = [
        p
        for p in products
        if str(p.get("name", "")).lower() in folded or (p.get("name_zh") and str(p["name_zh"]) in folded)
    ]
    if exact:
        return exact
    return [p for p in products if slots.names_product(folded, str(p.get("name", "")))]


class ProductAnswers:
    def __init__(self, host: RetailHost) -> None:
        self.host = host

    def answer(self, ctx: TurnContext, text: str) -> None:
        host = self.host
        products = host.view(ctx).products()
        matches = named_products(text, products)
        if not matches and host.questions is not None and not about_catalogue(text):
            host.questions.dont_know(ctx)  # "do you offer a student discount?": not about a product
            return
        if not matches:
            names = [render.product_name(p, ctx.lang) for p in products[:12]]
            host.reply(
                ctx,
                "product.unknown",
                tuple(names[:4]),
                products="、".join(names) if ctx.lang == "zh" else ", ".join(names),
            )
            return
        for product in matches[:2]:
            variants = list(product.get("variants", {}).values())
            available = [v for v in variants if v.get("available")]
            prices = [float(v["price"]) for v in available] or [0.0]
            wanted = slots.wanted_values(text)
            fitting = [
                v for v in available if wanted & {str(o).lower() for o in v.get("options", {}).values()}
            ]
            options = sorted({str(o) for v in available for o in v.get("options", {}).values()})
            host.reply(
                ctx,
                "product.info" if available else "product.sold_out",
                name=render.product_name(product, ctx.lang),
                count=len(available),
                low=render.money(min(prices)),
                high=render.money(max(prices)),
                options=", ".join(options[:20]),
                fitting="; ".join(
                    render.item_name({**v, "name": render.product_name(product, ctx.lang)}, ctx.lang)
                    for v in fitting[:3]
                )
                or "-",
            )
