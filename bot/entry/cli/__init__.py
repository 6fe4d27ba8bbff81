"""The `deskmate` command line: main.py parses; each command group is a module of its own."""
