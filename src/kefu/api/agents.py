"""Agent endpoints: the queue, a conversation's context, claim, reply, hand back, close; live feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, WebSocket

from kefu.api.access import require_access
from kefu.api.conversations import ERRORS, ConversationPath, _messages
from kefu.api.deps import BearerDep, Services, ServicesDep, services
from kefu.api.live import relay, socket_credential
from kefu.api.read_audit import READS
from kefu.api.request_guard import AGENT_STATE_KEY
from kefu.api.schemas import Strict
from kefu.domain.errors import KefuError, Unauthorized
from kefu.domain.ids import ConversationId
from kefu.engine.conversations import AGENTS_CHANNEL
from kefu.engine.ports import Agent

router = APIRouter(prefix="/v1/agent", tags=["agents"])
ADMIN = Agent(id="admin", name="admin", role="admin", skills={}, capacity=10_000)


def authenticate(kefu: Services, token: str | None) -> Agent:
    if not token:
        raise Unauthorized("missing bearer token: agents send 'Authorization: Bearer <agent token>'")
    if kefu.tokens.is_admin(token):
        return ADMIN
    agent = kefu.handoffs.agent_for_token(token)
    if agent is None:
        raise Unauthorized("unknown agent token")
    return agent


def current_agent(request: Request, kefu: ServicesDep, token: BearerDep) -> Agent:
    found = request.scope.get("state", {}).get(AGENT_STATE_KEY)  # looked up once, before the body
    return found if isinstance(found, Agent) else authenticate(kefu, token)


AgentDep = Annotated[Agent, Depends(current_agent)]


class AgentMessage(Strict):
    text: str


@router.get("/me", responses=ERRORS)
async def me(agent: AgentDep) -> dict[str, Any]:
    return {
        "id": agent.id,
        "name": agent.name,
        "role": agent.role,
        "skills": agent.skills,
        "capacity": agent.capacity,
        "presence": agent.presence,
    }


@router.get("/queue", responses=ERRORS)
async def queue(agent: AgentDep, kefu: ServicesDep) -> dict[str, Any]:
    return await kefu.desk.queue(agent)


@router.get("/conversations/{conversation_id}", responses=ERRORS)
async def conversation(
    conversation_id: ConversationPath, agent: AgentDep, kefu: ServicesDep
) -> dict[str, Any]:
    await require_access(kefu, agent, conversation_id, "view")
    view = await kefu.desk.view(agent, ConversationId(conversation_id))
    view["messages"] = _messages(view["messages"])
    await READS.viewed(kefu.conversations.store, agent, conversation_id, len(view["messages"]))  # audited
    return view


@router.post("/conversations/{conversation_id}/claim", responses=ERRORS)
async def claim(conversation_id: ConversationPath, agent: AgentDep, kefu: ServicesDep) -> dict[str, Any]:
    await require_access(kefu, agent, conversation_id, "claim")
    return {
        "messages": _messages(await kefu.desk.claim(agent, ConversationId(conversation_id))),
        "status": "human",
    }


@router.post("/conversations/{conversation_id}/messages", responses=ERRORS)
async def reply(
    conversation_id: ConversationPath, body: AgentMessage, agent: AgentDep, kefu: ServicesDep
) -> dict[str, Any]:
    await require_access(kefu, agent, conversation_id, "reply", assigned_only=True)
    messages = await kefu.desk.reply(agent, ConversationId(conversation_id), body.text)
    return {"messages": _messages(messages), "status": "human"}


@router.post("/conversations/{conversation_id}/release", responses=ERRORS)
async def release(conversation_id: ConversationPath, agent: AgentDep, kefu: ServicesDep) -> dict[str, Any]:
    await require_access(kefu, agent, conversation_id, "release", assigned_only=True)
    return {
        "messages": _messages(await kefu.desk.hand_back(agent, ConversationId(conversation_id))),
        "status": "bot",
    }


@router.post("/conversations/{conversation_id}/close", responses=ERRORS)
async def close(conversation_id: ConversationPath, agent: AgentDep, kefu: ServicesDep) -> dict[str, Any]:
    await require_access(kefu, agent, conversation_id, "close")
    return {
        "messages": _messages(await kefu.desk.close(agent, ConversationId(conversation_id))),
        "status": "closed",
    }


@router.websocket("/ws")
async def agent_feed(websocket: WebSocket) -> None:
    """Pushes every message and status change of conversations that involve a human."""
    from kefu.api.tickets import agent_of_subject, redeem_ticket  # tickets imports this module

    kefu = services(websocket)
    kind, credential = socket_credential(websocket)
    try:
        if kind == "ticket":
            agent_of_subject(websocket, await redeem_ticket(websocket, credential or ""))
        else:
            authenticate(kefu, credential)
    except KefuError as exc:
        await websocket.close(code=4401, reason=exc.message)
        return
    await websocket.accept()

    async def keep_alive(_: str) -> dict[str, Any] | None:
        return None  # the console only listens; its pings keep the socket open

    await relay(websocket, kefu.conversations.broker, AGENTS_CHANNEL, keep_alive)


class Transfer(Strict):
    agent_id: str


class Presence(Strict):
    presence: str


@router.post("/conversations/{conversation_id}/transfer", responses=ERRORS)
async def transfer(
    conversation_id: ConversationPath, body: Transfer, agent: AgentDep, kefu: ServicesDep
) -> dict[str, Any]:
    await require_access(kefu, agent, conversation_id, "transfer", assigned_only=True)
    messages = await kefu.desk.transfer(agent, ConversationId(conversation_id), body.agent_id)
    return {"messages": _messages(messages), "status": "human"}


@router.post("/presence", responses=ERRORS)
async def presence(body: Presence, agent: AgentDep, kefu: ServicesDep) -> dict[str, Any]:
    """``online`` agents take chats; with nobody online, handoffs become tickets with a callback promise."""
    await kefu.desk.set_presence(agent, body.presence)
    return {"presence": body.presence}


@router.get("/agents", responses=ERRORS)
async def agents(agent: AgentDep, kefu: ServicesDep) -> list[dict[str, Any]]:
    """Colleagues a conversation can be transferred to."""
    return [
        {"id": a.id, "name": a.name, "role": a.role, "presence": a.presence, "capacity": a.capacity}
        for a in kefu.handoffs.agents()
    ]
