"""Tables. Alembic migrations in ``kefu/store/migrations`` create exactly these."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class CustomerRow(Base):
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    external_ref: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConversationRow(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    # the fencing token of the last turn-lock holder that wrote; an older holder's write is refused
    fence: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    csat: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_events_conversation_seq"),
        UniqueConstraint("conversation_id", "client_msg_id", name="uq_events_conversation_client_msg"),
        Index("ix_events_conversation_reply_to", "conversation_id", "reply_to"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    role: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8))
    client_msg_id: Mapped[str | None] = mapped_column(String(128))
    reply_to: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HandoffRow(Base):
    """One request for a human: waiting until claimed, then handled until released or closed."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_open", "ended_at", "claimed_by", "priority"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    pack: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(32))


class AgentRow(Base):
    """A human agent or admin. Only the SHA-256 of the bearer token is stored."""

    __tablename__ = "agents"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    skills: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    capacity: Mapped[int] = mapped_column(Integer, default=5)
    presence: Mapped[str] = mapped_column(String(16), default="offline", server_default="offline")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ShopCustomerRow(Base):
    """A customer of the demo business system (the shop kefu serves), not a kefu customer."""

    __tablename__ = "shop_customers"
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True)
    first_name: Mapped[str] = mapped_column(String(128))
    last_name: Mapped[str] = mapped_column(String(128))
    zip: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ShopProductRow(Base):
    __tablename__ = "shop_products"
    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ShopOrderRow(Base):
    __tablename__ = "shop_orders"
    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class ShopActionRow(Base):
    """Every side effect on the shop, keyed by an idempotency key so a retry never applies it twice."""

    __tablename__ = "shop_actions"
    idempotency_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KnowledgePackRow(Base):
    """One row per pack (tenant) with knowledge: ``revision`` grows on every change, so each worker
    knows when its in-memory index is stale and rebuilds it (or loads the cached one)."""

    __tablename__ = "knowledge_packs"
    pack: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KnowledgeDocumentRow(Base):
    """A document of a pack's knowledge; re-ingesting the same ``source`` replaces it."""

    __tablename__ = "knowledge_documents"
    __table_args__ = (UniqueConstraint("pack", "source", name="uq_knowledge_documents_pack_source"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pack: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(512))
    title: Mapped[str] = mapped_column(String(512))
    lang: Mapped[str] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KnowledgeChunkRow(Base):
    """A retrievable passage: a section of a document under its heading, or one FAQ entry."""

    __tablename__ = "knowledge_chunks"
    __table_args__ = (
        UniqueConstraint("document_id", "ordinal", name="uq_knowledge_chunks_document_ordinal"),
    )
    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("knowledge_documents.id", ondelete="CASCADE"), index=True
    )
    pack: Mapped[str] = mapped_column(String(64), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(512))
    anchor: Mapped[str | None] = mapped_column(String(255))
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)


class VaultEntryRow(Base):
    """An original personal value a tool truly needs, encrypted (AES-GCM); ``key_id`` names the key."""

    __tablename__ = "vault_entries"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str] = mapped_column(String(32))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReviewItemRow(Base):
    """A bot reply held for human review: pending until a reviewer approves (maybe edited) or rejects."""

    __tablename__ = "review_items"
    __table_args__ = (Index("ix_review_items_status_created", "status", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    pack: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    final_text: Mapped[str | None] = mapped_column(Text)
    risk: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reply_to: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(128))


class HospitalDepartmentRow(Base):
    """A department of the healthcare pack's hospital (``docs/healthcare-data.md``), as JSON."""

    __tablename__ = "hospital_departments"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class HospitalDoctorRow(Base):
    __tablename__ = "hospital_doctors"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    department_id: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class HospitalSlotRow(Base):
    """A bookable slot; ``starts_at`` is ISO 8601 with the hospital's offset (sorts as text)."""

    __tablename__ = "hospital_slots"
    __table_args__ = (Index("ix_hospital_slots_department_start", "department_id", "starts_at"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    doctor_id: Mapped[str] = mapped_column(String(64), index=True)
    department_id: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[str] = mapped_column(String(32))
    minutes: Mapped[int] = mapped_column(Integer)


class HospitalPatientRow(Base):
    __tablename__ = "hospital_patients"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), index=True)
    birth_date: Mapped[str] = mapped_column(String(10))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class HospitalAppointmentRow(Base):
    """An appointment. ``held_slot_id`` is the slot a *booked* appointment holds (NULL once cancelled):
    its UNIQUE constraint is what makes two patients unable to hold one slot, even at the same moment."""

    __tablename__ = "hospital_appointments"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    patient_id: Mapped[str] = mapped_column(String(64), index=True)
    slot_id: Mapped[str] = mapped_column(String(64))
    held_slot_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    booked_at: Mapped[str] = mapped_column(String(32))


class HospitalMeasurementRow(Base):
    """A patient's measurement, sealed at rest (AES-GCM under the vault's keys; the row id is the
    associated data): only ``kind`` and the time stay readable."""

    __tablename__ = "hospital_measurements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    taken_at: Mapped[str] = mapped_column(String(32))
    key_id: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class HospitalMetaRow(Base):
    """The hospital's own record (name, time zone, emergency number) and other single values."""

    __tablename__ = "hospital_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class HospitalActionRow(Base):
    """A hospital mutation already applied, by idempotency key, with its result (a retry returns it)."""

    __tablename__ = "hospital_actions"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BankTableRow(Base):
    """A table of the finance pack's bank (τ²-bench banking ``db.json``): its name, order and notes."""

    __tablename__ = "bank_tables"
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")


class BankRecordRow(Base):
    """One record of a bank table, as JSON, in its table's order."""

    __tablename__ = "bank_records"
    __table_args__ = (Index("ix_bank_records_table_position", "table_name", "position"),)
    table_name: Mapped[str] = mapped_column(String(128), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class BankActionRow(Base):
    """A bank mutation already applied, by idempotency key, with its result (a retry returns it)."""

    __tablename__ = "bank_actions"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SchoolRecordRow(Base):
    """A record of the education pack's school (``docs/education-data.md``): a teacher, course, student,
    enrolment or assignment, as JSON, with the ids it is looked up by. ``active_key`` is
    ``student:course`` while an enrolment is active and UNIQUE, so the database itself refuses a second
    active enrolment in the same course, whichever worker gets there second."""

    __tablename__ = "school_records"
    __table_args__ = (
        Index("ix_school_records_kind_student", "kind", "student_id"),
        Index("ix_school_records_kind_course", "kind", "course_id"),
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    student_id: Mapped[str | None] = mapped_column(String(64))
    course_id: Mapped[str | None] = mapped_column(String(64))
    active_key: Mapped[str | None] = mapped_column(String(130), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class SchoolActionRow(Base):
    """A school mutation already applied, by idempotency key, with its result (a retry returns it)."""

    __tablename__ = "school_actions"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
