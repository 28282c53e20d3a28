"""The Messaging API v2 (JSON): send messages, deliver their webhooks (bandwidth-api-v2.md 4)."""
