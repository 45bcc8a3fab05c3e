"""`tendercheck serve`: the platform API (`/v1`, bearer tokens) and the bureau's review desk (`/desk`, login), on
FastAPI + uvicorn. Every check runs in a bounded pool of worker processes (pool.py) through one adapter onto the
CLI's code path (engine.py), so the service answers exactly what `tendercheck check` / `project` answer."""
