"""Deskmate's core and composition root: settings, database, tables and the command line."""
