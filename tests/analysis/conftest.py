import pytest

from tests.analysis.dataset import build


@pytest.fixture
def data(db):
    return build()
