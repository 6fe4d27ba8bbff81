"""The Slack surface: slash commands, buttons, modals and App Home (built in the Slack issue)."""
