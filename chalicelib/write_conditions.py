"""A conditional write refused on its condition, told apart from a fault or a throttle."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the counting function checks conditions without loading pynamodb
    from pynamodb.exceptions import PynamoDBException

CONDITION_FAILED = "ConditionalCheckFailedException"


def condition_failed(error: PynamoDBException) -> bool:
    """Whether DynamoDB refused the write because its condition did not hold (anything else is re-raised)."""
    return error.cause_response_code == CONDITION_FAILED
