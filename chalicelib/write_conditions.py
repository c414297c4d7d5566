"""A conditional write refused on its condition, told apart from a fault or a throttle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the counting function checks conditions without loading pynamodb
    from pynamodb.exceptions import PynamoDBException
    from pynamodb.models import Model

CONDITION_FAILED = "ConditionalCheckFailedException"


def condition_failed(error: PynamoDBException) -> bool:
    """Whether DynamoDB refused the write because its condition did not hold (anything else is re-raised)."""
    return error.cause_response_code == CONDITION_FAILED


def update_if_there(item: Model, actions: list[Any], condition: Any) -> None:
    """`item.update(actions)` under `condition` (that the item exists); nothing written when it does not."""
    from pynamodb.exceptions import UpdateError

    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as error:
        if not condition_failed(error):
            raise
