"""The entry points, imported by nothing below them: the Bolt app factory, the command line,
the local console, HTTP mode and Socket Mode."""
