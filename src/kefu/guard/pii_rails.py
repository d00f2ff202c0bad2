"""PII rails: masking on the way in (before anything is stored, logged or sent to a model), and a leak
check on the way out (no reply carries a card, ID, SSN, IBAN or passport number, nor echoes a value the
customer typed this turn)."""

from __future__ import annotations

import re

from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.rails import RailAction, RailOutcome
from kefu.guard.pii import Keep, PiiSpan, find_pii, mask, placeholder
from kefu.guard.vault import VaultKeeper

# never sent in a reply, whatever produced it
LEAK_KINDS = frozenset({"CARD", "CARD_SECRET", "CN_ID", "US_SSN", "IBAN", "PASSPORT"})
# in a reply, always the customer's own: masked in the stored text, shown live
ALWAYS_PERSONAL = frozenset({"ADDRESS"})


class PiiRedactionRail:
    """The customer's message is stored and shown with its PII masked by typed placeholders in the
    turn's language; the turn itself still sees the original text in memory (to verify an email, say).
    ``keep(span, original)``, if given, receives each original value (e.g. for an encrypted vault);
    card secrets (CVV, expiry) never reach it."""

    name = "pii_redaction"

    def __init__(self, keep: Keep | None = None, vault: VaultKeeper | None = None) -> None:
        self.keep = keep
        self.vault = vault  # keeps originals encrypted, bound to the turn's conversation and customer

    def check(self, ctx: TurnContext) -> RailOutcome | None:
        keep = self.keep
        if keep is None and self.vault is not None:
            keep = self.vault.for_conversation(ctx.conversation.id, ctx.conversation.customer_id).keep
        masked, spans = mask(ctx.text, lang=ctx.lang, keep=keep)
        if not spans:
            return None
        kinds = ",".join(sorted({s.kind for s in spans}))
        return RailOutcome(RailAction.MASK, f"masked {kinds}", masked)


class PiiLeakRail:
    """No reply carries a card, ID, SSN, IBAN or passport number, and no stored reply carries the
    customer's personal data: an address (a new one read back for confirmation, the shipping address of
    their order) or a value they typed this turn is masked in the stored text — the history and the
    agent console show placeholders — while this turn's own response shows the customer their details
    (``live_text``). The business's own contact details in an answer are left alone. Runs last among
    the output rails."""

    name = "pii_leak"

    def check(self, ctx: TurnContext, reply: OutgoingMessage) -> RailOutcome | None:
        typed = {_normal(ctx.text[s.start : s.end]) for s in find_pii(ctx.text)}
        secret, personal = [], []
        for span in find_pii(reply.text):
            if span.kind in LEAK_KINDS:
                secret.append(span)
            elif span.kind in ALWAYS_PERSONAL or _normal(reply.text[span.start : span.end]) in typed:
                personal.append(span)
        if not secret and not personal:
            return None
        masked = sorted(secret + personal, key=lambda span: span.start)
        kinds = ",".join(sorted({span.kind for span in masked}))
        return RailOutcome(
            RailAction.MASK,
            f"reply carried personal data ({kinds})",
            _replace(reply.text, masked, reply.lang),
            live_text=_replace(reply.text, secret, reply.lang) if personal else None,
        )


def _normal(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) >= 6 else value.strip().lower()


def _replace(text: str, spans: list[PiiSpan], lang: str) -> str:
    out, last = [], 0
    for span in spans:
        out.append(text[last : span.start])
        out.append(placeholder(span.kind, text[span.start : span.end], lang))
        last = span.end
    out.append(text[last:])
    return "".join(out)
