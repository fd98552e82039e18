"""Fixtures of the federation tests: the instance every node is copied from, made once per run."""

from __future__ import annotations

from typing import Any

import pytest
from tests.federation.nodes import Template


@pytest.fixture(scope="session")
def node_template(instance_template: Any) -> Template:
    # The one `dualpower init` of the run (the root conftest's instance_template): the test
    # database and the backup tests start from copies of it too.
    template: Template = instance_template
    return template
