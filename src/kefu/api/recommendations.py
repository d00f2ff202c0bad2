"""``GET /v1/recommendations?customer=&k=&lang=``: product recommendations for a shop customer, with a
reason each, for the business's own site (issue #14). Admin token (the site's server calls it, never a
browser). The model is rebuilt from the shop's orders at most every ``REBUILD_S`` seconds."""

from __future__ import annotations

import threading
import time
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from kefu.api.analytics import AdminDep
from kefu.domain.errors import StoreUnavailable
from kefu.recommend.products import ProductRecommender

router = APIRouter(prefix="/v1", tags=["recommendations"])
REBUILD_S = 300.0
_LOCK = threading.Lock()


class SuggestionOut(BaseModel):
    product_id: str
    name: str
    reason: str
    kind: str
    because: list[str]
    min_price: float


class RecommendationsOut(BaseModel):
    customer: str
    recommendations: list[SuggestionOut]


def _recommender(request: Request) -> ProductRecommender:
    shop: Any = getattr(request.app.state, "retail_shop", None)
    if shop is None:
        raise StoreUnavailable("no shop is configured")
    with _LOCK:
        kept: tuple[float, ProductRecommender] | None = getattr(request.app.state, "recommender", None)
        if kept is None or time.monotonic() - kept[0] > REBUILD_S:
            kept = (time.monotonic(), ProductRecommender.from_shop(shop))
            request.app.state.recommender = kept
        return kept[1]


@router.get("/recommendations", response_model=RecommendationsOut)
async def recommendations(
    request: Request,
    _: AdminDep,
    customer: Annotated[str, Query(min_length=1, max_length=128, description="The shop's customer id")],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    lang: Annotated[Literal["zh", "en"], Query()] = "en",
) -> RecommendationsOut:
    """Products for ``customer`` (an unknown customer gets the popular ones), best first."""

    def build() -> RecommendationsOut:
        found = _recommender(request).for_customer(customer, k=k, lang=lang)
        return RecommendationsOut(
            customer=customer,
            recommendations=[
                SuggestionOut(
                    product_id=s.product_id,
                    name=s.name,
                    reason=s.reason,
                    kind=s.kind,
                    because=list(s.because),
                    min_price=s.min_price,
                )
                for s in found
            ],
        )

    return await anyio.to_thread.run_sync(build)
