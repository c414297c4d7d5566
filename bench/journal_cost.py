"""What the local stack's write journal costs per write: PutItem through moto, with and without it.

`python -m bench.journal_cost` prints both times per write and their ratio. In-process moto (the
local stack runs moto's server, so its HTTP cost comes on top of both and the real ratio is smaller).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

WRITES = 500


def per_write(client: object, label: str) -> float:
    started = time.perf_counter()
    for number in range(WRITES):
        client.put_item(TableName="bench", Item={"id": {"S": f"{label}-{number}"}, "text": {"S": "x" * 200}})  # type: ignore[attr-defined]
    return (time.perf_counter() - started) / WRITES


def main() -> None:
    import boto3
    from moto import mock_aws

    from local.emulator import attach_journal, behave_like_aws
    from local.journal import Journal

    behave_like_aws()
    with mock_aws(), tempfile.TemporaryDirectory() as folder:
        client = boto3.client("dynamodb", region_name="us-east-1", aws_access_key_id="b", aws_secret_access_key="b")
        client.create_table(
            TableName="bench",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        before = per_write(client, "old")
        journal = Journal(Path(folder) / "journal")
        attach_journal(journal)
        try:
            after = per_write(client, "new")
        finally:
            attach_journal(None)
            journal.close()
    print(
        f"PutItem without journal: {before * 1000:.2f} ms, with journal: {after * 1000:.2f} ms,",
        f"ratio {after / before:.2f}",
    )


if __name__ == "__main__":
    main()
