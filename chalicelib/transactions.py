"""Writes to several items that happen together or not at all (DynamoDB TransactWriteItems).

The category tree's invariants span items: a category's parent must exist and be top-level, and a
category can go only while no article and no sub-category uses it. Each write that could break one
runs as one transaction with conditions on the other items, and the counts it conditions on
(`CategoryModel.children`, `.articles`) change in the same transaction.
"""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.models import CategoryModel

__all__ = ["TransactWriteError", "cancelled", "conflicted", "transaction"]

# A failed condition, or (on DynamoDB) another transaction on the same items at the same moment.
_RETRYABLE = {"ConditionalCheckFailed", "TransactionConflict"}


def transaction() -> TransactWrite:
    """A TransactWrite on the tables' shared connection; use it as a context manager."""
    return TransactWrite(connection=CategoryModel._get_connection().connection)


def cancelled(error: TransactWriteError) -> bool:
    """Whether the transaction was refused because of the data (a condition or a conflict), not a fault."""
    if error.cause_response_code != "TransactionCanceledException":
        return False
    return any(reason is not None and reason.code in _RETRYABLE for reason in error.cancellation_reasons)


def conflicted(error: TransactWriteError) -> bool:
    """Whether another transaction on the same items refused ours (a moment later it may pass), not a condition."""
    return cancelled(error) and any(
        r is not None and r.code == "TransactionConflict" for r in error.cancellation_reasons
    )
