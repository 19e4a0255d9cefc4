"""Seed compatibility: ``from src.database import get_database_manager``."""

from modelbench.store import DatabaseManager, get_database_manager  # noqa: F401
