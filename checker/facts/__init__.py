"""Facts stage: typed values (money, percentages, durations, dates) attached to the quantities they state, and the
periods derived from them."""
from .model import Fact

__all__ = ["Fact"]
