"""Have pytest rewrite the asserts in the shared loader helpers, as it does in test files,
so a failing check there shows its values."""

import pytest

pytest.register_assert_rewrite(__name__.rpartition(".")[0] + ".loader_helpers")
