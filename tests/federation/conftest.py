"""Fixtures of the federation tests: the instance every node is copied from, made once per run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.federation.nodes import Template, instance_template, shared_directory


@pytest.fixture(scope="session")
def node_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    with instance_template(shared_directory(tmp_path_factory)) as template:
        yield template
