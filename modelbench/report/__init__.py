"""HTML reports and plots built from a store (a face: it reads through the store contract).

Example:
    >>> from modelbench import get_database_manager
    >>> from modelbench.report import build_report
    >>> db = get_database_manager("sqlite", path=":memory:")
    >>> db.setup()
    >>> "<html>" in build_report(db)
    True
"""

from .html import ReportData, build_report, collect_report_data, pareto_front, write_report

__all__ = ["build_report", "write_report", "collect_report_data", "ReportData", "pareto_front"]
