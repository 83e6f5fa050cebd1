"""Every change of state in the domain, one function each (see ARCHITECTURE.md)."""

from parindex.core.errors import WorkflowError

__all__ = ["WorkflowError"]
