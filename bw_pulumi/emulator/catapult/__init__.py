"""The Catapult v1 (JSON) API: models, backend, request/response wire modules, faults and routes."""
