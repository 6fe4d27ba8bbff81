"""The figures feature: the monthly figures of what happens in Deskmate (monthly.py) and the
contact centre's own measures imported from its phone system and survey (imports.py)."""
