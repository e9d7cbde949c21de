"""What an Idempotency-Key record keeps (app/services/idempotency.py), without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services import idempotency
from app.services.tokens import new_token

pytestmark = pytest.mark.unit


def test_an_address_with_colons_cannot_run_into_the_key() -> None:
    first = idempotency.record_id("anonymous:1::2", "3:abc")
    second = idempotency.record_id("anonymous:1::2:3", "abc")
    assert first != second


@given(owner=st.text(), key=st.text(min_size=1, max_size=200))
def test_the_share_token_opens_with_the_key_and_only_with_it(owner: str, key: str) -> None:
    token = new_token()
    sealed = idempotency.seal(token, owner, key)
    assert token not in sealed
    assert idempotency.unseal(sealed, owner, key) == token
    assert idempotency.unseal(sealed, owner, key + "x") != token
    # the record's id tells nothing of the seal
    assert idempotency.record_id(owner, key) not in sealed


def test_a_record_keeps_no_link_in_clear() -> None:
    token = new_token()
    row = idempotency.record("id", "body", token, "partner:1", "order-42")
    assert token not in str(row.response)
    assert idempotency.share_token_of(row, "partner:1", "order-42") == token
    assert idempotency.share_token_of(row, "partner:2", "order-42") != token
