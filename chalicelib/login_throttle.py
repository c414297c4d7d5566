"""Login throttling that an attacker cannot turn against the account holder (OWASP's authentication guidance).

Each attempt is counted *before* its password is hashed, with one atomic `ADD` per key, and refused
with a 429 once a key is over its limit, so concurrent guesses cannot slip past the count and a refused
guess costs no scrypt work. Two keys per attempt, both in fixed windows of `WINDOW`:

- the account *from this source* (username + client address): a flood from one place stops after
  `PER_ACCOUNT_AND_SOURCE` attempts, while the account holder logging in from anywhere else is untouched;
- the source (client address) across every username: one place cannot spray guesses or burn CPU on
  many accounts, known or not, beyond `PER_SOURCE`.

Known and unknown usernames are counted the same way, so a 429 says nothing about which accounts exist.
A key found over its limit is also remembered in the container until its window ends, so a flood's
later attempts are refused without a DynamoDB write (this can only refuse sooner, never admit more).
A success takes its attempt back: it clears the account-and-source count and gives the source its
attempt back, so only failures use up a budget. Guessing one account from many addresses is bounded per
address only; the strong-password rule and the login-failures alarm cover that (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from chalicelib import clock, metrics
from chalicelib.errors import TooManyAttempts
from chalicelib.models import LoginAttemptModel

WINDOW = 15 * 60  # seconds
PER_ACCOUNT_AND_SOURCE = 5
PER_SOURCE = 20
TOO_MANY = "too many login attempts from here; try again later"
REMEMBERED = 10_000  # keys over their limit this container remembers at most

_over_limit: dict[str, int] = {}  # key -> the end of its window (epoch seconds)


@dataclass(frozen=True)
class Attempt:
    """One counted login attempt: what `succeeded` must give back."""

    account_key: str
    source_key: str


def count_attempt(username: str, source: str) -> Attempt:
    """Count an attempt against both keys; TooManyAttempts (429) when either is over its limit."""
    moment = clock.seconds()
    window = int(moment // WINDOW)
    expires = (window + 1) * WINDOW
    attempt = Attempt(
        account_key=f"account/{window}/{_digest(username)}/{source}",
        source_key=f"source/{window}/{source}",
    )
    keys = ((attempt.source_key, PER_SOURCE), (attempt.account_key, PER_ACCOUNT_AND_SOURCE))
    if not any(_over_limit.get(key, 0) > moment for key, _ in keys):
        over = [key for key, limit in keys if _add(key, 1, expires) > limit]
        if not over:
            return attempt
        if len(_over_limit) >= REMEMBERED:
            _over_limit.clear()
        _over_limit.update(dict.fromkeys(over, expires))
    metrics.count("LoginThrottles")
    raise TooManyAttempts(TOO_MANY, retry_after=max(1, math.ceil(expires - moment)))


def forget_refusals() -> None:
    """Forget the keys this container saw over their limit (a new container; tests)."""
    _over_limit.clear()


def succeeded(attempt: Attempt) -> None:
    """A correct password: the account-and-source count starts again and the source gets its attempt back."""
    LoginAttemptModel(attempt.account_key).delete()
    LoginAttemptModel(attempt.source_key).update(actions=[LoginAttemptModel.attempts.add(-1)])


def _add(key: str, amount: int, expires: int) -> int:
    """Atomically add to a key's count (created on first use, expired by DynamoDB's TTL) and return the new count."""
    item = LoginAttemptModel(key)
    item.update(actions=[LoginAttemptModel.attempts.add(amount), LoginAttemptModel.expires.set(expires)])
    return int(item.attempts)


def _digest(username: str) -> str:
    """Usernames are stored hashed: the table holds no list of names anyone tried."""
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:32]
