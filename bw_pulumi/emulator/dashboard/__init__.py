"""The Dashboard (Iris, XML) API: models, backend, wire modules, faults and routes."""
