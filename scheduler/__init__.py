"""The clock surface: scheduled posts that arrive once (built in the scheduling issue)."""
