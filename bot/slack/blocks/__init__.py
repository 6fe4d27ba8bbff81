"""Block Kit as pure functions, one module per feature over the shared pieces in base.py."""
