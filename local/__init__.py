"""The local stack: moto's server, demo content, the SQS poller and the dev server. Never deployed."""
