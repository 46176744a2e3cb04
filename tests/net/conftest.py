import pytest

from tests.net.netlib import Stack


@pytest.fixture
def stack() -> Stack:
    return Stack()
