"""`python -m bot` is the `deskmate` command."""

from bot.entry.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
