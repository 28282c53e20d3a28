"""Plain-Python clients for the Bandwidth Dashboard (XML) and Catapult v1 (JSON) APIs."""

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
    "NumberInfo",
    "OrderSummary",
    "RemoveOrder",
    "SubscriptionInfo",
    "SubscriptionSpec",
]
