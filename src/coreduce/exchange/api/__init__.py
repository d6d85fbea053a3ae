"""The exchange's HTTP API: one FastAPI router per area, typed models beside them, errors mapped in one place."""
