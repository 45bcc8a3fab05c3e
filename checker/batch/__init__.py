"""Batch scanning: `tendercheck scan` (discover → process pool or Dask → SQLite), its summary dashboard, rule-change
comparison, and `tendercheck sample` (双随机 risk-weighted sampling). See checker/batch/store.py for the database."""
from .scan import ScanOptions, ScanResult, scan
from .store import Outcome, Store

__all__ = ["ScanOptions", "ScanResult", "scan", "Outcome", "Store"]
