"""The SQS event shape in local/events.py against the sample AWS documents (tests/events/)."""

from __future__ import annotations

import json

from local.events import event_from_received
from tests.events import TEST_EVENT, s3_notification, sample, sqs_event


def test_the_worker_passes_a_received_message_as_lambda_would():
    documented = sample("sqs_event")
    record = documented["Records"][0]
    received = {
        "MessageId": record["messageId"],
        "ReceiptHandle": record["receiptHandle"],
        "Body": record["body"],
        "Attributes": record["attributes"],
        "MessageAttributes": record["messageAttributes"],
        "MD5OfBody": record["md5OfBody"],
    }
    assert event_from_received([received], record["eventSourceARN"], record["awsRegion"]) == documented


def test_the_tests_event_has_the_documented_shape_and_a_true_md5():
    documented = sample("sqs_event")["Records"][0]
    first, second = sqs_event("a", "b", receives=3)["Records"]
    assert first.keys() == documented.keys() and first["attributes"].keys() == documented["attributes"].keys()
    assert (first["messageId"], second["messageId"]) == ("m0", "m1")
    assert first["attributes"]["ApproximateReceiveCount"] == "3"
    assert sqs_event("Test message.")["Records"][0]["md5OfBody"] == documented["md5OfBody"]


def test_an_s3_notification_encodes_its_key_as_s3_does():
    (record,) = json.loads(s3_notification("uploads/现场 a+b", 7, event_name="ObjectCreated:Put"))["Records"]
    assert record["s3"]["object"]["key"] == "uploads/%E7%8E%B0%E5%9C%BA+a%2Bb"
    assert record["s3"]["object"]["size"] == 7 and record["eventName"] == "ObjectCreated:Put"
    assert record.keys() == sample("s3_object_created")["Records"][0].keys()
    assert json.loads(TEST_EVENT)["Event"] == "s3:TestEvent"
