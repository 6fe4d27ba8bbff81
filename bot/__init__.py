"""Deskmate's core (settings in bot.config, storage in bot.store, each feature's rules in a
module of its own here), the Slack-facing pieces both surfaces share (bot.slack), and the
entry points (bot.entry). README, "Architecture", draws the layers."""
