"""``DELETE /v1/customers/{customer_id}``: erase everything kefu stores about one customer. Admins only.

``customer_id`` is kefu's own customer id or the business's reference to the customer (the ``sub`` of
the signed ``customer_token``, also the id a pack records when it verifies the customer in the chat).
An unknown or already erased customer answers 404 with a message saying which: erasure is idempotent
in effect (nothing is left either way) and the caller can tell a typo from a repeat.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from kefu.api.audit import AdminDep, actor_of
from kefu.api.conversations import ERRORS
from kefu.api.deps import PrivacyDep

router = APIRouter(prefix="/v1/customers", tags=["privacy"])
CustomerPath = Annotated[str, Path(min_length=1, max_length=255, pattern=r"^[^\s/]+$")]


class RemovedOut(BaseModel):
    conversations: int
    events: int
    messages: int
    handoffs: int
    review_items: int
    vault_entries: int
    customers: int
    audit_scrubbed: int = Field(description="Audit records of the erased conversations, now content-free")


class ErasureOut(BaseModel):
    erased: bool = True
    tombstone_id: int = Field(description="Audit record of this erasure (action customer.erased)")
    erased_at: str
    removed: RemovedOut


@router.delete("/{customer_id}", response_model=ErasureOut, responses=ERRORS)
async def erase_customer(customer_id: CustomerPath, admin: AdminDep, privacy: PrivacyDep) -> dict[str, Any]:
    """Remove the customer's conversations, messages and other events, handoffs, review items, vault
    entries and customer record in one transaction, leaving a content-free audit tombstone."""
    report = await anyio.to_thread.run_sync(privacy.store.erase_customer, customer_id, actor_of(admin))
    return {
        "erased": True,
        "tombstone_id": report.tombstone_id,
        "erased_at": report.erased_at.isoformat(),
        "removed": report.counts.as_dict(),
    }
