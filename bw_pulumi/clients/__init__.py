"""Plain-Python clients for the Bandwidth Dashboard (XML), Catapult v1 (JSON) and Messaging v2
(JSON) APIs."""

from .catapult import ApplicationInfo, CatapultClient, NumberInfo
from .dashboard import DashboardClient
from .dashboard_models import (
    Address,
    CheckerResult,
    ExternalTnsOrder,
    HistoryEntry,
    ImportOrder,
    ImportOrderRequest,
    OrderSummary,
    RemoveOrder,
    SubscriptionInfo,
    SubscriptionSpec,
)
from .messaging import MessageEvent, MessagingClient, SentMessage, parse_webhook

__all__ = [
    "Address",
    "ApplicationInfo",
    "CatapultClient",
    "CheckerResult",
    "DashboardClient",
    "ExternalTnsOrder",
    "HistoryEntry",
    "ImportOrder",
    "ImportOrderRequest",
    "MessageEvent",
    "MessagingClient",
    "NumberInfo",
    "OrderSummary",
    "RemoveOrder",
    "SentMessage",
    "SubscriptionInfo",
    "SubscriptionSpec",
    "parse_webhook",
]
