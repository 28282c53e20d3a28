"""Plain-Python clients for the Bandwidth Dashboard (XML) and Catapult v1 (JSON) APIs."""
