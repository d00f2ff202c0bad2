"""create_app(settings): the only place that wires concrete implementations to ports."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy.exc import SQLAlchemyError

from kefu import __version__
from kefu.api import agents, analytics, conversations, health, live, metrics
from kefu.api import audit as audit_api
from kefu.api import customers as customers_api
from kefu.api import knowledge as knowledge_api
from kefu.api import recommendations as recommendations_api
from kefu.api import review as review_api
from kefu.api import tickets as tickets_api
from kefu.api import vault as vault_api
from kefu.api.backpressure import Backpressure
from kefu.api.deps import Privacy, Services
from kefu.api.errors import install_error_handlers
from kefu.api.limits import AbuseLimits
from kefu.api.log_scrub import install_log_scrubbing
from kefu.api.request_guard import RequestGuard
from kefu.config import Settings, with_secrets
from kefu.domain.errors import KefuError
from kefu.engine.conversations import ConversationService
from kefu.engine.ports import MessageBroker, TurnLock
from kefu.guard.attempts import AttemptPolicy, InProcessAttemptStore, VerificationLimits
from kefu.guard.authz import TokenService
from kefu.guard.erasure import retention_schedule, subject_hasher
from kefu.guard.rate_limits import Counters, InProcessCounters
from kefu.guard.sealed_state import StateSealer
from kefu.guard.vault import VAULTED_KINDS, Keyring, Vault, VaultKeeper
from kefu.handoff.desk import AgentDesk
from kefu.handoff.policy import QueueSnapshot
from kefu.handoff.review import ReviewService
from kefu.knowledge.service import KnowledgeBase, index_dir_for
from kefu.llm.factory import build_chat_model
from kefu.packs.registry import PackCatalog, PackEnvironment
from kefu.store.memory import InProcessBroker, InProcessTurnLock
from kefu.store.sql.analytics import SqlAnalytics
from kefu.store.sql.audit import SqlAuditLog
from kefu.store.sql.bank import SqlBank
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.erasure import SqlPrivacyStore
from kefu.store.sql.handoffs import SqlHandoffStore
from kefu.store.sql.hospital import SqlHospital
from kefu.store.sql.knowledge import SqlKnowledgeStore
from kefu.store.sql.review import SqlReviewStore
from kefu.store.sql.school import SqlSchool
from kefu.store.sql.shop import SqlRetailShop
from kefu.store.sql.vault import SqlVaultStore
from kefu.web.console import build_console_router
from kefu.web.dashboard import build_dashboard_router
from kefu.web.routes import build_web_router, mount_static

log = logging.getLogger("kefu")


def _coordination(
    settings: Settings,
) -> tuple[TurnLock, MessageBroker, dict[str, Callable[[], Awaitable[Any]]]]:
    if not settings.redis_url:
        return InProcessTurnLock(), InProcessBroker(), {}
    from kefu.store.redis_coordination import RedisBroker, RedisTurnLock, redis_client

    client = redis_client(settings.redis_url)
    lock = RedisTurnLock(client, lease_ms=settings.lock_lease_ms, wait_s=settings.turn_timeout_s)
    return lock, RedisBroker(client), {"redis": client.ping}


def _abuse_guards(settings: Settings, audit: Callable[..., None]) -> tuple[AbuseLimits, VerificationLimits]:
    """Rate-limit counters and verification attempts: in-process, or shared through Redis."""
    assert settings.secret_key
    counters: Counters = InProcessCounters()
    attempts_store: Any = InProcessAttemptStore()
    if settings.redis_url:
        from redis import Redis as SyncRedis

        from kefu.store.redis_coordination import redis_client
        from kefu.store.redis_limits import RedisAttemptStore, RedisCounters

        counters = RedisCounters(redis_client(settings.redis_url))
        attempts_store = RedisAttemptStore(SyncRedis.from_url(settings.redis_url, decode_responses=True))
    policy = AttemptPolicy(
        free=settings.verification_free_attempts,
        lockout_after=settings.verification_lockout_after,
        lockout_s=settings.verification_lockout_s,
    )

    def lockout(identity_hash: str, failures: int) -> None:  # audited once per lock-out
        audit("system", "verification.locked_out", None, {"identity": identity_hash, "failures": failures})

    attempts = VerificationLimits(attempts_store, settings.secret_key, policy, on_lockout=lockout)
    return AbuseLimits.from_settings(settings, counters), attempts


def create_app(settings: Settings | None = None, migrate: bool = True) -> FastAPI:
    settings = with_secrets(settings or Settings(), announce=log.warning)
    assert settings.secret_key and settings.admin_token
    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    shop = SqlRetailShop(engine)
    handoffs = SqlHandoffStore(engine)

    def queue_info() -> QueueSnapshot:
        return QueueSnapshot(len(handoffs.waiting()), handoffs.average_wait_s(), handoffs.online_agents())

    knowledge = KnowledgeBase(
        SqlKnowledgeStore(engine), index_dir_for(settings.database_url, settings.knowledge_dir)
    )
    keyring = Keyring.from_settings(settings.secret_key, settings.retired_secret_keys)
    store = SqlConversationStore(engine, StateSealer(keyring))
    vault = Vault(SqlVaultStore(engine), keyring, store.audit)
    abuse_limits, verification_attempts = _abuse_guards(settings, store.audit)
    install_log_scrubbing((settings.admin_token,))
    systems = {
        "retail_shop": shop,
        "hospital": SqlHospital(engine, keyring),  # the healthcare pack's hospital (#13)
        "bank": SqlBank(engine),  # the finance pack's bank (#12)
        "school": SqlSchool(engine),  # the education pack's school (#14)
        "handoff_queue": queue_info,
        "knowledge": knowledge,
        "pii_vault": VaultKeeper(vault, VAULTED_KINDS),  # originals agents/tools may reveal, audited
        "verification_attempts": verification_attempts,  # dialogue.ports.VerificationAttempts (#16)
    }
    llm = build_chat_model(settings)  # issue #11: only with KEFU_LLM_BASE_URL; packs use it when present
    if llm is not None:
        systems["llm"] = llm  # a kefu.llm.ports.ChatModel (retries, breaker, budget included)
    packs = PackCatalog(
        PackEnvironment(
            systems=systems,
            timezone=settings.timezone,
            support_hours=settings.support_hours,
            review_threshold=settings.review_threshold,
            sensitive_words_file=settings.sensitive_words_file,
            emergency_numbers={
                key.removeprefix("emergency_"): value
                for key, value in settings.model_dump().items()
                if key.startswith("emergency_")
            },
        )
    )
    lock, broker, probes = _coordination(settings)
    turn_metrics = metrics.KefuMetrics()  # a registry per app
    service = ConversationService(
        store, lock, broker, packs, settings.max_message_chars, observers=[turn_metrics]
    )
    tokens = TokenService(settings.secret_key, settings.admin_token)
    privacy = Privacy(
        vault=vault,
        store=SqlPrivacyStore(engine, subject_hasher(settings.secret_key)),
        audit=SqlAuditLog(engine),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        packs(settings.default_pack)  # train and load the default pack before serving
        try:  # load (or build) its search index too, so the first question does not wait for it
            knowledge.index(settings.default_pack)
        except (KefuError, SQLAlchemyError) as exc:  # the database may be down: the first search retries
            log.warning("knowledge index of %s not loaded at start-up: %s", settings.default_pack, exc)
        async with retention_schedule(privacy.store.purge, settings.retention_days):
            yield
        engine.dispose()

    app = FastAPI(
        title="kefu",
        version=__version__,
        description="Self-hostable intelligent customer service (客服).",
        lifespan=lifespan,
    )
    desk = AgentDesk(service, handoffs)
    app.state.services = Services(
        conversations=service,
        tokens=tokens,
        readiness=probes,
        handoffs=handoffs,
        desk=desk,
        knowledge=knowledge,
    )
    app.state.settings = settings
    app.state.review = ReviewService(service, SqlReviewStore(engine))
    app.state.analytics = SqlAnalytics(engine)
    app.state.retail_shop = shop  # GET /v1/recommendations (#14)
    app.state.metrics = turn_metrics
    app.state.privacy = privacy
    app.state.limits = abuse_limits
    app.add_middleware(RequestGuard)  # rate limits, auth and body size before any body is read
    app.add_middleware(Backpressure, max_inflight=settings.max_inflight)  # 503 + Retry-After when full
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(conversations.router)
    app.include_router(live.router)
    app.include_router(tickets_api.router)
    app.include_router(agents.router)
    app.include_router(vault_api.router)
    app.include_router(knowledge_api.router)
    app.include_router(review_api.router)
    app.include_router(analytics.router)
    app.include_router(recommendations_api.router)
    app.include_router(audit_api.router)
    app.include_router(customers_api.router)
    app.include_router(metrics.router)
    app.include_router(build_web_router())
    app.include_router(build_console_router())
    app.include_router(build_dashboard_router())
    mount_static(app)
    return app
