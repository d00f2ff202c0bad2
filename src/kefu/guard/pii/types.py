"""The contract of PII detection: a typed span of the original text."""

from __future__ import annotations

from dataclasses import dataclass

# kinds, in the order a conflict is settled (earlier wins when two candidates overlap)
EMAIL = "EMAIL"
IBAN = "IBAN"
CN_ID = "CN_ID"
CARD = "CARD"
CARD_SECRET = "CARD_SECRET"  # a card's CVV/CVC or expiry: dropped from the text, never kept
US_SSN = "US_SSN"
IP = "IP"
PASSPORT = "PASSPORT"
PHONE = "PHONE"
ADDRESS = "ADDRESS"
PERSON = "PERSON"

KINDS = (EMAIL, IBAN, CN_ID, CARD, CARD_SECRET, US_SSN, IP, PASSPORT, PHONE, ADDRESS, PERSON)
PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}

# our kinds under the entity names of Presidio (and presidio-research data sets)
PRESIDIO_NAMES = {
    EMAIL: "EMAIL_ADDRESS",
    IBAN: "IBAN_CODE",
    CN_ID: "CN_RESIDENT_ID",
    CARD: "CREDIT_CARD",
    US_SSN: "US_SSN",
    IP: "IP_ADDRESS",
    PASSPORT: "PASSPORT",
    PHONE: "PHONE_NUMBER",
    ADDRESS: "STREET_ADDRESS",
    PERSON: "PERSON",
}


@dataclass(frozen=True)
class PiiSpan:
    """``text[start:end]`` is personal data of type ``kind``. Spans carry no value: only offsets."""

    kind: str
    start: int
    end: int
